import type { ModelSpec, SplitSpec, TrainTask } from '../analysis/experiment/types';
import type { Notebook } from '../spec/notebook';

/** What an export is built from: the notebook, the target and features, and one model. */

export interface ExportSpec {
  notebook: Notebook;
  target: string | null;
  task?: TrainTask;
  /** Model input columns after the notebook; default every numeric/boolean column but the target
   * and the split's group/time column. */
  features?: string[] | null;
  /** The run's split: its group/time column is never a feature (PythonExportSpec requires it). */
  split?: SplitSpec;
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

export interface DaskExportSpec extends Omit<ExportSpec, 'notebookLink' | 'metrics' | 'model'> {
  /** Every model the script trains and scores on the same folds. */
  models: ModelSpec[];
  split: SplitSpec;
  seed: number;
  /** The file (or glob) the script reads by default, e.g. the sample's CSV. */
  dataFile: string;
}

/**
 * Something the Python export cannot reproduce exactly, said before download: 'unsupported' (a
 * step without a pandas/sklearn translation, a model without an sklearn class: the script stops
 * there), 'approximate' (random draws from numpy's generator: numbers agree statistically), or
 * 'requires' (a package the script needs, e.g. pyarrow for Parquet).
 */
export interface PythonExportIssue {
  severity: 'unsupported' | 'approximate' | 'requires';
  kind: 'step' | 'model' | 'data';
  name: string;
  /** The notebook step, for kind 'step'. */
  stepId?: string;
  message: string;
}
