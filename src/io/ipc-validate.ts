/**
 * Check an Arrow IPC file or stream before apache-arrow decodes it. apache-arrow trusts the
 * metadata: a flipped bit in a vector length makes `decodeFieldNodes` loop billions of times, a
 * record batch claiming 2^40 rows allocates its null bitmap, a buffer past the body or a node
 * whose buffers are too short becomes a column that later code reads out of bounds. So every
 * flatbuffer read here is bounds-checked, and each message must agree with the schema: as many
 * field nodes and buffers as the types need, buffers inside the body and long enough for their
 * node's length, offsets increasing inside their data, dictionary indices inside their dictionary,
 * and all lengths together within a budget proportional to the file size. Linear in the file.
 *
 * Layouts follow Arrow's Schema.fbs / Message.fbs / File.fbs and apache-arrow's VectorLoader
 * (which buffers each type consumes, in which order).
 */

/** Thrown for a damaged file; the caller turns it into a ParseError naming the file. */
export class IpcInvalid extends Error {
  constructor(
    message: string,
    /** The file uses something we cannot read (compression, a type apache-arrow lacks), rather
     * than being damaged. */
    readonly unsupported = false,
  ) {
    super(message);
  }
}

function fail(why: string): never {
  throw new IpcInvalid(why);
}

/** Node lengths (rows, list elements, …) summed over the file may reach this many per file byte. */
const LENGTH_PER_BYTE = 64;
const FREE_LENGTH = 1 << 20;
const MAX_TYPE_DEPTH = 64;

