import { type DataType, Dictionary, type Table, Type, tableFromIPC, tableToIPC } from 'apache-arrow';
import { csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { type ColumnType, TYPE_METADATA_KEY } from '../../src/core/types';
import { DEFAULT_SYNTHETIC_COLUMNS, syntheticCsv, syntheticTable } from '../../src/io/synthetic';

const ipc = (t: Table) => tableToIPC(t, 'stream');

function columnValues(t: Table, name: string): unknown[] {
  const v = t.getChild(name);
  expect(v, name).not.toBeNull();
  return Array.from({ length: t.numRows }, (_, i) => v!.get(i));
}

function logicalType(t: Table, name: string): string | undefined {
  return t.schema.fields.find((f) => f.name === name)?.metadata.get(TYPE_METADATA_KEY);
}

function catchError(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an error');
}

describe('syntheticTable', () => {
  const table = syntheticTable({ rows: 20_000, seed: 42 });

  it('is a pure function of the options: same seed → the same IPC bytes, other seed → other data', () => {
    const again = syntheticTable({ rows: 20_000, seed: 42 });
    expect(Buffer.from(ipc(again)).equals(Buffer.from(ipc(table)))).toBe(true);
    const other = syntheticTable({ rows: 20_000, seed: 43 });
    expect(Buffer.from(ipc(other)).equals(Buffer.from(ipc(table)))).toBe(false);
    for (const name of ['x_normal', 'c_user', 's_comment', 'target']) {
      expect(columnValues(other, name)).not.toEqual(columnValues(table, name));
    }
  });

  it('has 20 feature columns plus target by default, of the promised kinds', () => {
    expect(table.numRows).toBe(20_000);
    expect(table.numCols).toBe(DEFAULT_SYNTHETIC_COLUMNS + 1);
    expect(table.schema.fields.at(-1)?.name).toBe('target');
    const counts: Partial<Record<ColumnType, number>> = {};
    for (const f of table.schema.fields.slice(0, -1)) {
      const type = f.metadata.get(TYPE_METADATA_KEY) as ColumnType;
      counts[type] = (counts[type] ?? 0) + 1;
    }
    expect(counts).toEqual({
      float: 8,
      integer: 4,
      categorical: 4,
      boolean: 1,
      date: 1,
      datetime: 1,
      text: 1,
    });
  });

  it('maps every logical type to its Arrow type and tags each field with it', () => {
    const expected: Record<ColumnType, (t: DataType) => boolean> = {
      float: (t) => t.typeId === Type.Float && t.toString() === 'Float64',
      integer: (t) => t.typeId === Type.Int && t.toString() === 'Int32',
      boolean: (t) => t.typeId === Type.Bool,
      date: (t) => t.toString() === 'Date32<DAY>',
      datetime: (t) => t.toString() === 'Timestamp<MILLISECOND>',
      categorical: (t) =>
        t instanceof Dictionary && t.dictionary.typeId === Type.Utf8 && t.indices.toString() === 'Int32',
      text: (t) => t.typeId === Type.Utf8,
    };
    for (const f of table.schema.fields) {
      const type = f.metadata.get(TYPE_METADATA_KEY) as ColumnType;
      expect(expected[type]?.(f.type), `${f.name}: ${f.type}`).toBe(true);
    }
  });

  it('has categoricals of different cardinalities, one of about 1000 levels', () => {
    const sizes = table.schema.fields
      .filter((f) => logicalType(table, f.name) === 'categorical')
      .map((f) => new Set(columnValues(table, f.name).filter((v) => v !== null)).size)
      .sort((a, b) => a - b);
    expect(new Set(sizes).size).toBe(sizes.length);
    expect(sizes[0]).toBeLessThanOrEqual(5);
    expect(sizes.at(-1)).toBeGreaterThanOrEqual(950);
  });

  it('has a few percent missing values in some columns, none in target, NaN under float nulls', () => {
    const shares = table.schema.fields.map((f) => table.getChild(f.name)!.nullCount / table.numRows);
    const withMissing = shares.filter((s) => s > 0);
    expect(withMissing.length).toBeGreaterThanOrEqual(5);
    expect(withMissing.length).toBeLessThan(shares.length / 2);
    for (const s of withMissing) {
      expect(s).toBeGreaterThan(0.005);
      expect(s).toBeLessThan(0.12);
    }
    expect(table.getChild('target')!.nullCount).toBe(0);
    const lognormal = table.getChild('x_lognormal')!;
    const raw = lognormal.data[0]!.values as Float64Array;
    let checked = 0;
    for (let i = 0; i < table.numRows; i++) {
      if (!lognormal.isValid(i)) {
        expect(raw[i]).toBeNaN();
        checked++;
      } else expect(Number.isFinite(raw[i])).toBe(true);
    }
    expect(checked).toBe(lognormal.nullCount);
  });

  it('has a binary target that depends on the features', () => {
    const target = columnValues(table, 'target') as number[];
    expect(new Set(target)).toEqual(new Set([0, 1]));
    const x = columnValues(table, 'x_normal') as number[];
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const prevalence = mean(target);
    expect(prevalence).toBeGreaterThan(0.2);
    expect(prevalence).toBeLessThan(0.8);
    // Point-biserial correlation between x_normal and target.
    const mx = mean(x);
    const sx = Math.sqrt(mean(x.map((v) => (v - mx) ** 2)));
    const r =
      mean(x.map((v, i) => (v - mx) * (target[i]! - prevalence))) /
      (sx * Math.sqrt(prevalence * (1 - prevalence)));
    expect(r).toBeGreaterThan(0.2);
    // An unrelated column is not predictive.
    const u = columnValues(table, 'x_uniform') as number[];
    const mu = mean(u);
    const su = Math.sqrt(mean(u.map((v) => (v - mu) ** 2)));
    const ru =
      mean(u.map((v, i) => (v - mu) * (target[i]! - prevalence))) /
      (su * Math.sqrt(prevalence * (1 - prevalence)));
    expect(Math.abs(ru)).toBeLessThan(0.05);
  });

  it('honours rows and columns: fewer columns are a prefix, more cycle the kinds with new names', () => {
    const few = syntheticTable({ rows: 500, seed: 7, columns: 5 });
    const full = syntheticTable({ rows: 500, seed: 7 });
    const many = syntheticTable({ rows: 500, seed: 7, columns: 45 });
    expect([few.numRows, few.numCols]).toEqual([500, 6]);
    expect([many.numRows, many.numCols]).toEqual([500, 46]);
    const names = many.schema.fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(20, 25)).toEqual([
      'x_normal_2',
      'x_lognormal_2',
      'x_uniform_2',
      'x_bimodal_2',
      'x_outliers_2',
    ]);
    expect(names[40]).toBe('x_normal_3');
    expect(logicalType(many, 'c_user_2')).toBe('categorical');
    for (const f of few.schema.fields.slice(0, -1)) {
      expect(columnValues(few, f.name)).toEqual(columnValues(full, f.name));
      expect(columnValues(many, f.name)).toEqual(columnValues(full, f.name));
    }
    expect(columnValues(many, 'x_normal_2')).not.toEqual(columnValues(many, 'x_normal'));
    expect(columnValues(many, 'n_id_2')).not.toEqual(columnValues(many, 'n_id'));

    const none = syntheticTable({ rows: 0, seed: 1 });
    expect([none.numRows, none.numCols]).toEqual([0, 21]);
    const onlyTarget = syntheticTable({ rows: 10, seed: 1, columns: 0 });
    expect(onlyTarget.schema.fields.map((f) => f.name)).toEqual(['target']);
  });

  it('survives an IPC round trip intact (no shared buffers between columns)', () => {
    for (const format of ['stream', 'file'] as const) {
      const back = tableFromIPC(tableToIPC(table, format));
      expect(back.numRows).toBe(table.numRows);
      expect(
        back.schema.fields.map((f) => [f.name, String(f.type), f.metadata.get(TYPE_METADATA_KEY)]),
      ).toEqual(table.schema.fields.map((f) => [f.name, String(f.type), f.metadata.get(TYPE_METADATA_KEY)]));
      for (const f of table.schema.fields) {
        expect(columnValues(back, f.name), f.name).toEqual(columnValues(table, f.name));
      }
    }
  });

  it('reports progress up to 1 and stops with Cancelled when aborted', () => {
    const seen: number[] = [];
    syntheticTable({ rows: 100, seed: 1 }, (f) => seen.push(f));
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
    expect(seen.at(-1)).toBe(1);

    const controller = new AbortController();
    const error = catchError(() =>
      syntheticTable(
        { rows: 1000, seed: 1 },
        (f) => (f > 0.3 ? controller.abort() : undefined),
        controller.signal,
      ),
    );
    expect(error.name).toBe('Cancelled');
  });

  it('rejects impossible options with InvalidArgument', () => {
    for (const options of [
      { rows: -1, seed: 1 },
      { rows: 1.5, seed: 1 },
      { rows: 10, seed: Number.NaN },
      { rows: 10, seed: 1, columns: -2 },
    ]) {
      expect(catchError(() => syntheticTable(options)).name).toBe('InvalidArgument');
    }
  });
});

