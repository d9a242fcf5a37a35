/**
 * The notebook document: the ordered steps with their parameters, the seed, a reference to the
 * dataset and the target column. It is the only state that is shared, saved and put in links, so
 * it holds references and settings, never user data.
 *
 * `schema.json` is generated from these types by `npm run schema`; the JSDoc tags below
 * (`@maxLength`, `@pattern`, …) become schema constraints that the types cannot express. Limits
 * are generous for real use and small enough that a hostile document cannot exhaust memory.
 */

export const NOTEBOOK_VERSION = 1;

/**
 * A step's identity inside one notebook; it survives reordering and renaming.
 * @pattern ^[A-Za-z0-9_-]{1,32}$
 * @errorMessage be 1 to 32 letters, digits, '_' or '-'
 */
export type StepId = string;

/**
 * A step's registry name, sklearn's where one exists ('StandardScaler', 'SimpleImputer').
 * @pattern ^[A-Za-z][A-Za-z0-9_]{0,63}$
 * @errorMessage be a step name: a letter, then up to 63 letters, digits or '_'
 */
export type StepName = string;

/**
 * A column name as it appears in the data.
 * @minLength 1
 * @maxLength 256
 */
export type ColumnName = string;

/**
 * Free text shown to people (titles, labels): capped, and without control or bidirectional
 * override characters, which could disguise what the text says.
 * @maxLength 200
 * @pattern ^[^\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$
 * @errorMessage not contain control or text-direction characters
 */
export type DisplayText = string;

/**
 * A string parameter value (a strategy name, a constant, an expression).
 * @maxLength 1000
 */
export type ParamString = string;

/**
 * A hash of the data, computed by src/io/fingerprint.ts; only compared, never interpreted here.
 * @pattern ^[A-Za-z0-9._:+/=-]{1,128}$
 * @errorMessage be 1 to 128 letters, digits or ._:+/=-
 */
export type Fingerprint = string;

/**
 * @asType integer
 * @minimum 0
 * @maximum 4294967295
 */
export type Seed = number;

/**
 * @asType integer
 * @minimum 0
 * @maximum 1000000000000
 */
export type Count = number;

/**
 * A parameter value: JSON scalars and lists of them, never objects, which keeps links small and
 * leaves nothing that could be mistaken for a prototype.
 */
export type ParamValue = ParamString | number | boolean | null | ParamList;

/** @maxItems 1000 */
export type ParamList = ParamValue[];

export interface StepSpec {
  id: StepId;
  step: StepName;
  /**
   * Parameters that differ from the step's defaults, by sklearn's parameter name.
   * @maxProperties 64
   * @propertyNames { "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "errorMessage": "be up to 64 letters, digits or '_', not starting with a digit" }
   */
  params: Record<string, ParamValue>;
  enabled: boolean;
  label?: DisplayText;
  /**
   * Columns the step applies to; absent means the step's default choice.
   * @maxItems 2000
   */
  columns?: ColumnName[];
}

export interface SampleDatasetRef {
  kind: 'sample';
  /**
   * @pattern ^[a-z0-9][a-z0-9_-]{0,63}$
   * @errorMessage be a sample name: lowercase letters, digits, '_' or '-'
   */
  sample: string;
  fingerprint?: Fingerprint;
}

export interface UrlDatasetRef {
  kind: 'url';
  /**
   * Only http(s): the link never carries a script or data URL.
   * @maxLength 2048
   * @pattern ^https?://[^\s]+$
   * @errorMessage be an http:// or https:// address without spaces
   */
  url: string;
  fingerprint?: Fingerprint;
}

export interface FileDatasetRef {
  kind: 'file';
  /** The file name only, so the app can ask the user for the same file. */
  name: DisplayText;
  fingerprint?: Fingerprint;
  rows?: Count;
  columns?: Count;
}

