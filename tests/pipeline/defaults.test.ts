/**
 * Column defaults: what a step does with `columns: null` is what the planner selects for it
 * (minus the target), the defaults never fail on mixed columns, scalers leave one-hot outputs
 * alone; the catalog carries each step's picker group and whether it exports to Python; and the
 * "standard preprocessing" recipe.
 */
import { describe, expect, it } from 'vitest';
import { NotebookPlanner } from '../../src/pipeline/plan';
import { STEPS, stepCatalog } from '../../src/pipeline/registry';
import { columnFacts, standardPreprocessing } from '../../src/pipeline/standard';
import { type ParamDef, STEP_CATEGORIES, validateParams } from '../../src/pipeline/step';
import type { StepSpec } from '../../src/spec/notebook';
import { col, context, table } from './helpers';

const N = 24;
const mixed = () =>
  table(
    col(
      'x',
      'float',
      Array.from({ length: N }, (_, i) => (i % 7 === 3 ? null : 0.5 + ((i * 37) % 11) / 3)),
    ),
    col(
      'n',
      'integer',
      Array.from({ length: N }, (_, i) => (i * 13) % 9),
    ),
    col(
      'cat',
      'categorical',
      Array.from({ length: N }, (_, i) => (i % 5 === 2 ? null : ['red', 'green', 'blue'][i % 3]!)),
    ),
    col(
      'txt',
      'text',
      Array.from({ length: N }, (_, i) => `note ${i}`),
    ),
    col(
      'flag',
      'boolean',
      Array.from({ length: N }, (_, i) => i % 2 === 0),
    ),
    col(
      'day',
      'date',
      Array.from({ length: N }, (_, i) => `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`),
    ),
    col(
      'label',
      'categorical',
      Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 'a' : 'b')),
    ),
  );

/** Parameters for steps that need a column or target named. */
const PARAMS: Record<string, Record<string, unknown>> = {
  SelectKBest: { target: 'label', k: 1 },
  TargetEncoder: { target: 'label' },
};

describe('a step with columns null selects what defaultColumns says', () => {
  for (const def of STEPS.values()) {
    if (!Object.hasOwn(def.params, 'columns')) continue;
    const p = (def.params as Record<string, ParamDef>).columns!;
    if (p.type !== 'columns' || p.default !== null) continue;
    it(def.name, async () => {
      const input = mixed();
      const params = validateParams(def, PARAMS[def.name] ?? {});
      const chosen = def.defaultColumns
        ? def.defaultColumns(input, params)
        : input.schema.fields
            .filter((f) => def.accepts.includes(f.metadata.get('benchtop.type') as never))
            .map((f) => f.name);
      let byDefault: unknown;
      let explicit: unknown;
      try {
        byDefault = await def.fit(input, params, context(1));
      } catch (e) {
        byDefault = (e as Error).message;
      }
      try {
        explicit = await def.fit(input, { ...params, columns: chosen }, context(1));
      } catch (e) {
        explicit = (e as Error).message;
      }
      expect(explicit).toEqual(byDefault);
    });
  }
});

