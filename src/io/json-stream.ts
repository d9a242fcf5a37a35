/**
 * JSON and NDJSON records read straight from the UTF-8 bytes into one compact store per flattened
 * column (a tag byte per value, numbers in a Float64Array, strings interned while few), without
 * the decoded text, the parsed objects or per-column arrays of JS values all living at once: the
 * JS values of one column are made only when that column is built (issue 15: peak memory ≤ 3 ×
 * input + a constant; JSON.parse of the whole text then flattening took ~11 × input).
 *
 * This is the fast path of json.ts for the common shapes — a top-level array, or NDJSON lines —
 * and it must give exactly what JSON.parse + flattening give. Whenever that is not plainly so it
 * gives up (returns null) and the general path runs: any syntax error (so the error message is
 * JSON.parse's own, with its position), an object document (its records are chosen among its
 * arrays), a key JS would enumerate out of file order (an array index like "7"), a name given
 * twice in one record (a repeated key, or "a.b" beside {"a": {"b"}}).
 */
import { cooperate } from '../core/cooperate';
import { boolData, numericData, Validity } from './build';
import { GIVE_UP, giveUp, JsonScanner } from './json-scan';
import type { ValuesColumn } from './values';

enum Tag {
  Null = 0,
  Number = 1,
  String = 2,
  True = 3,
  False = 4,
}

/** Distinct strings a column interns before it stops trying (text columns then keep each one). */
const INTERN_LIMIT = 4096;

/** The values one flattened key collected, in row order: entry k belongs to row `rowOf(k)`. */
export class ColumnStore {
  count = 0;
  lastRow = -1;
  private capacity: number;
  private tags: Uint8Array;
  private nums: Float64Array | null = null;
  private strs: string[] = [];
  /** Rows of the entries; null while entry k is row k (a dense column from row 0). */
  private rowsOf: Int32Array | null = null;
  private intern: Map<string, string> | null = new Map();

  /** `maxEntries`: at most one entry per remaining row (bounds the last doubling). */
  constructor(private readonly maxEntries: number) {
    this.capacity = Math.max(1, Math.min(16, maxEntries));
    this.tags = new Uint8Array(this.capacity);
  }

  private grow(): void {
    const capacity = Math.max(this.count + 1, Math.min(this.capacity * 2, this.maxEntries));
    const tags = new Uint8Array(capacity);
    tags.set(this.tags.subarray(0, this.count));
    this.tags = tags;
    if (this.nums) {
      const nums = new Float64Array(capacity);
      nums.set(this.nums.subarray(0, this.count));
      this.nums = nums;
    }
    if (this.rowsOf) {
      const rows = new Int32Array(capacity);
      rows.set(this.rowsOf.subarray(0, this.count));
      this.rowsOf = rows;
    }
    this.capacity = capacity;
  }

  /** Add a value of `row` (rows increase; the caller rejects a second value in one row). */
  add(row: number, tag: Tag, num: number, str: string): void {
    if (this.count === this.capacity) this.grow();
    const k = this.count;
    if (this.rowsOf === null && row !== k) {
      this.rowsOf = new Int32Array(this.capacity);
      for (let j = 0; j < k; j++) this.rowsOf[j] = j;
    }
    if (this.rowsOf) this.rowsOf[k] = row;
    this.tags[k] = tag;
    if (tag === Tag.Number) {
      this.nums ??= new Float64Array(this.capacity);
      this.nums[k] = num;
    } else if (tag === Tag.String) {
      let s = str;
      if (this.intern) {
        const known = this.intern.get(s);
        if (known !== undefined) s = known;
        else if (this.intern.size < INTERN_LIMIT) this.intern.set(s, s);
        else this.intern = null;
      }
      this.strs.push(s);
    }
    this.count = k + 1;
    this.lastRow = row;
  }

  /** The values as JS values, as JSON.parse gives them. */
  values(): unknown[] {
    const out = new Array<unknown>(this.count);
    const { tags, nums, strs } = this;
    let s = 0;
    for (let k = 0; k < this.count; k++) {
      switch (tags[k]) {
        case Tag.Number:
          out[k] = nums![k];
          break;
        case Tag.String:
          out[k] = strs[s++];
          break;
        case Tag.True:
          out[k] = true;
          break;
        case Tag.False:
          out[k] = false;
          break;
        default:
          out[k] = null;
      }
    }
    return out;
  }

