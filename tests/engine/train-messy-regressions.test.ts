/**
 * Shrunk cases of the messy-table properties (tests/corpus/messy-fuzz.test.ts), one per class of
 * failure they found: each failed before its fix with an error that had no one-click fix (or
 * crashed a fold), and now trains, or fails naming the fold, the step and the value with a fix that
 * makes it train.
 */
import { describe, expect, it } from 'vitest';
import type { EngineError } from '../../src/core/errors';
import type { ExperimentResult, NotebookFix, StepFailureDetail, TrainSpec } from '../../src/protocol/api';
import type { StepSpec } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { rejection } from '../support/errors';
import {
  applyFix,
  applyNotebookFix,
  type MessySpec,
  type MessyTable,
  messyTable,
  toStep,
} from '../support/messy-tables';

const engine = createNodeEngine();

const base: Omit<MessySpec, 'columns' | 'target'> = {
  rows: 30,
  format: 'csv',
  spacedNames: false,
  seed: 0,
};
const classes = { task: 'classification', classes: 2, rare: null, labels: 'words', missing: 0 } as const;
const numbers = { task: 'regression', exponent: 0, missing: 0 } as const;
const x = { kind: 'number', exponent: 0, integer: false, missing: 0 } as const;

async function load(spec: MessySpec): Promise<{ t: MessyTable; id: string }> {
  const t = messyTable(spec);
  return { t, id: (await engine.loadBytes(t.bytes, t.fileName)).id };
}

function spec(t: MessyTable, steps: StepSpec[]): TrainSpec {
  return {
    notebook: { version: 1, seed: 7, dataset: null, target: t.target, steps },
    target: t.target,
    task: t.task,
    split: t.task === 'classification' ? { kind: 'stratified-kfold', k: 5 } : { kind: 'kfold', k: 5 },
    models: [{ name: t.task === 'classification' ? 'LogisticRegression' : 'Ridge', params: {} }],
    seed: 14,
  };
}

const defaults = (...names: string[]): StepSpec[] =>
  names.map((step, i) => toStep({ step, params: {} }, `d${i}`));

async function standard(t: MessyTable, id: string): Promise<StepSpec[]> {
  const out = await engine.standardPreprocessing(id, { target: t.target });
  return out.steps.map((s, i) => toStep(s, `s${i}`));
}

function expectFinite(run: ExperimentResult): void {
  const folds = Object.values(run.models[0]!.foldMetrics).flat();
  expect(folds.length).toBeGreaterThan(0);
  for (const v of folds) expect(Number.isFinite(v)).toBe(true);
}

const stepFailure = (e: EngineError) => e.detail as unknown as StepFailureDetail;

