/**
 * Seeded synthetic data: a mixed table for demos, benchmarks and parser tests, as an Arrow table
 * (`syntheticTable`) or the same data as CSV bytes (`syntheticCsv`). No DOM: runs in Node and in
 * the engine worker.
 *
 * Columns. The default is the 20 kinds of `KINDS` in order (8 float, 4 integer, 4 categorical,
 * 1 boolean, 1 date, 1 datetime, 1 text), followed by a binary `target`. `columns: k` asks for k
 * feature columns: k < 20 takes the first k kinds; k > 20 cycles through the kinds again, naming
 * the repeats `<name>_2`, `<name>_3`, … with fresh random values. `target` is always added, so the
 * table has k + 1 columns. Each column draws from its own generator forked from `createRng(seed)`
 * in column order, so a prefix of columns is the same whatever `columns` says.
 *
 * `target` (Int32, 0/1, never missing) is drawn from a logistic model of some first-cycle features
 * (x_normal, x_lognormal, x_bimodal, n_age, c_color, b_flag — those present), using their values
 * before missing cells are blanked, so a model can learn it.
 *
 * Floats are rounded to a few decimals, as measured data is, so the CSV is compact and reads back
 * to exactly the same doubles. Timestamps are whole seconds in 2024 (UTC).
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
import { EngineError, throwIfAborted } from '../core/errors';
import { LIMITS } from '../core/limits';
import { createRng, type Rng } from '../core/rng';
import { type ColumnType, TYPE_METADATA_KEY } from '../core/types';
import type { SyntheticOptions } from './types';

export const DEFAULT_SYNTHETIC_COLUMNS = 20;
/** See src/core/limits.ts: the link check and the engine use the same numbers. */
export const MAX_SYNTHETIC_ROWS = LIMITS.syntheticRows;
export const MAX_SYNTHETIC_COLUMNS = LIMITS.syntheticColumns;

const MS_PER_DAY = 86_400_000;
const DAY_2015_01_01 = 16436;
const DAYS_2015_TO_2024 = 3653; // 2015-01-01 … 2024-12-31
const MS_2024_01_01 = 1_704_067_200_000;
const SECONDS_IN_2024 = 366 * 86_400;

const MAX_WORDS = 6;
// Some words need CSV quoting or are not ASCII, to exercise writers and readers.
// biome-ignore format: a word list reads better packed
const WORDS = [
  'the', 'item', 'arrived', 'late', 'early', 'works', 'fine', 'broken', 'great', 'okay', 'would', 'buy',
  'again', 'never', 'price', 'too', 'high', 'low', 'fast', 'slow', 'love', 'it', 'not', 'sure', 'yes,',
  'no,', '"meh"', 'café', 'naïve', 'support', 'helped', 'refund', 'box', 'damaged', 'colour', 'size',
];

// biome-ignore format: a word list reads better packed
const CITIES = [
  'Lisbon', 'Osaka', 'Nairobi', 'Lima', 'Oslo', 'Austin', 'Hanoi', 'Dakar', 'Quito', 'Perth',
  'Washington, D.C.', 'São Paulo',
];

interface TextColumn {
  /** Word indices, MAX_WORDS slots per row. */
  words: Uint8Array;
  counts: Uint8Array;
}

/** One generated column before it becomes Arrow data or CSV text. */
interface Column {
  name: string;
  type: ColumnType;
  /** float: Float64Array; integer, date, categorical (codes): Int32Array; boolean: Uint8Array of 0/1;
   * datetime: Float64Array of epoch milliseconds; text: unused (see `text`). */
  values: Float64Array | Int32Array | Uint8Array;
  /** Float columns: values are multiples of 10^-decimals. */
  decimals?: number;
  dictionary?: string[];
  text?: TextColumn;
  /** Share of cells blanked after the target is drawn. */
  missingRate: number;
  /** 1 = present, 0 = missing; null when nothing is missing. */
  valid: Uint8Array | null;
  nullCount: number;
}

