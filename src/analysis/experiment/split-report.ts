/**
 * The skew and leakage report shown at split time: how far each feature's test distribution is
 * from its training distribution (two-sample KS for numbers, PSI over categories), exact duplicate
 * rows that sit on both sides (the model is tested on rows it saw), and features that on their own
 * predict the target almost perfectly (a leaked label, an id correlated with a sorted file).
 * Computed on the data before preprocessing: it is a report about the data and the split.
 */

import type { Table } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { column, logicalType, readLabels, readNumeric, takeRowsCooperatively } from '../../core/frame';
import type { FeatureShift, SplitReport, TrainTask } from './types';

const NUMERIC = new Set(['integer', 'float', 'boolean', 'date', 'datetime']);
/** Above these sizes the report samples rows: it is a screening aid, not an exact statistic. */
const MAX_REPORT_ROWS = 50_000;
const LEAK_SCORE = 0.98;

interface ColumnData {
  name: string;
  numeric: boolean;
  /** Numbers (NaN missing) or category codes (−1 missing). */
  values: Float64Array | Int32Array;
}

async function readColumns(table: Table, signal: AbortSignal | undefined): Promise<ColumnData[]> {
  const out: ColumnData[] = [];
  for (const [j, field] of table.schema.fields.entries()) {
    await cooperate(signal);
    const numeric = NUMERIC.has(logicalType(field));
    const vector = table.getChildAt(j)!;
    out.push({ name: field.name, numeric, values: numeric ? readNumeric(vector) : readLabels(vector).codes });
  }
  return out;
}

function sample(rows: Int32Array, max: number): Int32Array {
  if (rows.length <= max) return rows;
  const step = rows.length / max;
  return Int32Array.from({ length: max }, (_, k) => rows[Math.floor(k * step)]!);
}

/** Two-sample Kolmogorov–Smirnov statistic and its asymptotic p-value. */
export function ksTest(a: Float64Array, b: Float64Array): { d: number; p: number } {
  const x = a.filter((v) => !Number.isNaN(v)).sort();
  const y = b.filter((v) => !Number.isNaN(v)).sort();
  if (x.length === 0 || y.length === 0) return { d: 0, p: 1 };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const ne = (x.length * y.length) / (x.length + y.length);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  // Kolmogorov's series Q(λ) = 2 Σ (−1)^(k−1) exp(−2k²λ²).
  let p = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    p += term;
    if (Math.abs(term) < 1e-10) break;
  }
  return { d, p: lambda < 1e-3 ? 1 : Math.min(1, Math.max(0, p)) };
}

/** Population stability index over category codes (missing is its own category). */
export function psi(a: Int32Array, b: Int32Array): number {
  const counts = new Map<number, [number, number]>();
  for (const v of a) (counts.get(v) ?? counts.set(v, [0, 0]).get(v)!)[0]++;
  for (const v of b) (counts.get(v) ?? counts.set(v, [0, 0]).get(v)!)[1]++;
  const eps = 1e-4;
  let s = 0;
  for (const [ca, cb] of counts.values()) {
    const pa = Math.max(eps, ca / Math.max(1, a.length));
    const pb = Math.max(eps, cb / Math.max(1, b.length));
    s += (pb - pa) * Math.log(pb / pa);
  }
  return s;
}

function take<T extends Float64Array | Int32Array>(values: T, rows: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
  return out;
}

/** Rows present (all report columns equal) in both parts. */
async function sharedDuplicates(
  columns: ColumnData[],
  train: Int32Array,
  test: Int32Array,
  signal: AbortSignal | undefined,
): Promise<number> {
  const key = (i: number) => columns.map((c) => c.values[i]).join('\u0001');
  const seen = new Set<string>();
  // A row key joins every column: 50k rows of a wide table take a second, so stay cancellable.
  for (let k = 0; k < train.length; k++) {
    if ((k & 1023) === 1023) await cooperate(signal);
    seen.add(key(train[k]!));
  }
  let shared = 0;
  for (let k = 0; k < test.length; k++) {
    if ((k & 1023) === 1023) await cooperate(signal);
    if (seen.has(key(test[k]!))) shared++;
  }
  return shared;
}

/**
 * How well one feature alone predicts the target: the target of the nearest training value
 * (majority or mean over ties), scored on the test rows — accuracy for classes, R² for numbers.
 */
