/**
 * The whole engine protocol in one file (like duckdb-wasm's worker protocol). The engine runs in
 * a module Web Worker (workers/engine.worker.ts) and, for tests and scripts, in-process in Node
 * (workers/engine.ts: createEngine()). Everything here is plain data: it crosses the boundary by
 * structured clone, except row windows, which cross as Arrow IPC bytes in a transferred buffer.
 */
import type {
  ColumnSummary,
  CorrelationMethod,
  CorrelationResult,
  EmbeddingMethod,
  EmbeddingResult,
  ExploreSelection,
  GroupedDistribution,
  Insight,
  MissingnessResult,
  ScatterPoints,
  SelectionState,
} from '../data/explore/types';
import type { ColumnProfile } from '../data/profile/types';
import type { QualityOptions, QualityWarning } from '../data/quality/types';
import type { ColumnType } from '../data/types';
import type { Notebook } from '../spec/notebook';
import type { SerializedError } from './errors';

export type BackendKind = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

export interface BackendInfo {
  /** Where our own WGSL kernels run: 'webgpu' or 'cpu' (the TypeScript references). */
  kernels: 'webgpu' | 'cpu';
  /** The tfjs backend in use (models, matrix work). */
  tfjs: BackendKind | 'none';
  adapter: AdapterSummary | null;
  /** Why a faster backend was not used, one entry per backend tried and refused. */
  fallbacks: { backend: BackendKind; reason: string }[];
  /** How many times the GPU device was lost and the engine recovered. */
  deviceLosses: number;
}

export type DataFormat = 'csv' | 'json' | 'ndjson' | 'arrow' | 'parquet';

export interface LoadOptions {
  /** Field delimiter for delimited text; detected when absent. */
  delimiter?: string;
  /** Whether the first row is a header; detected when absent. */
  header?: boolean;
  /** Text encoding; detected (BOM, UTF-8 validity, Latin-1 fallback) when absent. */
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';
  /** Per-column type overrides, by column name. */
  columnTypes?: Record<string, ColumnType>;
  /** Strings read as missing; DEFAULT_MISSING_MARKERS when absent. */
  missingMarkers?: string[];
  /** Name to show for the dataset; the file name when absent. */
  name?: string;
}

export interface RaggedRow {
  /** 1-based line number in the file where the record starts. */
  line: number;
  fields: number;
}

export interface LoadReport {
  format: DataFormat;
  encoding?: string;
  delimiter?: string;
  header?: boolean;
  /** Records whose field count differs from the header's (first few; `raggedCount` has the total). */
  raggedRows: RaggedRow[];
  raggedCount: number;
  /** One sentence each: flattened nested columns, dropped unsupported columns, … */
  warnings: string[];
  parseMs: number;
}

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** The type inference chose; differs from `type` after the user overrides it. */
  inferredType: ColumnType;
  /** Arrow type as text, e.g. "Float64", "Dictionary<Int32, Utf8>". */
  arrowType: string;
  missing: number;
}

export type DatasetSource =
  | { kind: 'file'; name: string }
  | { kind: 'url'; url: string }
  | { kind: 'sample'; sample: string }
  | { kind: 'synthetic'; rows: number; seed: number }
  /** The output of running a notebook over another dataset. */
  | { kind: 'derived'; from: string };

export interface DatasetInfo {
  id: string;
  name: string;
  source: DatasetSource;
  rows: number;
  columns: ColumnInfo[];
  /** Bytes held by the Arrow table in the worker. */
  memoryBytes: number;
  /** Size of the file as loaded (0 for generated data). */
  fileBytes: number;
  report: LoadReport;
  /** Hash of the data as loaded (file bytes; generator and seed for synthetic data). The engine
   * always sets it; optional so that summaries built by hand (tests, older autosaves) stay valid. */
  fingerprint?: string;
  /** Whether a copy is kept in this browser (file/URL data), rebuilt on demand (samples,
   * synthetic) or only in memory for this session (and why). Absent in summaries built by hand. */
  storage?: DatasetStorage;
}

export type DatasetStorage =
  | { kind: 'stored'; bytes: number }
  | { kind: 'regenerated' }
  | { kind: 'memory'; reason: 'quota' | 'unavailable' | 'error'; message: string };

/** A dataset kept in the browser's Origin Private File System, as the storage panel lists it. */
export interface StoredDatasetInfo {
  fingerprint: string;
  name: string;
  source: DatasetSource;
  rows: number;
  columns: number;
  /** Size of the stored Arrow IPC file. */
  bytes: number;
  /** ISO date of the last write. */
  storedAt: string;
}