interface Kind {
  name: string;
  type: ColumnType;
  missingRate: number;
  /** `cycle` holds the columns already made in this cycle of kinds, by kind name. */
  make(rng: Rng, rows: number, cycleIndex: number, cycle: Map<string, Column>): Partial<Column>;
}

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f + 0; // + 0 turns -0 into 0, so CSV "0" reads back as the same value
};

function floats(rows: number, decimals: number, draw: (i: number) => number): Partial<Column> {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = round(draw(i), decimals);
  return { values, decimals };
}

function ints(rows: number, draw: (i: number) => number): { values: Int32Array } {
  const values = new Int32Array(rows);
  for (let i = 0; i < rows; i++) values[i] = draw(i);
  return { values };
}

/** Categorical codes drawn with the given (unnormalised) weights. */
function categories(rng: Rng, rows: number, dictionary: string[], weights?: number[]): Partial<Column> {
  const values = new Int32Array(rows);
  if (!weights) {
    for (let i = 0; i < rows; i++) values[i] = rng.int(dictionary.length);
    return { values, dictionary };
  }
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, k) => {
    sum += w;
    cumulative[k] = sum;
  });
  for (let i = 0; i < rows; i++) {
    const u = rng.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    values[i] = lo;
  }
  return { values, dictionary };
}

const labels = (prefix: string, n: number, width: number): string[] =>
  Array.from({ length: n }, (_, k) => `${prefix}${String(k).padStart(width, '0')}`);

