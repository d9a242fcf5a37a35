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
import './arrow-schema';
import { codeOf } from '../core/frame';
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
  /** All present, or with `present = false` all missing (for sparse columns: `setValid` each value). */
  constructor(
    readonly length: number,
    present = true,
  ) {
    this.bits = new Uint8Array((length + 7) >>> 3);
    if (present) this.bits.fill(0xff);
    else this.nullCount = length;
  }
  setNull(i: number): void {
    this.bits[i >>> 3]! &= ~(1 << (i & 7));
    this.nullCount++;
  }
  /** Mark a missing value i present (each i at most once). */
  setValid(i: number): void {
    this.bits[i >>> 3]! |= 1 << (i & 7);
    this.nullCount--;
  }
  isValid(i: number): boolean {
    return (this.bits[i >>> 3]! & (1 << (i & 7))) !== 0;
  }
  /** The bitmap to hand to Arrow (none when nothing is missing). */
  get bitmap(): Uint8Array | undefined {
    return this.nullCount === 0 ? undefined : this.bits;
  }
  /** makeData's length, null count and null bitmap for a column with this validity. */
  props(length = this.length): { length: number; nullCount: number; nullBitmap: Uint8Array | undefined } {
    return { length, nullCount: this.nullCount, nullBitmap: this.bitmap };
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
      return makeData({ type: new Int32(), ...validity.props(length), data: ints });
    }
  }
  return makeData({ type: new Float64(), ...validity.props(length), data: values });
}

/** Values are 0/1 (or any number: non-zero = true). */
export function boolData(values: ArrayLike<number>, validity: Validity): Data {
  const length = validity.length;
  const bits = new Uint8Array((length + 7) >>> 3);
  for (let i = 0; i < length; i++) if (values[i]) bits[i >>> 3]! |= 1 << (i & 7);
  return makeData({ type: new Bool(), ...validity.props(), data: bits });
}

/** From ms since epoch (UTC midnight for dates). */
export function dateDayData(ms: ArrayLike<number>, validity: Validity): Data {
  const length = validity.length;
  const days = new Int32Array(length);
  for (let i = 0; i < length; i++) days[i] = validity.isValid(i) ? Math.floor(ms[i]! / MS_PER_DAY) : 0;
  return makeData({ type: new DateDay(), ...validity.props(), data: days });
}

export function timestampData(ms: ArrayLike<number>, validity: Validity): Data {
  const length = validity.length;
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) out[i] = validity.isValid(i) ? BigInt(Math.round(ms[i]!)) : 0n;
  return makeData({ type: new TimestampMillisecond(), ...validity.props(), data: out });
}

export function utf8Data(offsets: Int32Array, bytes: Uint8Array, validity: Validity): Data {
  return makeData({ type: new Utf8(), ...validity.props(), valueOffsets: offsets, data: bytes });
}

/**
 * Ids of the dictionaries made here start far above the small ids of a file's own dictionaries
 * (writers number them from 0): a table that keeps a file's dictionary column next to one made
 * here must not hold two dictionaries under one id, or writing it as IPC fails. Starting from 0,
 * the first Arrow read of a fresh thread failed that way. (core/frame.ts counts from 2^20, the
 * synthetic columns from 1e9.)
 */
let nextDictionaryId = 1 << 26;

export function dictionaryData(indices: Int32Array, dictionary: Data, validity: Validity): Data {
  const type = new Dictionary(new Utf8(), new Int32(), nextDictionaryId++);
  return makeData({
    type,
    ...validity.props(),
    data: indices,
    dictionary: makeVector(dictionary as Data<Utf8>),
  });
}

const encoder = new TextEncoder();

/** Which of `length` rows have a string: `values[j]` (null = missing) is row j, or row `rows[j]`. */
function stringsValidity(
  values: readonly (string | null)[],
  rows: ArrayLike<number> | undefined,
  length: number,
): Validity {
  const validity = new Validity(length, rows === undefined);
  for (let j = 0; j < values.length; j++) {
    const missing = values[j] === null || values[j] === undefined;
    if (rows === undefined) {
      if (missing) validity.setNull(j);
    } else if (!missing) validity.setValid(rows[j]!);
  }
  return validity;
}

/**
 * Utf8 data from JS strings (null = missing). With `rows`, `values[j]` is the value of row
 * `rows[j]` of a column of `length` rows and every other row is missing (sparse JSON keys).
 */