describe('syntheticCsv', () => {
  const options = { rows: 5000, seed: 11 };
  const table = syntheticTable(options);
  const bytes = syntheticCsv(options);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  // d3-dsv: an independent RFC 4180 reader.
  const [header, ...rows] = csvParseRows(text);

  it('has the header and one line per row, ending with a newline', () => {
    expect(header).toEqual(table.schema.fields.map((f) => f.name));
    expect(text.endsWith('\n')).toBe(true);
    expect(rows.length).toBe(options.rows);
    for (const row of rows) expect(row.length).toBe(table.numCols);
  });

  it('holds exactly the values of syntheticTable, with empty fields for missing ones', () => {
    const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    let quoted = 0;
    table.schema.fields.forEach((field, j) => {
      const type = field.metadata.get(TYPE_METADATA_KEY) as ColumnType;
      const values = columnValues(table, field.name);
      rows.forEach((row, i) => {
        const cell = row[j]!;
        const value = values[i];
        if (value === null) {
          expect(cell, `${field.name}[${i}]`).toBe('');
          return;
        }
        switch (type) {
          case 'float':
          case 'integer':
            expect(Number(cell), `${field.name}[${i}] ${cell}`).toBe(value);
            expect(cell).toMatch(/^-?\d+(\.\d*[1-9])?$/);
            break;
          case 'boolean':
            expect(cell).toBe(value ? 'true' : 'false');
            break;
          case 'date':
            expect(cell).toBe(isoDay(value as number));
            break;
          case 'datetime':
            expect(cell).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
            expect(Date.parse(cell)).toBe(value);
            break;
          default:
            expect(cell).toBe(value);
            if (/[",]/.test(cell)) quoted++;
        }
      });
    });
    // The data exercises quoting (commas and quotes inside text and categories).
    expect(quoted).toBeGreaterThan(50);
  });

  it('is deterministic and follows the seed', () => {
    expect(Buffer.from(syntheticCsv(options)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(syntheticCsv({ ...options, seed: 12 })).equals(Buffer.from(bytes))).toBe(false);
  });

  it('honours columns and writes only a header for zero rows', () => {
    const small = new TextDecoder().decode(syntheticCsv({ rows: 3, seed: 1, columns: 2 }));
    const lines = small.split('\n');
    expect(lines[0]).toBe('x_normal,x_lognormal,target');
    expect(lines.length).toBe(5);
    expect(new TextDecoder().decode(syntheticCsv({ rows: 0, seed: 1, columns: 1 }))).toBe(
      'x_normal,target\n',
    );
  });
});