/** The 20 column kinds, in the order `columns` takes them. */
const KINDS: Kind[] = [
  {
    name: 'x_normal',
    type: 'float',
    missingRate: 0,
    make: (r, n) => floats(n, 2, () => 50 + 10 * r.normal()),
  },
  {
    name: 'x_lognormal',
    type: 'float',
    missingRate: 0.03,
    make: (r, n) => floats(n, 2, () => Math.exp(3 + 0.8 * r.normal())),
  },
  { name: 'x_uniform', type: 'float', missingRate: 0, make: (r, n) => floats(n, 4, () => r.next()) },
  {
    name: 'x_bimodal',
    type: 'float',
    missingRate: 0,
    make: (r, n) => floats(n, 3, () => (r.next() < 0.5 ? -2 + 0.7 * r.normal() : 3 + r.normal())),
  },
  {
    name: 'x_outliers',
    type: 'float',
    missingRate: 0.02,
    // 1% of values 10–50× off the bulk, like unit mix-ups and sensor glitches.
    make: (r, n) =>
      floats(n, 3, () => {
        const x = 100 + 15 * r.normal();
        return r.next() < 0.01 ? x * (10 + 40 * r.next()) : x;
      }),
  },
  {
    name: 'x_exponential',
    type: 'float',
    missingRate: 0,
    make: (r, n) => floats(n, 3, () => -2 * Math.log(1 - r.next())),
  },
  {
    name: 'x_correlated',
    type: 'float',
    missingRate: 0.01,
    // Correlation ≈ 0.8 with x_normal of the same cycle (independent normal when that is absent).
    make: (r, n, _c, cycle) => {
      const base = cycle.get('x_normal')?.values;
      return floats(n, 3, (i) => {
        const z = base ? ((base[i] ?? 50) - 50) / 10 : r.normal();
        return 0.8 * z + 0.6 * r.normal();
      });
    },
  },
  {
    name: 'x_laplace',
    type: 'float',
    missingRate: 0,
    make: (r, n) =>
      floats(n, 3, () => {
        const u = r.next() - 0.5;
        return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
      }),
  },
  {
    name: 'n_count',
    type: 'integer',
    missingRate: 0,
    make: (r, n) => {
      const limit = Math.exp(-3); // Poisson(3) by Knuth's product of uniforms
      return ints(n, () => {
        let k = 0;
        let p = r.next();
        while (p > limit) {
          k++;
          p *= r.next();
        }
        return k;
      });
    },
  },
  { name: 'n_age', type: 'integer', missingRate: 0.05, make: (r, n) => ints(n, () => 18 + r.int(73)) },
  // Unique row ids (offset per cycle, so repeated id columns differ).
  { name: 'n_id', type: 'integer', missingRate: 0, make: (_r, n, c) => ints(n, (i) => c * n + i + 1) },
  {
    name: 'n_visits',
    type: 'integer',
    missingRate: 0,
    make: (r, n) => ints(n, () => Math.floor(Math.log(1 - r.next()) / Math.log(0.8))),
  },
  {
    name: 'c_color',
    type: 'categorical',
    missingRate: 0,
    make: (r, n) => categories(r, n, ['red', 'green', 'blue'], [5, 3, 2]),
  },
  {
    name: 'c_city',
    type: 'categorical',
    missingRate: 0.04,
    make: (r, n) => categories(r, n, CITIES, [9, 8, 7, 6, 5, 5, 4, 4, 3, 3, 2, 2]),
  },
  {
    name: 'c_product',
    type: 'categorical',
    missingRate: 0,
    // Zipf-like: a few products dominate.
    make: (r, n) =>
      categories(
        r,
        n,
        labels('product_', 50, 2),
        Array.from({ length: 50 }, (_, k) => 1 / (k + 1)),
      ),
  },
  {
    name: 'c_user',
    type: 'categorical',
    missingRate: 0,
    make: (r, n) => categories(r, n, labels('user_', 1000, 4)),
  },
  {
    name: 'b_flag',
    type: 'boolean',
    missingRate: 0.02,
    make: (r, n) => {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) values[i] = r.next() < 0.35 ? 1 : 0;
      return { values };
    },
  },
  {
    name: 'd_date',
    type: 'date',
    missingRate: 0.03,
    make: (r, n) => ints(n, () => DAY_2015_01_01 + r.int(DAYS_2015_TO_2024)),
  },
  {
    name: 't_timestamp',
    type: 'datetime',
    missingRate: 0,
    make: (r, n) => {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = MS_2024_01_01 + r.int(SECONDS_IN_2024) * 1000;
      return { values };
    },
  },
  {
    name: 's_comment',
    type: 'text',
    missingRate: 0.1,
    make: (r, n) => {
      const words = new Uint8Array(n * MAX_WORDS);
      const counts = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const count = 1 + r.int(MAX_WORDS);
        counts[i] = count;
        for (let w = 0; w < count; w++) words[i * MAX_WORDS + w] = r.int(WORDS.length);
      }
      return { values: new Uint8Array(0), text: { words, counts } };
    },
  },
];

function validate(options: SyntheticOptions): { rows: number; columns: number; seed: number } {
  const rows = options.rows;
  const columns = options.columns ?? DEFAULT_SYNTHETIC_COLUMNS;
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_SYNTHETIC_ROWS) {
    throw new EngineError('InvalidArgument', `Rows must be a whole number from 0 to ${MAX_SYNTHETIC_ROWS}.`, {
      rows,
      hint: 'Ask for fewer rows.',
    });
  }
  if (!Number.isInteger(columns) || columns < 0 || columns > MAX_SYNTHETIC_COLUMNS) {
    throw new EngineError(
      'InvalidArgument',
      `Columns must be a whole number from 0 to ${MAX_SYNTHETIC_COLUMNS}.`,
      { columns },
    );
  }
  if (!Number.isFinite(options.seed)) {
    throw new EngineError('InvalidArgument', 'The seed must be a finite number.', { seed: options.seed });
  }
  return { rows, columns, seed: options.seed };
}

