/**
 * CART trees (DecisionTreeClassifier / DecisionTreeRegressor) and random forests, with sklearn's
 * parameters and split rule: at every node the candidate features are visited in a seeded random
 * order and the first split with the strictly best impurity decrease wins; thresholds sit halfway
 * between consecutive distinct values (values closer than 1e-7 are not split, as sklearn's
 * FEATURE_THRESHOLD). Differences from sklearn come only from its RNG: when two features give the
 * same decrease, the one visited first wins, and the visiting order is drawn from our Rng, not
 * numpy's — so fold scores can differ by a few rows (see tests/models/parity.test.ts).
 */

import { cooperate } from '../core/cooperate';
import { EngineError } from '../core/errors';
import type { Rng } from '../core/rng';
import type { RunContext } from '../pipeline/step';
import { argmaxRows } from './linear';
import { classCount, defineModel, type Matrix, regressionValues, type Target } from './model';

export interface Tree {
  /** Per node: split feature, or -1 at a leaf. */
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** nodes × outputs: class proportions (classifier) or the mean (regressor). */
  value: Float64Array;
  outputs: number;
}

export interface TreeOptions {
  criterion: 'gini' | 'entropy' | 'squared_error';
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features examined per split. */
  maxFeatures: number;
}

const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;

/** Cancel and progress while a tree grows (a tree on millions of rows takes seconds). */
export interface GrowContext {
  signal?: AbortSignal;
  /** Share of the rows that have reached a leaf so far (0..1). */
  onProgress?(fraction: number): void;
}

/** Nodes at least this large give the event loop a turn (cancel) between the features they scan. */
const LARGE_NODE = 20_000;

/** The buffers one tree's growth reuses from node to node. */
interface Grower {
  X: Matrix;
  y: Float64Array;
  nClasses: number;
  opt: TreeOptions;
  classification: boolean;
  /** Row ids; each node owns the range [start, end). */
  samples: Int32Array;
  values: Float64Array;
  order: Int32Array;
  /** The feature visiting order, shuffled in place (Fisher–Yates) at every node. */
  features: Int32Array;
  countL: Float64Array;
  countR: Float64Array;
  /** Class counts of the node being split. */
  total: Float64Array;
}

interface Split {
  feature: number;
  threshold: number;
  /** Rows that go left (in the sorted order of the split feature). */
  pos: number;
  proxy: number;
}

/** Grows one tree on `rows` of X (repeats allowed: a bootstrap sample). */
export async function growTree(
  X: Matrix,
  y: Float64Array,
  nClasses: number,
  rows: Int32Array,
  opt: TreeOptions,
  rng: Rng,
  grow: GrowContext = {},
): Promise<Tree> {
  const classification = opt.criterion !== 'squared_error';
  const n0 = rows.length;
  const g: Grower = {
    X,
    y,
    nClasses,
    opt,
    classification,
    samples: rows.slice(),
    values: new Float64Array(n0),
    order: new Int32Array(n0),
    features: Int32Array.from({ length: X.cols }, (_, j) => j),
    countL: new Float64Array(nClasses),
    countR: new Float64Array(nClasses),
    total: new Float64Array(nClasses),
  };
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];

  // Depth-first, like sklearn's DepthFirstTreeBuilder; node ids in creation order.
  const stack: { start: number; end: number; depth: number; parent: number; isLeft: boolean }[] = [
    { start: 0, end: n0, depth: 0, parent: -1, isLeft: false },
  ];
  let settled = 0;
  let nodes = 0;
  const leaf = (size: number) => {
    settled += size;
    grow.onProgress?.(settled / n0);
  };
  while (stack.length > 0) {
    const { start, end, depth, parent, isLeft } = stack.pop()!;
    if (end - start >= LARGE_NODE || (++nodes & 255) === 0) await cooperate(grow.signal);
    const id = feature.length;
    if (parent >= 0) (isLeft ? left : right)[parent] = id;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    const n = end - start;
    const impurity = nodeImpurity(g, start, end, value);
    if (
      depth >= opt.maxDepth ||
      n < opt.minSamplesSplit ||
      n < 2 * opt.minSamplesLeaf ||
      impurity <= EPSILON
    ) {
      leaf(n);
      continue;
    }
    const best = await bestSplit(g, start, end, rng, grow.signal);
    const mid = best ? partition(g, start, end, best) : start;
    if (!best || mid === start || mid === end) {
      leaf(n);
      continue;
    }
    feature[id] = best.feature;
    threshold[id] = best.threshold;
    // Right pushed first so the left child is built (and numbered) first, as in sklearn.
    stack.push({ start: mid, end, depth: depth + 1, parent: id, isLeft: false });
    stack.push({ start, end: mid, depth: depth + 1, parent: id, isLeft: true });
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    outputs: classification ? nClasses : 1,
  };
}

