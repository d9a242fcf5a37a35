/**
 * Bring a table read from Arrow IPC or Parquet to the project's column contract: one canonical
 * Arrow type per ColumnType (see build.ts), TYPE_METADATA_KEY on every field, structs flattened
 * to `a.b` columns, lists/maps/binary kept as JSON text with a warning, and one chunk per column.
 *
 * Columns are converted in bulk, buffer by buffer (a Parquet file arrives as thousands of
 * 1,024-row batches): int64 becomes Int32 after one range check over the whole buffer (Float64
 * when a value does not fit), timestamps become milliseconds by arithmetic on the 32-bit halves,
 * strings are dictionary-encoded once by their bytes. Only rare types (decimals, float16, string
 * views, declared types that differ from the stored one) go value by value.
 *
 * String columns follow the CSV/JSON rule (`isCategorical` in infer.ts): few distinct values make
 * a categorical column, otherwise text. Dictionary-encoded columns stay categorical; a type the
 * file declares under TYPE_METADATA_KEY (our own saved files) wins.
 */
import {
  Bool,
  type Data,
  type DataType,
  DateDay,
  type Field,
  Float64,
  Int32,
  makeData,
  makeVector,
  Schema,
  type Struct,
  type Table,
  TimestampMillisecond,
  Type,
  type Vector,
} from 'apache-arrow';
import { EngineError, isEngineError } from '../core/errors';
import type { Progress } from '../core/job';
import { type ColumnType, isColumnType, TYPE_METADATA_KEY } from '../core/types';
import {
  dictionaryData,
  fieldFor,
  tableFromData,
  uniqueNames,
  utf8Data,
  utf8FromStrings,
  Validity,
} from './build';
import { ByteDictionary } from './dictionary';
import { categoricalLimit, isCategorical, MS_PER_DAY } from './infer';
import { columnFromValues, valueToText } from './values';

/** The ColumnType an Arrow type maps to, or null for types kept as JSON text. */
export function columnTypeOfArrow(type: DataType): ColumnType | null {
  switch (type.typeId) {
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64:
      return 'integer';
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
    case Type.Decimal:
      return 'float';
    case Type.Bool:
      return 'boolean';
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return 'date';
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond:
      return 'datetime';
    case Type.Dictionary:
      return 'categorical';
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return 'text';
    default:
      return null;
  }
}

/** Whether `type` already is the canonical Arrow type of `columnType`. */
function isCanonical(type: DataType, columnType: ColumnType): boolean {
  const t = type as unknown as {
    bitWidth: number;
    isSigned: boolean;
    precision: number;
    unit: number;
    dictionary: DataType;
    indices: { bitWidth: number; isSigned: boolean };
  };
  switch (columnType) {
    case 'integer':
      return type.typeId === Type.Int && t.bitWidth === 32 && t.isSigned;
    case 'float':
      return type.typeId === Type.Float && t.precision === 2;
    case 'boolean':
      return type.typeId === Type.Bool;
    case 'date':
      return type.typeId === Type.Date && t.unit === 0;
    case 'datetime':
      return type.typeId === Type.Timestamp && t.unit === 1;
    case 'categorical':
      return (
        type.typeId === Type.Dictionary &&
        t.dictionary.typeId === Type.Utf8 &&
        t.indices.bitWidth === 32 &&
        t.indices.isSigned
      );
    case 'text':
      return type.typeId === Type.Utf8;
  }
}

const INT32_MAX = 2147483647;
const TWO_32 = 4294967296;
/** JS Dates span ±8.64e15 ms (±100,000,000 days) around 1970: beyond, profile and CSV export fail. */
const MAX_MS = 8.64e15;

/** Per-chunk validity: bit (offset + i) of the bitmap, or always valid. */
function validityReader(d: Data): ((i: number) => boolean) | null {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return null;
  const bits = d.nullBitmap;
  const offset = d.offset;
  return (i) => {
    const j = offset + i;
    return ((bits[j >>> 3]! >>> (j & 7)) & 1) === 1;
  };
}

