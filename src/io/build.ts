/**
 * Arrow columns from typed arrays, without Arrow's per-value builders: each ColumnType maps to one
 * Arrow type (integer → Int32, or Float64 outside the int32 range; float → Float64; boolean → Bool;
 * date → DateDay; datetime → TimestampMillisecond; categorical → Dictionary<Utf8, Int32>;
 * text → Utf8), and every field carries its ColumnType under TYPE_METADATA_KEY.
 */
import {
  Bool,
  type Data,
  type DataType,
  DateDay,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { type ColumnType, TYPE_METADATA_KEY } from '../core/types';
import { MS_PER_DAY } from './infer';

/** Field metadata key holding the type inference chose (differs from the type after an override). */
export const INFERRED_METADATA_KEY = 'benchtop.inferredType';

export interface BuiltColumn {
  name: string;
  type: ColumnType;
  data: Data;
  inferred?: ColumnType;
}

/** A validity bitmap being filled: bit i set = value i present. */
export class Validity {
  readonly bits: Uint8Array;
  nullCount = 0;
  constructor(readonly length: number) {
    this.bits = new Uint8Array((length + 7) >>> 3).fill(0xff);
  }
  setNull(i: number): void {
    this.bits[i >>> 3]! &= ~(1 << (i & 7));
    this.nullCount++;
  }
  isValid(i: number): boolean {
    return (this.bits[i >>> 3]! & (1 << (i & 7))) !== 0;
  }
  /** The bitmap to hand to Arrow (none when nothing is missing). */
  get bitmap(): Uint8Array | undefined {
    return this.nullCount === 0 ? undefined : this.bits;
  }
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** integer → Int32 when every present value fits, else Float64; float → Float64. */
export function numericData(values: Float64Array, validity: Validity, integer: boolean): Data {
  const length = values.length;
  if (integer) {
    let fits = true;
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if (v < INT32_MIN || v > INT32_MAX) {
        if (validity.isValid(i)) {
          fits = false;
          break;
        }
      }
    }
    if (fits) {
      const ints = new Int32Array(length);
      for (let i = 0; i < length; i++) ints[i] = values[i]!;
      return makeData({
        type: new Int32(),
        length,
        nullCount: validity.nullCount,
        nullBitmap: validity.bitmap,
        data: ints,
      });
    }
  }
  return makeData({
    type: new Float64(),
    length,
    nullCount: validity.nullCount,
    nullBitmap: validity.bitmap,
    data: values,
  });
}

/** Values are 0/1 (or any number: non-zero = true). */
export function boolData(values: ArrayLike<number>, validity: Validity): Data {
  const length = validity.length;
  const bits = new Uint8Array((length + 7) >>> 3);
  for (let i = 0; i < length; i++) if (values[i]) bits[i >>> 3]! |= 1 << (i & 7);
  return makeData({
    type: new Bool(),
    length,
    nullCount: validity.nullCount,
    nullBitmap: validity.bitmap,
    data: bits,
  });
}

/** From ms since epoch (UTC midnight for dates). */
export function dateDayData(ms: ArrayLike<number>, validity: Validity): Data {
  const length = validity.length;
  const days = new Int32Array(length);
  for (let i = 0; i < length; i++) days[i] = validity.isValid(i) ? Math.floor(ms[i]! / MS_PER_DAY) : 0;
  return makeData({
    type: new DateDay(),
    length,
    nullCount: validity.nullCount,
    nullBitmap: validity.bitmap,
    data: days,
  });
}

export function timestampData(ms: ArrayLike<number>, validity: Validity): Data {
  const length = validity.length;
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) out[i] = validity.isValid(i) ? BigInt(Math.round(ms[i]!)) : 0n;
  return makeData({
    type: new TimestampMillisecond(),
    length,
    nullCount: validity.nullCount,
    nullBitmap: validity.bitmap,
    data: out,
  });
}

export function utf8Data(offsets: Int32Array, bytes: Uint8Array, validity: Validity): Data {
  return makeData({
    type: new Utf8(),
    length: validity.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.bitmap,
    valueOffsets: offsets,
    data: bytes,
  });
}

let nextDictionaryId = 0;

export function dictionaryData(indices: Int32Array, dictionary: Data, validity: Validity): Data {
  const type = new Dictionary(new Utf8(), new Int32(), nextDictionaryId++);
  return makeData({
    type,
    length: validity.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.bitmap,
    data: indices,
    dictionary: makeVector(dictionary as Data<Utf8>),
  });
}

const encoder = new TextEncoder();

/** Utf8 data from JS strings (null = missing). */
export function utf8FromStrings(values: readonly (string | null)[]): Data {
  const validity = new Validity(values.length);
  const encoded: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity.setNull(i);
      encoded.push(new Uint8Array(0));
    } else {
      const b = encoder.encode(v);
      encoded.push(b);
      total += b.length;
    }
  }
  const offsets = new Int32Array(values.length + 1);
  const bytes = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < encoded.length; i++) {
    const b = encoded[i]!;
    bytes.set(b, pos);
    pos += b.length;
    offsets[i + 1] = pos;
  }
  return utf8Data(offsets, bytes, validity);
}

/** Dictionary<Utf8, Int32> from JS strings, categories in order of first appearance. */
export function dictionaryFromStrings(values: readonly (string | null)[]): Data {
  const validity = new Validity(values.length);
  const index = new Map<string, number>();
  const categories: string[] = [];
  const indices = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity.setNull(i);
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = categories.length;
      index.set(v, k);
      categories.push(v);
    }
    indices[i] = k;
  }
  return dictionaryData(indices, utf8FromStrings(categories), validity);
}

export function fieldFor(name: string, type: ColumnType, arrowType: DataType, inferred?: ColumnType): Field {
  const metadata = new Map([[TYPE_METADATA_KEY, type]]);
  if (inferred !== undefined && inferred !== type) metadata.set(INFERRED_METADATA_KEY, inferred);
  return new Field(name, arrowType, true, metadata);
}

/** A one-batch table from columns of equal length. */
export function tableFromColumns(columns: readonly BuiltColumn[], length?: number): Table {
  const fields = columns.map((c) => fieldFor(c.name, c.type, c.data.type, c.inferred));
  const schema = new Schema(fields);
  const rows = length ?? columns[0]?.data.length ?? 0;
  const struct = makeData({
    type: new Struct(fields),
    length: rows,
    nullCount: 0,
    children: columns.map((c) => c.data),
  });
  return new Table(schema, new RecordBatch(schema, struct));
}