/** Appends the node's value (class proportions or mean) and returns its impurity. */
function nodeImpurity(g: Grower, start: number, end: number, value: number[]): number {
  const { y, samples, total } = g;
  const n = end - start;
  if (g.classification) {
    total.fill(0);
    for (let i = start; i < end; i++) total[y[samples[i]!]!]!++;
    for (let c = 0; c < g.nClasses; c++) value.push(total[c]! / n);
    return impurityOf(total, n, g.opt.criterion);
  }
  let sum = 0;
  let sq = 0;
  for (let i = start; i < end; i++) {
    const v = y[samples[i]!]!;
    sum += v;
    sq += v * v;
  }
  const mean = sum / n;
  value.push(mean);
  return sq / n - mean * mean;
}

/**
 * The best split of a node: features drawn one by one (Fisher–Yates, as sklearn) until
 * maxFeatures non-constant ones were examined; the first strictly best proxy wins.
 */
async function bestSplit(
  g: Grower,
  start: number,
  end: number,
  rng: Rng,
  signal: AbortSignal | undefined,
): Promise<Split | null> {
  const { features, opt } = g;
  const n = end - start;
  let best: Split | null = null;
  let visited = 0;
  for (let f = g.X.cols; f > 0 && visited < opt.maxFeatures; f--) {
    if (n >= LARGE_NODE) await cooperate(signal);
    const pick = rng.int(f);
    const j = features[pick]!;
    features[pick] = features[f - 1]!;
    features[f - 1] = j;
    const candidate = scanFeature(g, start, n, j);
    if (candidate === 'constant') continue;
    visited++;
    if (candidate && candidate.proxy > (best?.proxy ?? -Infinity)) best = candidate;
  }
  return best;
}

/** Sorts the node's rows by feature j and scans every threshold; 'constant' when j does not vary. */
function scanFeature(g: Grower, start: number, n: number, j: number): Split | null | 'constant' {
  const { X, y, samples, values, order, countL, countR, opt, classification } = g;
  const d = X.cols;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    values[i] = X.data[samples[start + i]! * d + j]!;
  }
  const ord = order.subarray(0, n).sort((a, b) => values[a]! - values[b]!);
  if (values[ord[n - 1]!]! <= values[ord[0]!]! + FEATURE_THRESHOLD) return 'constant';
  if (classification) {
    countL.fill(0);
    countR.set(g.total);
  }
  let sumL = 0;
  let sumR = 0;
  if (!classification) for (let i = 0; i < n; i++) sumR += y[samples[start + i]!]!;
  let best: Split | null = null;
  for (let p = 1; p < n; p++) {
    const moved = y[samples[start + ord[p - 1]!]!]!;
    if (classification) {
      countL[moved]!++;
      countR[moved]!--;
    } else {
      sumL += moved;
      sumR -= moved;
    }
    if (values[ord[p]!]! <= values[ord[p - 1]!]! + FEATURE_THRESHOLD) continue;
    if (p < opt.minSamplesLeaf || n - p < opt.minSamplesLeaf) continue;
    const proxy = classification
      ? -(p * impurityOf(countL, p, opt.criterion) + (n - p) * impurityOf(countR, n - p, opt.criterion))
      : (sumL * sumL) / p + (sumR * sumR) / (n - p);
    if (proxy > (best?.proxy ?? -Infinity)) {
      const lo = values[ord[p - 1]!]!;
      const hi = values[ord[p]!]!;
      let t = lo / 2 + hi / 2;
      if (t === hi || !Number.isFinite(t)) t = lo;
      best = { feature: j, threshold: t, pos: p, proxy };
    }
  }
  return best;
}