/** The chunks' validity concatenated. */
function validityOf(chunks: readonly Data[], n: number): Validity {
  const v = new Validity(n);
  let pos = 0;
  for (const d of chunks) {
    const valid = validityReader(d);
    if (valid) for (let i = 0; i < d.length; i++) if (!valid(i)) v.setNull(pos + i);
    pos += d.length;
  }
  return v;
}

/** A 64-bit buffer viewed as 32-bit halves (little-endian: low word first). */
function halves(values: BigInt64Array | BigUint64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** Write `ms` (an integer below 2^53) as int64 element i of `out` (its 32-bit halves). */
function writeInt64(out: Int32Array, i: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  out[2 * i] = (v - hi * TWO_32) | 0;
  out[2 * i + 1] = hi;
}

interface Converted {
  data: Data;
  warnings: string[];
}

function numberData(values: Int32Array | Float64Array, validity: Validity): Data {
  const common = { length: values.length, nullCount: validity.nullCount, nullBitmap: validity.bitmap };
  return values instanceof Int32Array
    ? makeData({ type: new Int32(), data: values, ...common })
    : makeData({ type: new Float64(), data: values, ...common });
}

const isSmallInt = (v: unknown): v is Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array =>
  v instanceof Int8Array ||
  v instanceof Int16Array ||
  v instanceof Int32Array ||
  v instanceof Uint8Array ||
  v instanceof Uint16Array;

/** Integer columns of any width → Int32 when every present value fits, else Float64. */
function integers(chunks: readonly Data[], n: number, name: string, float: boolean): Converted | null {
  let fits = !float;
  for (const d of chunks) {
    if (!fits) break;
    const values = d.values as unknown;
    const valid = validityReader(d);
    if (isSmallInt(values)) continue;
    if (values instanceof Uint32Array) {
      for (let i = 0; i < d.length; i++) if (values[i]! > INT32_MAX && (!valid || valid(i))) fits = false;
    } else if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      const h = halves(values);
      const unsigned = values instanceof BigUint64Array;
      for (let i = 0; i < d.length; i++) {
        const lo = h[2 * i]!;
        const hi = h[2 * i + 1]!;
        const ok = unsigned ? hi === 0 && lo >= 0 : hi === lo >> 31;
        if (!ok && (!valid || valid(i))) {
          fits = false;
          break;
        }
      }
    } else return null;
  }
  const out = fits ? new Int32Array(n) : new Float64Array(n);
  let inexact = 0;
  let pos = 0;
  for (const d of chunks) {
    const values = d.values as unknown;
    if (isSmallInt(values) || values instanceof Uint32Array) out.set(values.subarray(0, d.length), pos);
    else if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      const h = halves(values);
      if (fits) for (let i = 0; i < d.length; i++) out[pos + i] = h[2 * i]!;
      else {
        const unsigned = values instanceof BigUint64Array;
        for (let i = 0; i < d.length; i++) {
          const hi = unsigned ? h[2 * i + 1]! >>> 0 : h[2 * i + 1]!;
          const v = hi * TWO_32 + (h[2 * i]! >>> 0);
          out[pos + i] = v;
          if (v > Number.MAX_SAFE_INTEGER || v < -Number.MAX_SAFE_INTEGER) inexact++;
        }
      }
    } else return null;
    pos += d.length;
  }
  const validity = validityOf(chunks, n);
  const warnings =
    inexact > 0
      ? [`${inexact} values of column "${name}" are beyond ±2^53 and were rounded to the nearest float.`]
      : [];
  return { data: numberData(out, validity), warnings };
}

