/**
 * Arrow and Parquet columns brought to the column contract in bulk: the same values give the same
 * column types from every reader, 64-bit integers and timestamps convert exactly across row groups
 * and null bitmaps, and the memory a table reports counts shared buffers once.
 */
import {
  Field,
  Int64,
  LargeUtf8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { TYPE_METADATA_KEY } from '../../src/core/types';
import { tableMemoryBytes } from '../../src/io/memory';
import { loadParquetWasm } from '../../src/io/parquet';
import { readParquetFooter } from '../../src/io/parquet-footer';
import { readTableWithReport } from '../../src/io/read';
import { bigParquetTable, expectedRow, writeBigParquet } from '../support/big-parquet';
import { types, utf8, values } from './helpers';

async function toParquet(table: Table, rowGroup = 1 << 20): Promise<Uint8Array> {
  const wasm = await loadParquetWasm();
  const props = new wasm.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroup).build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}

describe('one categorical rule for every reader', () => {
  const n = 200;
  const colour = Array.from({ length: n }, (_, i) => ['red', 'green', 'blue'][i % 3]!);
  const name = Array.from({ length: n }, (_, i) => `person ${i}`);

  it('gives the same types from CSV, JSON, Arrow (Utf8 and LargeUtf8) and Parquet', async () => {
    const csv = `colour,name\n${colour.map((c, i) => `${c},${name[i]}`).join('\n')}\n`;
    const json = JSON.stringify(colour.map((c, i) => ({ colour: c, name: name[i] })));
    const arrow = (type: Utf8 | LargeUtf8): Table =>
      new Table({ colour: vectorFromArray(colour, type), name: vectorFromArray(name, type) });
    const loaded = await Promise.all([
      readTableWithReport(utf8(csv), 'c.csv'),
      readTableWithReport(utf8(json), 'c.json'),
      readTableWithReport(tableToIPC(arrow(new Utf8()), 'file'), 'c.arrow'),
      readTableWithReport(tableToIPC(arrow(new LargeUtf8()), 'stream'), 'c.arrows'),
      readTableWithReport(await toParquet(arrow(new LargeUtf8()), 64), 'c.parquet'),
    ]);
    for (const { table } of loaded) {
      expect(types(table)).toEqual({ colour: 'categorical', name: 'text' });
      expect(values(table, 'colour').slice(0, 4)).toEqual(['red', 'green', 'blue', 'red']);
      expect(values(table, 'name')[n - 1]).toBe(`person ${n - 1}`);
    }
  });

  it('keeps the type our own saved files declare', async () => {
    const field = new Field('colour', new Utf8(), true, new Map([[TYPE_METADATA_KEY, 'text']]));
    const data = vectorFromArray(colour, new Utf8()).data[0]!;
    const schema = new Schema([field]);
    const table = new Table(
      schema,
      new RecordBatch(
        schema,
        makeData({ type: new Struct([field]), length: n, nullCount: 0, children: [data] }),
      ),
    );
    const { table: loaded } = await readTableWithReport(tableToIPC(table, 'file'), 'saved.arrow');
    expect(types(loaded)).toEqual({ colour: 'text' });
  });
});

describe('nested columns', () => {
  it('flattens a struct, and a missing struct makes its fields missing', async () => {
    const st = vectorFromArray(
      [{ a: 1n, b: 'x' }, null, { a: 3n, b: null }],
      new Struct([new Field('a', new Int64(), true), new Field('b', new Utf8(), true)]),
    );
    const { table, report } = await readTableWithReport(tableToIPC(new Table({ st }), 'file'), 's.arrow');
    expect(table.schema.names).toEqual(['st.a', 'st.b']);
    expect(values(table, 'st.a')).toEqual([1, null, 3]);
    expect(values(table, 'st.b')).toEqual(['x', null, null]);
    expect(report.warnings.join(' ')).toMatch(/Nested column "st" was flattened/);
  });
});