export function utf8FromStrings(
  values: readonly (string | null)[],
  rows?: ArrayLike<number>,
  length = values.length,
): Data {
  const validity = stringsValidity(values, rows, length);
  const encoded: (Uint8Array | null)[] = new Array(values.length);
  let total = 0;
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (v === null || v === undefined) encoded[j] = null;
    else {
      const b = encoder.encode(v);
      encoded[j] = b;
      total += b.length;
    }
  }
  const offsets = new Int32Array(length + 1);
  const bytes = new Uint8Array(total);
  let pos = 0;
  let row = 0;
  for (let j = 0; j < encoded.length; j++) {
    const at = rows === undefined ? j : rows[j]!;
    // Rows skipped by a sparse column are empty: their offsets repeat the last end.
    while (row < at) offsets[++row] = pos;
    const b = encoded[j];
    if (b) {
      bytes.set(b, pos);
      pos += b.length;
    }
    offsets[++row] = pos;
  }
  while (row < length) offsets[++row] = pos;
  return utf8Data(offsets, bytes, validity);
}

/** Dictionary<Utf8, Int32> from JS strings, categories in order of first appearance (`rows` and
 * `length` as in `utf8FromStrings`). */
export function dictionaryFromStrings(
  values: readonly (string | null)[],
  rows?: ArrayLike<number>,
  length = values.length,
): Data {
  const validity = stringsValidity(values, rows, length);
  const index = new Map<string, number>();
  const categories: string[] = [];
  const indices = new Int32Array(length);
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (v !== null && v !== undefined)
      indices[rows === undefined ? j : rows[j]!] = codeOf(v, index, categories);
  }
  return dictionaryData(indices, utf8FromStrings(categories), validity);
}

/**
 * Column names made usable: empty → column_<n>, repeats → name_2, name_3… Linear: each name keeps
 * the next suffix to try, so 100,000 copies of one name do not rescan the suffixes already taken.
 */
export function uniqueNames(raw: readonly string[]): string[] {
  const used = new Set<string>();
  const nextSuffix = new Map<string, number>();
  return raw.map((r, i) => {
    const base = r === '' ? `column_${i + 1}` : r;
    let name = base;
    if (used.has(name)) {
      let k = nextSuffix.get(base) ?? 2;
      while (used.has(`${base}_${k}`)) k++;
      name = `${base}_${k}`;
      nextSuffix.set(base, k + 1);
    }
    used.add(name);
    return name;
  });
}

export function fieldFor(name: string, type: ColumnType, arrowType: DataType, inferred?: ColumnType): Field {
  const metadata = new Map([[TYPE_METADATA_KEY, type]]);
  if (inferred !== undefined && inferred !== type) metadata.set(INFERRED_METADATA_KEY, inferred);
  return new Field(name, arrowType, true, metadata);
}

/**
 * `new RecordBatch(schema, data)` without its cost: apache-arrow's constructor re-derives the
 * schema through `Schema.assign`, which looks every field up by name in the fields before it —
 * quadratic, minutes for a 100,000-column CSV. When every child already has the batch's length
 * (what that constructor would otherwise repair) the batch is just these three properties.
 */
export function recordBatchOf(schema: Schema, data: Data<Struct>): RecordBatch {
  const sameLength = data.children.every((c) => c.length === data.length);
  if (!sameLength || data.children.length !== schema.fields.length) return new RecordBatch(schema, data);
  const batch = Object.create(RecordBatch.prototype) as RecordBatch;
  Object.assign(batch, { schema, data, _metadata: new Map() });
  return batch;
}

/** A one-batch table of `schema` from one Data per field, all of length `rows`. */
export function tableFromData(schema: Schema, children: Data[], rows: number): Table {
  const struct = makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children });
  return new Table(schema, recordBatchOf(schema, struct));
}

/** A one-batch table from columns of equal length. */
export function tableFromColumns(columns: readonly BuiltColumn[], length?: number): Table {
  const fields = columns.map((c) => fieldFor(c.name, c.type, c.data.type, c.inferred));
  const rows = length ?? columns[0]?.data.length ?? 0;
  return tableFromData(
    new Schema(fields),
    columns.map((c) => c.data),
    rows,
  );
}
