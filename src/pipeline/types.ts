import type { SerializedError } from '../core/errors';
import type { ColumnType } from '../core/types';
import type { DatasetInfo } from '../io/types';

/** The step catalogue as the UI sees it, and what a notebook run reports per step. */

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
