/**
 * HistGradientBoostingClassifier / HistGradientBoostingRegressor after sklearn 1.2: features are
 * binned once (≤ max_bins quantile or midpoint thresholds), each boosting iteration grows one tree
 * per class (one for regression / two classes) best-first up to max_leaf_nodes on gradient/hessian
 * histograms — the larger child's histogram is the parent's minus the smaller's — with sklearn's
 * split gain Gl²/(Hl+λ) + Gr²/(Hr+λ) − G²/(H+λ), min_samples_leaf, min_hessian 1e-3, and leaf
 * values −learning_rate·G/(H+λ). Features are scanned in order and the first best split wins,
 * as in sklearn, so there is no random tie-breaking. Early stopping ('auto': on above 10 000 rows)
 * holds out validation_fraction of the rows and stops when the validation loss stalls.
 */
import { cooperate } from '../core/cooperate';
import { EngineError } from '../core/errors';
import type { RunContext } from '../pipeline/step';
import { binaryProbabilities, fromProbabilities, softmaxRows } from './linear';
import {
  checkFiniteLoss,
  classCount,
  defineModel,
  type Matrix,
  regressionValues,
  type Target,
} from './model';
import { shuffleInPlace } from './split';

type HgbParams = {
  learning_rate: number;
  max_iter: number;
  max_leaf_nodes: number;
  max_depth: number | null;
  min_samples_leaf: number;
  l2_regularization: number;
  max_bins: number;
  early_stopping: string;
  validation_fraction: number;
  n_iter_no_change: number;
  tol: number;
};

export interface HgbTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface HgbState {
  baseline: Float64Array;
  /** trees[iteration * outputs + k] */
  trees: HgbTree[];
  outputs: number;
  loss: 'squared_error' | 'binary' | 'multinomial';
  nIter: number;
  trainLoss: number[];
}

const MIN_HESSIAN = 1e-3;

/** sklearn's _find_binning_thresholds: midpoints of distinct values, or midpoint percentiles. */
export function binThresholds(values: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  if (distinct.length <= maxBins) {
    return Float64Array.from(distinct.slice(0, -1), (v, i) => (v + distinct[i + 1]!) / 2);
  }
  const out: number[] = [];
  const n = sorted.length;
  for (let b = 1; b < maxBins; b++) {
    const pos = (b / maxBins) * (n - 1);
    const v = (sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!) / 2;
    if (out.length === 0 || v !== out[out.length - 1]) out.push(v);
  }
  return Float64Array.from(out);
}

function binColumn(
  X: Matrix,
  j: number,
  thresholds: Float64Array,
  out: Uint8Array | Uint16Array,
  offset: number,
): void {
  for (let i = 0; i < X.rows; i++) {
    const x = X.data[i * X.cols + j]!;
    let lo = 0;
    let hi = thresholds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x <= thresholds[mid]!) hi = mid;
      else lo = mid + 1;
    }
    out[offset + i] = lo;
  }
}

interface GrowNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  hist: Float64Array; // per feature its bins × 3 (G, H, count), at HgbGrower.offsets
  gain: number;
  feature: number;
  bin: number;
}

/** Grows one tree best-first; `binned` is column-major (feature j at j*n). */
function growHgbTree(
  binned: Uint8Array | Uint16Array,
  n: number,
  d: number,
  nBins: Int32Array,
  thresholds: Float64Array[],
  rows: Int32Array,
  g: Float64Array,
  h: Float64Array,
  p: HgbParams,
): HgbTree {
  const grower = new HgbGrower(binned, n, d, nBins, rows.slice(), g, h, p);
  const samples = grower.samples;
  let G0 = 0;
  let H0 = 0;
  for (const i of samples) {
    G0 += g[i]!;
    H0 += h[i]!;
  }
  const root = grower.node(G0, H0, 0, samples.length, 0, grower.histogram(0, samples.length));
  grower.findSplit(root);
  const open: GrowNode[] = [root];
  let leaves = 1;
  while (leaves < p.max_leaf_nodes) {
    let bi = -1;
    for (let k = 0; k < open.length; k++)
      if (open[k]!.gain > 0 && (bi < 0 || open[k]!.gain > open[bi]!.gain)) bi = k;
    if (bi < 0) break;
    const node = open.splice(bi, 1)[0]!;
    const [L, R] = grower.split(node, thresholds);
    leaves++;
    grower.findSplit(L);
    grower.findSplit(R);
    open.push(L, R);
  }
  return grower.tree();
}

