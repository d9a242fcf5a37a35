import { EngineError } from '../../core/errors';
import { type Frame, logicalType, NUMERIC_TYPES, rebuild } from '../../core/frame';
import type { Rng } from '../../core/rng';
import { readNumericColumns, rejectMissing } from '../columnwise';
import { PY_DROP_UNSELECTED, py } from '../python';
import { defineStep } from '../step';
import { rejectMissingTarget, requireTarget, TARGET_PARAM, targetClasses, targetNumbers } from '../target';

type ScoreFunc = 'f_classif' | 'f_regression' | 'mutual_info_classif';
type Params = { columns: string[] | null; target: string; score_func: ScoreFunc; k: number };
export interface SelectKBestState {
  columns: string[];
  /** sklearn's scores_, per column. */
  scores: number[];
  selected: string[];
}

const NAME = 'SelectKBest';
const EULER_GAMMA = 0.5772156649015329;

/** sklearn's f_classif: the one-way ANOVA F statistic of each feature across the classes. */
export function fClassif(x: Float64Array, classes: Int32Array, k: number): number {
  const n = x.length;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  let ss = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums[classes[i]!]! += x[i]!;
    counts[classes[i]!]!++;
    ss += x[i]! * x[i]!;
    total += x[i]!;
  }
  const sqAll = (total * total) / n;
  let ssbn = -sqAll;
  for (let c = 0; c < k; c++) if (counts[c]! > 0) ssbn += (sums[c]! * sums[c]!) / counts[c]!;
  const sswn = ss - sqAll - ssbn;
  const groups = counts.filter((c) => c > 0).length;
  return ssbn / (groups - 1) / (sswn / (n - groups));
}

/** sklearn 1.2's f_regression: F = r² / (1 − r²) · (n − 2) with r the centred correlation. */
export function fRegression(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  const r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return ((r * r) / (1 - r * r)) * (n - 2);
}

const bits = new DataView(new ArrayBuffer(8));

/** The largest double below a positive x, 0 for 0 (np.nextafter(x, 0)). */
function nextDown(x: number): number {
  if (x <= 0) return 0;
  bits.setFloat64(0, x);
  bits.setBigUint64(0, bits.getBigUint64(0) - 1n);
  return bits.getFloat64(0);
}

/** ψ(n) for a positive integer n: −γ + H(n − 1). */
function digammaInt(n: number): number {
  let h = 0;
  for (let i = 1; i < n; i++) h += 1 / i;
  return h - EULER_GAMMA;
}

/**
 * sklearn's mutual_info_classif for one continuous feature (Ross 2014, k = 3 neighbours): the
 * feature scaled by its standard deviation plus 1e-10-sized seeded noise (which breaks ties).
 */
export function mutualInfoClassif(x: Float64Array, classes: Int32Array, rng: Rng, neighbors = 3): number {
  const n = x.length;
  let sumSq = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  for (let i = 0; i < n; i++) sumSq += (x[i]! - mean) ** 2;
  const sd = Math.sqrt(sumSq / n) || 1;
  const c = x.map((v) => v / sd);
  const meanAbs = Math.max(1, c.reduce((s, v) => s + Math.abs(v), 0) / n);
  for (let i = 0; i < n; i++) c[i]! += 1e-10 * meanAbs * rng.normal();
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(classes[i]!) ?? [];
    list.push(i);
    byClass.set(classes[i]!, list);
  }
  const radius = new Float64Array(n);
  const kAll = new Float64Array(n);
  const labelCount = new Float64Array(n);
  for (const members of byClass.values()) {
    const count = members.length;
    for (const i of members) labelCount[i] = count;
    if (count < 2) continue;
    const k = Math.min(neighbors, count - 1);
    const sorted = members.map((i) => c[i]!).sort((a, b) => a - b);
    for (const i of members) {
      // k-th nearest other member in 1-D: merge outwards from the point's position.
      const v = c[i]!;
      let hi = sorted.findIndex((s) => s > v);
      if (hi < 0) hi = sorted.length;
      let lo = hi - 2; // hi - 1 is the point itself (or an equal value)
      let kth = 0;
      for (let taken = 0; taken < k; taken++) {
        const dl = lo >= 0 ? v - sorted[lo]! : Number.POSITIVE_INFINITY;
        const dh = hi < sorted.length ? sorted[hi]! - v : Number.POSITIVE_INFINITY;
        if (dl <= dh) {
          kth = dl;
          lo--;
        } else {
          kth = dh;
          hi++;
        }
      }
      // np.nextafter(r, 0): neighbours strictly inside the k-th distance.
      radius[i] = nextDown(kth);
      kAll[i] = k;
    }
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (labelCount[i]! > 1) kept.push(i);
  const all = kept.map((i) => c[i]!).sort((a, b) => a - b);
  // Points with |c_j − v| ≤ r, judged on the distance itself: bounds v ± r would round.
  const countWithin = (v: number, r: number) => {
    let a = 0;
    let b = all.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (all[m]! < v) a = m + 1;
      else b = m;
    }
    let lo = a;
    while (lo > 0 && v - all[lo - 1]! <= r) lo--;
    let hi = a;
    while (hi < all.length && all[hi]! - v <= r) hi++;
    return hi - lo;
  };
  let meanK = 0;
  let meanLabel = 0;
  let meanM = 0;
  for (const i of kept) {
    meanK += digammaInt(kAll[i]!);
    meanLabel += digammaInt(labelCount[i]!);
    meanM += digammaInt(countWithin(c[i]!, radius[i]!));
  }
  const m = kept.length;
  const mi = digammaInt(m) + meanK / m - meanLabel / m - meanM / m;
  return Math.max(0, mi);
}