export interface StorageEstimate {
  /** Bytes this origin uses and may use (navigator.storage.estimate), null when unknown. */
  usage: number | null;
  quota: number | null;
  /** False when this browser offers no file storage to the engine (datasets live in memory only). */
  available: boolean;
}

export interface SampleInfo {
  name: string;
  title: string;
  description: string;
  rows: number;
  columns: number;
  task: 'classification' | 'regression' | 'none';
  target?: string;
  /** Where the data comes from and its license. */
  source: string;
}

export interface SyntheticOptions {
  rows: number;
  seed: number;
  /** Defaults to 20 mixed columns (floats, ints, categories, booleans, dates, some missing). */
  columns?: number;
}

export interface ColumnStats {
  name: string;
  type: ColumnType;
  count: number;
  missing: number;
  /** Numeric columns only (null otherwise). NaN and ±Infinity count as missing. */
  mean: number | null;
  variance: number | null;
  min: number | null;
  max: number | null;
}

export interface Progress {
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  /** Short description of the current phase: "Parsing", "Inferring types", … */
  phase: string;
  /** Extra facts, e.g. bytes read. */
  done?: number;
  total?: number;
}

/** Passed with every long call. `id` lets `cancel(id)` stop it. */
export interface JobOptions {
  id: string;
  onProgress?: (p: Progress) => void;
}

/** A step's parameter, as the form generator and the link validator see it. */
export type StepParamInfo =
  | { type: 'number' | 'integer'; default: number | null; min?: number; max?: number; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'enum'; options: readonly string[]; default: string | null; description: string }
  | { type: 'string'; default: string; maxLength?: number; description: string }
  | { type: 'columns'; default: string[] | null; description: string }
  | { type: 'range'; default: readonly [number, number]; min?: number; max?: number; description: string };

export interface StepInfo {
  name: string;
  kind: 'transform' | 'filter';
  description: string;
  params: Record<string, StepParamInfo>;
  accepts: readonly ColumnType[];
  missing: 'handles' | 'rejects' | 'passes-through';
}

/** What one step changed: its card's quality diff. */
export interface StepDiff {
  rowsBefore: number;
  rowsAfter: number;
  columnsBefore: number;
  columnsAfter: number;
  added: string[];
  removed: string[];
  missingBefore: number;
  missingAfter: number;
  /** Value ranges of numeric columns the step changed (first 50). */
  ranges: { column: string; before: [number, number] | null; after: [number, number] | null }[];
}

export interface StepRun {
  id: string;
  step: string;
  /** 'cached': its inputs and parameters did not change since the last run, so it was not re-run. */
  status: 'ok' | 'cached' | 'error' | 'disabled';
  ms: number;
  diff?: StepDiff;
  error?: SerializedError;
}

export interface NotebookRunResult {
  /** The transformed table, registered as a dataset (source kind 'derived'). */
  output: DatasetInfo;
  steps: StepRun[];
}

// ── Explore (issue 5): linked views, embeddings, insights. Computed in the worker
// (src/data/explore); typed arrays in the answers are transferred, not cloned. ──
export type * from '../data/explore/types';
export type { CategoryCount, ColumnProfile, HistogramBins } from '../data/profile/types';
export type {
  FixStep,
  OutlierMethod,
  QualityFix,
  QualityKind,
  QualityOptions,
  QualityWarning,
  Severity,
} from '../data/quality/types';

