import { describe, expect, it } from 'vitest';
import * as infer from '../../src/io/infer';
import {
  categoricalLimit,
  classifyBytes,
  classifyString,
  daysFromCivil,
  isCategorical,
  joinKinds,
  Kind,
  MissingMatcher,
} from '../../src/io/infer';
import { readText, types, values } from './helpers';

const missing = new MissingMatcher();
/** Kind and value (classifyBytes reports the value through the live `classifiedValue` binding). */
function kindOf(text: string): [Kind, number] {
  const b = new TextEncoder().encode(text);
  const k = classifyBytes(b, 0, b.length);
  return [k, infer.classifiedValue];
}

describe('classifying one value', () => {
  it.each([
    ['42', Kind.Int, 42],
    ['-7', Kind.Int, -7],
    ['+3', Kind.Int, 3],
    ['007', Kind.Int, 7],
    ['0', Kind.Int, 0],
    ['1', Kind.Int, 1],
    ['3.25', Kind.Float, 3.25],
    ['-.5', Kind.Float, -0.5],
    ['1.', Kind.Float, 1],
    ['1e5', Kind.Float, 1e5],
    ['-2.5E-3', Kind.Float, -2.5e-3],
    ['inf', Kind.Float, Number.POSITIVE_INFINITY],
    ['-Infinity', Kind.Float, Number.NEGATIVE_INFINITY],
    ['true', Kind.Bool, 1],
    ['FALSE', Kind.Bool, 0],
    ['Yes', Kind.Bool, 1],
    ['no', Kind.Bool, 0],
    ['T', Kind.Bool, 1],
    ['f', Kind.Bool, 0],
    ['2024-02-29', Kind.Date, Date.UTC(2024, 1, 29)],
    ['2024/02/03', Kind.Date, Date.UTC(2024, 1, 3)],
    ['2024-02-03T04:05:06Z', Kind.DateTime, Date.UTC(2024, 1, 3, 4, 5, 6)],
    ['2024-02-03 04:05', Kind.DateTime, Date.UTC(2024, 1, 3, 4, 5)],
    ['2024-02-03T04:05:06.789', Kind.DateTime, Date.UTC(2024, 1, 3, 4, 5, 6, 789)],
    ['2024-02-03T04:05:06+02:00', Kind.DateTime, Date.UTC(2024, 1, 3, 2, 5, 6)],
    ['2024-02-03T04:05:06-0130', Kind.DateTime, Date.UTC(2024, 1, 3, 5, 35, 6)],
  ])('%s', (text, kind, value) => {
    const [k, v] = kindOf(text);
    expect(k).toBe(kind);
    expect(v).toBe(value);
  });

  it.each([
    'abc',
    '1,5',
    '12a',
    '2023-02-30',
    '2024-13-01',
    '2024-01-01T25:00',
    '1e',
    '-',
    '.',
    'y',
    'n',
    '0x10',
    '1 2',
  ])('%s is text', (text) => {
    expect(classifyString(text, missing)).toBe(Kind.Text);
  });

  it.each(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?', '  '])('%j is missing', (text) => {
    expect(classifyString(text, missing)).toBe(Kind.Missing);
  });

  it('agrees with Number() on random decimals', () => {
    for (let i = 0; i < 2000; i++) {
      const text = (((i * 7919) % 100003) / 10 ** (i % 9) - 50).toFixed(i % 12);
      const b = new TextEncoder().encode(text);
      const k = classifyBytes(b, 0, b.length);
      expect([Kind.Int, Kind.Float]).toContain(k);
      expect(infer.classifiedValue).toBe(Number(text));
    }
  });

  it('computes days from civil dates like Date.UTC', () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [1900, 3, 1],
      [2000, 2, 29],
      [1969, 12, 31],
      [2100, 12, 31],
    ] as const) {
      expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
    }
  });
});

describe('column rules', () => {
  it('joins kinds: int+float → float, date+datetime → datetime, other mixes → text', () => {
    expect(joinKinds(Kind.Int, Kind.Float)).toBe(Kind.Float);
    expect(joinKinds(Kind.Date, Kind.DateTime)).toBe(Kind.DateTime);
    expect(joinKinds(Kind.Int, Kind.Bool)).toBe(Kind.Text);
    expect(joinKinds(Kind.Missing, Kind.Bool)).toBe(Kind.Bool);
    expect(joinKinds(Kind.Date, Kind.Int)).toBe(Kind.Text);
  });

  it('categorical: distinct ≤ max(20, 5%) and rows ≥ 2 × distinct', () => {
    expect(isCategorical(3, 1000)).toBe(true);
    expect(isCategorical(50, 1000)).toBe(true);
    expect(isCategorical(51, 1000)).toBe(false);
    expect(isCategorical(10, 10)).toBe(false);
    expect(isCategorical(5, 10)).toBe(true);
    expect(categoricalLimit(1_000_000)).toBe(50_000);
  });

  it('0/1 columns stay integer', async () => {
    const { table } = await readText('flag\n0\n1\n1\n0\n');
    expect(types(table).flag).toBe('integer');
  });

  it('a single non-number makes a column text (late in the file too)', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => String(i));
    rows.push('oops');
    const { table } = await readText(`v\n${rows.join('\n')}\n`);
    expect(types(table).v).toBe('text');
    expect(values(table, 'v')[3]).toBe('3');
  });

  it('mixes of dates and datetimes are datetimes; ints and floats are floats', async () => {
    const { table } = await readText('d,n\n2024-01-01,1\n2024-01-02T03:00:00Z,2.5\n');
    expect(types(table)).toEqual({ d: 'datetime', n: 'float' });
    expect(values(table, 'd')).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2, 3)]);
  });

  it('an all-missing column is text with nulls', async () => {
    const { table } = await readText('a,b\n1,\n2,NA\n');
    expect(types(table).b).toBe('text');
    expect(values(table, 'b')).toEqual([null, null]);
  });
});
