/**
 * The date formats a user can pick for a column (issue 14, item 7): each common format reads its
 * text, writing a date back in a format and reading it again is the identity, a bad format is a
 * named error with a hint, and re-typing a column with a format reads its original text again.
 */
import { type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import {
  checkDateFormat,
  compileDateFormat,
  DATE_ALTERNATIVE_METADATA_KEY,
  DATE_FORMAT_METADATA_KEY,
  formatDate,
  parseDateString,
} from '../../src/io/dates';
import { readTableWithReport } from '../../src/io/read';
import { type OriginalColumns, retypeColumn } from '../../src/io/retype';

const utc = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, m - 1, d, h, mi, s);
const JUNE_12 = utc(1998, 6, 12);
const AFTERNOON = utc(1998, 6, 12, 13, 45, 30);

async function readCsv(text: string): Promise<Table> {
  return (await readTableWithReport(new TextEncoder().encode(text), 'test.csv')).table;
}
const values = (table: Table, name: string) => [...table.getChild(name)!].map((v) => v ?? null);
const meta = (table: Table, name: string, key: string) =>
  table.schema.fields.find((f) => f.name === name)!.metadata.get(key);

describe('the common formats', () => {
  it.each([
    ['%Y-%m-%d', '1998-06-12', JUNE_12],
    ['%m/%d/%Y', '06/12/1998', JUNE_12],
    ['%d/%m/%Y', '12/06/1998', JUNE_12],
    ['%d.%m.%Y', '12.06.1998', JUNE_12],
    ['%b %d %Y', 'Jun 12 1998', JUNE_12],
    ['%d %b %Y', '12 Jun 1998', JUNE_12],
    ['%B %d, %Y', 'June 12, 1998', JUNE_12],
    ['%Y-%m-%d %H:%M:%S', '1998-06-12 13:45:30', AFTERNOON],
    ['%m/%d/%Y %H:%M', '06/12/1998 13:45', utc(1998, 6, 12, 13, 45)],
    ['%d/%m/%Y %H:%M:%S', '12/06/1998 13:45:30', AFTERNOON],
    ['%d.%m.%Y %H:%M', '12.06.1998 13:45', utc(1998, 6, 12, 13, 45)],
    ['%m/%d/%Y %I:%M %p', '06/12/1998 01:45 PM', utc(1998, 6, 12, 13, 45)],
    ['%b %d %Y %I:%M %p', 'Jun 12 1998 01:45 PM', utc(1998, 6, 12, 13, 45)],
    ['%d/%m/%y', '12/06/98', JUNE_12],
  ])('%s reads "%s" and writes it back', (format, text, ms) => {
    const compiled = compileDateFormat(format);
    expect(parseDateString(compiled, text)).toBe(ms);
    expect(formatDate(ms, format)).toBe(text);
  });

  it('writes ISO 8601 as the fast path reads it', () => {
    expect(formatDate(AFTERNOON, 'ISO8601')).toBe('1998-06-12T13:45:30Z');
    expect(formatDate(AFTERNOON + 250, 'ISO8601')).toBe('1998-06-12T13:45:30.250Z');
    expect(formatDate(JUNE_12, 'ISO8601', true)).toBe('1998-06-12');
  });

  it('writes the same calendar date and time as Date does, from the year 68 to 3870', () => {
    for (let k = -300; k < 300; k++) {
      const ms = k * 200_000_000_123 + (k % 7);
      const iso = new Date(ms).toISOString();
      expect(formatDate(ms, '%Y-%m-%dT%H:%M:%S.%f')).toBe(iso.slice(0, 23));
    }
  });

  it('writing then reading is the identity over many dates, midnight and noon included', () => {
    const formats = ['%d/%m/%Y %I:%M:%S %p', '%B %d, %Y %H:%M:%S.%f', '%d-%b-%y %H:%M'];
    for (let k = 0; k < 400; k++) {
      // 1970–2068 fits every format above (%y reads 69–99 as 19xx, 00–68 as 20xx).
      const ms = utc(1970, 1, 1) + k * 7_777_777_000 + (k % 2) * 43_200_000;
      for (const format of formats) {
        const expected = format.includes('%S') ? ms : Math.floor(ms / 60_000) * 60_000;
        expect(parseDateString(compileDateFormat(format), formatDate(ms, format))).toBe(expected);
      }
    }
  });
});

describe('a bad format', () => {
  it.each([
    ['%Q', /%Q, which is not supported/],
    ['%d/%m', /needs a year/],
    ['%d/%m/%Y %I:%M', /%I and %p together/],
    ['%Y-%m-%d %', /lone %/],
    ['  ', /empty/],
  ])('"%s" is InvalidArgument with a hint', (format, message) => {
    let error: unknown;
    try {
      checkDateFormat(format);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).name).toBe('InvalidArgument');
    expect((error as EngineError).message).toMatch(message);
    expect((error as EngineError).detail?.hint).toMatch(/%d\/%m\/%Y/);
  });

  it('"ISO8601" is a format, not a pattern', () => {
    expect(() => checkDateFormat('ISO8601')).not.toThrow();
  });
});

