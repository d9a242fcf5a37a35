import type { SerializedError } from '../core/errors';
import type { ColumnType } from '../core/types';
import type { DatasetInfo } from '../io/types';
import type { ParamValue } from '../spec/notebook';
import type { ParamSchema } from '../spec/params';

/** The step catalogue as the UI sees it, and what a notebook run reports per step. */

/** A step's parameter, as the form generator and the link validator see it (spec's schema). */
export type StepParamInfo = ParamSchema;

export interface StepInfo {
  name: string;
  kind: 'transform' | 'filter';
  description: string;
  /** The step picker's group ('Scaling', 'Encoding', …); the catalog lists steps group by group. */
  category?: string;
  params: Record<string, StepParamInfo>;
  accepts: readonly ColumnType[];
  missing: 'handles' | 'rejects' | 'passes-through';
  /** Whether the Python export can write this step as pandas / scikit-learn code. */
  python?: boolean;
}

/** A step to add to a notebook (the same shape as a quality fix's step). */
export interface StepSuggestion {
  step: string;
  params: Record<string, ParamValue>;
  columns?: string[];
}

/**
 * A one-click fix for a training error no single step caused (EngineError detail.fix): a step to
 * add at the start of the notebook (keep the rows with a target) or at its end (fill the gaps
 * a feature still has).
 */
export interface NotebookFix extends StepSuggestion {
  label: string;
  at: 'start' | 'end';
}

/**
 * A one-click fix for a failing step, as the failing step proposes it (in EngineError
 * detail.fixes): change some of its parameters, insert a step before it, or remove it (a step
 * whose default column choice finds nothing to work on).
 */
export type StepFix =
  | { kind: 'set-params'; label: string; stepId: string; params: Record<string, ParamValue> }
  | { kind: 'insert-step'; label: string; beforeStepId: string; step: StepSuggestion }
  | { kind: 'remove-step'; label: string; stepId: string };

/** A fix as a step declares it, before the engine knows which notebook step failed. */
export type StepFixProposal =
  | { kind: 'set-params'; label: string; params: Record<string, ParamValue> }
  | { kind: 'insert-step'; label: string; step: StepSuggestion }
  | { kind: 'remove-step'; label: string };

/**
 * EngineError.detail of a step that failed while training (kind 'step-failed'): which fold (0-based,
 * as in a run's oof.fold; null when it failed before the split), which step, the offending value
 * when there is one, and the fixes to offer on the step's card.
 */
export interface StepFailureDetail {
  kind: 'step-failed';
  fold: number | null;
  folds: number;
  stepId: string;
  step: string;
  columnName?: string;
  value?: string | null;
  fixes: StepFix[];
  hint: string;
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

/** What standardPreprocessing proposes: the steps to add and the columns it leaves out. */
export interface LeftOutColumn {
  column: string;
  reason: 'target' | 'identifier' | 'text' | 'date' | 'constant' | 'missing';
  /** One sentence, with what would use the column when something would. */
  message: string;
  fix?: StepSuggestion;
}

export interface StandardPreprocessing {
  /** In notebook order; add them at the end of the notebook. */
  steps: StepSuggestion[];
  left: LeftOutColumn[];
}
