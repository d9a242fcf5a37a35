/**
 * Dataset columns in shared memory, so the compute pool's helpers read them where they are.
 *
 * A pooled kernel reads its inputs from SharedArrayBuffers (src/core/pool.ts); the Arrow tables a
 * parser builds sit in ordinary ArrayBuffers, and copying a column per call costs about what a
 * second core saves on a one-pass kernel (moments, scaling: ~0.2 s per 800 MB). So the catalog
 * moves a table's numeric columns into shared memory once, when the dataset is registered
 * (`shareTable`: one copy of each value buffer and validity bitmap; Arrow Data wraps any typed
 * array), and steps that write numeric columns allocate them there (`sharedFloat64`). Later kernels
 * then read the columns with no copy at all.
 *
 * Only fixed-width numeric columns (Arrow Int and Float) move: text goes through TextDecoder, which
 * refuses views of shared memory. Nothing moves for a table of one pool chunk or less (iris), nor
 * when the pool runs on one thread (no helpers, or a
 * page that is not cross-origin isolated, where a SharedArrayBuffer could not be posted anyway):
 * `sharingColumns()` is false and the tables stay as they are.
 */
import { type Data, makeData, RecordBatch, Struct, Table, Type } from 'apache-arrow';
import { CHUNK_ROWS, type ComputePool, computePool, isShared } from './pool';

/** Whether new numeric column buffers should go into shared memory (the pool has helpers). */
export const sharingColumns = (pool: ComputePool = computePool()): boolean => pool.threads > 1;

/** A zeroed Float64Array for a new column: shared when the pool has helpers, else ordinary. */
export function sharedFloat64(length: number, pool: ComputePool = computePool()): Float64Array {
  return pool.alloc(Float64Array, length);
}

type Numeric = Exclude<Data['values'], undefined>;

function sharedCopy<T extends ArrayBufferView>(array: T): T {
  if (isShared(array)) return array;
  const Ctor = array.constructor as new (b: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  (copy as unknown as { set(a: T): void }).set(array);
  return copy;
}

const isFixedNumeric = (d: Data): boolean =>
  (d.type.typeId === Type.Float || d.type.typeId === Type.Int) && ArrayBuffer.isView(d.values);

/** One chunk of a numeric column with its values (its rows only) and bitmap in shared memory. */
function sharedData(d: Data): Data {
  if (!isFixedNumeric(d)) return d;
  const values = d.values as Numeric;
  const bitmap = d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : undefined;
  if (isShared(values) && (!bitmap || isShared(bitmap))) return d;
  return makeData({
    type: d.type,
    offset: d.offset,
    length: d.length,
    nullCount: d.nullCount,
    nullBitmap: bitmap ? sharedCopy(bitmap) : undefined,
    // Arrow slices a chunk's values to its own rows (the bitmap keeps `offset`).
    data: sharedCopy(
      (values as unknown as { subarray(a: number, b: number): Numeric }).subarray(0, d.length),
    ),
  } as Parameters<typeof makeData>[0]) as Data;
}

/**
 * The table with its numeric columns' buffers in shared memory (one copy of each, made once);
 * the same table when the pool has no helpers or nothing needs to move. Schema and field metadata
 * are kept.
 */
export function shareTable(table: Table, pool: ComputePool = computePool()): Table {
  // A table of one chunk never reaches the helpers (a call needs two chunks): leave it alone.
  if (!sharingColumns(pool) || table.numCols === 0 || table.numRows <= CHUNK_ROWS) return table;
  let moved = false;
  const batches = table.batches.map((batch) => {
    const children = batch.data.children.map((child) => {
      const shared = sharedData(child);
      if (shared !== child) moved = true;
      return shared;
    });
    const struct = makeData({
      type: new Struct(table.schema.fields),
      length: batch.numRows,
      nullCount: 0,
      children,
    });
    return new RecordBatch(table.schema, struct);
  });
  return moved ? new Table(table.schema, batches) : table;
}
