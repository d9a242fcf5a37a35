/** The rows an error analysis looks at: a run's out-of-fold predictions lined up with the rows of
 * the dataset (after the notebook's leading filters), with each row's error. */
import type { Table } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import { sourceRows } from '../../core/frame';
import type { ExperimentContext } from '../experiment/experiment';
import { rowsBeforeSplit } from '../experiment/rows';
import type { ErrorAnalysisSpec } from './types';

export type ErrorContext = Pick<ExperimentContext, 'table' | 'dataKey' | 'compute' | 'signal' | 'progress'>;

/** The analysed rows: where they are in the filtered table and the dataset, and their errors. */
export interface Analysed {
  base: Table;
  /** Per analysed row: its row in `base` and in the dataset as loaded. */
  baseRows: Int32Array;
  datasetRows: Uint32Array;
  /** 0/1 misclassified, or |truth − predicted|. */
  error: Float64Array;
  task: 'classification' | 'regression';
}

/** Re-runs the leading filters and lines the run's out-of-fold rows up with the dataset's rows. */
export async function analysedRows(ctx: ErrorContext, spec: ErrorAnalysisSpec): Promise<Analysed> {
  const task = spec.task;
  if (task !== 'classification' && task !== 'regression') {
    throw new EngineError(
      'InvalidArgument',
      'Error analysis needs a run with a target (classification or regression).',
    );
  }
  const { rows, truth, predicted } = spec.oof;
  if (truth.length !== rows.length || predicted.length !== rows.length) {
    throw new EngineError('InvalidArgument', 'The out-of-fold predictions are incomplete (lengths differ).');
  }
  if (rows.length === 0) throw new EngineError('InvalidArgument', 'This run has no out-of-fold predictions.');
  if (!ctx.table.schema.fields.some((f) => f.name === spec.target)) {
    throw new EngineError('SchemaError', `Target column "${spec.target}" does not exist in this dataset.`);
  }
  const { base } = await rowsBeforeSplit(ctx, spec.notebook, spec.target);
  if (base.numRows !== spec.rows) {
    throw new EngineError(
      'InvalidArgument',
      `This run saw ${spec.rows} rows, but the notebook's filters now keep ${base.numRows}.`,
      { hint: 'Train the run again with the current notebook to analyse its errors.' },
    );
  }
  const origin = sourceRows(base);
  if (!origin && base !== ctx.table && base.numRows !== ctx.table.numRows) {
    throw new EngineError('InternalError', 'Could not trace the filtered rows back to the dataset.');
  }
  const n = rows.length;
  const baseRows = new Int32Array(n);
  const datasetRows = new Uint32Array(n);
  const error = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (!(Number.isInteger(r) && r >= 0 && r < base.numRows)) {
      throw new EngineError('InvalidArgument', `Out-of-fold row ${r} is outside the ${base.numRows} rows.`);
    }
    baseRows[i] = r;
    datasetRows[i] = origin ? origin[r]! : r;
    error[i] =
      task === 'classification' ? (truth[i] === predicted[i] ? 0 : 1) : Math.abs(truth[i]! - predicted[i]!);
  }
  return { base, baseRows, datasetRows, error, task };
}