/** A flatbuffer inside bytes[start, end): every read checks its bounds. */
class Flatbuffer {
  private readonly view: DataView;
  constructor(
    bytes: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private check(p: number, size: number): void {
    if (!(p >= this.start && p + size <= this.end)) fail('its metadata points outside itself');
  }
  u8(p: number): number {
    this.check(p, 1);
    return this.view.getUint8(p);
  }
  i16(p: number): number {
    this.check(p, 2);
    return this.view.getInt16(p, true);
  }
  u16(p: number): number {
    this.check(p, 2);
    return this.view.getUint16(p, true);
  }
  i32(p: number): number {
    this.check(p, 4);
    return this.view.getInt32(p, true);
  }
  u32(p: number): number {
    this.check(p, 4);
    return this.view.getUint32(p, true);
  }
  /** An int64 as a number; values beyond ±2^53 are returned as ±Infinity (always invalid here). */
  i64(p: number): number {
    this.check(p, 8);
    return int64At(this.view, p);
  }
  root(): number {
    return this.target(this.start);
  }
  /** The position an offset at p points to. */
  target(p: number): number {
    const t = p + this.u32(p);
    this.check(t, 4);
    return t;
  }
  /** Absolute position of field `slot` of the table at t, or 0 when absent. */
  field(t: number, slot: number): number {
    const vt = t - this.i32(t);
    const vtSize = this.u16(vt);
    if (vtSize < 4 || vtSize % 2 !== 0) fail('its metadata has a damaged table');
    const at = 4 + 2 * slot;
    if (at + 2 > vtSize) return 0;
    const off = this.u16(vt + at);
    if (off === 0) return 0;
    return t + off;
  }
  table(t: number, slot: number): number {
    const p = this.field(t, slot);
    return p === 0 ? 0 : this.target(p);
  }
  /** A vector field: position of its first element and its length (bounds-checked for `size`). */
  vector(t: number, slot: number, size: number): { at: number; length: number } {
    const p = this.field(t, slot);
    if (p === 0) return { at: 0, length: 0 };
    const v = this.target(p);
    const length = this.u32(v);
    this.check(v + 4, length * size);
    return { at: v + 4, length };
  }
  /** Element i of a vector of tables. */
  tableAt(vectorAt: number, i: number): number {
    return this.target(vectorAt + 4 * i);
  }
  scalar(t: number, slot: number, read: (p: number) => number, fallback: number): number {
    const p = this.field(t, slot);
    return p === 0 ? fallback : read.call(this, p);
  }
}

function int64At(view: DataView, p: number): number {
  const lo = view.getUint32(p, true);
  const hi = view.getInt32(p + 4, true);
  if (hi > 0x1fffff || hi < -0x200000) return hi < 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return hi * 4294967296 + lo;
}

// Type ids of Schema.fbs's `Type` union.
const T = {
  NONE: 0,
  Null: 1,
  Int: 2,
  FloatingPoint: 3,
  Binary: 4,
  Utf8: 5,
  Bool: 6,
  Decimal: 7,
  Date: 8,
  Time: 9,
  Timestamp: 10,
  Interval: 11,
  List: 12,
  Struct: 13,
  Union: 14,
  FixedSizeBinary: 15,
  FixedSizeList: 16,
  Map: 17,
  Duration: 18,
  LargeBinary: 19,
  LargeUtf8: 20,
  LargeList: 21,
  BinaryView: 23,
  Utf8View: 24,
} as const;

const TYPE_NAMES: Record<number, string> = {
  22: 'RunEndEncoded',
  25: 'ListView',
  26: 'LargeListView',
};

/** What validating a column needs to know about its type. */
interface ColType {
  id: number;
  /** Bytes per value of the data buffer (fixed-width types), 0 for bit-packed booleans. */
  width: number;
  children: ColType[];
  /** Union: dense or sparse, and the type ids of its children. */
  dense?: boolean;
  typeIds?: number[];
  listSize?: number;
  /** Dictionary-encoded: the dictionary id and the index width (bytes) and signedness. */
  dictionary?: { id: number; width: number; signed: boolean };
}

interface SchemaInfo {
  fields: ColType[];
  /** Dictionary id → the dictionary's value type. */
  dictionaries: Map<number, ColType>;
}

function parseSchema(fb: Flatbuffer, schema: number): SchemaInfo {
  const dictionaries = new Map<number, ColType>();
  const fields = fb.vector(schema, 1, 4);
  const out: ColType[] = [];
  for (let i = 0; i < fields.length; i++) out.push(parseField(fb, fb.tableAt(fields.at, i), dictionaries, 0));
  return { fields: out, dictionaries };
}

function parseField(
  fb: Flatbuffer,
  field: number,
  dictionaries: Map<number, ColType>,
  depth: number,
): ColType {
  if (depth > MAX_TYPE_DEPTH) fail(`its schema nests types more than ${MAX_TYPE_DEPTH} levels deep`);
  const childVector = fb.vector(field, 5, 4);
  const children: ColType[] = [];
  const encoding = fb.table(field, 4);
  let dictId = -1;
  if (encoding !== 0) {
    dictId = fb.scalar(encoding, 0, fb.i64, 0);
    if (!Number.isSafeInteger(dictId)) fail('a dictionary id is out of range');
    const known = dictionaries.get(dictId);
    if (known !== undefined) {
      // apache-arrow reuses the first field's value type for a repeated dictionary id.
      return { id: -1, width: 0, children: [], dictionary: indexType(fb, encoding, dictId) };
    }
  }
  for (let i = 0; i < childVector.length; i++) {
    children.push(parseField(fb, fb.tableAt(childVector.at, i), dictionaries, depth + 1));
  }
  const value = fieldType(fb, field, children);
  if (encoding === 0) return value;
  dictionaries.set(dictId, value);
  return { id: -1, width: 0, children: [], dictionary: indexType(fb, encoding, dictId) };
}

function indexType(
  fb: Flatbuffer,
  encoding: number,
  id: number,
): { id: number; width: number; signed: boolean } {
  const int = fb.table(encoding, 1);
  if (int === 0) return { id, width: 4, signed: true };
  const bits = fb.scalar(int, 0, fb.i32, 0);
  if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) fail(`a dictionary index has ${bits} bits`);
  return { id, width: bits / 8, signed: fb.scalar(int, 1, fb.u8, 0) !== 0 };
}

