/**
 * The Insights panel: the strongest findings, each a sentence with a small chart spec the UI
 * draws and opens in full on click, ranked by a score in [0, 1] comparable across kinds.
 *
 * Association with the target is mutual information between the target's classes and each
 * column, numbers discretised into MI_BINS equal-width bins (missing as its own bin): sklearn's
 * `mutual_info_score(target, binned)` in nats, reported as a share of the target's entropy.
 */
import type { Table } from 'apache-arrow';
import type { ColumnProfile } from '../profile/types';
import type { QualityWarning } from '../quality/types';
import { evenSample, fewDistinct, isNumericColumn, labelColumn, numericColumn } from './columns';
import type { CorrelationResult } from './correlation';
import { binEdges } from './summary';
import type { Insight, InsightChart } from './types';

export const MI_BINS = 10;
const MAX_INSIGHT_ROWS = 200_000;

/** Codes 0..k−1 of a column: equal-width bins for numbers (missing → bin k), categories otherwise. */
export function discretise(
  table: Table,
  column: string,
  rows: Int32Array | null,
  bins = MI_BINS,
): Int32Array {
  const n = rows ? rows.length : table.numRows;
  const out = new Int32Array(n);
  if (isNumericColumn(table, column)) {
    const all = numericColumn(table, column);
    const values = rows ? Float64Array.from(rows, (i) => all[i]!) : all;
    const edges = binEdges(values, bins);
    const lo = edges[0]!;
    const k = edges.length - 1;
    const width = (edges[k]! - lo) / k;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      out[i] = Number.isNaN(v) ? k : Math.min(k - 1, Math.max(0, Math.floor((v - lo) / width)));
    }
    return out;
  }
  const { codes, labels } = labelColumn(table, column);
  for (let i = 0; i < n; i++) {
    const c = codes[rows ? rows[i]! : i]!;
    out[i] = c < 0 ? labels.length : c;
  }
  return out;
}

/** sklearn.metrics.mutual_info_score(a, b) for non-negative integer codes, in nats. */
export function mutualInformation(a: Int32Array, b: Int32Array): number {
  const n = a.length;
  if (n === 0) return 0;
  let ka = 0;
  let kb = 0;
  for (let i = 0; i < n; i++) {
    if (a[i]! >= ka) ka = a[i]! + 1;
    if (b[i]! >= kb) kb = b[i]! + 1;
  }
  const joint = new Float64Array(ka * kb);
  const pa = new Float64Array(ka);
  const pb = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    joint[a[i]! * kb + b[i]!]!++;
    pa[a[i]!]!++;
    pb[b[i]!]!++;
  }
  let mi = 0;
  for (let x = 0; x < ka; x++) {
    for (let y = 0; y < kb; y++) {
      const c = joint[x * kb + y]!;
      if (c > 0) mi += (c / n) * Math.log((c * n) / (pa[x]! * pb[y]!));
    }
  }
  return Math.max(0, mi);
}

export function entropy(a: Int32Array): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < a.length; i++) counts.set(a[i]!, (counts.get(a[i]!) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / a.length) * Math.log(c / a.length);
  return h;
}

/**
 * Leave-one-out k-nearest-neighbour accuracy of the classes in 2-D (majority vote, ties to the
 * nearest neighbour's class), over at most `maxPoints` evenly spaced points (O(m²)).
 */