export interface ExploreApi {
  /**
   * Sets the dataset's linked selection (filters combined with AND, like crossfilter; null or []
   * clears it) and returns its row mask and count. Later summaries count the selected rows too.
   */
  setSelection(datasetId: string, selection: ExploreSelection | null): Promise<SelectionState>;
  /** Row ids of the selected rows [offset, offset + limit) (all rows when nothing is selected). */
  selectedRows(datasetId: string, offset: number, limit: number): Promise<Uint32Array>;
  /** The same selected rows as Arrow IPC stream bytes (transferred). */
  selectedTable(datasetId: string, offset: number, limit: number): Promise<Uint8Array>;
  /** Histogram bins (numbers, dates) or top categories, with the selection's counts. */
  columnSummary(datasetId: string, column: string, options?: { bins?: number }): Promise<ColumnSummary>;
  /** Every row's x/y (Float32, NaN where missing), colour (numbers or category codes) and size. */
  scatterData(
    datasetId: string,
    spec: { x: string; y: string; color?: string | null; size?: string | null },
  ): Promise<ScatterPoints>;
  /** Numeric columns as Float32Arrays (the SPLOM's data). */
  columnsData(datasetId: string, columns: string[]): Promise<{ name: string; values: Float32Array }[]>;
  /** Pairwise-complete correlation matrix (≤ 40 columns, rows sampled above 200,000). */
  correlation(
    datasetId: string,
    options?: { method?: CorrelationMethod; columns?: string[] | null },
  ): Promise<CorrelationResult>;
  /** Quartiles, whiskers, outliers and a KDE of a numeric column per group of another. */
  groupedDistribution(datasetId: string, column: string, by: string | null): Promise<GroupedDistribution>;
  /** A bitmap of which cells are missing (a row sample) and the patterns over all rows. */
  missingness(datasetId: string): Promise<MissingnessResult>;
  /** Ranked findings, each a sentence with a small chart. */
  insights(datasetId: string, options?: { target?: string | null }, job?: JobOptions): Promise<Insight[]>;
  /** A 2-D embedding of the numeric columns (standardised). */
  embedding(
    datasetId: string,
    options: { method: EmbeddingMethod; columns?: string[] | null; seed?: number },
    job?: JobOptions,
  ): Promise<EmbeddingResult>;
  /** The latest intermediate layout of a running embedding job, for the animation. */
  embeddingFrame(jobId: string): Promise<{ x: Float32Array; y: Float32Array } | null>;
}
// ── end Explore ──

export interface EngineApi extends ExploreApi {
  backendInfo(): Promise<BackendInfo>;
  samples(): Promise<SampleInfo[]>;
  datasets(): Promise<DatasetInfo[]>;

  loadFile(file: Blob, fileName: string, options?: LoadOptions, job?: JobOptions): Promise<DatasetInfo>;
  loadBytes(
    bytes: Uint8Array,
    fileName: string,
    options?: LoadOptions,
    job?: JobOptions,
  ): Promise<DatasetInfo>;
  loadUrl(url: string, options?: LoadOptions, job?: JobOptions): Promise<DatasetInfo>;
  loadSample(name: string, job?: JobOptions): Promise<DatasetInfo>;
  generateSynthetic(options: SyntheticOptions, job?: JobOptions): Promise<DatasetInfo>;
  removeDataset(id: string): Promise<void>;

  /** Rows [start, end) as Arrow IPC stream bytes (transferred). */
  rows(datasetId: string, start: number, end: number): Promise<Uint8Array>;
  /** Re-types one column (re-parsing its text where it was text); returns the updated info. */
  setColumnType(datasetId: string, column: string, type: ColumnType): Promise<DatasetInfo>;
  /** Per-column summary statistics; numeric reductions run on the colstats kernel. */
  columnStats(datasetId: string, job?: JobOptions): Promise<ColumnStats[]>;

  /**
   * Full column profile (type, counts, distinct — exact or HyperLogLog —, moments, quantiles,
   * skewness, kurtosis, histogram, top categories). Numeric reductions run on the GPU kernels.
   * Cached per dataset version.
   */
  profile(datasetId: string, job?: JobOptions): Promise<ColumnProfile[]>;
  /** Data-quality warnings, each with a one-sentence explanation and, where one exists, a fix step. */
  qualityReport(datasetId: string, options?: QualityOptions, job?: JobOptions): Promise<QualityWarning[]>;

  /** Every registered step with its parameter schema (drives the notebook's forms). */
  stepCatalog(): Promise<StepInfo[]>;
  /**
   * Runs the notebook's steps over a dataset, incrementally (unchanged steps come from cache).
   * The output replaces the previous output of the same dataset.
   */
  runNotebook(datasetId: string, notebook: Notebook, job?: JobOptions): Promise<NotebookRunResult>;

  /** The dataset as a file (transferred bytes): CSV, Arrow IPC file, or Parquet (snappy). */
  exportDataset(
    datasetId: string,
    format: 'csv' | 'arrow' | 'parquet',
    job?: JobOptions,
  ): Promise<Uint8Array>;

  /** Datasets kept in this browser from earlier sessions (or this one). */
  storedDatasets(): Promise<StoredDatasetInfo[]>;
  /** Loads a stored dataset back into memory (with the column types the user had chosen). */
  restoreDataset(fingerprint: string, job?: JobOptions): Promise<DatasetInfo>;
  /** Deletes the stored copy; a loaded dataset stays loaded for this session. */
  deleteStored(fingerprint: string): Promise<void>;
  storageEstimate(): Promise<StorageEstimate>;

  cancel(jobId: string): Promise<void>;
}

/** What an error looks like on the wire (see errors.ts). */
export type WireError = SerializedError;