function fieldType(fb: Flatbuffer, field: number, children: ColType[]): ColType {
  const id = fb.scalar(field, 2, fb.u8, 0);
  const t = fb.table(field, 3);
  const prop = (slot: number, read: (p: number) => number, fallback: number): number =>
    t === 0 ? fallback : fb.scalar(t, slot, read, fallback);
  const one = (name: string): void => {
    if (children.length !== 1) fail(`a ${name} column has ${children.length} child columns instead of 1`);
  };
  switch (id) {
    case T.NONE:
    case T.Null:
      return { id: T.Null, width: 0, children: [] };
    case T.Bool:
      return { id, width: 0, children: [] };
    case T.Int: {
      const bits = prop(0, fb.i32, 0);
      if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) fail(`an integer column has ${bits} bits`);
      return { id, width: bits / 8, children: [] };
    }
    case T.FloatingPoint: {
      const precision = prop(0, fb.i16, 0);
      if (precision < 0 || precision > 2) fail('a float column has an unknown precision');
      return { id, width: [2, 4, 8][precision]!, children: [] };
    }
    case T.Decimal: {
      const bits = prop(2, fb.i32, 128);
      if (bits !== 32 && bits !== 64 && bits !== 128 && bits !== 256)
        fail(`a decimal column has ${bits} bits`);
      return { id, width: bits / 8, children: [] };
    }
    case T.Date: {
      const unit = prop(0, fb.i16, 1);
      if (unit !== 0 && unit !== 1) fail('a date column has an unknown unit');
      return { id, width: unit === 0 ? 4 : 8, children: [] };
    }
    case T.Time: {
      const bits = prop(1, fb.i32, 32);
      const unit = prop(0, fb.i16, 1);
      if ((bits !== 32 && bits !== 64) || unit < 0 || unit > 3) fail('a time column has an unknown unit');
      return { id, width: bits / 8, children: [] };
    }
    case T.Timestamp:
    case T.Duration: {
      const unit = prop(0, fb.i16, id === T.Timestamp ? 0 : 1);
      if (unit < 0 || unit > 3) fail('a timestamp column has an unknown unit');
      return { id, width: 8, children: [] };
    }
    case T.Interval: {
      const unit = prop(0, fb.i16, 0);
      if (unit < 0 || unit > 2) fail('an interval column has an unknown unit');
      return { id, width: [4, 8, 16][unit]!, children: [] };
    }
    case T.FixedSizeBinary: {
      const width = prop(0, fb.i32, 0);
      if (width < 1) fail('a fixed-size binary column has no width');
      return { id, width, children: [] };
    }
    case T.Binary:
    case T.Utf8:
    case T.LargeBinary:
    case T.LargeUtf8:
    case T.BinaryView:
    case T.Utf8View:
      return { id, width: 0, children: [] };
    case T.List:
    case T.LargeList:
      one('list');
      return { id, width: 0, children };
    case T.Map:
      one('map');
      if (children[0]!.id !== T.Struct || children[0]!.children.length !== 2)
        fail('a map column is malformed');
      return { id, width: 0, children };
    case T.FixedSizeList: {
      one('fixed-size list');
      const listSize = prop(0, fb.i32, 0);
      if (listSize < 0) fail('a fixed-size list has a negative size');
      return { id, width: 0, children, listSize };
    }
    case T.Struct:
      return { id, width: 0, children };
    case T.Union: {
      const dense = prop(0, fb.i16, 0) === 1;
      const ids = t === 0 ? { at: 0, length: 0 } : fb.vector(t, 1, 4);
      const typeIds: number[] = [];
      for (let i = 0; i < ids.length; i++) typeIds.push(fb.i32(ids.at + 4 * i));
      if (typeIds.length !== children.length || typeIds.some((x) => x < 0 || x > 127)) {
        fail('a union column lists the wrong type ids');
      }
      return { id, width: 0, children, dense, typeIds };
    }
    default: {
      const name = TYPE_NAMES[id];
      throw new IpcInvalid(
        name
          ? `it uses the Arrow type ${name}, which this reader does not support`
          : `it has an unknown column type (${id})`,
        name !== undefined,
      );
    }
  }
}