/** Every numeric column except the target. */
function candidateColumns(input: Frame, target: string): string[] {
  return input.schema.fields
    .filter((f) => f.name !== target && NUMERIC_TYPES.includes(logicalType(f)))
    .map((f) => f.name);
}

export default defineStep<Params, SelectKBestState>({
  name: NAME,
  kind: 'transform',
  description:
    'Keeps the k numeric columns that score best against the target (ANOVA F for classes by default, F of the correlation for numbers, or mutual information).',
  category: 'Feature selection',
  params: {
    columns: {
      type: 'columns',
      default: null,
      description: 'Candidate columns; null means every numeric column except the target.',
    },
    target: TARGET_PARAM,
    score_func: {
      type: 'enum',
      options: ['f_classif', 'f_regression', 'mutual_info_classif'],
      default: 'f_classif',
      description:
        "Score: 'f_classif' (class target), 'f_regression' (numeric target), 'mutual_info_classif' (class target, seeded).",
    },
    k: {
      type: 'integer',
      default: 10,
      min: 1,
      description: 'Columns kept; null keeps all (sklearn’s "all").',
    },
  },
  accepts: NUMERIC_TYPES,
  defaultColumns: (input, params) => candidateColumns(input, params.target),
  missing: 'rejects',
  async fit(input, params, ctx) {
    requireTarget(input, NAME, params.target);
    const candidates = params.columns ?? candidateColumns(input, params.target);
    const chosen = params.columns === null && candidates.length === 0 ? null : candidates;
    const { names, values } = readNumericColumns(input, NAME, 'score', chosen);
    if (names.includes(params.target)) {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: the target "${params.target}" cannot also be a candidate column.`,
        {
          param: 'columns',
        },
      );
    }
    values.forEach((v, j) => {
      rejectMissing(NAME, names[j]!, v);
    });
    let scores: number[];
    if (params.score_func === 'f_regression') {
      const y = targetNumbers(input, NAME, params.target);
      rejectMissingTarget(NAME, params.target, y.some(Number.isNaN));
      scores = values.map((x) => fRegression(x, y));
    } else {
      const { codes, labels } = targetClasses(input, NAME, params.target);
      rejectMissingTarget(NAME, params.target, codes.includes(-1));
      scores =
        params.score_func === 'f_classif'
          ? values.map((x) => fClassif(x, codes, labels.length))
          : values.map((x) => mutualInfoClassif(x, codes, ctx.rng));
    }
    // sklearn: NaN scores rank lowest; a stable ascending sort, the last k win (ties: later column).
    const k = Math.min(params.k, names.length);
    const order = names.map((_, j) => j).sort((a, b) => clean(scores[a]!) - clean(scores[b]!) || a - b);
    const keep = new Set(order.slice(order.length - k));
    return { columns: names, scores, selected: names.filter((_, j) => keep.has(j)) };
  },
  async transform(input, state) {
    readNumericColumns(input, NAME, 'score', state.columns);
    const drop = new Map(state.columns.filter((c) => !state.selected.includes(c)).map((c) => [c, []]));
    return rebuild(input, NAME, drop);
  },
  python: (params, at) => ({
    imports: [
      'import functools',
      'from sklearn.feature_selection import SelectKBest, f_classif, f_regression, mutual_info_classif',
    ],
    helpers: [PY_DROP_UNSELECTED],
    lines: [
      `score = ${params.score_func === 'mutual_info_classif' ? 'functools.partial(mutual_info_classif, random_state=SEED)' : params.score_func}`,
      `k = ${params.k === null ? '"all"' : `min(${params.k}, len(${at.columns}))`}`,
      `train, test = drop_unselected(SelectKBest(score, k=k), ${at.columns}, train, test, y=${py(params.target)})`,
    ],
    ...(params.score_func === 'mutual_info_classif'
      ? {
          caveat:
            "mutual_info_classif draws from numpy's generator: ties and near-ties can pick other columns.",
        }
      : {}),
  }),
});

function clean(score: number): number {
  return Number.isNaN(score) ? -Number.MAX_VALUE : score;
}
