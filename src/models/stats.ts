/**
 * Statistics for comparing models: mean ± std with a 95% t-interval, the Nadeau–Bengio corrected
 * resampled t-test (CV folds share training rows, so the naive t-test is far too confident),
 * McNemar's test for two classifiers on one hold-out set, and the distributions they need (Student
 * t via the regularized incomplete beta, chi-square(1) via the incomplete gamma) implemented here
 * and tested against scipy in tests/fixtures/sklearn/models/stats.json.
 */
import { EngineError } from '../core/errors';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7; ~15 digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const TINY = 1e-300;

/** Continued fraction for the incomplete beta (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Regularized upper incomplete gamma Q(a, x). */
export function incompleteGammaUpper(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The t with P(T ≤ t) = p (bisection on the CDF; exact to ~1e-12). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  if (p === 0.5) return 0;
  let lo = -1;
  let hi = 1;
  while (studentTCdf(lo, df) > p) lo *= 2;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(X > x) for chi-square with 1 degree of freedom. */
export function chiSquare1Sf(x: number): number {
  return incompleteGammaUpper(0.5, x / 2);
}

export interface Summary {
  mean: number;
  /** Sample standard deviation (n − 1). */
  std: number;
  n: number;
  /** 95% t-interval for the mean. */
  ciLow: number;
  ciHigh: number;
}

export function summarize(values: ArrayLike<number>, confidence = 0.95): Summary {
  const n = values.length;
  if (n === 0) throw new EngineError('InvalidArgument', 'No scores to summarise.');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const half = n > 1 ? (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * std) / Math.sqrt(n) : Number.NaN;
  return { mean, std, n, ciLow: mean - half, ciHigh: mean + half };
}

export interface TestResult {
  statistic: number;
  pValue: number;
  /** Mean difference A − B (t-test) or the disagreement counts (McNemar). */
  difference: number;
  test: 'corrected t-test' | 'McNemar exact' | 'McNemar chi-square';
}

/**
 * Nadeau & Bengio's corrected resampled t-test on per-fold scores of two models evaluated on the
 * same folds: var × (1/J + n_test/n_train) instead of var/J, df = J − 1, two-sided.
 */
export function correctedTTest(
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  testTrainRatio: number,
): TestResult {
  const J = scoresA.length;
  if (J !== scoresB.length) {
    throw new EngineError('InvalidArgument', 'Both models must be scored on the same folds.');
  }
  if (J < 2) throw new EngineError('InvalidArgument', 'The corrected t-test needs at least two folds.');
  const diff = Float64Array.from({ length: J }, (_, j) => scoresA[j]! - scoresB[j]!);
  const { mean, std } = summarize(diff);
  const variance = std * std * (1 / J + testTrainRatio);
  if (variance === 0) {
    return {
      statistic: mean === 0 ? 0 : Math.sign(mean) * Infinity,
      pValue: mean === 0 ? 1 : 0,
      difference: mean,
      test: 'corrected t-test',
    };
  }
  const t = mean / Math.sqrt(variance);
  const pValue = Math.min(1, 2 * studentTCdf(-Math.abs(t), J - 1));
  return { statistic: t, pValue, difference: mean, test: 'corrected t-test' };
}

/** log C(n, k) */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * McNemar's test on one hold-out set: b = rows only A got right, c = rows only B got right.
 * Exact binomial (two-sided) when b + c < 25, else chi-square with continuity correction
 * (statsmodels' rule of thumb).
 */
export function mcnemar(
  yTrue: ArrayLike<number>,
  predA: ArrayLike<number>,
  predB: ArrayLike<number>,
): TestResult {
  let b = 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const a = predA[i] === yTrue[i];
    const bb = predB[i] === yTrue[i];
    if (a && !bb) b++;
    else if (!a && bb) c++;
  }
  return mcnemarCounts(b, c);
}

export function mcnemarCounts(b: number, c: number): TestResult {
  const n = b + c;
  if (n < 25) {
    const k = Math.min(b, c);
    let cdf = 0;
    for (let i = 0; i <= k; i++) cdf += Math.exp(logChoose(n, i) - n * Math.LN2);
    return { statistic: k, pValue: Math.min(1, 2 * cdf), difference: b - c, test: 'McNemar exact' };
  }
  const chi2 = (Math.abs(b - c) - 1) ** 2 / n;
  return { statistic: chi2, pValue: chiSquare1Sf(chi2), difference: b - c, test: 'McNemar chi-square' };
}

function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}

/** One sentence for the UI: which model is better, or that the difference is not significant. */
export function verdict(
  nameA: string,
  nameB: string,
  result: TestResult,
  alpha = 0.05,
  higherIsBetter = true,
): string {
  const how = result.test.startsWith('McNemar') ? 'McNemar' : 'corrected t-test';
  const p = `${formatP(result.pValue)}, ${how}`;
  if (!(result.pValue < alpha) || result.difference === 0) {
    return `No significant difference between ${nameA} and ${nameB} (${p}).`;
  }
  const aBetter = higherIsBetter ? result.difference > 0 : result.difference < 0;
  const [better, worse] = aBetter ? [nameA, nameB] : [nameB, nameA];
  return `${better} is better than ${worse} (${p}).`;
}
