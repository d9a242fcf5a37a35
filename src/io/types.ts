import type { ColumnType } from '../core/types';

/** What loading data produces: formats, options, reports and the dataset summaries the UI lists. */

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
  /** Per-column date formats in strftime notation ("%d/%m/%Y", "%b %d %Y", "%Y-%m-%d %H:%M"), by
   * column name: the column is read as a date (datetime when the format has a time) with exactly
   * this format; values that do not fit become missing. Detected when absent (see src/io/dates.ts). */
  dateFormats?: Record<string, string>;
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
  /** CSV only: "," when numbers were read with a decimal comma ("10,75"; pandas' `decimal`). */
  decimal?: ',';
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
  /** Date and datetime columns read from text: the format the values were read with, in strftime
   * notation ("%b %d %Y", "%m/%d/%Y") or "ISO8601"; change it with LoadOptions.dateFormats, or
   * afterwards with setColumnType(…, format). */
  dateFormat?: string;
  /** Set when the day/month order of `dateFormat` was a guess (every day ≤ 12): the swapped
   * format the values fit as well ("%d/%m/%Y" for "%m/%d/%Y"). */
  dateAlternative?: string;
  /** Values present in the data as loaded that did not fit the type or date format the user
   * chose and are missing now (choosing another type or format reads them again). */
  unfit?: number;
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