function singleFeatureScore(
  feature: ColumnData,
  y: Float64Array | Int32Array,
  task: TrainTask,
  train: Int32Array,
  test: Int32Array,
): number {
  // The prediction for each distinct training value.
  const groups = new Map<number, number[]>();
  for (const i of train) {
    const v = feature.values[i]!;
    if (Number.isNaN(v)) continue;
    (groups.get(v) ?? groups.set(v, []).get(v)!).push(y[i]!);
  }
  if (groups.size === 0) return Number.NaN;
  const keys = Float64Array.from(groups.keys()).sort();
  const predictionOf = new Map<number, number>();
  for (const [v, ys] of groups) {
    if (task === 'classification') {
      const counts = new Map<number, number>();
      let best = ys[0]!;
      for (const c of ys) {
        const n = (counts.get(c) ?? 0) + 1;
        counts.set(c, n);
        if (n > counts.get(best)!) best = c;
      }
      predictionOf.set(v, best);
    } else {
      predictionOf.set(v, ys.reduce((s, t) => s + t, 0) / ys.length);
    }
  }
  const nearest = (v: number): number => {
    if (!feature.numeric) return predictionOf.get(v) ?? Number.NaN;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    const candidate = lo > 0 && Math.abs(keys[lo - 1]! - v) <= Math.abs(keys[lo]! - v) ? lo - 1 : lo;
    return predictionOf.get(keys[candidate]!)!;
  };
  let hits = 0;
  let ssRes = 0;
  let mean = 0;
  let counted = 0;
  for (const i of test) mean += y[i]!;
  mean /= Math.max(1, test.length);
  let ssTot = 0;
  for (const i of test) {
    const p = nearest(feature.values[i]!);
    const t = y[i]!;
    if (task === 'classification') {
      if (p === t) hits++;
    } else {
      ssRes += (Number.isNaN(p) ? mean - t : p - t) ** 2;
      ssTot += (t - mean) ** 2;
    }
    counted++;
  }
  if (counted === 0) return Number.NaN;
  return task === 'classification' ? hits / counted : ssTot === 0 ? 0 : 1 - ssRes / ssTot;
}

function majorityShare(y: Int32Array, rows: Int32Array): number {
  const counts = new Map<number, number>();
  let best = 0;
  for (const i of rows) {
    const n = (counts.get(y[i]!) ?? 0) + 1;
    counts.set(y[i]!, n);
    best = Math.max(best, n);
  }
  return best / Math.max(1, rows.length);
}

export async function splitReport(
  table: Table,
  target: string | null,
  task: TrainTask,
  fullTrain: Int32Array,
  fullTest: Int32Array,
  /** Cancels the report; it yields between columns (src/core/cooperate.ts). */
  signal?: AbortSignal,
): Promise<SplitReport> {
  const trainRows = sample(fullTrain, MAX_REPORT_ROWS);
  const testRows = sample(fullTest, MAX_REPORT_ROWS);
  // Only the sampled rows are read: reading a million-row text column whole takes seconds.
  const both = new Int32Array(trainRows.length + testRows.length);
  both.set(trainRows);
  both.set(testRows, trainRows.length);
  const rows = await takeRowsCooperatively(table, both, 'split report', () => cooperate(signal));
  const train = Int32Array.from({ length: trainRows.length }, (_, i) => i);
  const test = Int32Array.from({ length: testRows.length }, (_, i) => trainRows.length + i);
  const columns = await readColumns(rows, signal);
  const features = columns.filter((c) => c.name !== target);
  const shifts: FeatureShift[] = [];
  for (const c of features) {
    await cooperate(signal);
    if (c.numeric) {
      const { d, p } = ksTest(take(c.values as Float64Array, train), take(c.values as Float64Array, test));
      shifts.push({
        feature: c.name,
        kind: 'numeric',
        statistic: 'KS',
        value: d,
        shifted: d > 0.1 && p < 0.05,
      });
    } else {
      const v = psi(take(c.values as Int32Array, train), take(c.values as Int32Array, test));
      shifts.push({ feature: c.name, kind: 'categorical', statistic: 'PSI', value: v, shifted: v > 0.1 });
    }
  }
  await cooperate(signal);
  const duplicates = await sharedDuplicates(columns, train, test, signal);
  const leakage: SplitReport['leakage'] = [];
  const targetColumn = columns.find((c) => c.name === target);
  if (targetColumn && task !== 'clustering') {
    const y = task === 'classification' ? readLabels(column(rows, target!)).codes : targetColumn.values;
    const leakTrain = sample(train, 20_000);
    const leakTest = sample(test, 5_000);
    // A feature cannot look leaky on a target that a constant already predicts.
    const baseline = task === 'classification' ? majorityShare(y as Int32Array, leakTest) : 0;
    if (baseline < LEAK_SCORE) {
      for (const f of features) {
        await cooperate(signal);
        const score = singleFeatureScore(f, y, task, leakTrain, leakTest);
        if (score >= LEAK_SCORE) {
          leakage.push({ feature: f.name, score, metric: task === 'classification' ? 'accuracy' : 'r2' });
        }
      }
    }
  }
  const warnings: string[] = [];
  const shifted = shifts.filter((s) => s.shifted);
  if (shifted.length > 0) {
    warnings.push(
      `${shifted.length} feature${shifted.length > 1 ? 's differ' : ' differs'} between train and test: ${shifted
        .slice(0, 5)
        .map((s) => `${s.feature} (${s.statistic} ${s.value.toFixed(2)})`)
        .join(', ')}. A time-ordered or grouped file split at random can do this.`,
    );
  }
  if (duplicates > 0) {
    warnings.push(
      `${duplicates} test row${duplicates > 1 ? 's are' : ' is'} exact duplicates of training rows, so the test score is optimistic. Drop duplicates first (DropDuplicates).`,
    );
  }
  for (const l of leakage) {
    warnings.push(
      `"${l.feature}" alone predicts the target (${l.metric === 'accuracy' ? 'accuracy' : 'R²'} ${l.score.toFixed(3)} on the test rows): check it is not derived from the target or an id of a sorted file.`,
    );
  }
  return {
    trainRows: fullTrain.length,
    testRows: fullTest.length,
    features: shifts,
    sharedDuplicates: duplicates,
    leakage,
    warnings,
  };
}