/** One HGB tree being grown: its node arrays, the sample order and the histograms. */
class HgbGrower {
  readonly feature: number[] = [];
  readonly threshold: number[] = [];
  readonly left: number[] = [];
  readonly right: number[] = [];
  readonly value: number[] = [];
  /** Where feature j's bins start in a histogram: (G, H, count) per bin of each feature, packed.
   * Packed, not a uniform stride of the most bins: a one-hot column has 2 bins beside a numeric
   * column's 256, and ames (~300 such columns) spent most of its time zeroing and subtracting
   * unused bins. */
  readonly offsets: Int32Array;

  constructor(
    readonly binned: Uint8Array | Uint16Array,
    readonly n: number,
    readonly d: number,
    readonly nBins: Int32Array,
    readonly samples: Int32Array,
    readonly g: Float64Array,
    readonly h: Float64Array,
    readonly p: HgbParams,
  ) {
    this.offsets = new Int32Array(d + 1);
    for (let j = 0; j < d; j++) this.offsets[j + 1] = this.offsets[j]! + nBins[j]! * 3;
  }

  /** A new leaf (its value from G and H) over samples[start, end). */
  node(G: number, H: number, start: number, end: number, depth: number, hist: Float64Array): GrowNode {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push((-this.p.learning_rate * G) / (H + this.p.l2_regularization));
    return { id: this.feature.length - 1, start, end, depth, G, H, hist, gain: -1, feature: -1, bin: -1 };
  }

  /** Per feature and bin: the sums of g, h and the count over samples[start, end). */
  histogram(start: number, end: number): Float64Array {
    const { binned, n, d, offsets, samples, g, h } = this;
    const hist = new Float64Array(offsets[d]!);
    for (let j = 0; j < d; j++) {
      const col = j * n;
      const o = offsets[j]!;
      for (let t = start; t < end; t++) {
        const i = samples[t]!;
        const b = o + binned[col + i]! * 3;
        hist[b]! += g[i]!;
        hist[b + 1]! += h[i]!;
        hist[b + 2]!++;
      }
    }
    return hist;
  }

  /** The node's best (feature, bin) and its gain; gain stays -1 when it must remain a leaf. */
  findSplit(node: GrowNode): void {
    const { p, d, nBins, offsets } = this;
    const lambda = p.l2_regularization;
    node.gain = -1;
    const count = node.end - node.start;
    if (
      count < 2 * p.min_samples_leaf ||
      (p.max_depth !== null && node.depth >= p.max_depth) ||
      node.H < MIN_HESSIAN
    )
      return;
    const parentLoss = (node.G * node.G) / (node.H + lambda);
    for (let j = 0; j < d; j++) {
      let Gl = 0;
      let Hl = 0;
      let cl = 0;
      const o = offsets[j]!;
      for (let b = 0; b < nBins[j]! - 1; b++) {
        Gl += node.hist[o + b * 3]!;
        Hl += node.hist[o + b * 3 + 1]!;
        cl += node.hist[o + b * 3 + 2]!;
        const cr = count - cl;
        if (cl < p.min_samples_leaf) continue;
        if (cr < p.min_samples_leaf) break;
        const Hr = node.H - Hl;
        if (Hl < MIN_HESSIAN || Hr < MIN_HESSIAN) continue;
        const Gr = node.G - Gl;
        const gain = (Gl * Gl) / (Hl + lambda) + (Gr * Gr) / (Hr + lambda) - parentLoss;
        if (gain > node.gain) {
          node.gain = gain;
          node.feature = j;
          node.bin = b;
        }
      }
    }
  }

  /**
   * Splits a node at its best bin: partitions its samples, builds the smaller child's histogram
   * and gets the larger one's by subtraction from the parent's (which it reuses).
   */
  split(node: GrowNode, thresholds: Float64Array[]): [GrowNode, GrowNode] {
    const { binned, n, samples, offsets } = this;
    const col = node.feature * n;
    let i = node.start;
    let k = node.end;
    while (i < k) {
      if (binned[col + samples[i]!]! <= node.bin) i++;
      else {
        k--;
        const t = samples[i]!;
        samples[i] = samples[k]!;
        samples[k] = t;
      }
    }
    const o = offsets[node.feature]!;
    let Gl = 0;
    let Hl = 0;
    for (let b = 0; b <= node.bin; b++) {
      Gl += node.hist[o + b * 3]!;
      Hl += node.hist[o + b * 3 + 1]!;
    }
    const leftSmaller = i - node.start <= node.end - i;
    const small = leftSmaller ? this.histogram(node.start, i) : this.histogram(i, node.end);
    const large = node.hist;
    for (let t = 0; t < large.length; t++) large[t]! -= small[t]!;
    const depth = node.depth + 1;
    const L = this.node(Gl, Hl, node.start, i, depth, leftSmaller ? small : large);
    const R = this.node(node.G - Gl, node.H - Hl, i, node.end, depth, leftSmaller ? large : small);
    this.feature[node.id] = node.feature;
    this.threshold[node.id] = thresholds[node.feature]![node.bin]!;
    this.left[node.id] = L.id;
    this.right[node.id] = R.id;
    node.hist = new Float64Array(0);
    return [L, R];
  }