  /**
   * The column columnFromValues would build from `values()` when every present value is a number
   * (integer, else float) or every one a boolean, with no type forced — without making the JS
   * values. Null for anything else (strings, mixtures, all missing).
   */
  typedColumn(length: number): ValuesColumn | null {
    const { tags, count } = this;
    let numbers = 0;
    let booleans = 0;
    let fractional = false;
    for (let k = 0; k < count; k++) {
      const tag = tags[k];
      if (tag === Tag.Number) {
        numbers++;
        if (!fractional && !Number.isInteger(this.nums![k])) fractional = true;
      } else if (tag === Tag.True || tag === Tag.False) booleans++;
      else if (tag !== Tag.Null) return null;
    }
    if ((numbers === 0) === (booleans === 0)) return null;
    const dense = count === length;
    const validity = new Validity(length, dense);
    const out = new Float64Array(length);
    for (let k = 0; k < count; k++) {
      const tag = tags[k];
      const at = this.rowsOf ? this.rowsOf[k]! : k;
      if (tag === Tag.Null) {
        if (dense) validity.setNull(at);
        continue;
      }
      out[at] = tag === Tag.Number ? this.nums![k]! : tag === Tag.True ? 1 : 0;
      if (!dense) validity.setValid(at);
    }
    if (booleans > 0)
      return { type: 'boolean', inferred: 'boolean', data: boolData(out, validity), failed: 0 };
    const type = fractional ? 'float' : 'integer';
    return { type, inferred: type, data: numericData(out, validity, !fractional), failed: 0 };
  }

  /** The entries' rows (increasing). */
  rows(): ArrayLike<number> {
    if (this.rowsOf) return this.rowsOf.subarray(0, this.count);
    const identity = new Int32Array(this.count);
    for (let k = 0; k < this.count; k++) identity[k] = k;
    return identity;
  }

  /** Drop the buffers once the column is built. */
  release(): void {
    this.tags = new Uint8Array(0);
    this.nums = null;
    this.strs = [];
    this.rowsOf = null;
    this.intern = null;
  }
}

export interface StreamedRecords {
  columns: Map<string, ColumnStore>;
  /** Flattened names whose values were arrays (kept as JSON text). */
  arrays: Set<string>;
  nested: boolean;
  rows: number;
}

/** A key's bytes (between its quotes, in the input) and the flattened name it gave. */
interface KeySlot {
  start: number;
  end: number;
  name: string;
}

/** A key JS objects list before all others, in numeric order (an array index: "0", "7", …). */
export const isIndexKey = (key: string): boolean =>
  /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;

/** Whether a flattened name made with `key` has a segment JS objects list first (json.ts then
 * puts the columns back in file order). */
function hasIndexSegment(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39) && !key.includes('.')) return false;
  return key.split('.').some(isIndexKey);
}

/**
 * Records of `bytes` (UTF-8 without BOM) into column stores, or null when the general path must
 * read the file (see the module comment). `expectedRows` bounds the stores' growth.
 */
