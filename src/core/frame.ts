/**
 * Typed-array access to Arrow tables for the steps: read a column as Float64 (NaN = missing) or as
 * label codes, build output columns that carry their logical type in field metadata, and assemble
 * the output table from the input's columns plus replacements. Steps never touch rows as objects.
 */
import {
  Bool,
  type Data,
  type DataType,
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
  Type,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { EngineError } from './errors';
import { type ColumnType, ENCODED_BY_METADATA_KEY, isColumnType, TYPE_METADATA_KEY } from './types';
/** A table flowing through the notebook: an Arrow table whose fields carry the logical type. */
export type Frame = Table;

export const NUMERIC_TYPES: readonly ColumnType[] = ['integer', 'float'];
export const LABEL_TYPES: readonly ColumnType[] = ['categorical', 'text', 'integer', 'boolean'];

/** Whether a field is a 0/1 indicator an encoder made (see ENCODED_BY_METADATA_KEY). */
export function isEncoderOutput(field: Field): boolean {
  return field.metadata.has(ENCODED_BY_METADATA_KEY);
}

/** The logical type of a field: its metadata, else a guess from the Arrow type. */
export function logicalType(field: Field): ColumnType {
  const meta = field.metadata.get(TYPE_METADATA_KEY);
  if (isColumnType(meta)) return meta;
  switch (field.type.typeId) {
    case Type.Int:
      return 'integer';
    case Type.Float:
    case Type.Decimal:
      return 'float';
    case Type.Bool:
      return 'boolean';
    case Type.Date:
      return 'date';
    case Type.Timestamp:
      return 'datetime';
    case Type.Dictionary:
      return 'categorical';
    default:
      return 'text';
  }
}

export function column(frame: Frame, name: string): Vector {
  const v = frame.getChild(name);
  if (!v) throw new EngineError('SchemaError', `Column "${name}" does not exist.`, { columnName: name });
  return v;
}

export function typeOf(frame: Frame, name: string): ColumnType {
  const field = frame.schema.fields.find((f) => f.name === name);
  if (!field) throw new EngineError('SchemaError', `Column "${name}" does not exist.`);
  return logicalType(field);
}

function typeList(types: readonly ColumnType[]): string {
  return types.join(', ');
}

/**
 * The columns a step works on: the user's selection (each must exist and have an accepted type),
 * or by default every column of an accepted type. `action` completes "<step> cannot <action>
 * column …" in the error, e.g. 'scale'.
 */
export function resolveColumns(
  frame: Frame,
  step: string,
  action: string,
  accepts: readonly ColumnType[],
  selected: readonly string[] | null,
): string[] {
  if (selected === null) {
    const names = frame.schema.fields.filter((f) => accepts.includes(logicalType(f))).map((f) => f.name);
    if (names.length === 0) {
      throw new EngineError(
        'SchemaError',
        `${step} found no column to ${action}: it works on ${typeList(accepts)} columns.`,
        {
          hint: 'Add columns of a suitable type, or remove this step.',
          // The one-click fix (a StepFixProposal, src/pipeline/types.ts): the step has nothing to do.
          fixes: [{ kind: 'remove-step', label: `Remove ${step} (no column to ${action})` }],
        },
      );
    }
    return names;
  }
  for (const name of selected) {
    const field = frame.schema.fields.find((f) => f.name === name);
    if (!field) {
      throw new EngineError('SchemaError', `${step} cannot find column "${name}".`, {
        columnName: name,
        hint: 'Pick the columns again: an earlier step may have renamed or dropped it.',
      });
    }
    const type = logicalType(field);
    if (!accepts.includes(type)) {
      throw new EngineError(
        'SchemaError',
        `${step} cannot ${action} column "${name}" (type ${type}): it works on ${typeList(accepts)} columns.`,
        { columnName: name, type, hint: 'Remove the column from this step, or convert it first.' },
      );
    }
  }
  return [...selected];
}

function isValidAt(d: Data, i: number): boolean {
  const bitmap = d.nullBitmap;
  if (d.nullCount === 0 || !bitmap || bitmap.length === 0) return true;
  const j = d.offset + i;
  return ((bitmap[j >>> 3]! >>> (j & 7)) & 1) === 1;
}

/** A numeric (or boolean) column as Float64, NaN where missing. A fresh array the caller may own. */
export function readNumeric(vector: Vector): Float64Array {
  const out = new Float64Array(vector.length);
  let pos = 0;
  for (const d of vector.data) {
    const typeId = d.type.typeId;
    const values = d.values as ArrayLike<number | bigint> | undefined;
    const fast =
      (typeId === Type.Float || typeId === Type.Int) &&
      values &&
      !(values instanceof BigInt64Array) &&
      !(values instanceof BigUint64Array);
    if (fast) {
      const nums = values as ArrayLike<number>;
      if (d.nullCount === 0) {
        // Same-typed, null-free chunks copy as one block (memcpy speed) instead of per element.
        if (nums instanceof Float64Array) out.set(nums.subarray(0, d.length), pos);
        else for (let i = 0; i < d.length; i++) out[pos + i] = nums[i]!;
      } else {
        for (let i = 0; i < d.length; i++) out[pos + i] = isValidAt(d, i) ? nums[i]! : Number.NaN;
      }
    } else {
      const chunk = makeVector(d);
      for (let i = 0; i < d.length; i++) {
        const v = chunk.get(i);
        out[pos + i] = v === null || v === undefined ? Number.NaN : Number(v);
      }
    }
    pos += d.length;
  }
  return out;
}

/**
 * Like readNumeric, but for a single null-free Float64 chunk returns a view of the Arrow buffer
 * itself (no copy). READ-ONLY: writing to the result would change the table. For `fit`, which
 * only reads its training columns.
 */
export function readNumericView(vector: Vector): Float64Array {
  const d = vector.data.length === 1 ? vector.data[0] : undefined;
  if (d && d.nullCount === 0 && d.values instanceof Float64Array && d.type.typeId === Type.Float) {
    return d.values.subarray(0, d.length);
  }
  return readNumeric(vector);
}

/** True where a value is missing (null, or NaN in a float column). */
export function missingMask(vector: Vector): Uint8Array {
  const out = new Uint8Array(vector.length);
  let pos = 0;
  for (const d of vector.data) {
    const floats = d.type.typeId === Type.Float ? (d.values as ArrayLike<number>) : null;
    for (let i = 0; i < d.length; i++) {
      if (!isValidAt(d, i) || (floats !== null && Number.isNaN(floats[i]!))) out[pos + i] = 1;
    }
    pos += d.length;
  }
  return out;
}

export interface Labels {
  /** Per row: index into `labels`, or -1 where missing. */
  codes: Int32Array;
  /** Distinct present values as strings, in order of first appearance. */
  labels: string[];
}

function labelOf(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** The code of `label` among `labels` (its index), appended as the next code when new. */
export function codeOf(label: string, index: Map<string, number>, labels: string[]): number {
  let k = index.get(label);
  if (k === undefined) {
    k = labels.length;
    index.set(label, k);
    labels.push(label);
  }
  return k;
}

/** A column as codes into its distinct values (dictionary chunks are merged, not re-read per row). */
export function readLabels(vector: Vector): Labels {
  const codes = new Int32Array(vector.length);
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codeFor = (label: string): number => codeOf(label, index, labels);
  let pos = 0;
  for (const d of vector.data) {
    if (d.type.typeId === Type.Dictionary && d.dictionary) {
      const dict = d.dictionary;
      const local = new Int32Array(dict.length).fill(-2);
      const keys = d.values as ArrayLike<number>;
      for (let i = 0; i < d.length; i++) {
        if (!isValidAt(d, i)) {
          codes[pos + i] = -1;
          continue;
        }
        const key = Number(keys[i]);
        let k = local[key]!;
        if (k === -2) {
          const v = dict.get(key);
          k = v === null || v === undefined ? -1 : codeFor(labelOf(v));
          local[key] = k;
        }
        codes[pos + i] = k;
      }
    } else {
      const chunk = makeVector(d);
      const floats = d.type.typeId === Type.Float;
      for (let i = 0; i < d.length; i++) {
        const v = chunk.get(i);
        codes[pos + i] =
          v === null || v === undefined || (floats && Number.isNaN(v as number)) ? -1 : codeFor(labelOf(v));
      }
    }
    pos += d.length;
  }
  return { codes, labels };
}

/** Float64 column data; NaN entries become nulls so that missing stays missing. */
export function floatData(values: Float64Array): Data<Float64> {
  const length = values.length;
  let bitmap: Uint8Array | undefined;
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (Number.isNaN(values[i]!)) {
      if (!bitmap) bitmap = new Uint8Array((length + 7) >>> 3).fill(0xff);
      bitmap[i >>> 3]! &= ~(1 << (i & 7));
      nullCount++;
    }
  }
  return makeData({ type: new Float64(), length, nullCount, nullBitmap: bitmap, data: values });
}

export function boolData(values: Uint8Array): Data<Bool> {
  const length = values.length;
  const bits = new Uint8Array((length + 7) >>> 3);
  for (let i = 0; i < length; i++) if (values[i]) bits[i >>> 3]! |= 1 << (i & 7);
  return makeData({ type: new Bool(), length, nullCount: 0, data: bits });
}

let dictionaryId = 1 << 20;

/** Dictionary<Utf8, Int32> data from codes (-1 = missing) into labels. */
export function labelData(codes: Int32Array, labels: readonly string[]): Data {
  const length = codes.length;
  let bitmap: Uint8Array | undefined;
  let nullCount = 0;
  const keys = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const c = codes[i]!;
    if (c < 0) {
      if (!bitmap) bitmap = new Uint8Array((length + 7) >>> 3).fill(0xff);
      bitmap[i >>> 3]! &= ~(1 << (i & 7));
      nullCount++;
    } else keys[i] = c;
  }
  const dictionary = vectorFromArray([...labels], new Utf8());
  return makeData({
    type: new Dictionary(new Utf8(), new Int32(), dictionaryId++),
    length,
    nullCount,
    nullBitmap: bitmap,
    data: keys,
    dictionary,
  });
}

