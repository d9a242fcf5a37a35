/** Behaviour of individual steps that the shared suites do not pin down: the bad-input messages above all. */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { readLabels, readNumeric } from '../../src/core/frame';
import { getStep } from '../../src/pipeline/registry';
import { validateParams } from '../../src/pipeline/step';
import { MAX_ONE_HOT_CATEGORIES } from '../../src/pipeline/steps/OneHotEncoder';
import { col, context, fitTransform, table } from './helpers';

const step = (name: string) => getStep(name)!;

async function rejection(run: () => Promise<unknown>): Promise<EngineError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('validateParams', () => {
  it('fills sklearn defaults', () => {
    expect(validateParams(step('MinMaxScaler'), {})).toEqual({
      columns: null,
      feature_range: [0, 1],
      clip: false,
    });
    expect(validateParams(step('OneHotEncoder'), {}).drop).toBeNull();
  });
  it('explains wrong values', () => {
    expect(() => validateParams(step('MinMaxScaler'), { feature_range: [1, 0] })).toThrow(/low < high/);
    expect(() => validateParams(step('Normalizer'), { norm: 'l3' })).toThrow(/"l1", "l2", "max"/);
    expect(() => validateParams(step('OneHotEncoder'), { max_categories: 2.5 })).toThrow(/whole number/);
    expect(() => validateParams(step('VarianceThreshold'), { threshold: -1 })).toThrow(/at least 0/);
    expect(() => validateParams(step('StandardScaler'), { columns: ['a', 'a'] })).toThrow(/twice/);
  });
});

describe('bad input', () => {
  const t = table(col('num', 'float', [1, 2, 3, 4]), col('words', 'text', ['a', 'b', 'c', 'd']));

  it('scaling text is refused with a sentence naming the column and its type', async () => {
    const e = await rejection(() => fitTransform(step('StandardScaler'), t, { columns: ['words'] }));
    expect(e.name).toBe('SchemaError');
    expect(e.message).toBe(
      'StandardScaler cannot scale column "words" (type text): it works on integer, float columns.',
    );
  });

  it('one-hot encoding a column with too many distinct values is refused unless max_categories groups them', async () => {
    const many = Array.from({ length: MAX_ONE_HOT_CATEGORIES + 1 }, (_, i) => `id${i}`);
    const ids = table(col('id', 'categorical', many));
    const e = await rejection(() => fitTransform(step('OneHotEncoder'), ids));
    expect(e.message).toMatch(/cannot encode column "id" \(type categorical\): it has 1001 distinct values/);
    const { output } = await fitTransform(step('OneHotEncoder'), ids, { max_categories: 5 });
    expect(output.schema.fields.map((f) => f.name)).toHaveLength(5);
    expect(output.schema.fields.at(-1)!.name).toBe('id_infrequent_sklearn');
  });

  it('unknown categories: error names the value, ignore encodes all zeros', async () => {
    const train = table(col('c', 'categorical', ['a', 'b', 'a']));
    const test = table(col('c', 'categorical', ['b', 'zzz']));
    const def = step('OneHotEncoder');
    const state = await def.fit(train, validateParams(def, {}), context());
    const e = await rejection(() => def.transform(test, state, context()));
    expect(e.message).toContain('"zzz"');
    const ignoring = await def.fit(train, validateParams(def, { handle_unknown: 'ignore' }), context());
    const out = await def.transform(test, ignoring, context());
    expect(Array.from(readNumeric(out.getChild('c_a')!))).toEqual([0, 0]);
    expect(Array.from(readNumeric(out.getChild('c_b')!))).toEqual([1, 0]);
  });

  it('Log1p refuses values at or below -1 instead of inventing NaN', async () => {
    const e = await rejection(() => fitTransform(step('Log1p'), table(col('v', 'float', [0, -1]))));
    expect(e.message).toMatch(/"v".*-1/);
  });
});

describe('filters and column steps', () => {
  it('DropDuplicates keeps the first (or last) of equal rows, missing equal to missing', async () => {
    const t = table(col('a', 'integer', [1, 2, 1, null, null]), col('b', 'text', ['x', 'y', 'x', 'z', 'z']));
    const first = (await fitTransform(step('DropDuplicates'), t)).output;
    expect(first.numRows).toBe(3);
    expect(Array.from(readNumeric(first.getChild('a')!))).toEqual([1, 2, Number.NaN]);
    const bySubset = (await fitTransform(step('DropDuplicates'), t, { subset: ['b'], keep: 'last' })).output;
    const { codes, labels } = readLabels(bySubset.getChild('b')!);
    expect(Array.from(codes, (c) => labels[c])).toEqual(['y', 'x', 'z']);
  });

  it('MissingIndicator adds boolean columns only for columns with missing training values', async () => {
    const t = table(col('a', 'float', [1, null, 3]), col('b', 'float', [1, 2, 3]));
    const { output } = await fitTransform(step('MissingIndicator'), t);
    expect(output.schema.fields.map((f) => f.name)).toEqual(['a', 'b', 'missingindicator_a']);
    expect(Array.from(readNumeric(output.getChild('missingindicator_a')!))).toEqual([0, 1, 0]);
  });

  it('RenameColumn refuses a name that already exists', async () => {
    const t = table(col('a', 'float', [1]), col('b', 'float', [2]));
    const e = await rejection(() => fitTransform(step('RenameColumn'), t, { column: 'a', new_name: 'b' }));
    expect(e.message).toContain('second column named "b"');
  });
});
