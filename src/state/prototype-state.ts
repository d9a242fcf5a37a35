/** The Prototype store's state and the small types its parts share (prototype.ts puts them together). */
import type {
  CellValue,
  CounterfactualResult,
  Drift,
  EngineApi,
  PartialDependenceResult,
} from '../protocol/api';
import type { Failure } from './failure';

/** The prediction of one row: class or value, class probabilities, and its drift flags. */
export interface RowPrediction {
  prediction: string | number | null;
  probabilities: number[] | null;
  drift: Drift[];
}

interface JobSlot {
  jobId: string | null;
  error: Failure | null;
}

export interface PrototypeState {
  modelId: string | null;
  /** The row the form started from: the model's typical row, or a dataset row ("row 12", 1-based). */
  base: { label: string; row: Record<string, CellValue>; index: number | null; actual: CellValue | null };
  /** The form's values as they are sent: numbers, categories, booleans, null (missing), or the
   * text of a number box that does not parse (the runtime then reports it as the wrong type). */
  values: Record<string, CellValue>;
  original: RowPrediction | null;
  current: RowPrediction | null;
  classes: string[] | null;
  predicting: boolean;
  predictError: Failure | null;
  rowError: string | null;
  pdp: JobSlot & { feature: string | null; result: PartialDependenceResult | null };
  cf: JobSlot & { result: CounterfactualResult | null };
}

export const emptyJob = { jobId: null, error: null };

/** A plain copy of a row (store proxies do not cross to the worker). */
export const plain = (row: Record<string, CellValue>) => ({ ...row });

export type PredictRowsResult = Awaited<ReturnType<EngineApi['predictRows']>>;