/** One column of an output frame. */
export interface OutColumn {
  name: string;
  type: ColumnType;
  vector: Vector;
  /** The encoder step that made this 0/1 indicator column (kept in field metadata). */
  encodedBy?: string;
}

export function outColumn(name: string, type: ColumnType, data: Data): OutColumn {
  return { name, type, vector: makeVector(data) };
}

/**
 * A column of labels by code (−1: missing) as its type: a dictionary column for 'categorical',
 * plain strings for 'text'.
 */
export function labelColumn(
  name: string,
  type: 'categorical' | 'text',
  codes: Int32Array,
  labels: readonly string[],
): OutColumn {
  if (type === 'categorical') return outColumn(name, type, labelData(codes, labels));
  return {
    name,
    type,
    vector: vectorFromArray(
      Array.from(codes, (c) => (c < 0 ? null : labels[c]!)),
      new Utf8(),
    ),
  };
}

/** The columns of a frame as OutColumns (vectors shared, not copied). */
export function columnsOf(frame: Frame): OutColumn[] {
  return frame.schema.fields.map((f) => {
    const encodedBy = f.metadata.get(ENCODED_BY_METADATA_KEY);
    return {
      name: f.name,
      type: logicalType(f),
      vector: frame.getChild(f.name)!,
      ...(encodedBy ? { encodedBy } : {}),
    };
  });
}

