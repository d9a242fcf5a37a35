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
import type { ScoreReport } from '../deploy/score-types';
import type {
  CellValue,
  CounterfactualOptions,
  CounterfactualResult,
  DeployedModelInfo,
  PartialDependenceOptions,
  PartialDependenceResult,
} from '../deploy/types';
import type { PredictResult } from '../runtime/types';
import type { Notebook } from '../spec/notebook';
import type { SerializedError } from './errors';

export type { ColumnDrift, ScoredRow, ScoreReport } from '../deploy/score-types';
export type {
  CellValue,
  CounterfactualChange,
  CounterfactualOptions,
  CounterfactualResult,
  DeployedModelInfo,
  PartialDependenceOptions,
  PartialDependenceResult,
} from '../deploy/types';
export type { DataContract, FeatureContract } from '../runtime/format';
export type { Drift, DriftIssue, PredictResult } from '../runtime/types';

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
  /** Live values of an iterative job (training: `loss`, `validation`), for live curves. */
  metrics?: Record<string, number>;
  /** Where `metrics` belong on a curve: the series (e.g. "LogisticRegression · fold 2") and the step. */
  curve?: { series: string; step: number };
}

/** Passed with every long call. `id` lets `cancel(id)` stop it. */
export interface JobOptions {
  id: string;
  onProgress?: (p: Progress) => void;
  /** Set on the worker side by the transfer handler: closes the job's progress channel. The
   * engine calls it when the job ends. */
  release?: () => void;
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
  /** Quartiles, whiskers, outliers and a KDE of a numeric column per group of another; with a
   * linked selection, also the same groups over the selected rows (`selected`). */
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

// ── Training (issue 6): split, fold loop with the notebook fitted per fold, metrics, statistics,
// baselines and tuning. Computed in the worker (src/engine/train); plain data on the wire. ──
export type TrainTask = 'classification' | 'regression' | 'clustering';
export type TrainParamValue = string | number | boolean | null | readonly TrainParamValue[];

export type SplitSpec =
  | {
      kind: 'holdout';
      /** Fraction of rows for the test set (0..1), default 0.25. */
      testSize: number;
      /** Keep class proportions (classification only). */
      stratify?: boolean;
      /** Shuffle before splitting (default true; false → the last rows are the test set). */
      shuffle?: boolean;
      /** Group column: a group lands wholly in train or test. */
      group?: string | null;
      /** Order column: the latest rows are the test set. */
      timeColumn?: string | null;
    }
  | {
      kind: 'kfold' | 'stratified-kfold' | 'group-kfold';
      k: number;
      /** Repeated CV (shuffled each time); 1 when absent. */
      repeats?: number;
      /** Shuffle (k-fold and stratified k-fold, default true). */
      shuffle?: boolean;
      group?: string | null;
    };

export interface ModelSpec {
  name: string;
  /** Parameters that differ from the defaults (sklearn's names). */
  params: Record<string, TrainParamValue>;
}

export interface TrainSpec {
  /** Its steps are fitted inside each fold, on training rows only. */
  notebook: Notebook;
  target: string | null;
  /** Inferred from the target when absent. */
  task?: TrainTask;
  /** Feature columns after the notebook; default every numeric/boolean column but the target. */
  features?: string[] | null;
  split: SplitSpec;
  models: ModelSpec[];
  seed: number;
  /** Also compute permutation importance (repeats shuffles per feature and fold; default off). */
  importance?: { repeats: number };
}

/** Mean ± std over folds with a 95% t-interval (NaN bounds with one fold). */
export interface MetricSummary {
  mean: number;
  std: number;
  n: number;
  ciLow: number;
  ciHigh: number;
}

export interface CurvePoint {
  step: number;
  loss: number;
  validation?: number;
}

/** Plot data computed from the out-of-fold predictions (first repeat). */
export interface EvaluationPlots {
  confusion?: { labels: string[]; matrix: number[][] };
  /** One curve per class (one-vs-rest), or one for the positive class of a binary target. */
  roc?: { label: string; fpr: number[]; tpr: number[]; auc: number }[];
  pr?: { label: string; precision: number[]; recall: number[] }[];
  calibration?: { label: string; probPred: number[]; probTrue: number[] }[];
  /** Regression: actual and predicted values (a sample of at most 2,000 rows). */
  residuals?: { actual: number[]; predicted: number[] };
}

export interface ModelRunResult {
  /** Unique within the experiment: the model name, numbered when it appears twice. */
  label: string;
  name: string;
  /** Every parameter, defaults filled in. */
  params: Record<string, TrainParamValue>;
  /** Parameters that differ from the defaults (what the user chose). */
  changed: Record<string, TrainParamValue>;
  metrics: Record<string, MetricSummary>;
  /** Per fold, in fold order: the values `metrics` summarise. */
  foldMetrics: Record<string, number[]>;
  /** Training + prediction time per fold, milliseconds. */
  foldMs: number[];
  fitMs: number;
  /** Where the model ran: 'cpu', 'webgpu' (our kernels) or 'tfjs-<backend>'. */
  backend: string;
  /** Loss per iteration for iterative models, per fold (at most 500 points each). */
  curves: CurvePoint[][];
  /** Out-of-fold predictions of the first repeat: rows (indices into the dataset after the
   * notebook's leading filters), truth and prediction (class codes or values), fold of each row;
   * for classifiers with predict_proba, the probability of the predicted and of the true class
   * (4 decimals; absent in runs saved before it existed). */
  oof: {
    rows: number[];
    truth: number[];
    predicted: number[];
    fold: number[];
    probability?: { predicted: number[]; truth: number[] };
  };
  plots: EvaluationPlots;
  /** Permutation importance on the test folds (when asked for): the drop of the primary metric
   * when one feature's test values are shuffled, summarised over folds; largest first. */
  importance?: { feature: string; drop: MetricSummary }[];
}

export interface PairComparison {
  a: string;
  b: string;
  metric: string;
  test: 'corrected t-test' | 'McNemar exact' | 'McNemar chi-square';
  statistic: number;
  pValue: number;
  /** a − b (t-test: mean metric difference; McNemar: rows only a got right minus only b). */
  difference: number;
  significant: boolean;
  /** One sentence: "B is better than A (p = 0.010, corrected t-test)." */
  verdict: string;
}

export interface FeatureShift {
  feature: string;
  kind: 'numeric' | 'categorical';
  statistic: 'KS' | 'PSI';
  value: number;
  /** KS > 0.1 with p < 0.05, or PSI > 0.1. */
  shifted: boolean;
}

export interface SplitReport {
  trainRows: number;
  testRows: number;
  /** Train vs test distance per feature (the first fold for CV). */
  features: FeatureShift[];
  /** Exact duplicate rows (features and target) found in both train and test. */
  sharedDuplicates: number;
  /** Features that alone predict the target almost perfectly on the test rows (leakage suspects). */
  leakage: { feature: string; score: number; metric: 'accuracy' | 'r2' }[];
  /** One sentence per finding. */
  warnings: string[];
}

export interface ExperimentResult {
  id: string;
  datasetId: string;
  target: string | null;
  task: TrainTask;
  features: string[];
  classes: string[] | null;
  split: SplitSpec;
  seed: number;
  rows: number;
  /** Number of train/test rounds (folds × repeats, or 1 for a hold-out). */
  folds: number;
  /** Mean test/train size ratio over the folds (the t-test's Nadeau–Bengio correction). */
  testTrainRatio: number;
  /** The metric that ranks models and is compared: accuracy, r2 or silhouette. */
  primary: string;
  higherIsBetter: boolean;
  models: ModelRunResult[];
  /** Every pair of models on the primary metric (McNemar on a classification hold-out). */
  comparisons: PairComparison[];
  splitReport: SplitReport;
  ms: number;
}

export type ParamRange =
  | { type: 'values'; values: TrainParamValue[] }
  | { type: 'uniform' | 'log-uniform'; low: number; high: number; integer?: boolean };

export interface TuneSpec extends Omit<TrainSpec, 'models'> {
  model: string;
  /** Parameters that stay fixed. */
  params?: Record<string, TrainParamValue>;
  /** sklearn-style grid: every combination of the listed values. */
  grid?: Record<string, TrainParamValue[]>;
  /** Random search: n draws from the ranges (seeded). */
  random?: { n: number; ranges: Record<string, ParamRange> };
  /** Fit the candidates that can share training passes together, per fold (default true). */
  batch?: boolean;
}

export interface TuneCandidate {
  params: Record<string, TrainParamValue>;
  score: MetricSummary;
  rank: number;
  fitMs: number;
}

export interface TuneResult {
  model: string;
  metric: string;
  higherIsBetter: boolean;
  /** Best first. */
  candidates: TuneCandidate[];
  /** The best candidate, trained as a full run (metrics, plots, comparisons-ready). */
  best: ExperimentResult;
  /** Candidates were trained in shared batched passes (e.g. a LogisticRegression grid: one
   * lockstep optimiser run per fold) rather than one after another. */
  batched: boolean;
}

// Error analysis (issue 7): where a run's out-of-fold errors concentrate (src/engine/train/slices.ts).

/** A condition on a raw input column (the dataset after the notebook's leading filters). */
export type SliceCondition =
  /** low < value ≤ high; null bounds are open. Missing values are outside. */
  | { column: string; kind: 'range'; low: number | null; high: number | null }
  | { column: string; kind: 'equals'; value: number }
  | { column: string; kind: 'category'; value: string }
  | { column: string; kind: 'missing' };

export interface ErrorSlice {
  /** One condition, or two (a combination of two features), all holding. */
  conditions: SliceCondition[];
  /** "petal width (cm) ≤ 0.8 and site = north" */
  description: string;
  /** "… : error 31% [22%, 42%], 48 rows, vs 6% elsewhere" */
  sentence: string;
  size: number;
  /** Error rate (classification) or mean absolute error (regression) of the slice's rows, with
   * its 95% interval (Wilson for rates, t for means). */
  value: number;
  ciLow: number;
  ciHigh: number;
  /** The same metric on every other analysed row. */
  rest: number;
  /** value − rest: the effect size slices are ranked by. */
  difference: number;
  /** Slice vs the rest: two-proportion z-test (rates) or Welch's t-test (means), two-sided. */
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value over every slice tested. */
  qValue: number;
  /** Worse than the rest with qValue < alpha. */
  significant: boolean;
}

export interface WorstRow {
  /** Row index in the dataset as loaded (the Data table shows row + 1). */
  row: number;
  fold: number;
  /** Class label or target value. */
  truth: string | number;
  predicted: string | number;
  /** Classification: the probability of the predicted (wrong) class; null without predict_proba. */
  confidence: number | null;
  /** Classification: the probability of the true class; null without predict_proba. */
  truthProbability: number | null;
  /** Regression: |truth − predicted| (classification: 1). */
  error: number;
  /** The row's raw input values, in ErrorAnalysisResult.columns order. */
  values: CellValue[];
}

export interface ErrorAnalysisOptions {
  /** Smallest slice tested: max(minSize, minShare × rows); defaults 20 and 0.01. */
  minSize?: number;
  minShare?: number;
  /** Quantile bins per numeric column (default 5). */
  bins?: number;
  /** Features whose pairwise combinations are tested: the best this many (default 6). */
  pairFeatures?: number;
  /** Slices returned, worst first (default 40). */
  maxSlices?: number;
  /** Worst rows returned (default 50). */
  worstRows?: number;
  /** False discovery rate (default 0.05). */
  alpha?: number;
}

export interface ErrorAnalysisSpec {
  /** Its leading filters are re-run to find the rows the run saw. */
  notebook: Notebook;
  target: string;
  task: TrainTask;
  /** Class names (codes in `oof` index them); null for regression. */
  classes: string[] | null;
  /** Rows the run saw (ExperimentResult.rows): a changed filter is reported, not misread. */
  rows: number;
  oof: ModelRunResult['oof'];
  options?: ErrorAnalysisOptions;
}

export interface ErrorAnalysisResult {
  task: 'classification' | 'regression';
  metric: 'error rate' | 'mean absolute error';
  /** Out-of-fold rows analysed, and rows of the dataset as loaded (a selection's mask length). */
  rows: number;
  datasetRows: number;
  /** Misclassified rows (classification), or rows with a residual (regression). */
  errors: number;
  overall: { value: number; ciLow: number; ciHigh: number };
  /** Worst first: misclassified rows by confidence in the wrong class, or largest |residual|. */
  worst: WorstRow[];
  /** The raw input columns, in the order of WorstRow.values. */
  columns: string[];
  /** Worse than the rest: the significant ones first, each the worst on the rows the slices above
   * it leave (a greedy cover); then the others, smallest p-value first. */
  slices: ErrorSlice[];
  /** Slices tested (the size of the multiple-testing correction), smallest size tested. */
  tested: number;
  /** Significant slices left out because the slices listed above them already hold their errors. */
  explained: number;
  minSize: number;
  alpha: number;
  /** Columns not sliced, with why (an identifier, a single value). */
  skipped: { column: string; reason: string }[];
}

/**
 * Which analysed rows to list: a slice, a confusion-matrix cell (class codes), or the first
 * `count` worst rows (classification: misclassified rows only, so a large count gives them all).
 */
export type ErrorRowsQuery =
  | { kind: 'slice'; conditions: SliceCondition[] }
  | { kind: 'cell'; truth: number; predicted: number }
  | { kind: 'worst'; count: number };

export interface TrainApi {
  /** Every registered model with its parameter schema (drives the model picker's forms). */
  modelCatalog(): Promise<ModelInfo[]>;
  /** The task the target suggests (integer targets with ≤ 20 values are classes). */
  inferTask(datasetId: string, target: string | null): Promise<TrainTask>;
  trainModels(datasetId: string, spec: TrainSpec, job?: JobOptions): Promise<ExperimentResult>;
  /** A default set of models for the task, 5-fold CV (stratified for classes), ranked best first. */
  compareBaselines(
    datasetId: string,
    spec: { notebook: Notebook; target: string; task?: TrainTask; seed: number; features?: string[] | null },
    job?: JobOptions,
  ): Promise<ExperimentResult>;
  tuneModel(datasetId: string, spec: TuneSpec, job?: JobOptions): Promise<TuneResult>;
  /** Score against training-set size: the experiment re-run on growing fractions of each fold's
   * training rows (the notebook fitted on those rows too). */
  learningCurve(
    datasetId: string,
    spec: TrainSpec & { fractions?: number[] },
    job?: JobOptions,
  ): Promise<LearningCurveResult>;
  /**
   * Compares two runs scored on the same folds (same data, split and seed): the corrected t-test
   * on per-fold scores, or McNemar on one hold-out's predictions.
   */
  compareRuns(a: RunScores, b: RunScores, options: CompareOptions): Promise<PairComparison>;
  /** A run's worst rows and the slices of the data where its out-of-fold errors concentrate. */
  errorAnalysis(datasetId: string, spec: ErrorAnalysisSpec, job?: JobOptions): Promise<ErrorAnalysisResult>;
  /** The rows (indices in the dataset as loaded, ascending) of a slice, a confusion cell or the worst rows. */
  errorRows(datasetId: string, spec: ErrorAnalysisSpec, query: ErrorRowsQuery): Promise<Uint32Array>;
}

export interface RunScores {
  label: string;
  /** Per-fold values of the compared metric. */
  scores: number[];
  /** Hold-out only: class codes of the test rows, and this run's predictions for them. */
  truth?: number[];
  predicted?: number[];
}

export interface CompareOptions {
  metric: string;
  higherIsBetter: boolean;
  testTrainRatio: number;
}

export interface LearningCurveResult {
  metric: string;
  /** Per fraction: mean training rows and the test score over folds, per model label. */
  points: { fraction: number; trainRows: number; scores: Record<string, MetricSummary> }[];
}

export interface ModelInfo {
  name: string;
  tasks: readonly TrainTask[];
  description: string;
  params: Record<string, StepParamInfo>;
}
// ── end Training ──

// ── Export for deployment (issue 7): src/export does the work. ──
export interface ExportSpec {
  notebook: Notebook;
  target: string | null;
  task?: TrainTask;
  /** Model input columns after the notebook; default every numeric/boolean column but the target. */
  features?: string[] | null;
  model: ModelSpec;
  /** Stored in the artifact's metadata. */
  notebookLink?: string | null;
  metrics?: Record<string, number>;
}

export interface PythonExportSpec extends Omit<ExportSpec, 'notebookLink' | 'metrics'> {
  split: SplitSpec;
  seed: number;
  /** The CSV file name the script reads by default (e.g. the sample's file). */
  csvFile: string;
}

export interface ExportApi {
  /** The notebook + model fitted on every row, as the artifact benchtop-runtime loads (JSON + weights). */
  exportArtifact(
    datasetId: string,
    spec: ExportSpec,
    job?: JobOptions,
  ): Promise<{ json: string; weights: Uint8Array }>;
  /** A pandas + scikit-learn script reproducing the notebook, the model and the CV metrics. */
  exportPython(datasetId: string, spec: PythonExportSpec): Promise<string>;
}
// ── end Export ──

// ── Prototype and scoring (issue 7): src/deploy does the work. Models are deployed in the worker
// and every prediction goes through benchtop-runtime on the same JSON + weights a download gives. ──
export interface DeployApi {
  /** Fits the notebook + model on every row (like exportArtifact) and keeps it for what-if and scoring. */
  deployModel(datasetId: string, spec: ExportSpec, job?: JobOptions): Promise<DeployedModelInfo>;
  /** Loads an exported artifact (checked: format, version, checksum): its JSON text and weights, or
   * the bytes of a single-file .benchtop artifact alone; errors name what is wrong. */
  importArtifact(json: string | Uint8Array, weights?: Uint8Array): Promise<DeployedModelInfo>;
  deployedModels(): Promise<DeployedModelInfo[]>;
  removeDeployed(modelId: string): Promise<void>;
  /** The artifact of a deployed model, exactly as loaded (JSON + weights, transferred copy). */
  deployedArtifact(modelId: string): Promise<{ json: string; weights: Uint8Array }>;
  /** Predictions for JSON rows (raw input columns), validated against the data contract. */
  predictRows(modelId: string, rows: Record<string, CellValue>[]): Promise<PredictResult>;
  /** The artifact as one .benchtop file (transferred). */
  artifactBundle(modelId: string): Promise<Uint8Array>;
  /** Scores a loaded dataset (raw input columns): drift per column against the data contract, and
   * a preview of the predictions; a dataset lacking a column the model reads is refused by name. */
  scoreDataset(modelId: string, datasetId: string, job?: JobOptions): Promise<ScoreReport>;
  /** The dataset's rows with the prediction and one probability column per class, as CSV (transferred). */
  predictionsCsv(modelId: string, datasetId: string, job?: JobOptions): Promise<Uint8Array>;
  /** Partial dependence (mean over every row of the dataset) and ICE curves of one input feature. */
  partialDependence(
    modelId: string,
    datasetId: string,
    feature: string,
    options?: PartialDependenceOptions,
    job?: JobOptions,
  ): Promise<PartialDependenceResult>;
  /** The smallest change to a row that flips a classifier's prediction (seeded search). */
  counterfactual(
    modelId: string,
    row: Record<string, CellValue>,
    options?: CounterfactualOptions,
    job?: JobOptions,
  ): Promise<CounterfactualResult>;
}
// ── end Prototype ──

export interface EngineApi extends ExploreApi, TrainApi, ExportApi, DeployApi {
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
