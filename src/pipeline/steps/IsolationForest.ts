import { NUMERIC_TYPES } from '../../core/frame';
import type { Rng } from '../../core/rng';
import { NUMERIC_COLUMNS_PARAM, readCompleteColumns } from '../columnwise';
import { contaminationParam, outlierOffset, withOutlierColumns } from '../outliers';
import { PY_MAKE, py } from '../python';
import { defineStep } from '../step';

type Params = {
  columns: string[] | null;
  n_estimators: number;
  max_samples: number | null;
  contamination: number | null;
};

/** One isolation tree, flat: node k splits on feature[k] at threshold[k] (x ≤ t goes left), or is
 * a leaf (feature −1) holding size[k] training samples. */
export interface IsolationTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  size: number[];
}
export interface IsolationForestState {
  columns: string[];
  max_samples: number;
  trees: IsolationTree[];
  /** sklearn's offset_: scores below it are outliers (−0.5 for contamination 'auto'). */
  offset: number;
}

const NAME = 'IsolationForest';
const EULER_GAMMA = 0.5772156649015329;

/** sklearn's _average_path_length: the mean depth of an unsuccessful search in a BST of n nodes. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** A random isolation tree (sklearn's ExtraTreeRegressor with max_features=1, random splits). */
function growTree(columns: Float64Array[], sample: Int32Array, maxDepth: number, rng: Rng): IsolationTree {
  const tree: IsolationTree = { feature: [], threshold: [], left: [], right: [], size: [] };
  const d = columns.length;
  const grow = (idx: Int32Array, depth: number): number => {
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.size.push(idx.length);
    if (depth >= maxDepth || idx.length < 2) return node;
    // Draw features at random until one is not constant in this node (as sklearn's splitter).
    const order = Int32Array.from({ length: d }, (_, j) => j);
    for (let left = d; left > 0; left--) {
      const pick = rng.int(left);
      const f = order[pick]!;
      order[pick] = order[left - 1]!;
      const col = columns[f]!;
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const i of idx) {
        const v = col[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi <= lo) continue;
      let t = lo + rng.next() * (hi - lo);
      if (t >= hi) t = lo;
      const goesLeft = idx.filter((i) => col[i]! <= t);
      const goesRight = idx.filter((i) => col[i]! > t);
      tree.feature[node] = f;
      tree.threshold[node] = t;
      tree.left[node] = grow(goesLeft, depth + 1);
      tree.right[node] = grow(goesRight, depth + 1);
      return node;
    }
    return node; // every feature constant here: a leaf
  };
  grow(sample, 0);
  return tree;
}

/** sklearn's score_samples: −2^(−E[path length] / c(max_samples)); lower is more abnormal. */
function scoreRows(columns: Float64Array[], n: number, state: IsolationForestState): Float64Array {
  const depths = new Float64Array(n);
  for (const tree of state.trees) {
    for (let i = 0; i < n; i++) {
      let node = 0;
      let depth = 0;
      while (tree.feature[node]! >= 0) {
        node =
          columns[tree.feature[node]!]![i]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
        depth++;
      }
      depths[i]! += depth + averagePathLength(tree.size[node]!);
    }
  }
  const norm = state.trees.length * averagePathLength(state.max_samples);
  return depths.map((h) => -(2 ** (-h / norm)));
}

const PY_ISOLATION_FOREST = `def isolation_forest(params, columns, train, test):
    """IsolationForest: adds outlier_score (score_samples) and outlier (below offset_)."""
    forest = make(IsolationForest, {**params, "random_state": SEED}).fit(train[columns])
    for part in (train, test):
        scores = forest.score_samples(part[columns]) if len(part) else np.zeros(0)
        part["outlier_score"] = scores
        part["outlier"] = scores < forest.offset_
    return train, test`;

export default defineStep<Params, IsolationForestState>({
  name: NAME,
  kind: 'transform',
  description:
    'Scores how easily random splits isolate each row (100 seeded trees on 256 sampled training rows) and adds the columns outlier_score (sklearn’s score_samples) and outlier.',
  category: 'Outliers',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    n_estimators: { type: 'integer', default: 100, min: 1, max: 10_000, description: 'Trees in the forest.' },
    max_samples: {
      type: 'integer',
      default: null,
      min: 2,
      description:
        "Rows drawn (without replacement) for each tree; null is sklearn's 'auto', min(256, rows).",
    },
    contamination: contaminationParam(-0.5),
  },
  accepts: NUMERIC_TYPES,
  missing: 'rejects',
  async fit(input, params, ctx) {
    const { names, values } = readCompleteColumns(input, NAME, 'score', params.columns, { minRows: 2 });
    const n = input.numRows;
    const maxSamples = Math.min(params.max_samples ?? 256, n);
    const maxDepth = Math.ceil(Math.log2(Math.max(maxSamples, 2)));
    const trees: IsolationTree[] = [];
    const all = Int32Array.from({ length: n }, (_, i) => i);
    for (let t = 0; t < params.n_estimators; t++) {
      if (t % 10 === 0) ctx.progress(t / params.n_estimators, 'growing trees');
      // Partial Fisher–Yates: maxSamples distinct rows.
      for (let i = 0; i < maxSamples; i++) {
        const r = i + ctx.rng.int(n - i);
        const tmp = all[i]!;
        all[i] = all[r]!;
        all[r] = tmp;
      }
      trees.push(growTree(values, all.slice(0, maxSamples), maxDepth, ctx.rng));
    }
    const state: IsolationForestState = { columns: names, max_samples: maxSamples, trees, offset: -0.5 };
    state.offset = outlierOffset(() => scoreRows(values, n, state), params.contamination, state.offset);
    return state;
  },
  async transform(input, state) {
    const { values } = readCompleteColumns(input, NAME, 'score', state.columns);
    return withOutlierColumns(
      input,
      NAME,
      'outlier_score',
      scoreRows(values, input.numRows, state),
      state.offset,
    );
  },
  python: (params, at) => ({
    imports: ['from sklearn.ensemble import IsolationForest'],
    helpers: [PY_MAKE, PY_ISOLATION_FOREST],
    lines: [
      `train, test = isolation_forest(${py({
        n_estimators: params.n_estimators,
        max_samples: params.max_samples ?? 'auto',
        contamination: params.contamination ?? 'auto',
      })}, ${at.columns}, train, test)`,
    ],
    caveat:
      "scikit-learn draws the trees from numpy's generator, Benchtop from its own: the scores differ row by row.",
  }),
});