/**
 * The input's columns with some replaced (each by zero or more columns, at its position) and
 * others appended. Names must stay unique: a collision is a SchemaError naming the step.
 */
export function rebuild(
  frame: Frame,
  step: string,
  replace: ReadonlyMap<string, readonly OutColumn[]>,
  append: readonly OutColumn[] = [],
): Frame {
  const out: OutColumn[] = [];
  for (const c of columnsOf(frame)) {
    const r = replace.get(c.name);
    if (r) out.push(...r);
    else out.push(c);
  }
  out.push(...append);
  return frameFrom(out, frame.numRows, step);
}

export function frameFrom(columns: readonly OutColumn[], numRows: number, step: string): Frame {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) {
      throw new EngineError('SchemaError', `${step} would create a second column named "${c.name}".`, {
        columnName: c.name,
        hint: 'Rename or drop the existing column first.',
      });
    }
    seen.add(c.name);
  }
  const fields = columns.map((c) => {
    const metadata = new Map<string, string>([[TYPE_METADATA_KEY, c.type]]);
    if (c.encodedBy) metadata.set(ENCODED_BY_METADATA_KEY, c.encodedBy);
    return new Field(c.name, c.vector.type as DataType, true, metadata);
  });
  const schema = new Schema(fields);
  if (columns.length === 0) {
    const struct = makeData({ type: new Struct([]), length: numRows, nullCount: 0, children: [] });
    return new Table(schema, new RecordBatch(schema, struct));
  }
  if (columns.every((c) => c.vector.data.length === 1)) {
    const struct = makeData({
      type: new Struct(fields),
      length: numRows,
      nullCount: 0,
      children: columns.map((c) => c.vector.data[0]!),
    });
    return new Table(schema, new RecordBatch(schema, struct));
  }
  // Differently chunked inputs: let Arrow align the chunks, then put our field metadata back.
  const aligned = new Table(Object.fromEntries(columns.map((c) => [c.name, c.vector])));
  return new Table(
    schema,
    aligned.batches.map((b) => {
      const struct = makeData({
        type: new Struct(fields),
        length: b.numRows,
        nullCount: 0,
        children: b.data.children,
      });
      return new RecordBatch(schema, struct);
    }),
  );
}