export interface SyntheticDatasetRef {
  kind: 'synthetic';
  /**
   * @asType integer
   * @minimum 1
   * @maximum 20000000
   */
  rows: number;
  seed: Seed;
  fingerprint?: Fingerprint;
}

export type DatasetRef = SampleDatasetRef | UrlDatasetRef | FileDatasetRef | SyntheticDatasetRef;

/** How the rows are split for training: a hold-out or (repeated, stratified, grouped) k-fold. */
export interface TrainSplit {
  kind: 'holdout' | 'kfold' | 'stratified-kfold' | 'group-kfold';
  /**
   * Folds (k-fold kinds).
   * @asType integer
   * @minimum 2
   * @maximum 100
   */
  k?: number;
  /**
   * @asType integer
   * @minimum 1
   * @maximum 100
   */
  repeats?: number;
  /**
   * Test fraction of a hold-out.
   * @minimum 0.01
   * @maximum 0.99
   */
  testSize?: number;
  stratify?: boolean;
  shuffle?: boolean;
  group?: ColumnName;
  timeColumn?: ColumnName;
}

export interface ModelChoice {
  /** The model's registry name (sklearn's). */
  name: StepName;
  /**
   * Parameters that differ from the model's defaults.
   * @maxProperties 64
   * @propertyNames { "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "errorMessage": "be up to 64 letters, digits or '_', not starting with a digit" }
   */
  params: Record<string, ParamValue>;
}

/** The Train tab's experiment, so a link reproduces its numbers. Optional: older notebooks have none. */
export interface TrainSettings {
  task?: 'classification' | 'regression' | 'clustering';
  split: TrainSplit;
  /** @maxItems 50 */
  models: ModelChoice[];
  /** The tuning panel's last search: a model and an sklearn-style grid. */
  tune?: {
    model: StepName;
    /**
     * @maxProperties 16
     * @propertyNames { "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "errorMessage": "be up to 64 letters, digits or '_', not starting with a digit" }
     */
    grid: Record<string, ParamList>;
  };
}

/**
 * How a date column's text is read: strftime directives (%Y %y %m %d %b %h %B %H %I %M %S %f %p,
 * %% for a percent sign) between ASCII separators, or "ISO8601". Whether the directives make a
 * date (a year and a month) the engine checks when it applies the format.
 * @maxLength 64
 * @pattern ^(?:ISO8601|(?:[ -$&-~]|%[dmYybhBHIMSfp%])+)$
 * @errorMessage be "ISO8601" or strftime directives (%Y %y %m %d %b %B %H %I %M %S %f %p) between ASCII separators
 */
export type DateFormat = string;

/** The column types of src/core/types.ts, written out: the format stands on its own (a test checks
 * that both lists agree). */
export type ColumnType = 'integer' | 'float' | 'boolean' | 'date' | 'datetime' | 'categorical' | 'text';

/** A column type the user chose in the Data tab instead of the inferred one. */
export interface ColumnTypeChoice {
  type: ColumnType;
  /** Date and datetime only: the format the column's text is read with. */
  dateFormat?: DateFormat;
}

export interface Notebook {
  version: 1;
  title?: DisplayText;
  seed: Seed;
  dataset: DatasetRef | null;
  target: ColumnName | null;
  /** @maxItems 200 */
  steps: StepSpec[];
  /** The training experiment (Train tab); absent until something was trained. */
  train?: TrainSettings;
  /**
   * Column types (and date formats) the user chose instead of the inferred ones, by column name;
   * applied to the data before the steps run, so a link reproduces them. Absent: all as inferred.
   * @maxProperties 2000
   * @propertyNames { "minLength": 1, "maxLength": 256, "errorMessage": "be column names of 1 to 256 characters" }
   */
  columnTypes?: Record<ColumnName, ColumnTypeChoice>;
}

export function emptyNotebook(): Notebook {
  return { version: NOTEBOOK_VERSION, seed: 0, dataset: null, target: null, steps: [] };
}
