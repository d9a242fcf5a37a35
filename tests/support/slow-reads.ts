/**
 * Valid files that take long to read (for the cancel tests): the reader's work grows with something
 * other than the file's size, so a cancel mid-read can be tested without gigabytes of input.
 */
import {
  Bool,
  Field,
  Float64,
  Int32,
  List,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Table,
  tableToIPC,
} from 'apache-arrow';
import { loadParquetWasm } from '../../src/io/parquet';
import { readTableWithReport } from '../../src/io/read';

/** An Arrow IPC stream of `batches` batches of `rows` rows × 21 columns (int32, float64, bool). */
export function smallBatchesIpc(rows: number, batches: number): Uint8Array {
  const fields: Field[] = [];
  for (let c = 0; c < 7; c++) {
    fields.push(new Field(`i${c}`, new Int32(), true), new Field(`f${c}`, new Float64(), true));
    fields.push(new Field(`b${c}`, new Bool(), true));
  }
  const schema = new Schema(fields);
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  // The same batch each time: the reader's cost is per batch, whatever the values.
  const children = fields.map((f, k) => {
    if (f.type instanceof Int32)
      return makeData({ type: f.type, data: Int32Array.from({ length: rows }, (_, i) => i + k) });
    if (f.type instanceof Float64)
      return makeData({ type: f.type, data: Float64Array.from({ length: rows }, (_, i) => i * 0.5 + k) });
    return makeData({
      type: new Bool(),
      length: rows,
      data: Uint8Array.from({ length: (rows + 7) >> 3 }, (_, i) => (i * 37 + k) & 255),
    });
  });
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, children }));
  for (let b = 0; b < batches; b++) writer.write(batch);
  writer.finish();
  return writer.toUint8Array(true);
}

/** A Parquet file of `rows` rows: an id and two list<int32> columns of 3 items (in row groups of
 * `rowGroupRows` rows, else the writer's default of 1,048,576). */
export async function listsParquet(rows: number, rowGroupRows?: number): Promise<Uint8Array> {
  const item = new Field('item', new Int32(), false);
  const list = (k: number) =>
    makeData({
      type: new List(item),
      length: rows,
      nullCount: 0,
      valueOffsets: Int32Array.from({ length: rows + 1 }, (_, i) => i * 3),
      child: makeData({
        type: new Int32(),
        data: Int32Array.from({ length: rows * 3 }, (_, i) => (i * 7919 + k) % 1000),
      }),
    });
  const children = [
    makeData({ type: new Int32(), data: Int32Array.from({ length: rows }, (_, i) => i) }),
    list(1),
    list(2),
  ];
  const fields = ['id', 'a', 'b'].map((name, k) => new Field(name, children[k]!.type, false));
  const schema = new Schema(fields);
  const table = new Table(
    schema,
    new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, children })),
  );
  const wasm = await loadParquetWasm();
  let builder = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.ZSTD);
  if (rowGroupRows !== undefined) builder = builder.setMaxRowGroupSize(rowGroupRows);
  const props = builder.build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}

/** A JSON document of `records` records (id, x, name, flag, a date), built in chunks so that no
 * JS string of the whole document is made here. */
export function jsonDocument(records: number): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [encoder.encode('[')];
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    lines.push(
      `{"id":${i},"x":${(i * 7919) % 1000}.25,"name":"row ${i % 977}","flag":${i % 3 === 0},"when":"2024-01-${1 + (i % 28)}"}`,
    );
    if (lines.length === 10_000 || i === records - 1) {
      chunks.push(encoder.encode(`${lines.join(',')}${i === records - 1 ? ']' : ','}`));
      lines.length = 0;
    }
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A read of seconds of apache-arrow work (20,000 batches of 16 rows) cancelled 300 ms in: how long
 * after the cancel it settled, and what it threw (null: it finished).
 */
export async function cancelSlowArrowRead(): Promise<{ msAfterCancel: number; error: unknown }> {
  const slow = smallBatchesIpc(16, 20_000);
  const controller = new AbortController();
  const read = readTableWithReport(slow, 'slow.arrows', { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cancelledAt = performance.now();
  controller.abort();
  const error = await read.then(
    () => null,
    (e: unknown) => e,
  );
  return { msAfterCancel: performance.now() - cancelledAt, error };
}
