/** Types of scoring new data with a deployed model, apart from the code so the engine protocol can name them. */
import type { ColumnType } from '../../core/types';
import type { MissingPolicy } from '../../runtime/format';
import type { CellValue } from '../deploy/types';

/** How far a column of the new data is from the training rows, and what in it the model could not take as is. */
export interface ColumnDrift {
  column: string;
  /** The type the model expects (the data contract's). */
  type: ColumnType;
  /** Values absent in the new data (empty, null, NaN). */
  missing: number;
  /** 'imputed'/'allowed': a missing value is filled or handled; 'rejected': its row is not scored. */
  missingPolicy: MissingPolicy;
  /** Values that cannot be read as `type` (the model treats them as missing). */
  wrongType: number;
  /** Numbers outside the [min, max] of the training rows (still scored). */
  outOfRange: number;
  /** Categories the training rows never had (still scored). */
  unseenCategory: number;
  /**
   * Population stability index of the column's values against the training distribution in the
   * artifact (decile bins, or categories); null when the artifact has none or no value is readable.
   */
  psi: number | null;
  /** PSI by the usual reading: < 0.1 stable, 0.1–0.25 moderate shift, ≥ 0.25 shifted. */
  shift: 'stable' | 'moderate' | 'shifted' | null;
  /** A few of the offending values (wrong type, out of range, unseen), as text. */
  examples: string[];
}

export interface ScoredRow {
  /** Row index in the dataset. */
  row: number;
  /** The model's input columns as they are in the data. */
  values: Record<string, CellValue>;
  prediction: string | number | null;
  /** In the order of ScoreReport.classes (classifiers with probabilities). */
  probabilities: number[] | null;
}

export interface ScoreReport {
  modelId: string;
  datasetId: string;
  rows: number;
  /** Rows with a prediction; the others lack a value the model cannot fill. */
  scored: number;
  /** One entry per input column of the model, in the contract's order. */
  columns: ColumnDrift[];
  /** Columns of the data the model does not read. */
  ignoredColumns: string[];
  task: 'classification' | 'regression' | 'clustering';
  classes: string[] | null;
  /** Classification: how many rows got each class (in the order of `classes`). */
  classCounts: number[] | null;
  /** The first rows with their predictions. */
  preview: ScoredRow[];
  ms: number;
}