describe('default steps on mixed columns with a target', () => {
  const run = async (steps: StepSpec[]) =>
    new NotebookPlanner().run(
      { table: mixed(), dataKey: 'd', steps, seed: 0, target: 'label' },
      { compute: null, signal: new AbortController().signal, progress: () => undefined },
    );
  const step = (id: string, name: string, params: StepSpec['params'] = {}): StepSpec => ({
    id,
    step: name,
    params,
    enabled: true,
  });

  it('SimpleImputer (mean) imputes the numbers and leaves the categories and the target alone', async () => {
    const out = await run([step('imp', 'SimpleImputer')]);
    expect(out.runs[0]!.status).toBe('ok');
    expect(out.states.get('imp')).toMatchObject({ columns: ['x', 'n'] });
    expect(out.table.getChild('cat')!.nullCount).toBeGreaterThan(0);
  });

  it('an encoder that names the target explicitly (added before the target was chosen) leaves it alone', async () => {
    const out = await run([{ ...step('ohe', 'OneHotEncoder'), columns: ['cat', 'label'] }]);
    expect(out.runs[0]!.status).toBe('ok');
    const names = out.table.schema.fields.map((f) => f.name);
    expect(names).toContain('label');
    expect(names).toContain('cat_red');
    expect(names.some((n) => n.startsWith('label_'))).toBe(false);
    // A scaler's explicit choice stands (a log or scale of a regression target may be meant).
    const scaled = await run([{ ...step('log', 'Log1p'), columns: ['n'] }]);
    expect(scaled.states.get('log')).toMatchObject({ columns: ['n'] });
  });

  it('OneHotEncoder encodes the categorical columns but not the target nor integers; scalers skip its outputs', async () => {
    const out = await run([
      step('ohe', 'OneHotEncoder'),
      step('sc', 'StandardScaler'),
      step('mm', 'MinMaxScaler'),
    ]);
    expect(out.runs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    const names = out.table.schema.fields.map((f) => f.name);
    expect(names).toEqual([
      'x',
      'n',
      'cat_blue',
      'cat_green',
      'cat_red',
      'cat_nan',
      'txt',
      'flag',
      'day',
      'label',
    ]);
    expect(out.states.get('sc')).toMatchObject({ columns: ['x', 'n'] });
    const red = out.table.getChild('cat_red')!.toArray() as Float64Array;
    expect(new Set(red)).toEqual(new Set([0, 1]));
    // Chosen explicitly, a one-hot column is scaled like any other.
    const chosen = await run([
      step('ohe', 'OneHotEncoder'),
      { ...step('sc', 'StandardScaler'), columns: ['cat_red'] },
    ]);
    const scaled = chosen.table.getChild('cat_red')!.toArray() as Float64Array;
    expect(Math.abs(scaled.reduce((s, v) => s + v, 0))).toBeLessThan(1e-9);
  });
});

describe('the step catalog', () => {
  it('lists every step with its picker group, in group order, and says it exports to Python', () => {
    const catalog = stepCatalog();
    expect(catalog.map((s) => s.name).sort()).toEqual([...STEPS.keys()].sort());
    const ranks = catalog.map((s) => STEP_CATEGORIES.indexOf(s.category as never));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(catalog.filter((s) => !s.python).map((s) => s.name)).toEqual([]);
    expect(catalog.find((s) => s.name === 'MarkMissing')?.category).toBe('Missing values');
  });
});

describe('standard preprocessing', () => {
  it('imputes and scales numbers, imputes and one-hot encodes categories, leaves out ids, text, dates, constants', () => {
    const facts = columnFacts(mixed());
    const out = standardPreprocessing(
      [
        ...facts,
        { name: 'row', type: 'integer', distinct: N, missing: 0, rowNumber: true },
        { name: 'same', type: 'categorical', distinct: 1, missing: 0 },
      ],
      N,
      'label',
    );
    expect(out.steps).toEqual([
      { step: 'DropColumns', params: {}, columns: ['row', 'same'] },
      { step: 'SimpleImputer', params: { strategy: 'median' }, columns: ['x', 'n'] },
      { step: 'StandardScaler', params: {}, columns: ['x', 'n'] },
      { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: ['cat'] },
      { step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: ['cat'] },
    ]);
    expect(Object.fromEntries(out.left.map((l) => [l.column, l.reason]))).toEqual({
      txt: 'identifier',
      day: 'date',
      label: 'target',
      row: 'identifier',
      same: 'constant',
    });
    // flag (boolean) is a feature as it is: no step needed.
    expect(out.steps.some((s) => s.columns?.includes('flag'))).toBe(false);
  });

  it('fills boolean gaps, encodes repeated text labels, drops integer ids (house_votes_84, gapminder, trump_tweets)', async () => {
    const n = 60;
    const data = table(
      col(
        'vote',
        'boolean',
        Array.from({ length: n }, (_, i) => (i % 9 === 4 ? null : i % 3 === 0)),
      ),
      // A panel's country: text (too many values to be read as categorical) repeated per year.
      col(
        'country',
        'text',
        Array.from({ length: n }, (_, i) => `Country ${i % 25}`),
      ),
      col(
        'note',
        'text',
        Array.from({ length: n }, (_, i) => `a note that differs every row ${i}`),
      ),
      col(
        'id_str',
        'integer',
        Array.from({ length: n }, (_, i) => 1_000_003 * ((i * 7) % n)),
      ),
      col(
        'y',
        'float',
        Array.from({ length: n }, (_, i) => i / 3),
      ),
    );
    const out = standardPreprocessing(columnFacts(data), n, 'y');
    expect(out.steps).toEqual([
      { step: 'DropColumns', params: {}, columns: ['id_str'] },
      { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: ['country', 'vote'] },
      {
        step: 'OneHotEncoder',
        params: { handle_unknown: 'infrequent_if_exist', max_categories: 20 },
        columns: ['country'],
      },
    ]);
    expect(Object.fromEntries(out.left.map((l) => [l.column, l.reason]))).toEqual({
      note: 'identifier',
      id_str: 'identifier',
      y: 'target',
    });
    // A text identifier is dropped, as the quality report says (not measured by TextFeatures).
    expect(out.left.find((l) => l.column === 'note')?.fix).toEqual({
      step: 'DropColumns',
      params: {},
      columns: ['note'],
    });
    // The steps run: the boolean gap is filled with the most frequent value (false) and stays boolean.
    const steps: StepSpec[] = out.steps.map((s, i) => ({ id: `s${i}`, ...s, enabled: true }));
    const planned = await new NotebookPlanner().run(
      { table: data, dataKey: 'd', steps, seed: 1, target: 'y' },
      { compute: null, signal: new AbortController().signal, progress: () => undefined },
    );
    expect(planned.runs.every((r) => r.status !== 'error')).toBe(true);
    const vote = planned.table.getChild('vote')!;
    expect(vote.nullCount).toBe(0);
    expect(vote.get(4)).toBe(false);
    // A boolean filled with a constant or a median would stop being a boolean: refused by name.
    const imputer = STEPS.get('SimpleImputer')!;
    await expect(
      imputer.fit(data, { columns: ['vote'], strategy: 'constant', fill_value: '' }, context(1)),
    ).rejects.toMatchObject({ name: 'SchemaError', message: expect.stringMatching(/most frequent/) });
  });

  it('fills a boolean with gaps with its most frequent value; drops a mostly-missing column', () => {
    const out = standardPreprocessing(
      [
        { name: 'gappy', type: 'boolean', distinct: 2, missing: 3 },
        { name: 'flag', type: 'boolean', distinct: 2, missing: 0 },
        { name: 'sparse', type: 'float', distinct: 4, missing: 60 },
        { name: 'x', type: 'float', distinct: 90, missing: 0 },
      ],
      100,
    );
    expect(out.steps).toEqual([
      { step: 'DropColumns', params: {}, columns: ['sparse'] },
      { step: 'SimpleImputer', params: { strategy: 'median' }, columns: ['x'] },
      { step: 'StandardScaler', params: {}, columns: ['x'] },
      { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: ['gappy'] },
    ]);
    expect(out.left).toEqual([
      expect.objectContaining({
        column: 'sparse',
        reason: 'missing',
        fix: { step: 'MissingIndicator', params: { features: 'all' }, columns: ['sparse'] },
      }),
    ]);
  });
});