export async function streamRecords(
  bytes: Uint8Array,
  ndjson: boolean,
  expectedRows: number,
  signal: AbortSignal | undefined,
  /** Bytes read so far, every 1,024 records. */
  onBytes?: (read: number) => void,
): Promise<StreamedRecords | null> {
  const reader = new RecordReader(bytes, ndjson, expectedRows);
  try {
    if (ndjson) await readLines(reader, signal, onBytes);
    else if (!(await readTopArray(reader, signal, onBytes))) return null;
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
  const { columns, arrays, nested, row } = reader;
  return { columns, arrays, nested, rows: row };
}

/** NDJSON: one record per non-blank line. */
async function readLines(
  reader: RecordReader,
  signal: AbortSignal | undefined,
  onBytes: ((read: number) => void) | undefined,
): Promise<void> {
  const { bytes, n } = reader;
  while (reader.pos < n) {
    if ((reader.row & 1023) === 1023) {
      onBytes?.(reader.pos);
      await cooperate(signal);
    }
    reader.skipSpace();
    if (reader.pos < n && bytes[reader.pos] !== 0x0a && bytes[reader.pos] !== 0x0d) {
      reader.readRecord();
      reader.skipSpace();
    }
    if (reader.pos < n) {
      const b = bytes[reader.pos]!;
      if (b !== 0x0a && b !== 0x0d) giveUp();
      reader.pos++;
    }
  }
}

/** A JSON document that is one array of records; false when the document is not an array. */
async function readTopArray(
  reader: RecordReader,
  signal: AbortSignal | undefined,
  onBytes: ((read: number) => void) | undefined,
): Promise<boolean> {
  const { bytes } = reader;
  reader.skipSpace();
  if (bytes[reader.pos] !== 0x5b) return false;
  reader.pos++;
  reader.skipSpace();
  if (bytes[reader.pos] === 0x5d) reader.pos++;
  else {
    for (;;) {
      if ((reader.row & 1023) === 1023) {
        onBytes?.(reader.pos);
        await cooperate(signal);
      }
      reader.readRecord();
      reader.skipSpace();
      const b = bytes[reader.pos++];
      if (b === 0x5d) break;
      if (b !== 0x2c) giveUp();
      reader.skipSpace();
    }
  }
  reader.skipSpace();
  if (reader.pos < reader.n) giveUp();
  return true;
}

/** Records flattened into one ColumnStore per name, a row at a time. */
class RecordReader extends JsonScanner {
  readonly columns = new Map<string, ColumnStore>();
  readonly arrays = new Set<string>();
  /** The last row in which each flattened name held an object. */
  private readonly objectRows = new Map<string, number>();
  /**
   * Per prefix, the keys of the last object read under it, by position: records mostly repeat
   * their keys in order, and a key whose bytes equal the cached key's bytes (a range of the
   * input, which does not change) reuses its flattened name without making a string.
   */
  private readonly keyCache = new Map<string, KeySlot[]>();
  nested = false;
  row = 0;

  constructor(
    bytes: Uint8Array,
    ndjson: boolean,
    private readonly expectedRows: number,
  ) {
    super(bytes, ndjson);
  }

  /** One record (an element of the top-level array, or an NDJSON line's value). */
  readRecord(): void {
    if (this.bytes[this.pos] === 0x7b) this.readObject('');
    else this.readLeaf('value', false);
    this.row++;
  }

  /** An object (pos at its '{') flattened under `prefix` ('' for the record itself). */
  private readObject(prefix: string): void {
    const { bytes } = this;
    this.pos++;
    this.skipSpace();
    if (bytes[this.pos] === 0x7d) {
      this.pos++;
      return;
    }
    let slots = this.keyCache.get(prefix);
    if (slots === undefined) {
      slots = [];
      this.keyCache.set(prefix, slots);
    }
    for (let i = 0; ; i++) {
      if (bytes[this.pos] !== 0x22) giveUp();
      const name = this.readName(prefix, slots, i);
      this.skipSpace();
      if (bytes[this.pos] !== 0x3a) giveUp();
      this.pos++;
      this.skipSpace();
      if (bytes[this.pos] === 0x7b) this.readNestedObject(name);
      else this.readLeaf(name, true);
      this.skipSpace();
      const b = bytes[this.pos++];
      if (b === 0x7d) return;
      if (b !== 0x2c) giveUp();
      this.skipSpace();
    }
  }

  /** An object value of field `name`: its fields become columns "name.key". */
  private readNestedObject(name: string): void {
    this.nested = true;
    const { row } = this;
    if (this.objectRows.get(name) === row || this.columns.get(name)?.lastRow === row) giveUp();
    this.objectRows.set(name, row);
    this.readObject(name);
  }

  /** The flattened name of the key at pos (its opening quote), the i-th of an object. */
  private readName(prefix: string, slots: KeySlot[], i: number): string {
    const slot = slots[i];
    if (slot !== undefined && this.matches(slot)) {
      this.pos += slot.end - slot.start + 2;
      return slot.name;
    }
    const start = this.pos + 1;
    const key = this.readString();
    if (hasIndexSegment(key)) giveUp();
    const name = prefix === '' ? key : `${prefix}.${key}`;
    slots[i] = { start, end: this.pos - 1, name };
    return name;
  }

  /** Whether the key at pos (its opening quote) has the same bytes as the cached `slot`. */
  private matches(slot: KeySlot): boolean {
    const { bytes } = this;
    const { start, end } = slot;
    const at = this.pos + 1;
    const length = end - start;
    if (bytes[at + length] !== 0x22) return false;
    for (let j = 0; j < length; j++) if (bytes[at + j] !== bytes[start + j]) return false;
    return true;
  }

  /** A scalar or array value (pos at its first byte) into column `name`. */
  private readLeaf(name: string, isRecordField: boolean): void {
    const b = this.bytes[this.pos];
    if (b === 0x22) this.put(name, Tag.String, 0, this.readString());
    else if (b === 0x5b) {
      if (isRecordField) this.arrays.add(name);
      this.put(name, Tag.String, 0, this.readArrayText());
    } else if (b === 0x74) {
      this.readTrue();
      this.put(name, Tag.True, 0, '');
    } else if (b === 0x66) {
      this.readFalse();
      this.put(name, Tag.False, 0, '');
    } else if (b === 0x6e) {
      this.readNull();
      this.put(name, Tag.Null, 0, '');
    } else this.put(name, Tag.Number, this.readNumber(), '');
  }

  /** A value of the current row into column `name`, giving up on a second one in this row. */
  private put(name: string, tag: Tag, num: number, str: string): void {
    const { row } = this;
    let column = this.columns.get(name);
    if (column === undefined) {
      column = new ColumnStore(Math.max(1, this.expectedRows - row));
      this.columns.set(name, column);
    } else if (column.lastRow === row) giveUp();
    if (this.objectRows.get(name) === row) giveUp();
    column.add(row, tag, num, str);
  }
}
