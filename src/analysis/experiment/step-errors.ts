/**
 * A notebook step that fails during training becomes one EngineError that names the fold, the
 * step (its id, so the UI marks its card), the offending value and the one-click fixes the step
 * proposed (StepFailureDetail).
 */
import { EngineError, type SerializedError } from '../../core/errors';
import type { StepFailureDetail, StepFix, StepFixProposal, StepRun } from '../../pipeline/types';
import type { StepSpec } from '../../spec/notebook';

function bind(proposals: unknown, stepId: string): StepFix[] {
  if (!Array.isArray(proposals)) return [];
  return (proposals as StepFixProposal[]).map((p) =>
    p.kind === 'insert-step' ? { ...p, beforeStepId: stepId } : { ...p, stepId },
  );
}

/** The step's error with the run's context: fold (0-based, null before the split) and fixes. */
export function stepFailure(
  failed: { id: string; step: string; error: SerializedError },
  steps: readonly StepSpec[],
  fold: number | null,
  folds: number,
): EngineError {
  const { detail } = failed.error;
  const fixes = bind(detail.fixes, failed.id);
  const position = steps.findIndex((s) => s.id === failed.id);
  const where = fold === null ? '' : ` in fold ${fold + 1} of ${folds}`;
  const value = typeof detail.value === 'string' || detail.value === null ? detail.value : undefined;
  const columnName = typeof detail.columnName === 'string' ? detail.columnName : undefined;
  const out: StepFailureDetail = {
    kind: 'step-failed',
    fold,
    folds,
    stepId: failed.id,
    step: failed.step,
    ...(columnName !== undefined ? { columnName } : {}),
    ...(value !== undefined ? { value } : {}),
    fixes,
    hint:
      fixes.length > 0
        ? `${fixes.map((f) => f.label).join(', or ')} (on the step's card), then train again.`
        : 'Fix the step in the notebook (its card shows the error), then train again.',
  };
  return new EngineError(
    'InvalidArgument',
    `The notebook step ${failed.step}${position >= 0 ? ` (step ${position + 1})` : ''} failed${where}: ${failed.error.message}`,
    out as unknown as Record<string, unknown>,
  );
}

export function failOnStepError(
  runs: readonly StepRun[],
  steps: readonly StepSpec[],
  fold: number | null,
  folds: number,
): void {
  const failed = runs.find((r) => r.status === 'error');
  if (!failed?.error) return;
  throw stepFailure({ id: failed.id, step: failed.step, error: failed.error }, steps, fold, folds);
}