  tree(): HgbTree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
    };
  }
}

function treeValue(t: HgbTree, data: Float64Array, offset: number): number {
  let node = 0;
  while (t.feature[node]! >= 0)
    node = data[offset + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
  return t.value[node]!;
}

function rawPredict(X: Matrix, s: HgbState): Float64Array {
  const m = s.outputs;
  const raw = new Float64Array(X.rows * m);
  for (let i = 0; i < X.rows; i++) for (let k = 0; k < m; k++) raw[i * m + k] = s.baseline[k]!;
  for (let t = 0; t < s.trees.length; t++) {
    const k = t % m;
    const tree = s.trees[t]!;
    for (let i = 0; i < X.rows; i++) raw[i * m + k]! += treeValue(tree, X.data, i * X.cols);
  }
  return raw;
}

/** Gradients/hessians at raw predictions; returns the mean loss over `rows`. */
function gradients(
  loss: HgbState['loss'],
  raw: Float64Array,
  y: Float64Array,
  m: number,
  rows: Int32Array,
  g: Float64Array[],
  h: Float64Array[],
): number {
  let total = 0;
  for (const i of rows) {
    if (loss === 'squared_error') {
      const r = raw[i]! - y[i]!;
      g[0]![i] = r;
      h[0]![i] = 1;
      total += 0.5 * r * r;
    } else if (loss === 'binary') {
      const z = raw[i]!;
      const pr = 1 / (1 + Math.exp(-z));
      g[0]![i] = pr - y[i]!;
      h[0]![i] = pr * (1 - pr);
      total += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i]! * z;
    } else {
      let max = -Infinity;
      for (let k = 0; k < m; k++) max = Math.max(max, raw[i * m + k]!);
      let sum = 0;
      for (let k = 0; k < m; k++) sum += Math.exp(raw[i * m + k]! - max);
      const logSum = max + Math.log(sum);
      for (let k = 0; k < m; k++) {
        const pr = Math.exp(raw[i * m + k]! - logSum);
        const yk = y[i] === k ? 1 : 0;
        g[k]![i] = pr - yk;
        h[k]![i] = pr * (1 - pr);
      }
      total += logSum - raw[i * m + y[i]!]!;
    }
  }
  return total / rows.length;
}

async function fitHgb(
  X: Matrix,
  y: Target,
  p: HgbParams,
  ctx: RunContext,
  classifier: boolean,
): Promise<HgbState> {
  const name = classifier ? 'HistGradientBoostingClassifier' : 'HistGradientBoostingRegressor';
  const nClasses = classifier ? classCount(y, name) : 0;
  const target = classifier
    ? Float64Array.from((y as { codes: Int32Array }).codes)
    : regressionValues(y, name);
  const loss: HgbState['loss'] = !classifier ? 'squared_error' : nClasses === 2 ? 'binary' : 'multinomial';
  const m = loss === 'multinomial' ? nClasses : 1;
  const { rows: n, cols: d } = X;
  if (n < 2) throw new EngineError('InvalidArgument', `${name} needs at least two training rows.`);
  const early = p.early_stopping === 'on' || (p.early_stopping === 'auto' && n > 10_000);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = ctx.rng.fork();
  if (early) shuffleInPlace(order, rng);
  const nVal = early ? Math.max(1, Math.floor(p.validation_fraction * n)) : 0;
  const valRows = Int32Array.from(order.subarray(0, nVal)).sort();
  const trainRows = Int32Array.from(order.subarray(nVal)).sort();

  // Bin with thresholds from the training rows only.
  const thresholds: Float64Array[] = [];
  const nBins = new Int32Array(d);
  const binned = p.max_bins <= 256 ? new Uint8Array(n * d) : new Uint16Array(n * d);
  const col = new Float64Array(trainRows.length);
  for (let j = 0; j < d; j++) {
    trainRows.forEach((i, t) => {
      col[t] = X.data[i * d + j]!;
    });
    const th = binThresholds(col, p.max_bins);
    thresholds.push(th);
    nBins[j] = th.length + 1;
    binColumn(X, j, th, binned, j * n);
  }
  // Baseline: mean, log-odds of the mean, or log class priors.
  const baseline = new Float64Array(m);
  if (loss === 'squared_error') {
    for (const i of trainRows) baseline[0]! += target[i]!;
    baseline[0]! /= trainRows.length;
  } else {
    const counts = new Float64Array(Math.max(2, m));
    for (const i of trainRows) counts[target[i]!]!++;
    const eps = 2.220446049250313e-16;
    if (loss === 'binary') {
      const pr = Math.min(1 - eps, Math.max(eps, counts[1]! / trainRows.length));
      baseline[0] = Math.log(pr / (1 - pr));
    } else {
      for (let k = 0; k < m; k++) baseline[k] = Math.log(Math.max(eps, counts[k]! / trainRows.length));
    }
  }
  const raw = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) raw[i * m + k] = baseline[k]!;
  const g = Array.from({ length: m }, () => new Float64Array(n));
  const h = Array.from({ length: m }, () => new Float64Array(n));
  const trees: HgbTree[] = [];
  const trainLoss: number[] = [];
  const valScores: number[] = [];
  let iter = 0;
  for (; iter < p.max_iter; iter++) {
    await cooperate(ctx.signal);
    const lossValue = gradients(loss, raw, target, m, trainRows, g, h);
    checkFiniteLoss(name, lossValue, iter);
    trainLoss.push(lossValue);
    for (let k = 0; k < m; k++) {
      if (k > 0) await cooperate(ctx.signal);
      const tree = growHgbTree(binned, n, d, nBins, thresholds, trainRows, g[k]!, h[k]!, p);
      trees.push(tree);
      for (let i = 0; i < n; i++) raw[i * m + k]! += treeValue(tree, X.data, i * d);
    }
    let note = `iteration ${iter + 1}: loss ${lossValue.toPrecision(6)}`;
    let validation: number | undefined;
    if (early) {
      const vl = gradients(
        loss,
        raw,
        target,
        m,
        valRows,
        g.map(() => new Float64Array(n)),
        h.map(() => new Float64Array(n)),
      );
      valScores.push(-vl);
      validation = vl;
      note += `, validation loss ${vl.toPrecision(6)}`;
    }
    ctx.iteration?.(validation === undefined ? { loss: lossValue } : { loss: lossValue, validation });
    if (early) {
      const k = p.n_iter_no_change;
      if (valScores.length > k) {
        const reference = valScores[valScores.length - k - 1]! + p.tol;
        if (valScores.slice(-k).every((s) => s <= reference)) {
          ctx.progress((iter + 1) / p.max_iter, note);
          iter++;
          break;
        }
      }
    }
    ctx.progress((iter + 1) / p.max_iter, note);
  }
  return { baseline, trees, outputs: m, loss, nIter: iter, trainLoss };
}

