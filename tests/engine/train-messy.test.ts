/**
 * Training on messy data (issue 14): a categorical column with one stray placeholder ".", stratified
 * 5-fold CV. The fold whose test rows hold the "." fails with a structured error that names the
 * fold, the step and the value and offers the fixes; each fix then trains, the models reading the
 * columns their own fold's notebook produced. Default steps on mixed columns never fail, and
 * filters work wherever they are in the notebook.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentResult, StepFailureDetail, TrainSpec } from '../../src/protocol/api';
import type { Notebook, StepSpec } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { rejection } from '../support/errors';
import { messyCsv } from './train-messy-data';

const enc = new TextEncoder();

const step = (id: string, name: string, params: StepSpec['params'] = {}, columns?: string[]): StepSpec => ({
  id,
  step: name,
  params,
  enabled: true,
  ...(columns ? { columns } : {}),
});

function notebook(steps: StepSpec[]): Notebook {
  return { version: 1, seed: 0, dataset: null, target: 'survived', steps };
}

function spec(steps: StepSpec[], extra: Partial<TrainSpec> = {}): TrainSpec {
  return {
    notebook: notebook(steps),
    target: 'survived',
    split: { kind: 'stratified-kfold', k: 5 },
    models: [{ name: 'LogisticRegression', params: {} }],
    seed: 3,
    ...extra,
  };
}

/** Imputes numbers (the default: numeric columns, mean) and one-hot encodes the categories. */
const DEFAULTS = [step('imp', 'SimpleImputer'), step('ohe', 'OneHotEncoder'), step('sc', 'StandardScaler')];