/** Logistic model of some first-cycle features; `columns` are those generated (present ones count). */
function drawTarget(rng: Rng, rows: number, columns: Column[]): Column {
  const byName = new Map(columns.map((c) => [c.name, c.values]));
  const normal = byName.get('x_normal');
  const lognormal = byName.get('x_lognormal');
  const bimodal = byName.get('x_bimodal');
  const age = byName.get('n_age');
  const color = byName.get('c_color');
  const flag = byName.get('b_flag');
  const colorEffect = [0.8, -0.4, -0.6];
  const values = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let logit = -0.5;
    if (normal) logit += 1.5 * (((normal[i] ?? 50) - 50) / 10);
    if (lognormal) logit -= (Math.log(Math.max(lognormal[i] ?? 20, 0.01)) - 3) / 0.8;
    if (bimodal) logit += (bimodal[i] ?? 0) > 0.5 ? 0.8 : -0.8;
    if (age) logit += 0.7 * (((age[i] ?? 54) - 54) / 21);
    if (color) logit += colorEffect[color[i] ?? 0] ?? 0;
    if (flag) logit += flag[i] ? 1 : 0;
    values[i] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { name: 'target', type: 'integer', values, missingRate: 0, valid: null, nullCount: 0 };
}

function blank(rng: Rng, column: Column, rows: number): void {
  if (column.missingRate <= 0 || rows === 0) return;
  const valid = new Uint8Array(rows).fill(1);
  const floatValues = column.type === 'float' ? (column.values as Float64Array) : null;
  let nulls = 0;
  // Jump from one missing cell to the next (geometric gaps): one draw per missing cell, not per row.
  const logKeep = Math.log(1 - column.missingRate);
  for (let i = Math.floor(Math.log(1 - rng.next()) / logKeep); i < rows; ) {
    valid[i] = 0;
    nulls++;
    // Float slots under a null hold NaN, so code that ignores the validity bitmap shows up.
    if (floatValues) floatValues[i] = Number.NaN;
    i += 1 + Math.floor(Math.log(1 - rng.next()) / logKeep);
  }
  column.valid = nulls > 0 ? valid : null;
  column.nullCount = nulls;
}

/** Every column's values (not yet Arrow). `onColumn` is called after each, for progress and cancel. */
function generate(options: SyntheticOptions, onColumn: (done: number, total: number) => void): Column[] {
  const steps = generateSteps(options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onColumn(r.value[0], r.value[1]);
  }
}

/** The generation as resumable steps (one per column), so an async caller can yield between them. */
function* generateSteps(options: SyntheticOptions): Generator<[done: number, total: number], Column[]> {
  const { rows, columns: count, seed } = validate(options);
  const root = createRng(seed);
  const targetRng = root.fork();
  const made: Column[] = [];
  const missingRngs: Rng[] = [];
  let cycle = new Map<string, Column>();
  for (let j = 0; j < count; j++) {
    const kind = KINDS[j % KINDS.length]!;
    const cycleIndex = Math.floor(j / KINDS.length);
    if (j % KINDS.length === 0) cycle = new Map();
    const valuesRng = root.fork();
    const missingRng = root.fork();
    const part = kind.make(valuesRng, rows, cycleIndex, cycle);
    const column: Column = {
      name: cycleIndex === 0 ? kind.name : `${kind.name}_${cycleIndex + 1}`,
      type: kind.type,
      values: part.values ?? new Uint8Array(0),
      missingRate: kind.missingRate,
      valid: null,
      nullCount: 0,
      ...(part.decimals !== undefined ? { decimals: part.decimals } : {}),
      ...(part.dictionary ? { dictionary: part.dictionary } : {}),
      ...(part.text ? { text: part.text } : {}),
    };
    cycle.set(kind.name, column);
    made.push(column);
    // The missing mask is applied after the target is drawn, so the target sees the true values.
    missingRngs.push(missingRng);
    yield [j + 1, count + 1];
  }
  const target = drawTarget(targetRng, rows, made.slice(0, Math.min(count, KINDS.length)));
  made.forEach((column, j) => {
    blank(missingRngs[j]!, column, rows);
  });
  made.push(target);
  yield [count + 1, count + 1];
  return made;
}

// ---------------------------------------------------------------------------------------------
// Arrow

const encoder = new TextEncoder();

