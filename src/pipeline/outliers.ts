/**
 * Outlier bounds per numeric column, shared by OutlierClipper and OutlierFilter (and meant for
 * the quality report): a value is an outlier when it lies outside [lower, upper].
 *   iqr    — [Q1 − k·IQR, Q3 + k·IQR], k = 1.5 by default (Tukey's fences);
 *   zscore — mean ± t·std (ddof = 0), t = 3 by default;
 *   mad    — median ± t·MAD / 0.6745 (Iglewicz & Hoaglin's modified z-score), t = 3.5 by default;
 *            when MAD = 0 (over half the values equal) the mean absolute deviation × 1.2533 stands in.
 */

import { boolData, type Frame, floatData, outColumn, rebuild } from '../core/frame';
import { npPercentile } from '../core/percentile';
import { nanMoments, requirePresent, sortedPresent } from '../core/stats';
import { readNumericColumns } from './columnwise';
import { type PyCode, py } from './python';
import type { ParamDef } from './step';

export type OutlierMethod = 'iqr' | 'zscore' | 'mad';
export const DEFAULT_THRESHOLD: Record<OutlierMethod, number> = { iqr: 1.5, zscore: 3, mad: 3.5 };

export const OUTLIER_PARAMS = {
  method: {
    type: 'enum',
    options: ['iqr', 'zscore', 'mad'],
    default: 'iqr',
    description:
      "How outliers are found: 'iqr' (Tukey's fences, the default), 'zscore' or 'mad' (robust z-score).",
  },
  threshold: {
    type: 'number',
    default: null,
    min: 0,
    description: 'Multiplier of the spread; null means 1.5 for iqr, 3 for zscore, 3.5 for mad.',
  },
} satisfies Record<string, ParamDef>;

/** The parameters of OutlierClipper and OutlierFilter. */
export type OutlierParams = { columns: string[] | null; method: OutlierMethod; threshold: number | null };

/**
 * The Python of OutlierClipper and OutlierFilter: the bounds helper, the step's own helper, and
 * one line made from `method, threshold` (the method's default threshold filled in).
 */
export function pyOutlierStep(params: OutlierParams, helper: string, line: (args: string) => string): PyCode {
  return {
    helpers: [PY_OUTLIER_BOUNDS, helper],
    lines: [line(`${py(params.method)}, ${py(params.threshold ?? DEFAULT_THRESHOLD[params.method])}`)],
  };
}

export interface OutlierBounds {
  columns: string[];
  method: OutlierMethod;
  threshold: number;
  lower: number[];
  upper: number[];
}

export function outlierBounds(
  frame: Frame,
  step: string,
  selected: readonly string[] | null,
  method: OutlierMethod,
  threshold: number | null,
): OutlierBounds {
  const t = threshold ?? DEFAULT_THRESHOLD[method];
  const { names, values } = readNumericColumns(frame, step, 'check', selected);
  const lower: number[] = [];
  const upper: number[] = [];
  names.forEach((name, j) => {
    const sorted = sortedPresent(values[j]!);
    requirePresent(step, name, sorted.length);
    let lo: number;
    let hi: number;
    if (method === 'iqr') {
      const q1 = npPercentile(sorted, 25);
      const q3 = npPercentile(sorted, 75);
      lo = q1 - t * (q3 - q1);
      hi = q3 + t * (q3 - q1);
    } else if (method === 'zscore') {
      const m = nanMoments(sorted);
      const sd = Math.sqrt(m.variance);
      lo = m.mean - t * sd;
      hi = m.mean + t * sd;
    } else {
      const median = npPercentile(sorted, 50);
      const deviations = sorted.map((v) => Math.abs(v - median)).sort();
      const mad = npPercentile(deviations, 50);
      const spread =
        mad > 0 ? mad / 0.6745 : (1.253314 * deviations.reduce((s, v) => s + v, 0)) / deviations.length;
      lo = median - t * spread;
      hi = median + t * spread;
    }
    lower.push(lo);
    upper.push(hi);
  });
  return { columns: names, method, threshold: t, lower, upper };
}

/** outlierBounds in numpy (numpy's percentile is the same linear interpolation). */
export const PY_OUTLIER_BOUNDS = `def outlier_bounds(s, method, t):
    """Bounds of one column from its present values: IQR fences, mean ± t·std, or median ± t·MAD."""
    v = s.dropna().to_numpy(dtype=float)
    if method == "iqr":
        q1, q3 = np.percentile(v, [25, 75])
        return q1 - t * (q3 - q1), q3 + t * (q3 - q1)
    if method == "zscore":
        return v.mean() - t * v.std(), v.mean() + t * v.std()
    median = np.median(v)
    deviations = np.abs(v - median)
    mad = np.median(deviations)
    spread = mad / 0.6745 if mad > 0 else 1.253314 * deviations.mean()
    return median - t * spread, median + t * spread`;

/**
 * `contamination` of the row-scoring outlier steps (IsolationForest, LocalOutlierFactor): null is
 * sklearn's 'auto', a fixed threshold `auto` on the score.
 */
export function contaminationParam(auto: number): ParamDef {
  return {
    type: 'number',
    default: null,
    min: 0.0001,
    max: 0.5,
    description: `Expected share of outliers, which sets the threshold; null is sklearn's 'auto' (score below ${auto}).`,
  };
}

/** The score below which a row is an outlier: `auto`, or the contamination quantile of the training scores. */
export function outlierOffset(
  trainScores: () => ArrayLike<number>,
  contamination: number | null,
  auto: number,
): number {
  return contamination === null
    ? auto
    : npPercentile(Float64Array.from(trainScores()).sort(), 100 * contamination);
}

/** The frame plus the score column `scoreName` and the 0/1 `outlier` column (score below offset). */
export function withOutlierColumns(
  frame: Frame,
  step: string,
  scoreName: string,
  scores: Float64Array,
  offset: number,
): Frame {
  const flags = Uint8Array.from(scores, (s) => (s < offset ? 1 : 0));
  return rebuild(frame, step, new Map(), [
    outColumn(scoreName, 'float', floatData(scores)),
    outColumn('outlier', 'boolean', boolData(flags)),
  ]);
}