describe('training on messy data', { timeout: 120_000 }, () => {
  it('names the fold, the step and the value of an unknown category, with one-click fixes', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadBytes(enc.encode(messyCsv()), 'passengers.csv');
    expect(ds.columns.find((c) => c.name === 'Sex')?.type).toBe('categorical');
    const e = await rejection(engine.trainModels(ds.id, spec(DEFAULTS)));
    const detail = e.detail as unknown as StepFailureDetail;
    expect(e.message).toMatch(
      /^The notebook step OneHotEncoder \(step 2\) failed in fold \d of 5: OneHotEncoder found an unknown category "\." in column "Sex"\.$/,
    );
    expect(detail).toMatchObject({ kind: 'step-failed', folds: 5, stepId: 'ohe', step: 'OneHotEncoder' });
    expect(detail.value).toBe('.');
    expect(detail.columnName).toBe('Sex');
    expect(detail.fold).toBeGreaterThanOrEqual(0);
    expect(detail.fold).toBeLessThan(5);
    expect(e.message).toContain(`fold ${detail.fold! + 1} of 5`);
    expect(detail.fixes).toEqual([
      {
        kind: 'set-params',
        label: 'Ignore unknown categories',
        stepId: 'ohe',
        params: { handle_unknown: 'ignore' },
      },
      {
        kind: 'insert-step',
        label: 'Treat "." as missing',
        beforeStepId: 'ohe',
        step: { step: 'MarkMissing', params: { values: '.' }, columns: ['Sex'] },
      },
    ]);

    // Fix 1: ignore unknown categories. Each fold's model reads its own fold's one-hot columns:
    // "Sex_." exists in the four folds whose training rows hold the ".", not in the fifth.
    const ignoring = DEFAULTS.map((s) =>
      s.id === 'ohe' ? { ...s, params: { handle_unknown: 'ignore' } } : s,
    );
    const run = await engine.trainModels(ds.id, spec(ignoring));
    expect(run.models[0]!.metrics.accuracy!.n).toBe(5);
    expect(run.features).toContain('Sex_.');
    expect(run.featurePlan?.partial).toEqual([{ column: 'Sex_.', folds: 4 }]);
    expect(run.featurePlan?.features).not.toContain('survived');

    // infrequent_if_exist without infrequent categories encodes the unknown as all zeros, as sklearn.
    const infrequent = DEFAULTS.map((s) =>
      s.id === 'ohe' ? { ...s, params: { handle_unknown: 'infrequent_if_exist' } } : s,
    );
    const other = await engine.trainModels(ds.id, spec(infrequent));
    expect(other.models[0]!.foldMetrics.accuracy).toEqual(run.models[0]!.foldMetrics.accuracy);

    // Fix 2: treat "." as missing before the encoder. No fold has a "Sex_." column any more.
    const fix = detail.fixes[1]!;
    if (fix.kind !== 'insert-step') throw new Error('expected an insert-step fix');
    const marked = [
      DEFAULTS[0]!,
      step('mm', fix.step.step, fix.step.params, fix.step.columns),
      ...DEFAULTS.slice(1),
    ];
    const cleaned = await engine.trainModels(ds.id, spec(marked));
    expect(cleaned.features).not.toContain('Sex_.');
    expect(cleaned.features).toContain('Sex_nan');
    expect(cleaned.featurePlan?.partial).toBeUndefined();
  });

  it('default steps never fail on mixed columns; one-hot columns are not rescaled', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadBytes(enc.encode(messyCsv()), 'passengers.csv');
    const nb = notebook([
      step('mm', 'MarkMissing'),
      step('imp', 'SimpleImputer'),
      step('ohe', 'OneHotEncoder'),
      step('sc', 'StandardScaler'),
    ]);
    const out = await engine.runNotebook(ds.id, nb);
    expect(out.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const columns = out.output.columns.map((c) => c.name);
    // The target is left alone; the categorical columns are encoded, the numbers imputed.
    expect(columns).toContain('survived');
    expect(columns).toEqual(expect.arrayContaining(['Sex_female', 'Sex_male', 'Sex_nan', 'Embarked_C']));
    expect(out.output.columns.find((c) => c.name === 'age')?.missing).toBe(0);
    const { tableFromIPC } = await import('apache-arrow');
    const table = tableFromIPC(await engine.rows(out.output.id, 0, 120));
    const values = (name: string) => [...new Set(table.getChild(name)!.toArray() as Float64Array)].sort();
    expect(values('Sex_male')).toEqual([0, 1]);
    expect(values('Embarked_Q')).toEqual([0, 1]);
    const fare = table.getChild('fare')!.toArray() as Float64Array;
    expect(Math.abs(fare.reduce((s, v) => s + v, 0) / fare.length)).toBeLessThan(1e-9);
    const trained = await engine.trainModels(ds.id, { ...spec(nb.steps), notebook: nb });
    expect(trained.models[0]!.metrics.accuracy!.mean).toBeGreaterThan(0.5);
  });

  it('lists what the model reads and what it leaves out, with the fix', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadBytes(enc.encode(messyCsv()), 'passengers.csv');
    const run: ExperimentResult = await engine.trainModels(ds.id, spec([step('imp', 'SimpleImputer')]));
    expect(run.features).toEqual(['age', 'fare']);
    const dropped = Object.fromEntries((run.featurePlan?.dropped ?? []).map((d) => [d.column, d]));
    expect(dropped.Sex).toMatchObject({
      reason: 'categorical',
      fix: { step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: ['Sex'] },
    });
    expect(dropped.survived?.reason).toBe('target');
    expect(run.requestedFeatures).toBeNull();
    // An explicit choice may name a column the notebook one-hot encodes: it stands for the
    // outputs of each fold's encoder ("Sex_." only where that fold's training rows had a ".").
    const chosen = await engine.trainModels(
      ds.id,
      spec([step('imp', 'SimpleImputer'), step('ohe', 'OneHotEncoder', { handle_unknown: 'ignore' })], {
        features: ['age', 'Sex'],
      }),
    );
    expect(chosen.features).toEqual(['age', 'Sex_.', 'Sex_female', 'Sex_male', 'Sex_nan']);
    expect(chosen.featurePlan?.partial).toEqual([{ column: 'Sex_.', folds: 4 }]);
    expect(chosen.requestedFeatures).toEqual(['age', 'Sex']);
    expect(chosen.featurePlan?.dropped.find((d) => d.column === 'fare')?.reason).toBe('not-chosen');
  });

  it('runs a filter placed after a transform before the split, and says so', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadBytes(enc.encode(messyCsv()), 'passengers.csv');
    const filtered = [
      step('imp', 'SimpleImputer'),
      step('f', 'FilterRows', { expression: 'Sex != "."' }),
      step('ohe', 'OneHotEncoder'),
    ];
    const run = await engine.trainModels(ds.id, spec(filtered));
    // pandas keeps the missing Sex rows (NaN != "." is True): only the "." row goes.
    expect(run.rows).toBe(119);
    expect(run.notes?.[0]).toMatch(
      /^FilterRows comes after SimpleImputer: its rows were chosen once before the split \(119 of 120 kept\)/,
    );
    expect(run.features).not.toContain('Sex_.');
    // The same rows as with the filter on top.
    const onTop = await engine.trainModels(ds.id, spec([filtered[1]!, filtered[0]!, filtered[2]!]));
    expect(onTop.rows).toBe(119);
    expect(onTop.notes).toBeUndefined();
    expect(onTop.models[0]!.foldMetrics).toEqual(run.models[0]!.foldMetrics);
  });

  it('standard preprocessing: one click, then training works and the plan says what is left out', async () => {
    const engine = createNodeEngine();
    // The passengers plus a row number, a name (an identifier) and a many-valued category.
    const lines = messyCsv().split('\n');
    const csv = lines
      .map((line, i) =>
        i === 0 ? `id,name,cabin,${line}` : `${i},Passenger ${i * 7919},C${(i * 13) % 31},${line}`,
      )
      .join('\n');
    // 31 cabins over 120 rows would read as text; as categories they are "many" (over 20).
    const ds = await engine.loadBytes(enc.encode(csv), 'passengers.csv', {
      columnTypes: { cabin: 'categorical' },
    });
    const standard = await engine.standardPreprocessing(ds.id, { target: 'survived' });
    expect(standard.steps).toEqual([
      { step: 'DropColumns', params: {}, columns: ['id'] },
      { step: 'SimpleImputer', params: { strategy: 'median' }, columns: ['age', 'fare'] },
      { step: 'StandardScaler', params: {}, columns: ['age', 'fare'] },
      { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: ['Sex', 'Embarked', 'cabin'] },
      { step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: ['Sex', 'Embarked'] },
      {
        step: 'OneHotEncoder',
        params: { handle_unknown: 'infrequent_if_exist', max_categories: 20 },
        columns: ['cabin'],
      },
    ]);
    expect(standard.left.map((l) => [l.column, l.reason])).toEqual([
      ['id', 'identifier'],
      ['name', 'identifier'],
      ['survived', 'target'],
    ]);
    const steps = standard.steps.map((s, i) => step(`std${i}`, s.step, s.params, s.columns));
    const plan = await engine.featurePlan(ds.id, { notebook: notebook(steps), target: 'survived' });
    expect(plan.features).toEqual(
      expect.arrayContaining(['age', 'fare', 'Sex_male', 'cabin_infrequent_sklearn']),
    );
    // "name" differs in every row: both lists offer to drop it (as Quality does), not TextFeatures.
    const drop = { step: 'DropColumns', params: {}, columns: ['name'] };
    expect(standard.left.find((l) => l.column === 'name')?.fix).toEqual(drop);
    expect(plan.dropped.find((d) => d.column === 'name')).toMatchObject({ reason: 'text', fix: drop });
    expect(plan.missing).toEqual([]);
    const run = await engine.trainModels(ds.id, spec(steps));
    expect(run.models[0]!.metrics.accuracy!.n).toBe(5);
    expect(run.features).not.toContain('id');
  });

  it('a target class rarer than the folds is named, and the Quality fix makes stratified CV run (trump_tweets)', async () => {
    const engine = createNodeEngine();
    const rows = Array.from({ length: 60 }, (_v, i) => {
      const source = i === 7 ? 'Periscope' : i % 9 === 2 ? 'Twitlonger' : i % 2 ? 'Android' : 'iPhone';
      return `${(i * 37) % 101},${source}`;
    });
    const ds = await engine.loadBytes(enc.encode(`retweets,source\n${rows.join('\n')}\n`), 'tweets.csv');
    const run = (steps: StepSpec[]) =>
      engine.trainModels(ds.id, {
        ...spec(steps),
        notebook: { ...notebook(steps), target: 'source' },
        target: 'source',
      });
    const e = await rejection(run([]));
    expect(e.name).toBe('InvalidArgument');
    expect(e.message).toContain('fewer than 5 rows: "Periscope" (1 row)');
    expect(e.message).not.toContain('Twitlonger'); // 7 rows: enough for 5 folds
    const warnings = await engine.qualityReport(ds.id, { target: 'source' });
    const fix = warnings.find((w) => w.kind === 'class-imbalance')?.fix;
    expect(fix?.step).toEqual({ step: 'FilterRows', params: { expression: '`source` != "Periscope"' } });
    const fixed = await run([step('rare', fix!.step.step, fix!.step.params)]);
    expect(fixed.models[0]!.metrics.accuracy!.n).toBe(5);
  });
});