function bitmap(bits: Uint8Array, rows: number): Uint8Array {
  const packed = new Uint8Array(Math.ceil(rows / 8));
  for (let i = 0; i < rows; i++) if (bits[i]) packed[i >> 3]! |= 1 << (i & 7);
  return packed;
}

function utf8Data(strings: string[]): Data<Utf8> {
  const encoded = strings.map((s) => encoder.encode(s));
  const offsets = new Int32Array(strings.length + 1);
  let total = 0;
  encoded.forEach((bytes, k) => {
    total += bytes.length;
    offsets[k + 1] = total;
  });
  const data = new Uint8Array(total);
  encoded.forEach((bytes, k) => {
    data.set(bytes, offsets[k]!);
  });
  return makeData({ type: new Utf8(), length: strings.length, nullCount: 0, valueOffsets: offsets, data });
}

function textData(text: TextColumn, rows: number, valid: Uint8Array | null, nullCount: number): Data<Utf8> {
  const wordBytes = WORDS.map((w) => encoder.encode(w));
  const offsets = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (!valid || valid[i]) {
      const count = text.counts[i]!;
      for (let w = 0; w < count; w++) total += wordBytes[text.words[i * MAX_WORDS + w]!]!.length;
      total += count - 1; // spaces
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < rows; i++) {
    let at = offsets[i]!;
    if (at === offsets[i + 1]) continue;
    const count = text.counts[i]!;
    for (let w = 0; w < count; w++) {
      if (w > 0) data[at++] = 0x20;
      const bytes = wordBytes[text.words[i * MAX_WORDS + w]!]!;
      data.set(bytes, at);
      at += bytes.length;
    }
  }
  return makeData({
    type: new Utf8(),
    length: rows,
    nullCount,
    nullBitmap: valid ? bitmap(valid, rows) : null,
    valueOffsets: offsets,
    data,
  });
}

/**
 * Dictionary ids are written into IPC, and arrow's default (a global counter) would make the same
 * seed give different bytes. A fixed id per column position is unique within a table, safe to share
 * between synthetic tables (same position → same kind → same dictionary) and far above the
 * counter's range, so it never meets another table's auto-numbered dictionary.
 */
const dictionaryId = (columnIndex: number): number => 1_000_000_000 + columnIndex;

function arrowData(column: Column, rows: number, columnIndex: number): Data {
  const nullBitmap = column.valid ? bitmap(column.valid, rows) : null;
  const common = { length: rows, nullCount: column.nullCount, nullBitmap };
  switch (column.type) {
    case 'float':
      return makeData({ type: new Float64(), ...common, data: column.values as Float64Array });
    case 'integer':
      return makeData({ type: new Int32(), ...common, data: column.values as Int32Array });
    case 'date':
      return makeData({ type: new DateDay(), ...common, data: column.values as Int32Array });
    case 'boolean':
      return makeData({ type: new Bool(), ...common, data: bitmap(column.values as Uint8Array, rows) });
    case 'datetime': {
      const ms = column.values as Float64Array;
      const data = new BigInt64Array(rows);
      // Write the int64s as two int32 halves: far faster than a BigInt per value.
      const halves = new Int32Array(data.buffer);
      for (let i = 0; i < rows; i++) {
        const v = ms[i]!;
        const high = Math.floor(v / 4294967296);
        halves[2 * i] = v - high * 4294967296;
        halves[2 * i + 1] = high;
      }
      return makeData({ type: new TimestampMillisecond(), ...common, data });
    }
    case 'categorical':
      return makeData({
        type: new Dictionary(new Utf8(), new Int32(), dictionaryId(columnIndex)),
        ...common,
        data: column.values as Int32Array,
        dictionary: makeVector(utf8Data(column.dictionary ?? [])),
      });
    case 'text':
      return textData(column.text!, rows, column.valid, column.nullCount);
    default:
      throw new EngineError('InternalError', `No Arrow type for column type ${column.type}.`);
  }
}

/**
 * A seeded synthetic Arrow table: `options.rows` rows, `options.columns` (default 20) feature
 * columns plus `target` (see the module comment). `onProgress` gets the fraction done; `signal`
 * cancels between columns with EngineError('Cancelled').
 */