interface Region {
  offset: number;
  length: number;
}

/** Walks one record batch's nodes and buffers against the schema, in VectorLoader's order. */
class BatchChecker {
  private node = 0;
  private buffer = 0;
  private variadic = 0;
  constructor(
    private readonly view: DataView,
    /** Absolute position of the body in `view`. */
    private readonly bodyAt: number,
    private readonly nodes: { length: number; nullCount: number }[],
    private readonly buffers: Region[],
    private readonly variadicCounts: number[],
    private readonly dictionaryLengths: Map<number, number>,
    private readonly budget: { left: number },
    private readonly unionValidity: boolean,
  ) {}

  finish(): void {
    if (this.node !== this.nodes.length)
      fail(`a record batch has ${this.nodes.length} field nodes where the schema needs ${this.node}`);
    if (this.buffer !== this.buffers.length)
      fail(`a record batch has ${this.buffers.length} buffers where the schema needs ${this.buffer}`);
  }

  private nextNode(): { length: number; nullCount: number } {
    const node = this.nodes[this.node++];
    if (node === undefined) fail('a record batch has fewer field nodes than its schema has columns');
    if (!(node.length >= 0 && node.nullCount >= 0 && node.nullCount <= node.length)) {
      fail('a record batch has a column with an impossible length or null count');
    }
    this.budget.left -= node.length;
    if (this.budget.left < 0) fail('its columns claim far more values than the file holds');
    return node;
  }

  /** The next buffer, at least `min` bytes long and aligned for `align`-byte values. */
  private nextBuffer(min: number, align: number): Region {
    const region = this.buffers[this.buffer++];
    if (region === undefined) fail('a record batch has fewer buffers than its columns need');
    if (region.length < min) fail('a column buffer is shorter than its length needs');
    if (region.length > 0 && (this.bodyAt + region.offset) % align !== 0)
      fail('a column buffer is misaligned');
    return region;
  }

  private validity(length: number, nullCount: number): Region {
    return this.nextBuffer(nullCount > 0 ? Math.ceil(length / 8) : 0, 1);
  }

  private isValid(validity: Region, nullCount: number, i: number): boolean {
    if (nullCount === 0) return true;
    const byte = this.view.getUint8(this.bodyAt + validity.offset + (i >>> 3));
    return ((byte >>> (i & 7)) & 1) === 1;
  }

  /** Offsets buffer of `length` + 1 entries: increasing, from ≥ 0 up to `limit`. Returns the last. */
  private offsets(length: number, wide: boolean, limit: number | null, what: string): number {
    const width = wide ? 8 : 4;
    const region = this.nextBuffer(length > 0 ? (length + 1) * width : 0, width);
    if (length === 0) return 0;
    const base = this.bodyAt + region.offset;
    let previous = -1;
    for (let i = 0; i <= length; i++) {
      const p = base + i * width;
      const v = wide ? int64At(this.view, p) : this.view.getInt32(p, true);
      if (!(v >= previous && v >= 0)) fail(`the ${what} offsets of a column decrease or are negative`);
      previous = v;
    }
    if (limit !== null && previous > limit) fail(`the ${what} offsets of a column point past its data`);
    return previous;
  }