function floats(chunks: readonly Data[], n: number): Converted | null {
  const out = new Float64Array(n);
  let pos = 0;
  for (const d of chunks) {
    const values = d.values as unknown;
    if (!(values instanceof Float64Array || values instanceof Float32Array)) return null;
    out.set(values.subarray(0, d.length), pos);
    pos += d.length;
  }
  return { data: numberData(out, validityOf(chunks, n)), warnings: [] };
}

function booleans(chunks: readonly Data[], n: number): Converted {
  const bits = new Uint8Array((n + 7) >>> 3);
  let pos = 0;
  for (const d of chunks) {
    const src = d.values as Uint8Array;
    for (let i = 0; i < d.length; i++) {
      const j = d.offset + i;
      if ((src[j >>> 3]! >>> (j & 7)) & 1) bits[(pos + i) >>> 3]! |= 1 << ((pos + i) & 7);
    }
    pos += d.length;
  }
  const validity = validityOf(chunks, n);
  return {
    data: makeData({
      type: new Bool(),
      length: n,
      nullCount: validity.nullCount,
      nullBitmap: validity.bitmap,
      data: bits,
    }),
    warnings: [],
  };
}

/** A date/timestamp unit as ms: × `times`, or ÷ `per` for sub-millisecond units (a division
 * by 1000 is exact where a multiplication by 0.001 is not). */
function unitToMs(type: DataType): { times: number; per: number } {
  const unit = (type as unknown as { unit: number }).unit;
  if (type.typeId === Type.Date) return { times: unit === 0 ? MS_PER_DAY : 1, per: 1 };
  return (
    [
      { times: 1000, per: 1 },
      { times: 1, per: 1 },
      { times: 1, per: 1000 },
      { times: 1, per: 1e6 },
    ][unit] ?? { times: 1, per: 1 }
  );
}

/**
 * Dates and timestamps → DateDay (days) or TimestampMillisecond (ms), by arithmetic on each
 * chunk's buffer. Values outside what a JS Date can hold become missing, with a warning.
 */
function temporal(
  chunks: readonly Data[],
  n: number,
  name: string,
  to: 'date' | 'datetime',
): Converted | null {
  const validity = validityOf(chunks, n);
  const days = to === 'date' ? new Int32Array(n) : null;
  const ms = to === 'datetime' ? new BigInt64Array(n) : null;
  const msHalves = ms ? halves(ms) : null;
  let outOfRange = 0;
  let pos = 0;
  const put = (k: number, millis: number): void => {
    if (!(Math.abs(millis) <= MAX_MS)) {
      if (validity.isValid(k)) {
        validity.setNull(k);
        outOfRange++;
      }
      return;
    }
    if (days) days[k] = Math.floor(millis / MS_PER_DAY);
    else writeInt64(msHalves!, k, Math.floor(millis));
  };
  for (const d of chunks) {
    const values = d.values as unknown;
    const { times, per } = unitToMs(d.type);
    if (values instanceof Int32Array) {
      for (let i = 0; i < d.length; i++) put(pos + i, values[i]! * times);
    } else if (values instanceof BigInt64Array) {
      const h = halves(values);
      const bigPer = BigInt(per);
      for (let i = 0; i < d.length; i++) {
        const hi = h[2 * i + 1]!;
        if (hi > 0x1fffff || hi < -0x200000) {
          // Beyond ±2^53 units (nanoseconds after ~2255): floor division in BigInt.
          const v = values[i]!;
          const q = v / bigPer;
          put(pos + i, Number(q * bigPer > v ? q - 1n : q) * times);
        } else put(pos + i, ((hi * TWO_32 + (h[2 * i]! >>> 0)) * times) / per);
      }
    } else return null;
    pos += d.length;
  }
  const warnings =
    outOfRange > 0
      ? [
          `${outOfRange} values of column "${name}" lie outside the dates JavaScript can represent (about 271,821 BC to 275,760 AD) and became missing.`,
        ]
      : [];
  const data = days
    ? makeData({
        type: new DateDay(),
        length: n,
        nullCount: validity.nullCount,
        nullBitmap: validity.bitmap,
        data: days,
      })
    : makeData({
        type: new TimestampMillisecond(),
        length: n,
        nullCount: validity.nullCount,
        nullBitmap: validity.bitmap,
        data: ms!,
      });
  return { data, warnings };
}