/** Per frame made by takeRows: the row of the first frame of the chain each of its rows came from. */
const origins = new WeakMap<Frame, Int32Array>();

/** The rows at `indices` (in that order) of every column. */
export function takeRows(frame: Frame, indices: Int32Array, step: string): Frame {
  const columns = columnsOf(frame).map((c) => ({ ...c, vector: takeVector(c.vector, indices) }));
  return takenFrame(frame, columns, indices, step);
}

/** The frame of the taken columns, remembering which source row each row is (sourceRows). */
function takenFrame(
  frame: Frame,
  columns: ReturnType<typeof columnsOf>,
  indices: Int32Array,
  step: string,
): Frame {
  const out = frameFrom(columns, indices.length, step);
  const parent = origins.get(frame);
  origins.set(out, parent ? Int32Array.from(indices, (i) => parent[i]!) : indices.slice());
  return out;
}

/**
 * takeRows one column at a time with a turn for cancel between columns (`between`, e.g.
 * cooperate): a fold's training rows of a wide million-row table take seconds to copy.
 */
export async function takeRowsCooperatively(
  frame: Frame,
  indices: Int32Array,
  step: string,
  between: () => Promise<void>,
): Promise<Frame> {
  const columns: ReturnType<typeof columnsOf> = [];
  for (const c of columnsOf(frame)) {
    await between();
    columns.push({ ...c, vector: takeVector(c.vector, indices) });
  }
  return takenFrame(frame, columns, indices, step);
}

/**
 * Which row of the original frame each row of a takeRows result (or a chain of them) is, so rows
 * left after filter steps can be named in the dataset as loaded (error analysis selects them in
 * the Data and Explore views). Null for a frame no takeRows made.
 */
export function sourceRows(frame: Frame): Int32Array | null {
  return origins.get(frame) ?? null;
}

function takeVector(vector: Vector, indices: Int32Array): Vector {
  const n = indices.length;
  const d = vector.data[0];
  if (vector.data.length !== 1 || !d) {
    const values = Array.from(indices, (i) => vector.get(i));
    return vectorFromArray(values, vector.type);
  }
  let bitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (d.nullCount > 0) {
    bitmap = new Uint8Array((n + 7) >>> 3).fill(0xff);
    for (let k = 0; k < n; k++) {
      if (!isValidAt(d, indices[k]!)) {
        bitmap[k >>> 3]! &= ~(1 << (k & 7));
        nullCount++;
      }
    }
  }
  const typeId = d.type.typeId;
  if (typeId === Type.Bool) {
    const bits = new Uint8Array((n + 7) >>> 3);
    const src = d.values as Uint8Array;
    for (let k = 0; k < n; k++) {
      const j = d.offset + indices[k]!;
      if ((src[j >>> 3]! >>> (j & 7)) & 1) bits[k >>> 3]! |= 1 << (k & 7);
    }
    return makeVector(makeData({ type: d.type, length: n, nullCount, nullBitmap: bitmap, data: bits }));
  }
  if (typeId === Type.Utf8) {
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const outOffsets = new Int32Array(n + 1);
    let total = 0;
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      total += offsets[i + 1]! - offsets[i]!;
      outOffsets[k + 1] = total;
    }
    const outBytes = new Uint8Array(total);
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      outBytes.set(bytes.subarray(offsets[i]!, offsets[i + 1]!), outOffsets[k]!);
    }
    return makeVector(
      makeData({
        type: d.type as Utf8,
        length: n,
        nullCount,
        nullBitmap: bitmap,
        valueOffsets: outOffsets,
        data: outBytes,
      }),
    );
  }
  const values = d.values as unknown as { length: number; constructor: new (n: number) => Int32Array };
  const fixedWidth =
    typeId === Type.Int ||
    typeId === Type.Float ||
    typeId === Type.Date ||
    typeId === Type.Timestamp ||
    typeId === Type.Dictionary;
  if (fixedWidth && values) {
    const stride = d.stride;
    const src = d.values as unknown as Int32Array;
    const dst = new values.constructor(n * stride);
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      for (let s = 0; s < stride; s++) dst[k * stride + s] = src[i * stride + s]!;
    }
    return makeVector(
      makeData({
        type: d.type,
        length: n,
        nullCount,
        nullBitmap: bitmap,
        data: dst,
        dictionary: d.dictionary,
      } as Parameters<typeof makeData>[0]),
    );
  }
  return vectorFromArray(
    Array.from(indices, (i) => vector.get(i)),
    vector.type,
  );
}
