/** GaussianNB: per-class feature means and variances (plus sklearn's var_smoothing), priors from
 * the class frequencies; predicts by the largest joint log-likelihood. */

import { argmaxRows, softmaxRows } from './linear';
import { classCount, defineModel, type Matrix } from './model';

export interface GaussianNBState {
  /** classes × d */
  theta: Float64Array;
  variance: Float64Array;
  logPrior: Float64Array;
  d: number;
}

function jointLogLikelihood(X: Matrix, s: GaussianNBState): Matrix {
  const k = s.logPrior.length;
  const d = s.d;
  const out = new Float64Array(X.rows * k);
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += Math.log(2 * Math.PI * s.variance[c * d + j]!);
    norm *= -0.5;
    for (let i = 0; i < X.rows; i++) {
      let q = 0;
      for (let j = 0; j < d; j++)
        q += (X.data[i * d + j]! - s.theta[c * d + j]!) ** 2 / s.variance[c * d + j]!;
      out[i * k + c] = s.logPrior[c]! + norm - 0.5 * q;
    }
  }
  return { data: out, rows: X.rows, cols: k };
}

export const GaussianNB = defineModel<{ var_smoothing: number }, GaussianNBState>({
  name: 'GaussianNB',
  kind: 'model',
  tasks: ['classification'],
  description: 'Naive Bayes with a normal distribution per class and feature.',
  params: {
    var_smoothing: {
      type: 'number',
      default: 1e-9,
      min: 0,
      description: 'Share of the largest feature variance added to every variance, for stability.',
    },
  },
  async fit(X, y, p) {
    const k = classCount(y, 'GaussianNB');
    const codes = (y as { codes: Int32Array }).codes;
    const { rows: n, cols: d, data } = X;
    const theta = new Float64Array(k * d);
    const variance = new Float64Array(k * d);
    const count = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      count[c]!++;
      for (let j = 0; j < d; j++) theta[c * d + j]! += data[i * d + j]!;
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) theta[c * d + j]! /= count[c]! || 1;
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      for (let j = 0; j < d; j++) variance[c * d + j]! += (data[i * d + j]! - theta[c * d + j]!) ** 2;
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) variance[c * d + j]! /= count[c]! || 1;
    // epsilon = var_smoothing × the largest variance of any feature over all rows.
    let maxVar = 0;
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += data[i * d + j]!;
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (data[i * d + j]! - mean) ** 2;
      maxVar = Math.max(maxVar, v / n);
    }
    const eps = p.var_smoothing * maxVar;
    for (let t = 0; t < variance.length; t++) variance[t]! += eps;
    const logPrior = Float64Array.from(count, (c) => Math.log(c / n));
    return { theta, variance, logPrior, d };
  },
  async predict(X, s) {
    return argmaxRows(jointLogLikelihood(X, s));
  },
  async predictProba(X, s) {
    const J = jointLogLikelihood(X, s);
    softmaxRows(J.data, J.data, J.rows, J.cols);
    return J;
  },
});
