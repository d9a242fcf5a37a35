/**
 * setColumnType with a date format (issue 14, item 7): the engine re-reads a date column's text
 * with the format the user picked, counts what did not fit (kept, not lost), refuses a bad
 * format by name, and a stored dataset comes back with the user's format after a reload.
 */
import { describe, expect, it } from 'vitest';
import { createDatasetStore, memoryFolder } from '../../src/io/opfs';
import type { ColumnInfo, DatasetInfo } from '../../src/io/types';
import { createNodeEngine } from '../../workers/engine.node';
import { rejection } from '../support/errors';

const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
// Day-first: 13/01 and 25/12 decide the order; 01/02 and 03/04 fit both.
const CSV = 'when,amount\n13/01/2000,1\n25/12/1999,2\n01/02/2000,3\n03/04/2000,4\n,5\n';
const AMBIGUOUS = 'when,amount\n01/02/2000,1\n03/04/2000,2\n';

const col = (info: DatasetInfo, name: string): ColumnInfo => info.columns.find((c) => c.name === name)!;
function dates(engine: ReturnType<typeof createNodeEngine>, id: string): (number | null)[] {
  return [...engine.table(id).getChild('when')!].map((v) => (v ?? null) as number | null);
}

describe('setColumnType with a date format', () => {
  it('shows the format, re-reads month-first with a count of misfits, and back again restores all', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadBytes(new TextEncoder().encode(CSV), 'sales.csv');
    expect(col(info, 'when')).toMatchObject({ type: 'date', dateFormat: '%d/%m/%Y', missing: 1 });
    expect(col(info, 'when').dateAlternative).toBeUndefined();
    const loaded = dates(engine, info.id);
    expect(loaded).toEqual([utc(2000, 1, 13), utc(1999, 12, 25), utc(2000, 2, 1), utc(2000, 4, 3), null]);

    const monthFirst = await engine.setColumnType(info.id, 'when', 'date', '%m/%d/%Y');
    expect(col(monthFirst, 'when')).toMatchObject({ dateFormat: '%m/%d/%Y', unfit: 2, missing: 3 });
    expect(monthFirst.report.warnings).toContain(
      'Column "when": 2 values did not fit the date format %m/%d/%Y and are now missing; another format (or type) reads them again.',
    );
    expect(dates(engine, info.id)).toEqual([null, null, utc(2000, 1, 2), utc(2000, 3, 4), null]);
    // The profile (Quality tab's column cards) says which format the dates were read with.
    const profile = (await engine.profile(info.id)).find((p) => p.name === 'when')!;
    expect(profile.dates).toMatchObject({ format: '%m/%d/%Y', min: '2000-01-02', max: '2000-03-04' });

    const back = await engine.setColumnType(info.id, 'when', 'date', '%d/%m/%Y');
    expect(col(back, 'when')).toMatchObject({ dateFormat: '%d/%m/%Y', missing: 1 });
    expect(col(back, 'when').unfit).toBeUndefined();
    expect(back.report.warnings.filter((w) => w.startsWith('Column "when"'))).toEqual([]);
    expect(dates(engine, info.id)).toEqual(loaded);
  });

  it('says when the order was a guess; picking the other order settles it', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadBytes(new TextEncoder().encode(AMBIGUOUS), 'a.csv');
    expect(col(info, 'when')).toMatchObject({ dateFormat: '%m/%d/%Y', dateAlternative: '%d/%m/%Y' });
    expect(info.report.warnings.some((w) => w.startsWith('Dates in column "when" fit both'))).toBe(true);
    const flipped = await engine.setColumnType(info.id, 'when', 'date', '%d/%m/%Y');
    expect(col(flipped, 'when').dateFormat).toBe('%d/%m/%Y');
    // The guess is settled: the load report no longer asks for it.
    expect(flipped.report.warnings.filter((w) => w.includes('"when"'))).toEqual([]);
    expect(col(flipped, 'when').dateAlternative).toBeUndefined();
    expect(dates(engine, info.id)).toEqual([utc(2000, 2, 1), utc(2000, 4, 3)]);
  });

  it('reads a text column as datetimes with a format, and as text again without loss', async () => {
    const engine = createNodeEngine();
    const csv = 'when,n\n12.06.1998 13:45,1\nlater,2\n01.01.2000 00:00,3\n';
    const info = await engine.loadBytes(new TextEncoder().encode(csv), 't.csv');
    expect(col(info, 'when').type).not.toBe('datetime');
    const read = await engine.setColumnType(info.id, 'when', 'datetime', '%d.%m.%Y %H:%M');
    expect(col(read, 'when')).toMatchObject({ type: 'datetime', dateFormat: '%d.%m.%Y %H:%M', unfit: 1 });
    const text = await engine.setColumnType(info.id, 'when', 'text');
    expect(col(text, 'when')).toMatchObject({ type: 'text', missing: 0 });
    expect(engine.table(info.id).getChild('when')!.get(1)).toBe('later');
  });

  it('refuses a bad format, or a format for a type that is not a date, by name and with a hint', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadBytes(new TextEncoder().encode(CSV), 'sales.csv');
    const bad = await rejection(engine.setColumnType(info.id, 'when', 'date', '%d/%m/%Q'));
    expect(bad.name).toBe('InvalidArgument');
    expect(bad.message).toMatch(/%Q/);
    expect(bad.detail?.hint).toMatch(/%d\/%m\/%Y/);
    const noYear = await rejection(engine.setColumnType(info.id, 'when', 'date', '%d/%m'));
    expect(noYear.message).toMatch(/needs a year/);
    const notDate = await rejection(engine.setColumnType(info.id, 'amount', 'integer', '%d/%m/%Y'));
    expect(notDate.name).toBe('InvalidArgument');
    expect(notDate.message).toMatch(/date and datetime columns, not to integer/);
    const empty = await rejection(engine.setColumnType(info.id, 'when', 'date', ''));
    expect(empty.name).toBe('InvalidArgument');
    // Nothing changed.
    expect(col((await engine.datasets())[0]!, 'when')).toMatchObject({ dateFormat: '%d/%m/%Y', missing: 1 });
  });

  it('a stored dataset comes back with the chosen format (and its count) after a reload', async () => {
    const store = createDatasetStore(memoryFolder());
    const first = createNodeEngine({ store });
    const info = await first.loadFile(new Blob([AMBIGUOUS]), 'a.csv');
    await first.setColumnType(info.id, 'when', 'date', '%d/%m/%Y');
    const second = createNodeEngine({ store });
    const back = await second.restoreDataset(info.fingerprint!);
    expect(col(back, 'when')).toMatchObject({ type: 'date', dateFormat: '%d/%m/%Y', missing: 0 });
    expect(col(back, 'when').dateAlternative).toBeUndefined();
    expect(dates(second, back.id)).toEqual([utc(2000, 2, 1), utc(2000, 4, 3)]);

    // Choosing the loaded format again is stored too, and a format that misses keeps its count.
    await second.setColumnType(back.id, 'when', 'datetime', '%b %d %Y');
    const third = createNodeEngine({ store });
    const again = await third.restoreDataset(info.fingerprint!);
    expect(col(again, 'when')).toMatchObject({
      type: 'datetime',
      dateFormat: '%b %d %Y',
      unfit: 2,
      missing: 2,
    });
    expect(again.report.warnings.some((w) => w.includes('did not fit the date format %b %d %Y'))).toBe(true);
  });
});