/** Utf8 / LargeUtf8 chunks → one Utf8 buffer, or dictionary-encoded when `limit` allows. */
function strings(
  chunks: readonly Data[],
  n: number,
  name: string,
  declared: ColumnType | undefined,
): Converted | null {
  const validity = validityOf(chunks, n);
  for (const d of chunks) {
    const t = d.type.typeId;
    if (t !== Type.Utf8 && t !== Type.LargeUtf8) return null;
  }
  // Offsets as 32-bit values: a LargeUtf8 chunk's offsets fit, its data lies inside the file.
  const offsetsOf = (d: Data): { at: (i: number) => number } => {
    const o = d.valueOffsets as unknown;
    if (o instanceof BigInt64Array) {
      const h = halves(o);
      return { at: (i) => h[2 * i]! };
    }
    const small = o as Int32Array;
    return { at: (i) => small[i]! };
  };
  const nonMissing = n - validity.nullCount;
  if (declared !== 'text' && nonMissing > 0) {
    const forced = declared === 'categorical';
    const dictionary = new ByteDictionary(forced ? n + 1 : categoricalLimit(nonMissing), n);
    const indices = new Int32Array(n);
    let pos = 0;
    let ok = true;
    for (const d of chunks) {
      const offsets = offsetsOf(d);
      const bytes = d.values as Uint8Array;
      for (let i = 0; i < d.length && ok; i++) {
        if (!validity.isValid(pos + i)) continue;
        const id = dictionary.add(bytes, offsets.at(i), offsets.at(i + 1));
        if (id < 0) ok = false;
        else indices[pos + i] = id;
      }
      if (!ok) break;
      pos += d.length;
    }
    if (ok && (forced || isCategorical(dictionary.distinct, nonMissing))) {
      return { data: dictionaryData(indices, dictionary.values(), validity), warnings: [] };
    }
  }
  let total = 0;
  for (const d of chunks) {
    const offsets = offsetsOf(d);
    total += offsets.at(d.length) - offsets.at(0);
  }
  if (total > INT32_MAX) {
    throw new EngineError('SchemaError', `Column "${name}" holds more than 2 GB of text.`, {
      hint: 'Load fewer rows or drop the column.',
    });
  }
  const out = new Uint8Array(total);
  const outOffsets = new Int32Array(n + 1);
  let pos = 0;
  let at = 0;
  for (const d of chunks) {
    const offsets = offsetsOf(d);
    const first = offsets.at(0);
    const last = offsets.at(d.length);
    out.set((d.values as Uint8Array).subarray(first, last), at);
    for (let i = 1; i <= d.length; i++) outOffsets[pos + i] = at + offsets.at(i) - first;
    at += last - first;
    pos += d.length;
  }
  return { data: utf8Data(outOffsets, out, validity), warnings: [] };
}

/** Dictionary chunks → one Dictionary<Utf8, Int32>: dictionaries merged (used entries, in
 * dictionary order), indices remapped buffer by buffer. */