  column(type: ColType): number {
    const { length, nullCount } = this.nextNode();
    if (type.dictionary) {
      const { id, width, signed } = type.dictionary;
      const validity = this.validity(length, nullCount);
      const data = this.nextBuffer(length * width, width);
      // Writers send no dictionary for a column with no values yet (0 rows or all missing).
      const size = this.dictionaryLengths.get(id) ?? (nullCount === length ? 0 : undefined);
      if (size === undefined) fail('a dictionary-encoded column comes before its dictionary');
      const base = this.bodyAt + data.offset;
      for (let i = 0; i < length; i++) {
        if (!this.isValid(validity, nullCount, i)) continue;
        const p = base + i * width;
        const v =
          width === 1
            ? signed
              ? this.view.getInt8(p)
              : this.view.getUint8(p)
            : width === 2
              ? signed
                ? this.view.getInt16(p, true)
                : this.view.getUint16(p, true)
              : width === 4
                ? signed
                  ? this.view.getInt32(p, true)
                  : this.view.getUint32(p, true)
                : int64At(this.view, p);
        if (!(v >= 0 && v < size)) fail('a dictionary index points outside its dictionary');
      }
      return length;
    }
    switch (type.id) {
      case T.Null:
        return length;
      case T.Bool:
        this.validity(length, nullCount);
        this.nextBuffer(Math.ceil(length / 8), 1);
        return length;
      case T.Int:
      case T.FloatingPoint:
      case T.Decimal:
      case T.Date:
      case T.Time:
      case T.Timestamp:
      case T.Duration:
      case T.Interval:
        this.validity(length, nullCount);
        this.nextBuffer(length * type.width, Math.min(type.width, 8));
        return length;
      case T.FixedSizeBinary:
        this.validity(length, nullCount);
        this.nextBuffer(length * type.width, 1);
        return length;
      case T.Binary:
      case T.Utf8:
      case T.LargeBinary:
      case T.LargeUtf8: {
        this.validity(length, nullCount);
        const wide = type.id === T.LargeBinary || type.id === T.LargeUtf8;
        // The data buffer comes after the offsets; check the offsets against it.
        const offsetsAt = this.buffer;
        this.buffer++;
        const data = this.nextBuffer(0, 1);
        const after = this.buffer;
        this.buffer = offsetsAt;
        this.offsets(length, wide, data.length, 'string');
        this.buffer = after;
        return length;
      }
      case T.BinaryView:
      case T.Utf8View: {
        this.validity(length, nullCount);
        const views = this.nextBuffer(length * 16, 4);
        const count = this.variadicCounts[this.variadic++] ?? 0;
        const data: Region[] = [];
        for (let k = 0; k < count; k++) data.push(this.nextBuffer(0, 1));
        const base = this.bodyAt + views.offset;
        for (let i = 0; i < length; i++) {
          const size = this.view.getInt32(base + 16 * i, true);
          if (size < 0) fail('a string view has a negative length');
          if (size <= 12) continue;
          const b = data[this.view.getInt32(base + 16 * i + 8, true)];
          const at = this.view.getInt32(base + 16 * i + 12, true);
          if (b === undefined || at < 0 || at + size > b.length)
            fail('a string view points outside its data');
        }
        return length;
      }
      case T.List:
      case T.LargeList:
      case T.Map: {
        this.validity(length, nullCount);
        const offsetsAt = this.buffer;
        this.buffer++;
        const childLength = this.column(type.children[0]!);
        const after = this.buffer;
        const afterNodes = this.node;
        this.buffer = offsetsAt;
        this.offsets(length, type.id === T.LargeList, childLength, 'list');
        this.buffer = after;
        this.node = afterNodes;
        return length;
      }
      case T.FixedSizeList: {
        this.validity(length, nullCount);
        const childLength = this.column(type.children[0]!);
        if (childLength < length * type.listSize!) fail('a fixed-size list column has too few values');
        return length;
      }
      case T.Struct:
        this.validity(length, nullCount);
        for (const child of type.children) {
          if (this.column(child) !== length) fail('a struct column and its fields differ in length');
        }
        return length;
      case T.Union: {
        if (this.unionValidity) this.validity(length, nullCount);
        const ids = this.nextBuffer(length, 1);
        const offsets = type.dense ? this.nextBuffer(length * 4, 4) : null;
        const childLengths = type.children.map((c) => this.column(c));
        const index = new Map(type.typeIds!.map((t, k) => [t, k]));
        for (let i = 0; i < length; i++) {
          const k = index.get(this.view.getInt8(this.bodyAt + ids.offset + i));
          if (k === undefined) fail('a union column has an unknown type id');
          if (offsets) {
            const o = this.view.getInt32(this.bodyAt + offsets.offset + 4 * i, true);
            if (o < 0 || o >= childLengths[k]!) fail('a union column points outside its children');
          }
        }
        if (!type.dense && childLengths.some((l) => l < length)) fail('a union column has too few values');
        return length;
      }
      default:
        return fail('it has an unknown column type');
    }
  }
}