/** Partitions samples[start, end) by the split's threshold; returns where the right side starts. */
function partition(g: Grower, start: number, end: number, split: Split): number {
  const { X, samples } = g;
  const d = X.cols;
  let i = start;
  let k = end;
  while (i < k) {
    if (X.data[samples[i]! * d + split.feature]! <= split.threshold) i++;
    else {
      k--;
      const t = samples[i]!;
      samples[i] = samples[k]!;
      samples[k] = t;
    }
  }
  return i;
}

function impurityOf(counts: Float64Array, n: number, criterion: TreeOptions['criterion']): number {
  let s = 0;
  if (criterion === 'entropy') {
    for (let c = 0; c < counts.length; c++) {
      const p = counts[c]! / n;
      if (p > 0) s -= p * Math.log2(p);
    }
    return s;
  }
  for (let c = 0; c < counts.length; c++) s += (counts[c]! / n) ** 2;
  return 1 - s;
}

/** Adds each row's leaf value (× weight) into `out` (rows × outputs). */
export function accumulateTree(tree: Tree, X: Matrix, out: Float64Array, weight = 1): void {
  const { cols: d, data } = X;
  const m = tree.outputs;
  for (let i = 0; i < X.rows; i++) {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      node =
        data[i * d + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
    }
    for (let c = 0; c < m; c++) out[i * m + c]! += weight * tree.value[node * m + c]!;
  }
}

type TreeParams = {
  criterion: string;
  max_depth: number | null;
  min_samples_split: number;
  min_samples_leaf: number;
  max_features: string;
};

function treeParams(criteria: readonly string[], maxFeatures: string) {
  return {
    criterion: {
      type: 'enum',
      options: criteria,
      default: criteria[0]!,
      description: 'How a split is scored.',
    },
    max_depth: {
      type: 'integer',
      default: null,
      min: 1,
      description: 'Deepest level; null grows until leaves are pure.',
    },
    min_samples_split: { type: 'integer', default: 2, min: 2, description: 'Rows a node needs to be split.' },
    min_samples_leaf: { type: 'integer', default: 1, min: 1, description: 'Rows every leaf must keep.' },
    max_features: {
      type: 'enum',
      options: ['all', 'sqrt', 'log2'],
      default: maxFeatures,
      description: "Features examined per split ('all' = sklearn's None / 1.0).",
    },
  } as const;
}

function options(p: TreeParams, d: number): TreeOptions {
  const maxFeatures =
    p.max_features === 'sqrt'
      ? Math.max(1, Math.floor(Math.sqrt(d)))
      : p.max_features === 'log2'
        ? Math.max(1, Math.floor(Math.log2(d)))
        : d;
  return {
    criterion: p.criterion as TreeOptions['criterion'],
    maxDepth: p.max_depth ?? Number.POSITIVE_INFINITY,
    minSamplesSplit: p.min_samples_split,
    minSamplesLeaf: p.min_samples_leaf,
    maxFeatures,
  };
}

function targetOf(y: Target, classifier: boolean, model: string): { values: Float64Array; nClasses: number } {
  if (classifier) {
    const k = classCount(y, model);
    return { values: Float64Array.from((y as { codes: Int32Array }).codes), nClasses: k };
  }
  return { values: regressionValues(y, model), nClasses: 1 };
}

