/**
 * A large Parquet file like the one issue #15 measured (rows × 5: int32, int64, timestamp[µs],
 * two large_utf8 — one with 40 distinct labels, one with a distinct code per row), made by
 * parquet-wasm's writer from buffers built in bulk. Used by the Parquet benchmark (3M rows, in
 * Node) and the browser test (1M rows, in the page). `expectedRow` gives any row's values, so a
 * test can check rows it picks without keeping the source table.
 */
import {
  type Data,
  Field,
  Int32,
  Int64,
  LargeUtf8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  tableToIPC,
} from 'apache-arrow';
import type { ParquetWasm } from '../../src/io/parquet';

export const BIG_PARQUET_LABELS = 40;
/** 2024-01-01T00:00:00Z in microseconds; row i is i × 1.5 s later. */
const START_US = 1_704_067_200_000_000n;

export interface BigRow {
  id: number;
  count: number;
  /** ms since epoch, as the reader returns datetimes. */
  ts: number;
  label: string;
  code: string;
}

/** The values of row i (a pure function: no table needs to stay in memory). */
export function expectedRow(i: number): BigRow {
  return {
    id: i,
    // Past int32 every 7th row, so the int64 column has to stay 64-bit → Float64.
    count: i % 7 === 0 ? 3_000_000_000 + i : i * 3 - 1_000_000,
    ts: Number((START_US + BigInt(i) * 1_500_000n) / 1000n),
    label: `label-${(i * 7919) % BIG_PARQUET_LABELS}`,
    code: `c${i.toString(36)}`,
  };
}

function largeUtf8(rows: number, text: (i: number) => string): Data {
  const encoder = new TextEncoder();
  const offsets = new BigInt64Array(rows + 1);
  let bytes = new Uint8Array(rows * 8);
  let pos = 0;
  for (let i = 0; i < rows; i++) {
    const s = text(i);
    if (pos + s.length * 3 > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2 + s.length * 3);
      grown.set(bytes.subarray(0, pos));
      bytes = grown;
    }
    pos += encoder.encodeInto(s, bytes.subarray(pos)).written;
    offsets[i + 1] = BigInt(pos);
  }
  return makeData({
    type: new LargeUtf8(),
    length: rows,
    nullCount: 0,
    valueOffsets: offsets,
    data: bytes.slice(0, pos),
  });
}

/** The source table (one batch). */
export function bigParquetTable(rows: number): Table {
  const id = new Int32Array(rows);
  const count = new BigInt64Array(rows);
  const ts = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = expectedRow(i);
    id[i] = r.id;
    count[i] = BigInt(r.count);
    ts[i] = START_US + BigInt(i) * 1_500_000n;
  }
  const children = [
    makeData({ type: new Int32(), length: rows, nullCount: 0, data: id }),
    makeData({ type: new Int64(), length: rows, nullCount: 0, data: count }),
    makeData({ type: new TimestampMicrosecond(), length: rows, nullCount: 0, data: ts }),
    largeUtf8(rows, (i) => expectedRow(i).label),
    largeUtf8(rows, (i) => expectedRow(i).code),
  ];
  const fields = ['id', 'count', 'ts', 'label', 'code'].map(
    (name, k) => new Field(name, children[k]!.type, false),
  );
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table(schema, new RecordBatch(schema, data));
}

/** `bigParquetTable(rows)` as a ZSTD-compressed Parquet file. */
export function writeBigParquet(wasm: ParquetWasm, rows: number): Uint8Array {
  const props = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.ZSTD).build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(bigParquetTable(rows), 'stream')), props);
}
