/**
 * Seeded synthetic data: a mixed table for demos, benchmarks and parser tests, as column arrays
 * that ./table.ts turns into an Arrow table and ./csv.ts into CSV bytes. No DOM: runs in Node and
 * in the engine worker.
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
import { EngineError } from '../../core/errors';
import { LIMITS } from '../../core/limits';
import { createRng, type Rng } from '../../core/rng';
import type { ColumnType } from '../../core/types';
import type { SyntheticOptions } from '../types';

export const DEFAULT_SYNTHETIC_COLUMNS = 20;
/** See src/core/limits.ts: the link check and the engine use the same numbers. */
export const MAX_SYNTHETIC_ROWS = LIMITS.syntheticRows;
export const MAX_SYNTHETIC_COLUMNS = LIMITS.syntheticColumns;

export const MS_PER_DAY = 86_400_000;
export const DAY_2015_01_01 = 16436;
const DAYS_2015_TO_2024 = 3653; // 2015-01-01 … 2024-12-31
export const MS_2024_01_01 = 1_704_067_200_000;
const SECONDS_IN_2024 = 366 * 86_400;

export const MAX_WORDS = 6;
// Some words need CSV quoting or are not ASCII, to exercise writers and readers.
// biome-ignore format: a word list reads better packed
export const WORDS = [
  'the', 'item', 'arrived', 'late', 'early', 'works', 'fine', 'broken', 'great', 'okay', 'would', 'buy',
  'again', 'never', 'price', 'too', 'high', 'low', 'fast', 'slow', 'love', 'it', 'not', 'sure', 'yes,',
  'no,', '"meh"', 'café', 'naïve', 'support', 'helped', 'refund', 'box', 'damaged', 'colour', 'size',
];

// biome-ignore format: a word list reads better packed
const CITIES = [
  'Lisbon', 'Osaka', 'Nairobi', 'Lima', 'Oslo', 'Austin', 'Hanoi', 'Dakar', 'Quito', 'Perth',
  'Washington, D.C.', 'São Paulo',
];

export interface TextColumn {
  /** Word indices, MAX_WORDS slots per row. */
  words: Uint8Array;
  counts: Uint8Array;
}

/** One generated column before it becomes Arrow data or CSV text. */
export interface Column {
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
export function generate(
  options: SyntheticOptions,
  onColumn: (done: number, total: number) => void,
): Column[] {
  const steps = generateSteps(options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onColumn(r.value[0], r.value[1]);
  }
}

/** The generation as resumable steps (one per column), so an async caller can yield between them. */
export function* generateSteps(
  options: SyntheticOptions,
): Generator<[done: number, total: number], Column[]> {
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
