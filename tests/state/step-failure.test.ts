/**
 * A fold failure as the engine really sends it (analysis/experiment/step-errors) reaches the step
 * card with every fix it proposes. The UI read inserts only under `insert`, the engine sends
 * `{ kind: 'insert-step', step }`: on penguins' Comments column the error said "Ignore unknown
 * categories, or Treat "…" as missing (on the step's card)" and the card had only the first button.
 */
import { describe, expect, it } from 'vitest';
import { stepFailure } from '../../src/analysis/experiment/step-errors';
import { EngineError, serializeError } from '../../src/core/errors';
import { runStepFailureOf, stepFailureOf } from '../../src/state/step-failure';

describe('step failure fixes from the engine', () => {
  it('keeps both the set-params fix and the insert-step fix', () => {
    const error = stepFailure(
      {
        id: 's1',
        step: 'OneHotEncoder',
        error: {
          name: 'InvalidArgument',
          message: 'OneHotEncoder found an unknown category "." in column "Sex".',
          detail: {
            value: '.',
            columnName: 'Sex',
            fixes: [
              {
                kind: 'set-params',
                label: 'Ignore unknown categories',
                params: { handle_unknown: 'ignore' },
              },
              {
                kind: 'insert-step',
                label: 'Treat "." as missing',
                step: { step: 'MarkMissing', params: { values: ['.'] }, columns: ['Sex'] },
              },
            ],
          },
        },
      },
      [{ id: 's1', step: 'OneHotEncoder', params: {}, enabled: true }],
      2,
      5,
    );
    const wire = serializeError(error);
    const failure = stepFailureOf({ message: wire.message, detail: wire.detail })!;
    expect(failure.fold).toBe(2);
    expect(failure.fixes.map((f) => f.label)).toEqual(['Ignore unknown categories', 'Treat "." as missing']);
    expect(failure.fixes[1]!.insert).toEqual({
      step: 'MarkMissing',
      params: { values: ['.'] },
      columns: ['Sex'],
    });
  });

  it("reads the same fixes from a step's error in the notebook's own run (no step in its detail)", () => {
    // As pipeline/plan stores it on the StepRun: the step's own error, not bound to a step.
    const wire = serializeError(
      new EngineError('SchemaError', 'SimpleImputer has no column left: an earlier step dropped "Age".', {
        columnName: 'Age',
        fixes: [
          { kind: 'remove-step', label: 'Remove SimpleImputer (its columns are gone)' },
          { kind: 'set-params', label: 'Use the median', params: { strategy: 'median' } },
        ],
      }),
    );
    expect(stepFailureOf(wire)).toBeNull();
    const failure = runStepFailureOf('s3', 'SimpleImputer', wire)!;
    expect(failure).toMatchObject({ stepId: 's3', step: 'SimpleImputer', fold: null, value: null });
    expect(failure.fixes).toEqual([
      { label: 'Remove SimpleImputer (its columns are gone)', remove: true },
      { label: 'Use the median', params: { strategy: 'median' } },
    ]);
  });
});
