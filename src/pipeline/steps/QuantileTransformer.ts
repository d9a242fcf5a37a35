import { normalPpf } from '../../core/normal';
import { linspace, npPercentile } from '../../core/percentile';
import { requirePresent, sortedPresent } from '../../core/stats';
import { mapNumericColumns, readScaledColumns, rescaling, SCALED_COLUMNS_PARAM } from '../columnwise';
import { inPlaceAs } from '../python';
import { defineStep } from '../step';

type Output = 'uniform' | 'normal';
type Params = {
  columns: string[] | null;
  n_quantiles: number;
  output_distribution: Output;
  subsample: number;
};
export interface QuantileTransformerState {
  columns: string[];
  output_distribution: Output;
  /** sklearn's references_: n_quantiles evenly spaced in [0, 1]. */
  references: number[];
  /** Per column, the quantiles at the references (non-decreasing). */
  quantiles: number[][];
}

const NAME = 'QuantileTransformer';
const BOUNDS_THRESHOLD = 1e-7;
const SPACING_1 = 2.220446049250313e-16;
const CLIP_MIN = normalPpf(BOUNDS_THRESHOLD - SPACING_1);
const CLIP_MAX = normalPpf(1 - (BOUNDS_THRESHOLD - SPACING_1));

/** numpy.interp(x, xp, fp) for increasing xp (ties allowed), x not NaN. */
function interp(x: number, xp: ArrayLike<number>, fp: ArrayLike<number>): number {
  const last = xp.length - 1;
  if (x < xp[0]!) return fp[0]!;
  if (x > xp[last]!) return fp[last]!;
  if (x === xp[last]!) return fp[last]!;
  // j: the last index with xp[j] <= x.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (xp[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const slope = (fp[lo + 1]! - fp[lo]!) / (xp[lo + 1]! - xp[lo]!);
  const y = slope * (x - xp[lo]!) + fp[lo]!;
  return Number.isNaN(y) ? slope * (x - xp[lo + 1]!) + fp[lo + 1]! : y;
}

export default defineStep<Params, QuantileTransformerState>({
  name: NAME,
  kind: 'transform',
  description:
    'Maps each numeric column through its empirical quantiles to a uniform or normal distribution, as scikit-learn’s QuantileTransformer.',
  category: 'Scaling',
  params: {
    columns: SCALED_COLUMNS_PARAM,
    n_quantiles: {
      type: 'integer',
      default: 1000,
      min: 1,
      max: 100_000,
      description: 'Quantiles estimated (at most the number of training rows are used).',
    },
    output_distribution: {
      type: 'enum',
      options: ['uniform', 'normal'],
      default: 'uniform',
      description: 'Distribution of the output values.',
    },
    subsample: {
      type: 'integer',
      default: 10_000,
      min: 1,
      description:
        'Rows sampled (seeded, without replacement) to estimate the quantiles when there are more.',
    },
  },
  ...rescaling(NAME, 'transform'),
  missing: 'passes-through',
  async fit(input, params, ctx) {
    const { names, values } = readScaledColumns(input, NAME, 'transform', params.columns);
    const n = input.numRows;
    const k = Math.max(1, Math.min(params.n_quantiles, n));
    const references = linspace(0, 1, k);
    const quantiles = values.map((col, j) => {
      let sample = col;
      if (params.subsample < n) {
        // Partial Fisher–Yates: a seeded sample of `subsample` rows without replacement.
        const idx = Int32Array.from({ length: n }, (_, i) => i);
        sample = new Float64Array(params.subsample);
        for (let i = 0; i < params.subsample; i++) {
          const r = i + ctx.rng.int(n - i);
          const t = idx[i]!;
          idx[i] = idx[r]!;
          idx[r] = t;
          sample[i] = col[idx[i]!]!;
        }
      }
      const sorted = sortedPresent(sample);
      requirePresent(NAME, names[j]!, sorted.length);
      const q = references.map((r) => npPercentile(sorted, r * 100));
      for (let i = 1; i < q.length; i++) if (q[i]! < q[i - 1]!) q[i] = q[i - 1]!; // np.maximum.accumulate
      return q;
    });
    return { columns: names, output_distribution: params.output_distribution, references, quantiles };
  },
  async transform(input, state, ctx) {
    const refs = state.references;
    const negRefs = refs.map((r) => -r).reverse();
    const normal = state.output_distribution === 'normal';
    return mapNumericColumns(input, NAME, 'transform', state.columns, ctx.signal, (v, j) => {
      const q = state.quantiles[j]!;
      const negQ = q.map((x) => -x).reverse();
      const lo = q[0]!;
      const hi = q[q.length - 1]!;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (Number.isNaN(x)) continue;
        let y = 0.5 * (interp(x, q, refs) - interp(-x, negQ, negRefs));
        if (normal) {
          if (x + BOUNDS_THRESHOLD > hi) y = 1;
          if (x - BOUNDS_THRESHOLD < lo) y = 0;
          y = Math.min(Math.max(normalPpf(y), CLIP_MIN), CLIP_MAX);
        } else {
          if (x === hi) y = 1;
          if (x === lo) y = 0;
        }
        v[i] = y;
      }
      return v;
    });
  },
  python: inPlaceAs<Params>('sklearn.preprocessing', 'QuantileTransformer', [
    'n_quantiles',
    'output_distribution',
    'subsample',
  ]),
});