export function syntheticTable(
  options: SyntheticOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Table {
  throwIfAborted(signal);
  const columns = generate(options, (done, total) => {
    throwIfAborted(signal);
    // Generating is ~80% of the work, building Arrow data the rest.
    onProgress?.((0.8 * done) / total);
  });
  return assemble(options.rows, columns, onProgress, signal);
}

/**
 * As syntheticTable, but yields to the event loop after every column, so that a worker stays
 * responsive while it generates: a cancel message is handled between columns.
 */
export async function syntheticTableAsync(
  options: SyntheticOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Table> {
  throwIfAborted(signal);
  const steps = generateSteps(options);
  let columns: Column[];
  for (;;) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfAborted(signal);
    const r = steps.next();
    if (r.done) {
      columns = r.value;
      break;
    }
    onProgress?.((0.8 * r.value[0]) / r.value[1]);
  }
  return assemble(options.rows, columns, onProgress, signal);
}

function assemble(
  rows: number,
  columns: Column[],
  onProgress: ((fraction: number) => void) | undefined,
  signal: AbortSignal | undefined,
): Table {
  const fields: Field[] = [];
  const children: Data[] = [];
  columns.forEach((column, j) => {
    const data = arrowData(column, rows, j);
    children.push(data);
    fields.push(
      new Field(
        column.name,
        data.type as DataType,
        column.missingRate > 0,
        new Map([[TYPE_METADATA_KEY, column.type]]),
      ),
    );
    throwIfAborted(signal);
    onProgress?.(0.8 + (0.2 * (j + 1)) / columns.length);
  });
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table([new RecordBatch(schema, struct)]);
}

// ---------------------------------------------------------------------------------------------
// CSV, written as bytes straight into one buffer: formatting 20M cells through strings is ~5×
// slower than writing their digits.

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;
const SPACE = 0x20;

const needsQuotes = (s: string): boolean => /[",\n\r]/.test(s);
const csvField = (s: string): string => (needsQuotes(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Writes a non-negative integer (< 2^53) as exactly `width` digits, zero-padded; returns the end. */
function writePadded(out: Uint8Array, at: number, n: number, width: number): number {
  let rest = n;
  for (let k = at + width - 1; k >= at; k--) {
    const q = Math.floor(rest / 10);
    out[k] = ZERO + (rest - q * 10);
    rest = q;
  }
  return at + width;
}

function writeDigits(out: Uint8Array, at: number, n: number): number {
  let width = 1;
  for (let p = 10; p <= n; p *= 10) width++;
  return writePadded(out, at, n, width);
}

function writeInteger(out: Uint8Array, at: number, n: number): number {
  if (n < 0) {
    out[at] = MINUS;
    return writeDigits(out, at + 1, -n);
  }
  return writeDigits(out, at, n);
}

/**
 * `v` is a multiple of 10^-decimals (see `round`); writes it as that decimal without trailing
 * zeros. It parses back to exactly `v`: both are the double nearest to the same decimal.
 */
function writeFixed(out: Uint8Array, at: number, v: number, decimals: number): number {
  const scale = 10 ** decimals;
  let k = Math.round(v * scale);
  let pos = at;
  if (k < 0) {
    out[pos++] = MINUS;
    k = -k;
  }
  const whole = Math.floor(k / scale);
  let fraction = k - whole * scale;
  pos = writeDigits(out, pos, whole);
  if (fraction === 0) return pos;
  let width = decimals;
  while (fraction % 10 === 0) {
    fraction /= 10;
    width--;
  }
  out[pos++] = DOT;
  return writePadded(out, pos, fraction, width);
}

/** `YYYY-MM-DD` of a day count since 1970-01-01, for years 0–9999 (Howard Hinnant's civil_from_days). */
function writeDate(out: Uint8Array, at: number, days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  let pos = writePadded(out, at, y, 4);
  out[pos++] = MINUS;
  pos = writePadded(out, pos, m, 2);
  out[pos++] = MINUS;
  return writePadded(out, pos, d, 2);
}

/** `YYYY-MM-DDTHH:MM:SSZ` (UTC), with `.sss` before the Z only when the milliseconds are not zero. */
function writeDatetime(out: Uint8Array, at: number, ms: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - days * MS_PER_DAY;
  const seconds = Math.floor(inDay / 1000);
  const millis = inDay - seconds * 1000;
  let pos = writeDate(out, at, days);
  out[pos++] = LETTER_T;
  pos = writePadded(out, pos, Math.floor(seconds / 3600), 2);
  out[pos++] = COLON;
  pos = writePadded(out, pos, Math.floor(seconds / 60) % 60, 2);
  out[pos++] = COLON;
  pos = writePadded(out, pos, seconds % 60, 2);
  if (millis) {
    out[pos++] = DOT;
    pos = writePadded(out, pos, millis, 3);
  }
  out[pos++] = LETTER_Z;
  return pos;
}

function writeBytes(out: Uint8Array, at: number, bytes: Uint8Array): number {
  // A loop beats `set` for the short byte strings here.
  for (let k = 0; k < bytes.length; k++) out[at + k] = bytes[k]!;
  return at + bytes.length;
}

/** How each column is written; one row loop with a switch stays monomorphic (closures per column did not). */
enum Cell {
  Float,
  Integer,
  Boolean,
  Date,
  Datetime,
  Bytes,
  Text,
}

interface CsvColumn {
  cell: Cell;
  valid: Uint8Array | null;
  floats: Float64Array;
  ints: Int32Array;
  flags: Uint8Array;
  decimals: number;
  /** Bytes: the encoded, already quoted dictionary entries. */
  entries: Uint8Array[];
  text: TextColumn | null;
  /** Upper bound of one field's bytes. */
  maxBytes: number;
}

const TRUE_BYTES = encoder.encode('true');
const FALSE_BYTES = encoder.encode('false');
const PLAIN_WORDS = WORDS.map((w) => encoder.encode(w));
const ESCAPED_WORDS = WORDS.map((w) => encoder.encode(w.replaceAll('"', '""')));
const QUOTED_WORDS = Uint8Array.from(WORDS, (w) => (needsQuotes(w) ? 1 : 0));

function csvColumn(column: Column): CsvColumn {
  const base: CsvColumn = {
    cell: Cell.Integer,
    valid: column.valid,
    floats: new Float64Array(0),
    ints: new Int32Array(0),
    flags: new Uint8Array(0),
    decimals: column.decimals ?? 0,
    entries: [],
    text: null,
    maxBytes: 11,
  };
  switch (column.type) {
    case 'float':
      return {
        ...base,
        cell: Cell.Float,
        floats: column.values as Float64Array,
        maxBytes: 24 + base.decimals,
      };
    case 'integer':
      return { ...base, cell: Cell.Integer, ints: column.values as Int32Array, maxBytes: 11 };
    case 'boolean':
      return { ...base, cell: Cell.Boolean, flags: column.values as Uint8Array, maxBytes: 5 };
    case 'date':
      return { ...base, cell: Cell.Date, ints: column.values as Int32Array, maxBytes: 10 };
    case 'datetime':
      return { ...base, cell: Cell.Datetime, floats: column.values as Float64Array, maxBytes: 24 };
    case 'categorical': {
      const entries = (column.dictionary ?? []).map((s) => encoder.encode(csvField(s)));
      const maxBytes = Math.max(0, ...entries.map((e) => e.length));
      return { ...base, cell: Cell.Bytes, ints: column.values as Int32Array, entries, maxBytes };
    }
    case 'text':
      return {
        ...base,
        cell: Cell.Text,
        text: column.text ?? null,
        maxBytes: 2 + MAX_WORDS * (1 + Math.max(...ESCAPED_WORDS.map((e) => e.length))),
      };
    default:
      throw new EngineError('InternalError', `No CSV format for column type ${column.type}.`);
  }
}

function writeText(out: Uint8Array, at: number, text: TextColumn, i: number): number {
  const count = text.counts[i]!;
  const first = i * MAX_WORDS;
  let quoted = false;
  for (let w = 0; w < count; w++) if (QUOTED_WORDS[text.words[first + w]!]) quoted = true;
  const bytes = quoted ? ESCAPED_WORDS : PLAIN_WORDS;
  let pos = at;
  if (quoted) out[pos++] = QUOTE;
  for (let w = 0; w < count; w++) {
    if (w > 0) out[pos++] = SPACE;
    pos = writeBytes(out, pos, bytes[text.words[first + w]!]!);
  }
  if (quoted) out[pos++] = QUOTE;
  return pos;
}

function writeCell(out: Uint8Array, at: number, c: CsvColumn, i: number): number {
  if (c.valid !== null && c.valid[i] === 0) return at;
  switch (c.cell) {
    case Cell.Float:
      return writeFixed(out, at, c.floats[i]!, c.decimals);
    case Cell.Integer:
      return writeInteger(out, at, c.ints[i]!);
    case Cell.Boolean:
      return writeBytes(out, at, c.flags[i] ? TRUE_BYTES : FALSE_BYTES);
    case Cell.Date:
      return writeDate(out, at, c.ints[i]!);
    case Cell.Datetime:
      return writeDatetime(out, at, c.floats[i]!);
    case Cell.Bytes:
      return writeBytes(out, at, c.entries[c.ints[i]!]!);
    case Cell.Text:
      return writeText(out, at, c.text!, i);
  }
}

const CSV_CHUNK_ROWS = 4096;

/**
 * The same data as `syntheticTable(options)` as UTF-8 CSV: a header line, one line per row, `\n`
 * line ends, empty fields for missing values, RFC 4180 quoting where a field needs it, floats as
 * plain decimals, dates as `YYYY-MM-DD`, datetimes as `YYYY-MM-DDTHH:MM:SSZ`, booleans as
 * `true`/`false`. 1M rows × 20 columns ≈ 155 MB.
 */
export function syntheticCsv(
  options: SyntheticOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Uint8Array {
  throwIfAborted(signal);
  const columns = generate(options, (done, total) => {
    throwIfAborted(signal);
    onProgress?.((0.4 * done) / total);
  });
  const rows = options.rows;
  const cells = columns.map(csvColumn);
  const rowMax = cells.reduce((sum, c) => sum + c.maxBytes + 1, 0);
  const header = encoder.encode(`${columns.map((c) => csvField(c.name)).join(',')}\n`);
  let out = new Uint8Array(header.length + Math.min(rows, CSV_CHUNK_ROWS) * rowMax);
  out.set(header);
  let at = header.length;
  const last = cells.length - 1;
  for (let start = 0; start < rows; start += CSV_CHUNK_ROWS) {
    throwIfAborted(signal);
    const end = Math.min(rows, start + CSV_CHUNK_ROWS);
    const needed = at + (end - start) * rowMax;
    if (needed > out.length) {
      // Grow to the projected total (from the bytes per row so far), so the copy happens ~once.
      const projected =
        start > 0 ? Math.ceil(((at - header.length) / start) * rows * 1.02) + header.length : 0;
      const grown = new Uint8Array(Math.max(needed, projected, Math.ceil(out.length * 1.5)));
      grown.set(out.subarray(0, at));
      out = grown;
    }
    for (let i = start; i < end; i++) {
      for (let j = 0; j < last; j++) {
        at = writeCell(out, at, cells[j]!, i);
        out[at++] = COMMA;
      }
      at = writeCell(out, at, cells[last]!, i);
      out[at++] = NEWLINE;
    }
    onProgress?.(0.4 + (0.6 * end) / rows);
  }
  onProgress?.(1);
  // A view when little space is unused: copying 150 MB is not free.
  return out.length - at <= at / 8 ? out.subarray(0, at) : out.slice(0, at);
}