export interface TreeState {
  tree: Tree;
}
export interface ForestState {
  trees: Tree[];
}

function predictTreesProba(trees: Tree[], X: Matrix): Matrix {
  const m = trees[0]!.outputs;
  const out = new Float64Array(X.rows * m);
  for (const t of trees) accumulateTree(t, X, out, 1 / trees.length);
  return { data: out, rows: X.rows, cols: m };
}

function treeModel(name: string, classifier: boolean) {
  return defineModel<TreeParams, TreeState>({
    name,
    kind: 'model',
    tasks: [classifier ? 'classification' : 'regression'],
    description: classifier
      ? 'A CART decision tree (gini or entropy).'
      : 'A CART regression tree (squared error).',
    params: treeParams(classifier ? ['gini', 'entropy'] : ['squared_error'], 'all'),
    async fit(X, y, p, ctx) {
      const t = targetOf(y, classifier, name);
      const rows = Int32Array.from({ length: X.rows }, (_, i) => i);
      const grow = { signal: ctx.signal, onProgress: (f: number) => ctx.progress(f, 'growing the tree') };
      return {
        tree: await growTree(X, t.values, t.nClasses, rows, options(p, X.cols), ctx.rng.fork(), grow),
      };
    },
    async predict(X, s) {
      const P = predictTreesProba([s.tree], X);
      return classifier ? argmaxRows(P) : P.data;
    },
    ...(classifier
      ? { predictProba: async (X: Matrix, s: TreeState) => predictTreesProba([s.tree], X) }
      : {}),
  });
}

export const DecisionTreeClassifier = treeModel('DecisionTreeClassifier', true);
export const DecisionTreeRegressor = treeModel('DecisionTreeRegressor', false);

type ForestParams = TreeParams & { n_estimators: number; bootstrap: boolean };

function forestModel(name: string, classifier: boolean) {
  return defineModel<ForestParams, ForestState>({
    name,
    kind: 'model',
    tasks: [classifier ? 'classification' : 'regression'],
    description: 'Averages many decision trees grown on bootstrap samples with random feature subsets.',
    params: {
      n_estimators: { type: 'integer', default: 100, min: 1, max: 10_000, description: 'Number of trees.' },
      bootstrap: { type: 'boolean', default: true, description: 'Grow each tree on a bootstrap sample.' },
      ...treeParams(classifier ? ['gini', 'entropy'] : ['squared_error'], classifier ? 'sqrt' : 'all'),
    },
    async fit(X, y, p, ctx: RunContext) {
      const t = targetOf(y, classifier, name);
      if (X.rows === 0) throw new EngineError('InvalidArgument', `${name} needs training rows.`);
      const opt = options(p, X.cols);
      const trees: Tree[] = [];
      for (let e = 0; e < p.n_estimators; e++) {
        await cooperate(ctx.signal);
        const rng = ctx.rng.fork();
        const rows = p.bootstrap
          ? Int32Array.from({ length: X.rows }, () => rng.int(X.rows))
          : Int32Array.from({ length: X.rows }, (_, i) => i);
        const note = `tree ${e + 1} of ${p.n_estimators}`;
        const grow = {
          signal: ctx.signal,
          onProgress: (f: number) => ctx.progress((e + f) / p.n_estimators, note),
        };
        trees.push(await growTree(X, t.values, t.nClasses, rows, opt, rng, grow));
        ctx.progress((e + 1) / p.n_estimators, note);
      }
      return { trees };
    },
    async predict(X, s) {
      const P = predictTreesProba(s.trees, X);
      return classifier ? argmaxRows(P) : P.data;
    },
    ...(classifier
      ? { predictProba: async (X: Matrix, s: ForestState) => predictTreesProba(s.trees, X) }
      : {}),
  });
}

export const RandomForestClassifier = forestModel('RandomForestClassifier', true);
export const RandomForestRegressor = forestModel('RandomForestRegressor', false);