interface State {
  view: DataView;
  bytes: Uint8Array;
  schema: SchemaInfo | null;
  dictionaryLengths: Map<number, number>;
  budget: { left: number };
  rows: number;
}

const MESSAGE = { Schema: 1, DictionaryBatch: 2, RecordBatch: 3 } as const;

/** Read one encapsulated message at `at`; returns the position after its body, or -1 at the end
 * of the stream. `expect` restricts the kind (file blocks). */
function readMessage(state: State, at: number, expect: number | null): number {
  const { bytes, view } = state;
  if (at + 4 > bytes.length) return -1;
  let length = view.getInt32(at, true);
  let metaAt = at + 4;
  if (length === -1) {
    if (at + 8 > bytes.length) return -1;
    length = view.getInt32(at + 4, true);
    metaAt = at + 8;
  }
  if (length === 0) return -1;
  if (length < 0 || metaAt + length > bytes.length) fail('a message is cut short, the file looks truncated');
  const fb = new Flatbuffer(bytes, metaAt, metaAt + length);
  const message = fb.root();
  const version = fb.scalar(message, 0, fb.i16, 0);
  if (version < 3 || version > 4) {
    throw new IpcInvalid(
      `it was written in Arrow IPC format version ${version + 1}, which this reader does not support`,
      version < 3,
    );
  }
  const kind = fb.scalar(message, 1, fb.u8, 0);
  const header = fb.table(message, 2);
  const bodyLength = fb.scalar(message, 3, fb.i64, 0);
  const bodyAt = metaAt + length;
  if (!(bodyLength >= 0 && bodyAt + bodyLength <= bytes.length)) {
    fail('a message body runs past the end of the file, the file looks truncated');
  }
  if (header === 0) fail('a message has no header');
  if (expect !== null && kind !== expect)
    fail('a block of the file footer points at the wrong kind of message');
  if (kind === MESSAGE.Schema) {
    if (state.schema !== null) fail('it has a second schema');
    state.schema = parseSchema(fb, header);
  } else if (kind === MESSAGE.RecordBatch || kind === MESSAGE.DictionaryBatch) {
    const info = state.schema;
    if (info === null) fail('a record batch comes before the schema');
    if (kind === MESSAGE.RecordBatch) {
      const batchLength = checkBatch(state, fb, header, bodyAt, bodyLength, info.fields, version);
      state.rows += batchLength;
    } else {
      const id = fb.scalar(header, 0, fb.i64, 0);
      const valueType = info.dictionaries.get(id);
      if (valueType === undefined) fail('a dictionary batch has an id no column uses');
      const data = fb.table(header, 1);
      if (data === 0) fail('a dictionary batch has no data');
      const delta = fb.scalar(header, 2, fb.u8, 0) !== 0;
      const length = checkBatch(state, fb, data, bodyAt, bodyLength, [valueType], version);
      const before = delta ? (state.dictionaryLengths.get(id) ?? 0) : 0;
      state.dictionaryLengths.set(id, before + length);
    }
  } else {
    throw new IpcInvalid('it holds a tensor or an unknown message, not a table', kind === 4 || kind === 5);
  }
  return bodyAt + bodyLength;
}