function categories(chunks: readonly Data[], n: number): Converted | null {
  const validity = validityOf(chunks, n);
  const dictionaries = new Map<Vector, { used: Uint8Array; remap: Int32Array }>();
  const indexArrays: ArrayLike<number>[] = [];
  for (const d of chunks) {
    const dict = d.dictionary;
    // A chunk with no values may come without a dictionary.
    if (!dict && d.nullCount !== d.length) return null;
    const values = d.values as unknown;
    let idx: ArrayLike<number>;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      const h = halves(values);
      const lo = new Int32Array(d.length);
      for (let i = 0; i < d.length; i++) lo[i] = h[2 * i]!;
      idx = lo;
    } else if (ArrayBuffer.isView(values)) idx = values as unknown as ArrayLike<number>;
    else return null;
    indexArrays.push(idx);
    if (!dict) continue;
    let entry = dictionaries.get(dict);
    if (!entry) {
      entry = { used: new Uint8Array(dict.length), remap: new Int32Array(dict.length).fill(-1) };
      dictionaries.set(dict, entry);
    }
  }
  // Mark the entries in use (indices were checked against their dictionary when reading IPC).
  let pos = 0;
  chunks.forEach((d, c) => {
    if (!d.dictionary) {
      pos += d.length;
      return;
    }
    const { used } = dictionaries.get(d.dictionary)!;
    const idx = indexArrays[c]!;
    for (let i = 0; i < d.length; i++) {
      if (!validity.isValid(pos + i)) continue;
      const k = idx[i]!;
      if (k >= 0 && k < used.length) used[k] = 1;
    }
    pos += d.length;
  });
  const ids = new Map<string, number>();
  const labels: string[] = [];
  for (const [dict, { used, remap }] of dictionaries) {
    for (let k = 0; k < used.length; k++) {
      if (!used[k]) continue;
      const text = valueToText(dict.get(k));
      if (text === null) continue;
      let id = ids.get(text);
      if (id === undefined) {
        id = labels.length;
        ids.set(text, id);
        labels.push(text);
      }
      remap[k] = id;
    }
  }
  const indices = new Int32Array(n);
  pos = 0;
  chunks.forEach((d, c) => {
    if (!d.dictionary) {
      pos += d.length;
      return;
    }
    const { remap } = dictionaries.get(d.dictionary)!;
    const idx = indexArrays[c]!;
    for (let i = 0; i < d.length; i++) {
      if (!validity.isValid(pos + i)) continue;
      const k = idx[i]!;
      const id = k >= 0 && k < remap.length ? remap[k]! : -1;
      if (id < 0) validity.setNull(pos + i);
      else indices[pos + i] = id;
    }
    pos += d.length;
  });
  return { data: dictionaryData(indices, utf8FromStrings(labels), validity), warnings: [] };
}

/** Every value as JS (chunk by chunk: Vector.get on a many-chunk vector searches the chunks). */
function vectorValues(vector: Vector, onRows?: (done: number) => void): unknown[] {
  const out = new Array<unknown>(vector.length);
  let pos = 0;
  for (const d of vector.data) {
    onRows?.(pos);
    const chunk = vector.data.length === 1 ? vector : makeVector(d);
    for (let i = 0; i < d.length; i++) out[pos + i] = chunk.get(i);
    pos += d.length;
  }
  return out;
}

/** Decimal/float16/… values as numbers. */
function numbersOf(vector: Vector, scale: number, onRows?: (done: number) => void): unknown[] {
  return vectorValues(vector, onRows).map((v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return v;
    const x = Number(String(v));
    return scale > 0 ? x / 10 ** scale : x;
  });
}

function jsonText(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') {
    return JSON.stringify((v as { toJSON: () => unknown }).toJSON(), (_k, x) =>
      typeof x === 'bigint' ? Number(x) : x,
    );
  }
  if (v instanceof Uint8Array) return JSON.stringify(Array.from(v));
  return v;
}

/** `data` with every row missing where `parent` (a struct's validity) is. */
function maskedBy(data: Data, parent: Validity): Data {
  const validity = new Validity(data.length);
  const own = validityReader(data);
  for (let i = 0; i < data.length; i++) if (!parent.isValid(i) || (own && !own(i))) validity.setNull(i);
  return data.clone(data.type, 0, data.length, validity.nullCount, [
    data.valueOffsets,
    data.values,
    validity.bitmap ?? new Uint8Array(0),
    data.typeIds,
  ] as never);
}

interface OutColumn {
  name: string;
  type: ColumnType;
  data: Data;
  metadata: Map<string, string>;
}

