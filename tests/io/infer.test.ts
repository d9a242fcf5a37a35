import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { castColumn } from '../../src/io/cast';
import { compileDateFormat, DATE_FORMAT_METADATA_KEY, parseDateString } from '../../src/io/dates';
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
import { readText, rejection, types, values } from './helpers';

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

describe('dates in other formats than ISO', () => {
  const dateFormat = (table: Table, name: string) =>
    table.schema.fields.find((f) => f.name === name)?.metadata.get(DATE_FORMAT_METADATA_KEY);
  const utc = (y: number, m: number, d: number, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h, mi);

  it.each([
    ['Jun 12 1998', 'Jan 1 2000', '%b %d %Y', [utc(1998, 6, 12), utc(2000, 1, 1)]],
    ['12 Jun 1998', '1 jan 2000', '%d %b %Y', [utc(1998, 6, 12), utc(2000, 1, 1)]],
    ['June 12, 1998', 'January 1, 2000', '%B %d, %Y', [utc(1998, 6, 12), utc(2000, 1, 1)]],
    ['12-Jun-1998', '01-Jan-2000', '%d-%b-%Y', [utc(1998, 6, 12), utc(2000, 1, 1)]],
    ['1998-6-12', '2000-1-1', '%Y-%m-%d', [utc(1998, 6, 12), utc(2000, 1, 1)]],
    ['12/31/1998', '1/2/2000', '%m/%d/%Y', [utc(1998, 12, 31), utc(2000, 1, 2)]],
    ['31/12/1998', '2/1/2000', '%d/%m/%Y', [utc(1998, 12, 31), utc(2000, 1, 2)]],
    ['31.12.1998', '02.01.2000', '%d.%m.%Y', [utc(1998, 12, 31), utc(2000, 1, 2)]],
    ['12/31/98', '1/2/00', '%m/%d/%y', [utc(1998, 12, 31), utc(2000, 1, 2)]],
  ])('%s and %s read as %s', async (a, b, format, expected) => {
    const { table, report } = await readText(`when,n\n"${a}",1\n"${b}",2\n`);
    expect(types(table).when).toBe('date');
    expect(dateFormat(table, 'when')).toBe(format);
    expect(values(table, 'when')).toEqual(expected);
    expect(report.warnings).toEqual([]);
  });

  it('reads times after the date: 24-hour, with seconds and fractions, and AM/PM', async () => {
    const { table } = await readText(
      'a;b;c\n06/12/1998 13:45;Jun 12 1998 1:45 PM;12/06/1998 13:45:30.25\n06/13/1998 0:05;Jan 1 2000 12:00 AM;13/06/1998 00:00:00.5\n',
    );
    expect(types(table)).toEqual({ a: 'datetime', b: 'datetime', c: 'datetime' });
    expect(dateFormat(table, 'a')).toBe('%m/%d/%Y %H:%M');
    expect(values(table, 'a')).toEqual([utc(1998, 6, 12, 13, 45), utc(1998, 6, 13, 0, 5)]);
    expect(dateFormat(table, 'b')).toBe('%b %d %Y %I:%M %p');
    expect(values(table, 'b')).toEqual([utc(1998, 6, 12, 13, 45), utc(2000, 1, 1, 0, 0)]);
    expect(dateFormat(table, 'c')).toBe('%d/%m/%Y %H:%M:%S.%f');
    expect(values(table, 'c')).toEqual([utc(1998, 6, 12, 13, 45) + 30_250, utc(1998, 6, 13) + 500]);
  });

  it('keeps ISO dates on the fast path and records their format', async () => {
    const { table } = await readText('d,t\n1998-06-12,1998-06-12 13:45\n2000-01-01,2000-01-01T00:00:00Z\n');
    expect(types(table)).toEqual({ d: 'date', t: 'datetime' });
    expect(dateFormat(table, 'd')).toBe('%Y-%m-%d');
    expect(dateFormat(table, 't')).toBe('ISO8601');
    expect(values(table, 't')).toEqual([utc(1998, 6, 12, 13, 45), utc(2000, 1, 1)]);
  });

  it('decides day-first or month-first from any value that settles it, late in the file too', async () => {
    const early = Array.from({ length: 500 }, (_, i) => `0${(i % 9) + 1}/0${(i % 7) + 1}/2001`);
    const dayFirst = await readText(`d\n${[...early, '25/12/2001'].join('\n')}\n`);
    expect(dateFormat(dayFirst.table, 'd')).toBe('%d/%m/%Y');
    expect(values(dayFirst.table, 'd')[500]).toBe(utc(2001, 12, 25));
    expect(values(dayFirst.table, 'd')[0]).toBe(utc(2001, 1, 1));
    expect(values(dayFirst.table, 'd')[1]).toBe(utc(2001, 2, 2));
    expect(values(dayFirst.table, 'd')[7]).toBe(utc(2001, 1, 8));
    const monthFirst = await readText(`d\n${[...early, '12/25/2001'].join('\n')}\n`);
    expect(dateFormat(monthFirst.table, 'd')).toBe('%m/%d/%Y');
    expect(values(monthFirst.table, 'd')[7]).toBe(utc(2001, 8, 1));
    expect(dayFirst.report.warnings).toEqual([]);
    expect(monthFirst.report.warnings).toEqual([]);
  });

  it('reads an undecidable day/month order month-first, like pandas, and says so', async () => {
    const { table, report } = await readText('d\n06/12/1998\n01/02/2000\n');
    expect(dateFormat(table, 'd')).toBe('%m/%d/%Y');
    expect(values(table, 'd')).toEqual([utc(1998, 6, 12), utc(2000, 1, 2)]);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain('"d"');
    expect(report.warnings[0]).toContain('%d/%m/%Y');
    expect(report.warnings[0]).toMatch(/month first/);
  });

  it('changes the format with dateFormats: day-first, or any strftime format', async () => {
    const csv = 'd,n,code\n06/12/1998,1,19980612\n01/02/2000,2,20000102\n';
    const { table, report } = await readText(csv, 'test.csv', {
      dateFormats: { d: '%d/%m/%Y', code: '%Y%m%d' },
    });
    expect(types(table)).toEqual({ d: 'date', n: 'integer', code: 'date' });
    expect(values(table, 'd')).toEqual([utc(1998, 12, 6), utc(2000, 2, 1)]);
    expect(values(table, 'code')).toEqual([utc(1998, 6, 12), utc(2000, 1, 2)]);
    expect(dateFormat(table, 'd')).toBe('%d/%m/%Y');
    expect(report.warnings).toEqual([]);
  });

  it('values that do not fit a given format become missing, with a warning', async () => {
    const { table, report } = await readText('d,n\n31/12/1998,1\nsoon,2\n,3\n', 'test.csv', {
      dateFormats: { d: '%d/%m/%Y' },
    });
    expect(values(table, 'd')).toEqual([utc(1998, 12, 31), null, null]);
    expect(report.warnings).toEqual([
      '1 value in column "d" did not fit the date format %d/%m/%Y and became missing.',
    ]);
  });

  it('columnTypes still win: a date column can be kept as text, and text forced to dates', async () => {
    const csv = 'a,b\nJun 12 1998,x\nJan 1 2000,y\n';
    const asText = await readText(csv, 'test.csv', { columnTypes: { a: 'text' } });
    expect(types(asText.table).a).toBe('text');
    expect(values(asText.table, 'a')).toEqual(['Jun 12 1998', 'Jan 1 2000']);
    const asDatetime = await readText(csv, 'test.csv', { columnTypes: { a: 'datetime' } });
    expect(types(asDatetime.table).a).toBe('datetime');
    expect(values(asDatetime.table, 'a')).toEqual([utc(1998, 6, 12), utc(2000, 1, 1)]);
  });

  it('leaves text that only looks like dates in part as text', async () => {
    const { table } = await readText(
      'a,b,c,d,e\nJun 12 1998,March of the Penguins,12/06/1998,31/02/2000,1/2\nsoon,May,13/13/1998,1/1/2000,3/4\n',
    );
    expect(types(table)).toEqual({ a: 'text', b: 'text', c: 'text', d: 'text', e: 'text' });
  });

  it('applies the same rules to JSON values and records the format', async () => {
    const json = JSON.stringify([
      { when: 'Jun 12 1998', d: '25/12/2001', n: 1 },
      { when: 'Jan 1 2000', d: null, n: 2 },
    ]);
    const { table } = await readText(json, 'test.json');
    expect(types(table)).toEqual({ when: 'date', d: 'date', n: 'integer' });
    expect(values(table, 'when')).toEqual([utc(1998, 6, 12), utc(2000, 1, 1)]);
    expect(values(table, 'd')).toEqual([utc(2001, 12, 25), null]);
    expect(dateFormat(table, 'd')).toBe('%d/%m/%Y');
    const swapped = await readText(JSON.stringify([{ d: '06/12/1998' }]), 'test.json', {
      dateFormats: { d: '%d/%m/%Y' },
    });
    expect(values(swapped.table, 'd')).toEqual([utc(1998, 12, 6)]);
  });

  it('re-typing a text column as date detects the format (castColumn)', async () => {
    const { table } = await readText('a\nJun 12 1998\nJun 12 1998\nJan 1 2000\n', 'test.csv', {
      columnTypes: { a: 'categorical' },
    });
    const cast = castColumn(table, 'a', 'date');
    expect(cast.failed).toBe(0);
    expect(values(cast.table, 'a')).toEqual([utc(1998, 6, 12), utc(1998, 6, 12), utc(2000, 1, 1)]);
    expect(dateFormat(cast.table, 'a')).toBe('%b %d %Y');
    const dayFirst = castColumn(table, 'a', 'date', '%d %b %Y');
    expect(dayFirst.failed).toBe(3);
  });

  it('parses with strptime rules: padding optional, exact match, real calendar days', () => {
    const f = compileDateFormat('%d/%m/%Y');
    expect(parseDateString(f, ' 1/2/2000 ')).toBe(utc(2000, 2, 1));
    expect(parseDateString(f, '29/02/2001')).toBeNaN();
    expect(parseDateString(f, '29/02/2000')).toBe(utc(2000, 2, 29));
    expect(parseDateString(f, '01/02/2000x')).toBeNaN();
    expect(parseDateString(f, '01/02/20')).toBeNaN();
    expect(parseDateString(compileDateFormat('%b  %d %Y'), 'Jun 1 1998')).toBe(utc(1998, 6, 1));
    expect(parseDateString(compileDateFormat('%B %d %Y'), 'Jun 1 1998')).toBeNaN();
    expect(parseDateString(compileDateFormat('%I:%M %p %d/%m/%Y'), '12:30 am 1/1/2000')).toBe(
      utc(2000, 1, 1, 0, 30),
    );
    expect(() => compileDateFormat('%d/%m')).toThrow(EngineError);
    expect(() => compileDateFormat('%Y-%m-%d %Z')).toThrow(/%Z/);
  });

  it('rejects a bad format in dateFormats with a named error', async () => {
    const e = await rejection(readText('d\n1/2/2000\n', 'test.csv', { dateFormats: { d: '%Q' } }));
    expect(e.name).toBe('InvalidArgument');
  });
});