describe('retypeColumn with a date format', () => {
  const CSV = 'd,n\n03/04/2001,1\n05/06/2002,2\n12/11/2003,3\n,4\n';

  it('records the guessed day/month order, and reads the dates again day-first', async () => {
    const table = await readCsv(CSV);
    expect(meta(table, 'd', DATE_FORMAT_METADATA_KEY)).toBe('%m/%d/%Y');
    expect(meta(table, 'd', DATE_ALTERNATIVE_METADATA_KEY)).toBe('%d/%m/%Y');
    const originals: OriginalColumns = new Map();
    const flipped = retypeColumn(table, 'd', 'date', originals, '%d/%m/%Y');
    expect(flipped.failed).toBe(0);
    expect(values(flipped.table, 'd')).toEqual([utc(2001, 4, 3), utc(2002, 6, 5), utc(2003, 11, 12), null]);
    expect(meta(flipped.table, 'd', DATE_FORMAT_METADATA_KEY)).toBe('%d/%m/%Y');
    // The user chose: no "it was a guess" any more.
    expect(meta(flipped.table, 'd', DATE_ALTERNATIVE_METADATA_KEY)).toBeUndefined();
    // The other column is untouched; back to the loaded format gives the loaded dates exactly.
    expect(values(flipped.table, 'n')).toEqual(values(table, 'n'));
    const back = retypeColumn(flipped.table, 'd', 'date', originals, '%m/%d/%Y');
    expect(values(back.table, 'd')).toEqual(values(table, 'd'));
  });

  it('counts the values that do not fit, and loses none of them', async () => {
    const table = await readCsv('d\n13/01/2000\n25/12/1999\n01/02/2000\n');
    expect(meta(table, 'd', DATE_FORMAT_METADATA_KEY)).toBe('%d/%m/%Y');
    const originals: OriginalColumns = new Map();
    const monthFirst = retypeColumn(table, 'd', 'date', originals, '%m/%d/%Y');
    expect(monthFirst.failed).toBe(2);
    expect(values(monthFirst.table, 'd')).toEqual([null, null, utc(2000, 1, 2)]);
    // A format that fits nothing, then text: the original text comes back.
    expect(retypeColumn(monthFirst.table, 'd', 'date', originals, '%b %d %Y').failed).toBe(3);
    const text = retypeColumn(monthFirst.table, 'd', 'text', originals);
    expect(values(text.table, 'd')).toEqual(['2000-01-13', '1999-12-25', '2000-02-01']);
    expect(values(retypeColumn(text.table, 'd', 'date', originals, '%d/%m/%Y').table, 'd')).toEqual(
      values(table, 'd'),
    );
  });

  it('reads a text column with the format, as a datetime when it has a time', async () => {
    const table = await readCsv('t,n\n12.06.1998 13:45,1\nsoon,2\n01.01.2000 00:00,3\n');
    expect(table.schema.fields[0]!.metadata.get('benchtop.type')).toMatch(/text|categorical/);
    const cast = retypeColumn(table, 't', 'datetime', new Map(), '%d.%m.%Y %H:%M');
    expect(cast.failed).toBe(1);
    expect(values(cast.table, 't')).toEqual([utc(1998, 6, 12, 13, 45), null, utc(2000, 1, 1)]);
    expect(meta(cast.table, 't', DATE_FORMAT_METADATA_KEY)).toBe('%d.%m.%Y %H:%M');
  });

  it('ISO8601 reads only ISO text, with or without a time', async () => {
    const table = await readCsv('t,n\n1998-06-12T13:45:30Z,1\n12/06/1998,2\n2000-01-01,3\n');
    const cast = retypeColumn(table, 't', 'datetime', new Map(), 'ISO8601');
    expect(cast.failed).toBe(1);
    expect(values(cast.table, 't')).toEqual([AFTERNOON, null, utc(2000, 1, 1)]);
    expect(meta(cast.table, 't', DATE_FORMAT_METADATA_KEY)).toBe('ISO8601');
  });

  it('keeps the format and the guess through an Arrow IPC round trip (the stored copy)', async () => {
    const table = tableFromIPC(tableToIPC(await readCsv(CSV)));
    expect(meta(table, 'd', DATE_ALTERNATIVE_METADATA_KEY)).toBe('%d/%m/%Y');
    expect(values(retypeColumn(table, 'd', 'date', new Map(), '%d/%m/%Y').table, 'd')[0]).toBe(
      utc(2001, 4, 3),
    );
  });

  it('refuses a bad format before changing anything', async () => {
    const table = await readCsv(CSV);
    const originals: OriginalColumns = new Map();
    expect(() => retypeColumn(table, 'd', 'date', originals, '%d/%m/%Q')).toThrow(EngineError);
    expect(originals.size).toBe(0);
  });
});