function proba(X: Matrix, s: HgbState): Matrix {
  const raw = rawPredict(X, s);
  if (s.loss === 'binary') return binaryProbabilities(raw, X.rows);
  softmaxRows(raw, raw, X.rows, s.outputs);
  return { data: raw, rows: X.rows, cols: s.outputs };
}

const params = {
  learning_rate: { type: 'number', default: 0.1, min: 0, description: 'Shrinkage of every tree.' },
  max_iter: { type: 'integer', default: 100, min: 1, description: 'Boosting iterations.' },
  max_leaf_nodes: { type: 'integer', default: 31, min: 2, description: 'Leaves per tree.' },
  max_depth: { type: 'integer', default: null, min: 1, description: 'Deepest level; null = no limit.' },
  min_samples_leaf: { type: 'integer', default: 20, min: 1, description: 'Rows every leaf must keep.' },
  l2_regularization: { type: 'number', default: 0, min: 0, description: 'L2 penalty on leaf values.' },
  max_bins: { type: 'integer', default: 255, min: 2, max: 255, description: 'Histogram bins per feature.' },
  early_stopping: {
    type: 'enum',
    options: ['auto', 'on', 'off'],
    default: 'auto',
    description: "Stop when the validation loss stalls ('auto': on above 10 000 rows).",
  },
  validation_fraction: {
    type: 'number',
    default: 0.1,
    min: 0.01,
    max: 0.5,
    description: 'Share held out for early stopping.',
  },
  n_iter_no_change: {
    type: 'integer',
    default: 10,
    min: 1,
    description: 'Iterations without improvement before stopping.',
  },
  tol: { type: 'number', default: 1e-7, min: 0, description: 'Smallest improvement that counts.' },
} as const;

export const HistGradientBoostingClassifier = defineModel<HgbParams, HgbState>({
  name: 'HistGradientBoostingClassifier',
  kind: 'model',
  tasks: ['classification'],
  description: 'Gradient-boosted trees on feature histograms (fast on many rows).',
  params,
  fit: (X, y, p, ctx) => fitHgb(X, y, p, ctx, true),
  ...fromProbabilities(proba),
});

export const HistGradientBoostingRegressor = defineModel<HgbParams, HgbState>({
  name: 'HistGradientBoostingRegressor',
  kind: 'model',
  tasks: ['regression'],
  description: 'Gradient-boosted regression trees on feature histograms.',
  params,
  fit: (X, y, p, ctx) => fitHgb(X, y, p, ctx, false),
  predict: async (X, s) => rawPredict(X, s),
});