describe('bulk conversion of Parquet columns', () => {
  it('reads every row group into one chunk per column, values exact', async () => {
    const rows = 5_003;
    // Row groups of 1,000 rows: batch boundaries fall inside bitmap bytes and int64 values cross
    // the int32 range every 7th row.
    const bytes = await toParquet(bigParquetTable(rows), 1000);
    expect(readParquetFooter(bytes).rowGroupRows).toEqual([1000, 1000, 1000, 1000, 1000, 3]);
    const { table } = await readTableWithReport(bytes, 'big.parquet');
    expect(table.batches).toHaveLength(1);
    expect(types(table)).toEqual({
      id: 'integer',
      count: 'integer',
      ts: 'datetime',
      label: 'categorical',
      code: 'text',
    });
    expect(String(table.getChild('count')!.type)).toBe('Float64');
    for (const i of [0, 1, 7, 999, 1000, 1001, 4321, rows - 1]) {
      const row = expectedRow(i);
      expect(Object.fromEntries(table.schema.names.map((c) => [c, table.getChild(c)!.get(i)]))).toEqual(row);
    }
  });

  it('keeps nulls in place across row groups, and int64 that fits becomes Int32', async () => {
    const n = 2_500;
    const ints = BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 3 - 7));
    const micros = BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_123_456n + BigInt(i) * 1_001n);
    const valid = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) if (i % 5 !== 2) valid[i >> 3]! |= 1 << (i & 7);
    const nulls = n - Math.ceil((n - 2) / 5);
    const children = [
      makeData({ type: new Int64(), length: n, nullCount: n - nulls, nullBitmap: valid, data: ints }),
      makeData({
        type: new TimestampMicrosecond(),
        length: n,
        nullCount: n - nulls,
        nullBitmap: valid,
        data: micros,
      }),
    ];
    const fields = [new Field('i', children[0]!.type, true), new Field('t', children[1]!.type, true)];
    const schema = new Schema(fields);
    const source = new Table(
      schema,
      new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children })),
    );
    const { table } = await readTableWithReport(await toParquet(source, 333), 'nulls.parquet');
    expect(String(table.getChild('i')!.type)).toBe('Int32');
    const got = values(table, 'i');
    const when = values(table, 't');
    for (let i = 0; i < n; i++) {
      if (i % 5 === 2) {
        expect(got[i]).toBeNull();
        expect(when[i]).toBeNull();
      } else {
        expect(got[i]).toBe(i * 3 - 7);
        // µs → ms rounds down: 1,700,000,000,123,456 µs is …123 ms.
        expect(when[i]).toBe(Math.floor((1_700_000_000_123_456 + i * 1_001) / 1000));
      }
    }
  });
});

describe('table memory', () => {
  it('counts a buffer shared by 1,000 slices once', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `value ${i}`);
    const whole = vectorFromArray(text, new Utf8()).data[0]!;
    const chunks = Array.from({ length: 1000 }, (_, k) => whole.slice(k * 100, 100));
    const field = new Field('s', whole.type, true);
    const schema = new Schema([field]);
    const table = new Table(
      schema,
      chunks.map(
        (c) =>
          new RecordBatch(
            schema,
            makeData({ type: new Struct([field]), length: 100, nullCount: 0, children: [c] }),
          ),
      ),
    );
    const own = whole.values.byteLength + whole.valueOffsets.byteLength;
    // Data.byteLength per chunk counts the whole character buffer each time (≈ 1,000 × own).
    const naive = chunks.reduce((sum, c) => sum + c.byteLength, 0);
    expect(naive).toBeGreaterThan(500 * own);
    expect(tableMemoryBytes(table)).toBeGreaterThanOrEqual(own * 0.99);
    expect(tableMemoryBytes(table)).toBeLessThanOrEqual(own * 1.01);
  });

  it('reports a loaded Parquet table near the size of its buffers', async () => {
    const bytes = writeBigParquet(await loadParquetWasm(), 50_000);
    const { table } = await readTableWithReport(bytes, 'm.parquet');
    // 50k rows: id 4 B, count 8 B, ts 8 B, label 4 B (+ dictionary), code ~4 B + 4 B offsets.
    const memory = tableMemoryBytes(table);
    expect(memory).toBeGreaterThan(50_000 * 28);
    expect(memory).toBeLessThan(50_000 * 40);
    // And an IPC round trip of it (the OPFS copy) is no larger than a few bytes per value.
    expect(tableFromIPC(tableToIPC(table)).numRows).toBe(50_000);
  });
});