/**
 * Convert one column (all its chunks) to its canonical type: bulk paths first, value by value for
 * the rest.
 */
function convert(
  name: string,
  field: Field,
  vector: Vector,
  n: number,
  /** Rows read so far by the value-by-value paths (the bulk ones are fast), chunk by chunk. */
  onRows?: (done: number) => void,
): { column: OutColumn; warnings: string[] } {
  const type = field.type as DataType;
  const chunks = vector.data as Data[];
  const declared = field.metadata.get(TYPE_METADATA_KEY);
  const natural = columnTypeOfArrow(type);
  const metadata = new Map(field.metadata);
  if (natural === null) {
    const built = columnFromValues(vectorValues(vector, onRows).map(jsonText), { forced: 'text' });
    metadata.set(TYPE_METADATA_KEY, 'text');
    return {
      column: { name, type: 'text', data: built.data, metadata },
      warnings: [`Column "${name}" has Arrow type ${String(type)}; it was kept as JSON text.`],
    };
  }
  const declaredType = isColumnType(declared) ? declared : undefined;
  let wanted: ColumnType = declaredType ?? natural;
  let converted: Converted | null = null;
  // A single canonical chunk needs no copy, except dates (range) and strings (categorical rule).
  const single = chunks.length === 1 ? chunks[0]! : null;
  const keepAsIs =
    wanted !== 'date' && wanted !== 'datetime' && (wanted !== 'text' || declaredType === 'text');
  if (single && keepAsIs && isCanonical(type, wanted)) {
    converted = { data: single, warnings: [] };
  } else if (wanted === 'integer' && natural === 'integer') converted = integers(chunks, n, name, false);
  else if (wanted === 'float' && (natural === 'integer' || natural === 'float')) {
    converted = natural === 'integer' ? integers(chunks, n, name, true) : floats(chunks, n);
  } else if (wanted === 'boolean' && natural === 'boolean') converted = booleans(chunks, n);
  else if ((wanted === 'date' || wanted === 'datetime') && (natural === 'date' || natural === 'datetime')) {
    converted = temporal(chunks, n, name, wanted);
  } else if (natural === 'text' && (wanted === 'text' || wanted === 'categorical')) {
    converted = strings(chunks, n, name, declaredType);
    if (converted && declaredType === undefined)
      wanted = isDictionary(converted.data) ? 'categorical' : 'text';
  } else if (natural === 'categorical' && wanted === 'categorical') converted = categories(chunks, n);
  if (converted === null) {
    const values =
      natural === 'float' ? numbersOf(vector, decimalScale(type), onRows) : vectorValues(vector, onRows);
    const built = columnFromValues(values, { forced: declaredType, sourceType: natural });
    wanted = built.type;
    converted = {
      data: built.data,
      warnings:
        built.failed > 0
          ? [`${built.failed} values of column "${name}" could not be read as ${wanted}.`]
          : [],
    };
  }
  metadata.set(TYPE_METADATA_KEY, wanted);
  return { column: { name, type: wanted, data: converted.data, metadata }, warnings: converted.warnings };
}

const isDictionary = (d: Data): boolean => d.type.typeId === Type.Dictionary;

function decimalScale(type: DataType): number {
  return type.typeId === Type.Decimal ? ((type as unknown as { scale: number }).scale ?? 0) : 0;
}

/** Columns after flattening structs. */
function leafCount(type: DataType): number {
  if (type.typeId !== Type.Struct) return 1;
  return (type as Struct).children.reduce((a, c) => a + leafCount(c.type as DataType), 0);
}

/**
 * The table with every column in its canonical type (structs flattened). `onFraction` hears the
 * share of the columns converted so far (within a column converted value by value, chunk by chunk).
 */