/** Check a RecordBatch table against `fields`; returns its length. */
function checkBatch(
  state: State,
  fb: Flatbuffer,
  batch: number,
  bodyAt: number,
  bodyLength: number,
  fields: ColType[],
  version: number,
): number {
  const length = fb.scalar(batch, 0, fb.i64, 0);
  if (!(length >= 0)) fail('a record batch has an impossible length');
  state.budget.left -= length;
  if (state.budget.left < 0) fail('its record batches claim far more rows than the file holds');
  if (fb.table(batch, 3) !== 0) {
    throw new IpcInvalid(
      'its record batches are compressed (LZ4/ZSTD), which this reader does not support',
      true,
    );
  }
  const nodeVector = fb.vector(batch, 1, 16);
  const bufferVector = fb.vector(batch, 2, 16);
  const counts = fb.vector(batch, 4, 8);
  const nodes: { length: number; nullCount: number }[] = [];
  for (let i = 0; i < nodeVector.length; i++) {
    const p = nodeVector.at + 16 * i;
    nodes.push({ length: fb.i64(p), nullCount: fb.i64(p + 8) });
  }
  const buffers: Region[] = [];
  for (let i = 0; i < bufferVector.length; i++) {
    const p = bufferVector.at + 16 * i;
    const region = { offset: fb.i64(p), length: fb.i64(p + 8) };
    if (!(region.offset >= 0 && region.length >= 0 && region.offset + region.length <= bodyLength)) {
      fail('a column buffer lies outside its message body');
    }
    buffers.push(region);
  }
  const variadic: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    const c = fb.i64(counts.at + 8 * i);
    if (!(c >= 0 && c <= bufferVector.length)) fail('a record batch has an impossible buffer count');
    variadic.push(c);
  }
  const checker = new BatchChecker(
    state.view,
    bodyAt,
    nodes,
    buffers,
    variadic,
    state.dictionaryLengths,
    state.budget,
    version < 4,
  );
  for (const field of fields) {
    if (checker.column(field) !== length) fail('a column of a record batch differs in length from the batch');
  }
  checker.finish();
  return length;
}

/** Throws IpcInvalid when `bytes` (an Arrow IPC file or stream) is damaged or unsupported;
 * returns the rows its record batches claim (the total the reader's progress counts towards). */
export function validateIpc(bytes: Uint8Array, onBytes?: (checked: number) => void): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state: State = {
    view,
    bytes,
    schema: null,
    dictionaryLengths: new Map(),
    budget: { left: LENGTH_PER_BYTE * bytes.length + FREE_LENGTH },
    rows: 0,
  };
  const isFile = bytes.length >= 6 && String.fromCharCode(...bytes.subarray(0, 6)) === 'ARROW1';
  if (!isFile) {
    let at = 0;
    let messages = 0;
    while (at >= 0 && at < bytes.length) {
      at = readMessage(state, at, state.schema === null ? MESSAGE.Schema : null);
      if ((++messages & 1023) === 0 && at >= 0) onBytes?.(at);
    }
    if (state.schema === null) fail('it has no schema');
    return state.rows;
  }
  const n = bytes.length;
  if (n < 18 || String.fromCharCode(...bytes.subarray(n - 6)) !== 'ARROW1') {
    fail('the file does not end with the Arrow footer, it looks truncated');
  }
  const footerLength = view.getInt32(n - 10, true);
  const footerAt = n - 10 - footerLength;
  if (!(footerLength > 0 && footerAt >= 8)) fail('its footer is damaged');
  const fb = new Flatbuffer(bytes, footerAt, n - 10);
  const footer = fb.root();
  const schema = fb.table(footer, 1);
  if (schema === 0) fail('its footer has no schema');
  state.schema = parseSchema(fb, schema);
  const blocks = (slot: number): number[] => {
    const v = fb.vector(footer, slot, 24);
    const offsets: number[] = [];
    for (let i = 0; i < v.length; i++) {
      const offset = fb.i64(v.at + 24 * i);
      if (!(offset >= 8 && offset < footerAt)) fail('a block of its footer points outside the file');
      offsets.push(offset);
    }
    return offsets;
  };
  for (const offset of blocks(2)) {
    if (readMessage(state, offset, MESSAGE.DictionaryBatch) < 0) fail('a dictionary block is empty');
  }
  let messages = 0;
  for (const offset of blocks(3)) {
    if (readMessage(state, offset, MESSAGE.RecordBatch) < 0) fail('a record batch block is empty');
    if ((++messages & 1023) === 0) onBytes?.(offset);
  }
  return state.rows;
}