describe('messy-table regressions', { timeout: 60_000 }, () => {
  it('standard preprocessing fills the gaps of a boolean (it reached the model with them)', async () => {
    const { t, id } = await load({
      ...base,
      columns: [{ kind: 'boolean', style: 'true/false', missing: 0.1 }, x],
      target: classes,
    });
    const steps = await standard(t, id);
    expect(steps.at(-1)).toMatchObject({
      step: 'SimpleImputer',
      params: { strategy: 'most_frequent' },
      columns: ['c0_boolean'],
    });
    const run = await engine.trainModels(id, spec(t, steps));
    expect(run.features).toEqual(expect.arrayContaining(['c0_boolean']));
    expectFinite(run);
  });

  it('standard preprocessing leaves out a mostly-missing column (a fold could get none of its values)', async () => {
    // Before: the imputer dropped it in a fold whose training rows had none of its 3 values, and
    // the StandardScaler after it, naming the column, failed there with no fix.
    const { t, id } = await load({
      ...base,
      rows: 86,
      columns: [{ kind: 'int-text', junk: 'N/A', missing: 0.97 }, x],
      target: numbers,
      seed: 992015,
    });
    const out = await engine.standardPreprocessing(id, { target: t.target });
    expect(out.left.find((l) => l.column === 'c0_int_text')).toMatchObject({
      reason: 'missing',
      fix: { step: 'MissingIndicator' },
    });
    expect(out.steps[0]).toEqual({ step: 'DropColumns', params: {}, columns: ['c0_int_text'] });
    expectFinite(await engine.trainModels(id, spec(t, await standard(t, id))));
  });

  it('a step naming a column an earlier step dropped in this fold skips it (as a Pipeline does)', async () => {
    // The same mostly-missing column, named by hand: the imputer drops it in the fold whose
    // training rows have none of its values; the scaler after it used to fail there ("cannot find
    // column"); it now scales what the imputer produced, and the fold's model reads that.
    const { t, id } = await load({
      ...base,
      rows: 86,
      columns: [{ kind: 'int-text', junk: 'N/A', missing: 0.97 }, x],
      target: numbers,
      seed: 992015,
    });
    const named = ['c0_int_text', 'c1_number'];
    const steps = [
      toStep({ step: 'SimpleImputer', params: { strategy: 'median' }, columns: named }, 'imp'),
      toStep({ step: 'StandardScaler', params: {}, columns: named }, 'sc'),
    ];
    const run = await engine.trainModels(id, spec(t, steps));
    expectFinite(run);
    expect(run.featurePlan?.partial).toEqual([{ column: 'c0_int_text', folds: 4 }]);
    // Naming only such columns leaves the step nothing: a named error with the fix to remove it.
    const alone = [steps[0]!, toStep({ step: 'StandardScaler', params: {}, columns: ['c0_int_text'] }, 'sc')];
    const e = await rejection(engine.trainModels(id, spec(t, alone)));
    expect(e.message).toMatch(
      /^The notebook step StandardScaler \(step 2\) failed in fold \d of 5: StandardScaler has no column left/,
    );
    expect(stepFailure(e).fixes).toEqual([
      { kind: 'remove-step', label: 'Remove StandardScaler (its columns are gone)', stepId: 'sc' },
    ]);
    expectFinite(await engine.trainModels(id, spec(t, applyFix(alone, stepFailure(e).fixes[0]!, 'f'))));
  });

  it('a missing target offers the filter that keeps the rows with one, first in the notebook', async () => {
    const { t, id } = await load({ ...base, columns: [x], target: { ...classes, missing: 3 } });
    const steps = await standard(t, id);
    const e = await rejection(engine.trainModels(id, spec(t, steps)));
    expect(e.name).toBe('SchemaError');
    expect(e.message).toBe('The target "target" has missing values (3 rows).');
    const fix = e.detail.fix as NotebookFix;
    expect(fix).toEqual({
      step: 'FilterRows',
      params: { expression: '`target` is not missing' },
      label: 'Drop the 3 rows where "target" is missing',
      at: 'start',
    });
    const run = await engine.trainModels(id, spec(t, applyNotebookFix(steps, fix, 'f')));
    expect(run.rows).toBe(27);
    expectFinite(run);
  });

  it('a default step that finds no column to work on offers to remove it', async () => {
    const { t, id } = await load({
      ...base,
      columns: [{ kind: 'boolean', style: 'true/false', missing: 0 }],
      target: classes,
    });
    const steps = defaults('SimpleImputer');
    const e = await rejection(engine.trainModels(id, spec(t, steps)));
    expect(e.message).toBe(
      'The notebook step SimpleImputer (step 1) failed in fold 1 of 5: SimpleImputer found no column to impute: it works on integer, float columns.',
    );
    const detail = stepFailure(e);
    expect(detail.fixes).toEqual([
      { kind: 'remove-step', label: 'Remove SimpleImputer (no column to impute)', stepId: 'd0' },
    ]);
    expectFinite(await engine.trainModels(id, spec(t, applyFix(steps, detail.fixes[0]!, 'f'))));
  });

  it('gaps a feature still has after the notebook name the fold and offer an imputer at the end', async () => {
    // OrdinalEncoder codes a missing category as NaN (as sklearn); the model used to fail on it
    // with "Feature … has 3 missing values", naming no fold and offering nothing.
    const { t, id } = await load({
      ...base,
      columns: [{ kind: 'category', levels: 3, skew: 0, missing: 0.1, placeholder: null }, x],
      target: numbers,
      seed: 2,
    });
    const steps = defaults('SimpleImputer', 'OrdinalEncoder', 'StandardScaler');
    const e = await rejection(engine.trainModels(id, spec(t, steps)));
    expect(e.message).toMatch(
      /^Feature "c0_category" has 3 missing values in fold \d of 5 after the notebook: models need a value in every row\.$/,
    );
    const fix = e.detail.fix as NotebookFix;
    expect(fix).toMatchObject({ step: 'SimpleImputer', params: { strategy: 'median' }, at: 'end' });
    expect(fix.columns).toBeUndefined();
    expectFinite(await engine.trainModels(id, spec(t, applyNotebookFix(steps, fix, 'f'))));
  });

  it('a column with no value in a fold\u2019s training rows: the scaler offers to drop it', async () => {
    const { t, id } = await load({
      ...base,
      rows: 66,
      // As shrunk: the dates, text and constant columns decide where the category's 2 values fall.
      columns: [
        { kind: 'date', style: 'iso', missing: 0 },
        { kind: 'text', id: false, missing: 0 },
        { kind: 'category', levels: 1, skew: 0, missing: 0.97, placeholder: null },
        { kind: 'constant', value: '1', missing: 0 },
      ],
      target: numbers,
      seed: 586889,
    });
    const steps = defaults('OrdinalEncoder', 'StandardScaler', 'SimpleImputer');
    // Its 2 values are in one fold's test rows: unknown there, coded -1 (that fold fits on none).
    steps[0]!.params = { handle_unknown: 'use_encoded_value', unknown_value: -1 };
    const e = await rejection(engine.trainModels(id, spec(t, steps)));
    const detail = stepFailure(e);
    expect(e.message).toContain(
      'StandardScaler cannot fit column "c2_category": it has no values in the training rows.',
    );
    expect(detail).toMatchObject({ step: 'StandardScaler', stepId: 'd1', columnName: 'c2_category' });
    expect(detail.fixes).toEqual([
      {
        kind: 'insert-step',
        label: 'Drop "c2_category" (no values to learn from in some folds)',
        beforeStepId: 'd1',
        step: { step: 'DropColumns', params: {}, columns: ['c2_category'] },
      },
    ]);
    const run = await engine.trainModels(id, spec(t, applyFix(steps, detail.fixes[0]!, 'f')));
    expect(run.features).not.toContain('c2_category');
    expectFinite(run);
  });

  it('a class too rare for stratified 5-fold is named, with what to do', async () => {
    const { t, id } = await load({ ...base, columns: [x], target: { ...classes, classes: 3, rare: 2 } });
    const e = await rejection(engine.trainModels(id, spec(t, await standard(t, id))));
    expect(e.name).toBe('InvalidArgument');
    expect(e.message).toBe(
      'Stratified 5-fold needs every class of "target" in each fold, but this class has fewer than 5 rows: "class charlie" (2 rows).',
    );
    expect(e.detail.hint).toBe(
      'Use at most 2 folds, drop the rows of the rare class (the Quality tab offers it), or merge it into another class.',
    );
    // The one-click fix drops the rare class's rows first in the notebook, and then 5 folds train.
    const fix = e.detail.fix as { step: string; params: { expression: string }; at: string; label: string };
    expect(fix).toMatchObject({
      step: 'FilterRows',
      at: 'start',
      label: 'Drop the 2 rows of the rare class of "target"',
    });
    expect(fix.params.expression).toBe('`target` != "class charlie"');
    const steps = [toStep({ step: fix.step, params: fix.params }, 'rare'), ...(await standard(t, id))];
    expectFinite(await engine.trainModels(id, spec(t, steps)));
  });

  it('the rare-class fix of an integer target compares numbers (fuzz: "cannot compare a number with text")', async () => {
    const { t, id } = await load({
      ...base,
      rows: 30,
      columns: [x],
      target: { ...classes, classes: 3, rare: 1, labels: 'integers' },
    });
    const e = await rejection(engine.trainModels(id, spec(t, await standard(t, id))));
    const fix = e.detail.fix as { step: string; params: { expression: string } };
    expect(fix.params.expression).toMatch(/^`target` != -?\d+$/);
    const steps = [toStep({ step: fix.step, params: fix.params }, 'rare'), ...(await standard(t, id))];
    expectFinite(await engine.trainModels(id, spec(t, steps)));
  });
});
