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

/** Thrown inside the parser when the general path must decide. */
const GIVE_UP = Symbol('give up');

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Bytes → string as TextDecoder of the whole text would decode them (a BOM inside is kept). */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

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
  const n = bytes.length;
  let pos = 0;
  const columns = new Map<string, ColumnStore>();
  const arrays = new Set<string>();
  /** The last row in which each flattened name held an object. */
  const objectRows = new Map<string, number>();
  let nested = false;
  let row = 0;

  const fail = (): never => {
    throw GIVE_UP;
  };
  const skipSpace = (): void => {
    while (pos < n) {
      const b = bytes[pos]!;
      if (b === 0x20 || b === 0x09 || (!ndjson && (b === 0x0a || b === 0x0d))) pos++;
      else break;
    }
  };

  const readString = (): string => {
    const start = ++pos;
    let escaped = false;
    let ascii = true;
    for (;;) {
      if (pos >= n) fail();
      const b = bytes[pos]!;
      if (b === 0x22) break;
      if (b === 0x5c) {
        escaped = true;
        pos += 2;
        continue;
      }
      if (b < 0x20) fail();
      if (b >= 0x80) ascii = false;
      pos++;
    }
    const end = pos++;
    if (escaped) {
      try {
        return JSON.parse(utf8.decode(bytes.subarray(start - 1, end + 1))) as string;
      } catch {
        return fail();
      }
    }
    if (end === start) return '';
    if (ascii && end - start <= 1024) {
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    }
    return utf8.decode(bytes.subarray(start, end));
  };

  const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

  const readNumber = (): number => {
    const start = pos;
    const negative = bytes[pos] === 0x2d;
    if (negative) pos++;
    let mantissa = 0;
    let significant = 0;
    let fraction = 0;
    if (bytes[pos] === 0x30) {
      pos++;
      if (isDigit(bytes[pos])) fail();
    } else if (isDigit(bytes[pos])) {
      for (; isDigit(bytes[pos]); pos++) {
        mantissa = mantissa * 10 + (bytes[pos]! - 0x30);
        if (mantissa > 0) significant++;
      }
    } else fail();
    if (bytes[pos] === 0x2e) {
      pos++;
      if (!isDigit(bytes[pos])) fail();
      for (; isDigit(bytes[pos]); pos++) {
        mantissa = mantissa * 10 + (bytes[pos]! - 0x30);
        if (mantissa > 0) significant++;
        fraction++;
      }
    }
    let exponent = 0;
    if (bytes[pos] === 0x65 || bytes[pos] === 0x45) {
      pos++;
      let sign = 1;
      if (bytes[pos] === 0x2b) pos++;
      else if (bytes[pos] === 0x2d) {
        sign = -1;
        pos++;
      }
      if (!isDigit(bytes[pos])) fail();
      for (; isDigit(bytes[pos]); pos++) {
        if (exponent < 100000) exponent = exponent * 10 + (bytes[pos]! - 0x30);
      }
      exponent *= sign;
    }
    const e10 = exponent - fraction;
    let value: number;
    // Clinger's fast path: an exact mantissa (< 2^53) times or divided by an exact power of ten
    // is one correctly rounded operation, the same double JSON.parse gives. Otherwise JS's own.
    if (significant <= 15 && e10 >= -22 && e10 <= 22) {
      value = e10 >= 0 ? mantissa * POW10[e10]! : mantissa / POW10[-e10]!;
      if (negative) value = -value;
    } else {
      value = Number(String.fromCharCode.apply(null, bytes.subarray(start, pos) as unknown as number[]));
    }
    return value;
  };

  const literal = (word: readonly number[]): void => {
    for (let i = 0; i < word.length; i++) if (bytes[pos + i] !== word[i]) fail();
    pos += word.length;
  };
  const TRUE = [0x74, 0x72, 0x75, 0x65];
  const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
  const NULL = [0x6e, 0x75, 0x6c, 0x6c];

  /** An array value as the general path keeps it: JSON.stringify(JSON.parse(its text)). */
  const readArrayText = (): string => {
    const start = pos;
    let depth = 0;
    while (pos < n) {
      const b = bytes[pos]!;
      // An NDJSON value ends with its line.
      if (ndjson && (b === 0x0a || b === 0x0d)) fail();
      if (b === 0x22) {
        pos++;
        while (pos < n && bytes[pos] !== 0x22) pos += bytes[pos] === 0x5c ? 2 : 1;
      } else if (b === 0x5b || b === 0x7b) depth++;
      else if ((b === 0x5d || b === 0x7d) && --depth === 0) {
        pos++;
        try {
          return JSON.stringify(JSON.parse(utf8.decode(bytes.subarray(start, pos))));
        } catch {
          return fail();
        }
      }
      pos++;
    }
    return fail();
  };

  const put = (name: string, tag: Tag, num: number, str: string): void => {
    let column = columns.get(name);
    if (column === undefined) {
      column = new ColumnStore(Math.max(1, expectedRows - row));
      columns.set(name, column);
    } else if (column.lastRow === row) fail();
    if (objectRows.get(name) === row) fail();
    column.add(row, tag, num, str);
  };

  /** A scalar or array value (pos at its first byte) into column `name`. */
  const readLeaf = (name: string, isRecordField: boolean): void => {
    const b = bytes[pos];
    if (b === 0x22) put(name, Tag.String, 0, readString());
    else if (b === 0x5b) {
      if (isRecordField) arrays.add(name);
      put(name, Tag.String, 0, readArrayText());
    } else if (b === 0x74) {
      literal(TRUE);
      put(name, Tag.True, 0, '');
    } else if (b === 0x66) {
      literal(FALSE);
      put(name, Tag.False, 0, '');
    } else if (b === 0x6e) {
      literal(NULL);
      put(name, Tag.Null, 0, '');
    } else put(name, Tag.Number, readNumber(), '');
  };

  /**
   * Per prefix, the keys of the last object read under it, by position: records mostly repeat
   * their keys in order, and a key whose bytes equal the cached key's bytes (a range of the
   * input, which does not change) reuses its flattened name without making a string.
   */
  const keyCache = new Map<string, KeySlot[]>();

  /** The flattened name of the key at pos (its opening quote), the i-th of an object. */
  const readName = (prefix: string, slots: KeySlot[], i: number): string => {
    const slot = slots[i];
    if (slot !== undefined) {
      const { start, end } = slot;
      const at = pos + 1;
      const length = end - start;
      if (bytes[at + length] === 0x22) {
        let same = true;
        for (let j = 0; j < length; j++) {
          if (bytes[at + j] !== bytes[start + j]) {
            same = false;
            break;
          }
        }
        if (same) {
          pos = at + length + 1;
          return slot.name;
        }
      }
    }
    const start = pos + 1;
    const key = readString();
    if (hasIndexSegment(key)) fail();
    const name = prefix === '' ? key : `${prefix}.${key}`;
    slots[i] = { start, end: pos - 1, name };
    return name;
  };

  /** An object (pos at its '{') flattened under `prefix` ('' for the record itself). */
  const readObject = (prefix: string): void => {
    pos++;
    skipSpace();
    if (bytes[pos] === 0x7d) {
      pos++;
      return;
    }
    let slots = keyCache.get(prefix);
    if (slots === undefined) {
      slots = [];
      keyCache.set(prefix, slots);
    }
    for (let i = 0; ; i++) {
      if (bytes[pos] !== 0x22) fail();
      const name = readName(prefix, slots, i);
      skipSpace();
      if (bytes[pos] !== 0x3a) fail();
      pos++;
      skipSpace();
      if (bytes[pos] === 0x7b) {
        nested = true;
        if (objectRows.get(name) === row || columns.get(name)?.lastRow === row) fail();
        objectRows.set(name, row);
        readObject(name);
      } else readLeaf(name, true);
      skipSpace();
      const b = bytes[pos];
      pos++;
      if (b === 0x7d) return;
      if (b !== 0x2c) fail();
      skipSpace();
    }
  };

  /** One record (an element of the top-level array, or an NDJSON line's value). */
  const readRecord = (): void => {
    if (bytes[pos] === 0x7b) readObject('');
    else readLeaf('value', false);
    row++;
  };

  try {
    if (ndjson) {
      while (pos < n) {
        if ((row & 1023) === 1023) {
          onBytes?.(pos);
          await cooperate(signal);
        }
        skipSpace();
        if (pos < n && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) {
          readRecord();
          skipSpace();
        }
        if (pos < n) {
          const b = bytes[pos]!;
          if (b !== 0x0a && b !== 0x0d) fail();
          pos++;
        }
      }
    } else {
      skipSpace();
      if (bytes[pos] !== 0x5b) return null;
      pos++;
      skipSpace();
      if (bytes[pos] === 0x5d) pos++;
      else {
        for (;;) {
          if ((row & 1023) === 1023) {
            onBytes?.(pos);
            await cooperate(signal);
          }
          readRecord();
          skipSpace();
          const b = bytes[pos];
          pos++;
          if (b === 0x5d) break;
          if (b !== 0x2c) fail();
          skipSpace();
        }
      }
      skipSpace();
      if (pos < n) fail();
    }
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
  return { columns, arrays, nested, rows: row };
}