export function normalizeTable(
  table: Table,
  onFraction?: (fraction: number) => void,
): { table: Table; warnings: string[] } {
  const warnings: string[] = [];
  const n = table.numRows;
  const out: OutColumn[] = [];
  const leaves = table.schema.fields.reduce((a, f) => a + leafCount(f.type as DataType), 0);
  // Depth-first over structs; a struct's missing rows make its fields missing too.
  const visit = (name: string, field: Field, vector: Vector, parent: Validity | null): void => {
    const type = field.type as DataType;
    if (type.typeId === Type.Struct) {
      const children = (type as Struct).children;
      warnings.push(`Nested column "${name}" was flattened into ${children.length} columns (${name}.…).`);
      let own = vector.nullCount > 0 ? validityOf(vector.data as Data[], n) : null;
      if (own && parent) for (let i = 0; i < n; i++) if (!parent.isValid(i) && own.isValid(i)) own.setNull(i);
      own ??= parent;
      children.forEach((child, k) => {
        const childVector = vector.getChildAt(k);
        if (childVector) visit(`${name}.${child.name}`, child, childVector, own);
      });
      return;
    }
    const k = out.length;
    onFraction?.(k / leaves);
    const onRows = onFraction && n > 0 ? (done: number) => onFraction((k + done / n) / leaves) : undefined;
    const { column, warnings: w } = convert(name, field, vector, n, onRows);
    if (parent && parent.nullCount > 0) column.data = maskedBy(column.data, parent);
    out.push(column);
    warnings.push(...w);
  };
  table.schema.fields.forEach((field, i) => {
    const vector = table.getChildAt(i);
    if (vector) visit(field.name, field, vector, null);
  });
  const names = uniqueNames(out.map((c) => c.name));
  const renamed = out.filter((c, i) => names[i] !== c.name).length;
  if (renamed > 0) {
    warnings.push(`${renamed} columns had an empty or repeated name and were renamed (name_2, column_3, …).`);
  }
  const fields = out.map((c, i) => {
    const f = fieldFor(names[i]!, c.type, c.data.type);
    for (const [k, v] of c.metadata) f.metadata.set(k, v);
    return f;
  });
  const schema = new Schema(fields, table.schema.metadata);
  return {
    table: tableFromData(
      schema,
      out.map((c) => c.data),
      n,
    ),
    warnings,
  };
}

/** How often `converting` reports, at most. */
const CONVERT_PROGRESS_MS = 100;

/** The share of the progress bar for decoding the batches; converting the columns takes the rest. */
export const PARSED = 0.6;

/** `normalizeTable`'s fraction as the reader's 'Converting columns' progress (at most one per
 * CONVERT_PROGRESS_MS), or undefined without `onProgress`. */
export function converting(
  onProgress: ((p: Progress) => void) | undefined,
): ((f: number) => void) | undefined {
  if (!onProgress) return undefined;
  let reported = Number.NEGATIVE_INFINITY;
  return (f) => {
    const now = performance.now();
    if (now - reported < CONVERT_PROGRESS_MS) return;
    reported = now;
    onProgress({ phase: 'Converting columns', fraction: PARSED + (1 - PARSED) * f });
  };
}

/**
 * `normalizeTable` for a reader: a damaged column surfaces as the reader's named error (`invalid`
 * makes it, naming the file), never as apache-arrow's internal message.
 */
export function normalizeOrExplain(
  table: Table,
  fileName: string,
  invalid: (fileName: string, why: string) => EngineError,
  onFraction?: (fraction: number) => void,
): { table: Table; warnings: string[] } {
  try {
    return normalizeTable(table, onFraction);
  } catch (e) {
    if (isEngineError(e)) {
      if (e.detail.file === undefined) {
        throw new EngineError(e.name, `${fileName}: ${e.message}`, { ...e.detail, file: fileName });
      }
      throw e;
    }
    const error = invalid(fileName, 'a column could not be decoded, the file looks damaged');
    error.detail.cause = e instanceof Error ? e.message : String(e);
    throw error;
  }
}
