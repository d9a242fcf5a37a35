/**
 * Reading Arrow columns for the profile and the quality report without a JS value per cell where
 * it matters: numbers and dates as Float64Array (NaN = missing), text as UTF-8 byte ranges.
 * Convention (as in src/pipeline/frame.ts): a chunk's value buffers start at its first value,
 * its validity bitmap at bit `offset`.
 */
import { type Data, makeVector, type Table, Type, type Vector } from 'apache-arrow';

export function isValid(d: Data, i: number): boolean {
  const bitmap = d.nullBitmap;
  if (d.nullCount === 0 || !bitmap || bitmap.length === 0) return true;
  const j = d.offset + i;
  return (((bitmap[j >>> 3] as number) >>> (j & 7)) & 1) === 1;
}

const MS_PER_DAY = 86_400_000;
/** Milliseconds per unit of Arrow's TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const TIME_UNIT_MS = [1000, 1, 1e-3, 1e-6];

/** Milliseconds per stored unit for date/timestamp chunks, 1 for plain numbers. */
function unitScale(d: Data): number {
  if (d.type.typeId === Type.Date) return (d.type as unknown as { unit: number }).unit === 0 ? MS_PER_DAY : 1;
  if (d.type.typeId === Type.Timestamp)
    return TIME_UNIT_MS[(d.type as unknown as { unit: number }).unit] ?? 1;
  return 1;
}

/** A numeric, date or timestamp column as Float64 (dates/timestamps in epoch ms), NaN = missing. */
export function readFloat64(vector: Vector): Float64Array {
  const out = new Float64Array(vector.length);
  let pos = 0;
  for (const d of vector.data) {
    const values = d.values as unknown;
    const scale = unitScale(d);
    const dense = d.nullCount === 0;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      // 64-bit integers as two 32-bit halves: no BigInt per cell.
      const w = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      const signed = values instanceof BigInt64Array;
      for (let i = 0; i < d.length; i++) {
        const hi = w[2 * i + 1] as number;
        const v = ((w[2 * i] as number) >>> 0) + (signed ? hi : hi >>> 0) * 4294967296;
        out[pos + i] = dense || isValid(d, i) ? v * scale : Number.NaN;
      }
    } else if (
      (d.type.typeId === Type.Int || d.type.typeId === Type.Float || d.type.typeId === Type.Date) &&
      ArrayBuffer.isView(values) &&
      d.type.typeId !== Type.Float16
    ) {
      const nums = values as unknown as ArrayLike<number>;
      if (dense && scale === 1) out.set(nums instanceof Float64Array ? nums : Float64Array.from(nums), pos);
      else
        for (let i = 0; i < d.length; i++)
          out[pos + i] = dense || isValid(d, i) ? (nums[i] as number) * scale : Number.NaN;
    } else {
      const chunk = makeVector(d);
      for (let i = 0; i < d.length; i++) {
        const v = chunk.get(i) as unknown;
        out[pos + i] =
          v === null || v === undefined ? Number.NaN : v instanceof Date ? v.getTime() : Number(v);
      }
    }
    pos += d.length;
  }
  return out;
}

/** Calls visit(bytes, start, end, row) for every present string of a Utf8 column, in row order;
 * returns the number of missing cells. Other column kinds go through their string values. */
export function forEachUtf8(
  vector: Vector,
  visit: (bytes: Uint8Array, start: number, end: number, row: number) => void,
): number {
  let missing = 0;
  let pos = 0;
  const encoder = new TextEncoder();
  for (const d of vector.data) {
    const offsets = d.valueOffsets as Int32Array | undefined;
    const bytes = d.values as Uint8Array | undefined;
    if ((d.type.typeId === Type.Utf8 || d.type.typeId === Type.Binary) && offsets && bytes) {
      for (let i = 0; i < d.length; i++) {
        if (isValid(d, i)) visit(bytes, offsets[i] as number, offsets[i + 1] as number, pos + i);
        else missing++;
      }
    } else {
      const chunk = makeVector(d);
      for (let i = 0; i < d.length; i++) {
        const v = chunk.get(i) as unknown;
        if (v === null || v === undefined) missing++;
        else {
          const b = encoder.encode(String(v));
          visit(b, 0, b.length, pos + i);
        }
      }
    }
    pos += d.length;
  }
  return missing;
}

export interface DictionaryCounts {
  /** Present values by label, with counts. */
  counts: Map<string, number>;
  missing: number;
}

/** Counts of a dictionary or boolean column by label (keys counted as integers, labels looked up
 * once per dictionary entry). Booleans are labelled 'True'/'False' as in the pipeline. */
export function countLabels(vector: Vector): DictionaryCounts {
  const counts = new Map<string, number>();
  let missing = 0;
  const add = (label: string, c: number) => counts.set(label, (counts.get(label) ?? 0) + c);
  for (const d of vector.data) {
    if (d.type.typeId === Type.Dictionary && d.dictionary) {
      const dict = d.dictionary;
      const keyCounts = new Float64Array(dict.length);
      const keys = d.values as ArrayLike<number>;
      for (let i = 0; i < d.length; i++) {
        if (d.nullCount === 0 || isValid(d, i)) keyCounts[keys[i] as number]!++;
        else missing++;
      }
      for (let k = 0; k < dict.length; k++) {
        const c = keyCounts[k] as number;
        if (c === 0) continue;
        const v = dict.get(k) as unknown;
        if (v === null || v === undefined) missing += c;
        else add(String(v), c);
      }
    } else {
      const chunk = makeVector(d);
      let t = 0;
      let f = 0;
      for (let i = 0; i < d.length; i++) {
        const v = chunk.get(i) as unknown;
        if (v === null || v === undefined) missing++;
        else if (typeof v === 'boolean') v ? t++ : f++;
        else add(String(v), 1);
      }
      if (t) add('True', t);
      if (f) add('False', f);
    }
  }
  return { counts, missing };
}

export function columnOf(table: Table, name: string): Vector {
  const v = table.getChild(name);
  if (!v) throw new Error(`Column "${name}" is not in the table.`);
  return v;
}
