/** DateParts, TextFeatures, CastType and CorrelationFilter: what each computes, and its refusals. */
import { describe, expect, it } from 'vitest';
import { getStep } from '../../src/pipeline/registry';
import type { CorrelationFilterState } from '../../src/pipeline/steps/CorrelationFilter';
import { col, fitTransform, snapshot, table } from './helpers';

describe('DateParts', () => {
  const t = table(col('when', 'date', ['2024-01-01', '2024-02-29', null, '2023-12-31']));

  it('adds year/month/day/weekday (Monday = 0) by default and keeps the date', async () => {
    const { output } = await fitTransform(getStep('DateParts')!, t);
    const s = snapshot(output);
    expect(Object.keys(s)).toEqual([
      'when:date',
      'when_year:integer',
      'when_month:integer',
      'when_day:integer',
      'when_weekday:integer',
    ]);
    expect(s['when_year:integer']).toEqual([2024, 2024, Number.NaN, 2023]);
    expect(s['when_month:integer']).toEqual([1, 2, Number.NaN, 12]);
    expect(s['when_day:integer']).toEqual([1, 29, Number.NaN, 31]);
    expect(s['when_weekday:integer']).toEqual([0, 3, Number.NaN, 6]); // Mon, Thu, –, Sun
  });

  it('other parts on request, and unknown parts are refused by name', async () => {
    const { output } = await fitTransform(getStep('DateParts')!, t, {
      parts: 'quarter, dayofyear',
      drop_original: true,
    });
    const s = snapshot(output);
    expect(Object.keys(s)).toEqual(['when_quarter:integer', 'when_dayofyear:integer']);
    expect(s['when_dayofyear:integer']).toEqual([1, 60, Number.NaN, 365]);
    await expect(fitTransform(getStep('DateParts')!, t, { parts: 'year,fortnight' })).rejects.toThrow(
      /"fortnight"/,
    );
  });
});

describe('TextFeatures', () => {
  it('counts characters (code points) and whitespace-separated words; missing stays missing', async () => {
    const t = table(col('note', 'text', ['hello world', '  spaced   out  ', '', null, 'héllo 👋']));
    const { output } = await fitTransform(getStep('TextFeatures')!, t);
    const s = snapshot(output);
    expect(s['note_length:integer']).toEqual([11, 16, 0, Number.NaN, 7]);
    expect(s['note_tokens:integer']).toEqual([2, 2, 0, Number.NaN, 2]);
  });
});

describe('CastType', () => {
  const t = table(
    col('num', 'text', ['1', ' 2.5 ', 'x', null]),
    col('flag', 'text', ['yes', 'No', 'TRUE', '0']),
    col('n', 'float', [1, 2, 3.5, null]),
  );

  it('parses text to numbers, refusing unreadable values unless coerced', async () => {
    await expect(fitTransform(getStep('CastType')!, t, { column: 'num', to: 'float' })).rejects.toThrow(
      /"x".*"num"/,
    );
    // The card's one-click fixes: treat the value as missing first, or coerce.
    await expect(fitTransform(getStep('CastType')!, t, { column: 'num', to: 'float' })).rejects.toMatchObject(
      {
        detail: {
          value: 'x',
          fixes: [
            {
              kind: 'insert-step',
              label: 'Treat "x" as missing',
              step: { step: 'MarkMissing', params: { values: 'x' }, columns: ['num'] },
            },
            {
              kind: 'set-params',
              label: 'Turn values that do not convert into missing',
              params: { errors: 'coerce' },
            },
          ],
        },
      },
    );
    const marked = await fitTransform(getStep('MarkMissing')!, t, { columns: ['num'], values: 'x' });
    const cast = await fitTransform(getStep('CastType')!, marked.output, { column: 'num', to: 'float' });
    expect(snapshot(cast.output)['num:float']).toEqual([1, 2.5, Number.NaN, Number.NaN]);
    const { output } = await fitTransform(getStep('CastType')!, t, {
      column: 'num',
      to: 'float',
      errors: 'coerce',
    });
    expect(snapshot(output)['num:float']).toEqual([1, 2.5, Number.NaN, Number.NaN]);
  });

  it('integers must be whole; booleans read yes/no/true/false/1/0', async () => {
    await expect(fitTransform(getStep('CastType')!, t, { column: 'n', to: 'integer' })).rejects.toThrow(
      /3\.5/,
    );
    const ints = await fitTransform(getStep('CastType')!, t, {
      column: 'n',
      to: 'integer',
      errors: 'coerce',
    });
    expect(snapshot(ints.output)['n:integer']).toEqual([1, 2, Number.NaN, Number.NaN]);
    const bools = await fitTransform(getStep('CastType')!, t, { column: 'flag', to: 'boolean' });
    expect(snapshot(bools.output)['flag:boolean']).toEqual([1, 0, 1, 0]);
  });

  it('numbers and dates to text or categories', async () => {
    const { output } = await fitTransform(getStep('CastType')!, t, { column: 'n', to: 'categorical' });
    expect(snapshot(output)['n:categorical']).toEqual(['1', '2', '3.5', null]);
    const d = table(col('d', 'date', ['2024-03-05', null]));
    const text = await fitTransform(getStep('CastType')!, d, { column: 'd', to: 'text' });
    expect(snapshot(text.output)['d:text']).toEqual(['2024-03-05', null]);
    await expect(fitTransform(getStep('CastType')!, d, { column: 'd', to: 'float' })).rejects.toThrow(
      /cannot turn column "d" \(type date\) into numbers/,
    );
  });
});

describe('CorrelationFilter', () => {
  it('drops the later column of each pair above the threshold, judged against kept columns', async () => {
    const a = [1, 2, 3, 4, 5, 6];
    const t = table(
      col('a', 'float', a),
      col('b', 'float', [1, 3, 2, 5, 4, 6]), // r(a, b) ≈ 0.83: kept
      col(
        'c',
        'float',
        a.map((v) => -2 * v + 1),
      ), // r(a, c) = −1: dropped for a
      col('d', 'float', [2, 4, 6, 8, 10, null]), // r(a, d) = 1 on shared rows: dropped
      col('label', 'categorical', ['x', 'y', 'x', 'y', 'x', 'y']),
    );
    const { state, output } = await fitTransform(getStep('CorrelationFilter')!, t);
    const s = state as CorrelationFilterState;
    expect(s.dropped).toEqual(['c', 'd']);
    expect(s.reasons.map((r) => r.correlated_with)).toEqual(['a', 'a']);
    expect(output.schema.fields.map((f) => f.name)).toEqual(['a', 'b', 'label']);
    const strict = await fitTransform(getStep('CorrelationFilter')!, t, { threshold: 0.8 });
    expect((strict.state as CorrelationFilterState).dropped).toEqual(['b', 'c', 'd']);
  });
});