export function knnAccuracy2d(
  x: Float32Array,
  y: Float32Array,
  classes: Int32Array,
  k = 5,
  maxPoints = 3000,
): { accuracy: number; points: number; chance: number } {
  const sample = evenSample(x.length, maxPoints);
  const idx = (sample ? Array.from(sample) : Array.from({ length: x.length }, (_, i) => i)).filter(
    (i) => classes[i]! >= 0 && !Number.isNaN(x[i]) && !Number.isNaN(y[i]),
  );
  const m = idx.length;
  const nd = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  const nc = new Int32Array(k);
  let correct = 0;
  const freq = new Map<number, number>();
  for (const i of idx) freq.set(classes[i]!, (freq.get(classes[i]!) ?? 0) + 1);
  const chance = m ? Math.max(...freq.values()) / m : 0;
  for (const i of idx) {
    nd.fill(Number.POSITIVE_INFINITY);
    for (const j of idx) {
      if (j === i) continue;
      const d = (x[i]! - x[j]!) ** 2 + (y[i]! - y[j]!) ** 2;
      if (d >= nd[k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && nd[p - 1]! > d) {
        nd[p] = nd[p - 1]!;
        nc[p] = nc[p - 1]!;
        p--;
      }
      nd[p] = d;
      nc[p] = classes[j]!;
    }
    const votes = new Map<number, number>();
    let best = nc[0]!;
    for (let p = 0; p < Math.min(k, m - 1); p++) {
      const v = (votes.get(nc[p]!) ?? 0) + 1;
      votes.set(nc[p]!, v);
      if (v > (votes.get(best) ?? 0)) best = nc[p]!;
    }
    if (best === classes[i]) correct++;
  }
  return { accuracy: m ? correct / m : 0, points: m, chance };
}

const fmt = (v: number, digits = 2) => v.toFixed(digits);

export interface InsightInputs {
  table: Table;
  profiles: ColumnProfile[];
  correlation: CorrelationResult;
  warnings: QualityWarning[];
  target?: string | null;
  embedding?: { x: Float32Array; y: Float32Array; method: string } | null;
}

export function buildInsights(inputs: InsightInputs, limit = 12): Insight[] {
  const { table, profiles, correlation, warnings, target } = inputs;
  const out: Insight[] = [];
  // Most correlated pairs.
  const d = correlation.labels.length;
  const pairs: { a: number; b: number; r: number }[] = [];
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++) {
      const r = correlation.values[a * d + b]!;
      if (Number.isFinite(r) && Math.abs(r) >= 0.5) pairs.push({ a, b, r });
    }
  pairs.sort((p, q) => Math.abs(q.r) - Math.abs(p.r));
  for (const { a, b, r } of pairs.slice(0, 3)) {
    const x = correlation.labels[a]!;
    const y = correlation.labels[b]!;
    out.push({
      id: `correlation:${x}:${y}`,
      kind: 'correlation',
      score: Math.abs(r),
      text: `"${x}" and "${y}" are strongly ${r > 0 ? 'positively' : 'negatively'} correlated (Pearson r = ${fmt(r)}).`,
      chart: { kind: 'scatter', x, y, ...(target ? { color: target } : {}) },
      columns: [x, y],
    });
  }
  // Most skewed columns.
  const skewed = profiles
    .filter((p) => p.name !== target && p.numeric?.skewness != null && Math.abs(p.numeric.skewness) >= 1)
    .sort((p, q) => Math.abs(q.numeric!.skewness!) - Math.abs(p.numeric!.skewness!));
  for (const p of skewed.slice(0, 3)) {
    const s = p.numeric!.skewness!;
    out.push({
      id: `skew:${p.name}`,
      kind: 'skew',
      // |skew| 1 → 0.5, 3 → 0.75: a strong finding, but below a near-perfect correlation.
      score: Math.min(0.9, 1 - 1 / (1 + Math.abs(s))),
      text: `"${p.name}" is ${s > 0 ? 'right' : 'left'}-skewed (skewness ${fmt(s)}); a log or power transform may help linear models.`,
      chart: { kind: 'histogram', column: p.name },
      columns: [p.name],
    });
  }
  // Association with the target.
  if (target) {
    const rows = evenSample(table.numRows, MAX_INSIGHT_ROWS);
    const t = discretise(table, target, rows);
    const h = entropy(t);
    const targetCategorical =
      !isNumericColumn(table, target) || fewDistinct(numericColumn(table, target), 20) !== null;
    const scored = table.schema.fields
      .map((f) => f.name)
      .filter((c) => c !== target)
      .map((c) => ({ c, mi: mutualInformation(t, discretise(table, c, rows)) }))
      .filter((s) => h > 0 && s.mi / h >= 0.1)
      .sort((p, q) => q.mi - p.mi);
    for (const { c, mi } of scored.slice(0, 3)) {
      const share = mi / h;
      const numeric = isNumericColumn(table, c);
      out.push({
        id: `target:${c}`,
        kind: 'target',
        score: Math.min(1, share),
        text: `"${c}" tells the most about "${target}": mutual information ${fmt(mi, 3)} nats (${Math.round(share * 100)}% of the target's entropy).`,
        chart:
          numeric && targetCategorical ? { kind: 'box', column: c, by: target } : { kind: 'bars', column: c },
        columns: [c, target],
      });
    }
    if (inputs.embedding && targetCategorical) {
      const { codes } = labelColumn(table, target);
      const { accuracy, chance } = knnAccuracy2d(inputs.embedding.x, inputs.embedding.y, codes);
      const method = inputs.embedding.method.toUpperCase();
      out.push({
        id: 'separability',
        kind: 'separability',
        score: Math.max(0, (accuracy - chance) / Math.max(1e-9, 1 - chance)),
        text: `In the ${method} embedding, the classes of "${target}" are ${accuracy >= 0.9 ? 'well' : accuracy >= 0.7 ? 'partly' : 'poorly'} separated: 5-nearest-neighbour accuracy ${Math.round(accuracy * 100)}% (chance ${Math.round(chance * 100)}%).`,
        chart: { kind: 'embedding', color: target },
        columns: [target],
      });
    }
  }
  // Suspicious patterns from the quality report.
  // Below strong correlations and target associations: most warnings are routine (a few outliers).
  const severity = { error: 0.8, warning: 0.45, info: 0.3 } as const;
  for (const w of warnings.filter((w) => w.severity !== 'info').slice(0, 4)) {
    const column = w.columns[0];
    out.push({
      id: `quality:${w.id}`,
      kind: 'quality',
      score: severity[w.severity],
      text: w.message,
      chart:
        w.kind === 'missing' || w.kind === 'rows-with-missing'
          ? { kind: 'missingness' }
          : column && isNumericColumn(table, column)
            ? { kind: 'histogram', column }
            : column
              ? { kind: 'bars', column }
              : { kind: 'missingness' },
      columns: w.columns,
    });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}

export type { Insight, InsightChart };
