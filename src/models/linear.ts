/**
 * Linear models with scikit-learn's objectives: LinearRegression (least squares), Ridge (L2),
 * Lasso / ElasticNet (coordinate descent on ½n‖y − Xw‖² + α·l1_ratio·‖w‖₁ + ½α(1 − l1_ratio)‖w‖²)
 * and LogisticRegression (multinomial softmax, or a single sigmoid for two classes, with sklearn's
 * l2 / l1 / elasticnet penalties scaled by 1/(C·n) as in its lbfgs and saga solvers, minimised in
 * float64 by L-BFGS, or OWL-QN when there is an L1 part). The intercept is never penalised.
 * LogisticRegression's loss/gradient can also run on tfjs (the active backend — WebGPU in the
 * browser) for large data: same objective, the small L-BFGS state stays on the CPU. Candidates of
 * a tuning grid can be fitted together (`fitBatch`), sharing each pass over X.
 */
import { cooperate } from '../core/cooperate';
import { EngineError } from '../core/errors';
import { computePool, sumSlots } from '../core/pool';
import { isSoftwareAdapter } from '../gpu/adapter';
import type { RunContext } from '../pipeline/step';
import { type BatchLoss, lockstep } from './batch';
import { centeredGram, columnMeans, lbfgs, type Objective, solveSpd } from './linalg';
import { logisticLossTf, penalizedLosses } from './linear-tf';
import { logisticKernel, logisticPartialSize } from './logistic-kernels';
import {
  checkCancelled,
  checkFiniteLoss,
  classCount,
  defineModel,
  type Matrix,
  regressionValues,
  type Target,
} from './model';

export interface LinearState {
  coef: Float64Array;
  intercept: number;
}

function predictLinear(X: Matrix, { coef, intercept }: LinearState): Float64Array {
  const { rows, cols, data } = X;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = intercept;
    for (let j = 0; j < cols; j++) s += data[i * cols + j]! * coef[j]!;
    out[i] = s;
  }
  return out;
}

function fitRidge(X: Matrix, y: Float64Array, alpha: number, fitIntercept: boolean): LinearState {
  const d = X.cols;
  const xMean = fitIntercept ? columnMeans(X) : new Float64Array(d);
  let yMean = 0;
  if (fitIntercept) {
    for (let i = 0; i < y.length; i++) yMean += y[i]!;
    yMean /= y.length;
  }
  const G = centeredGram(X, xMean);
  for (let j = 0; j < d; j++) G[j * d + j]! += alpha;
  const b = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) {
    const r = y[i]! - yMean;
    for (let j = 0; j < d; j++) b[j]! += (X.data[i * d + j]! - xMean[j]!) * r;
  }
  const coef = solveSpd(G, b, d);
  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= xMean[j]! * coef[j]!;
  return { coef, intercept };
}

const fitInterceptParam = {
  type: 'boolean',
  default: true,
  description: 'Fit an intercept (the data are centred first).',
} as const;

export const LinearRegression = defineModel<{ fit_intercept: boolean }, LinearState>({
  name: 'LinearRegression',
  kind: 'model',
  tasks: ['regression'],
  description: 'Ordinary least squares.',
  params: { fit_intercept: fitInterceptParam },
  async fit(X, y, p) {
    return fitRidge(X, regressionValues(y, 'LinearRegression'), 0, p.fit_intercept);
  },
  predict: async (X, s) => predictLinear(X, s),
});

export const Ridge = defineModel<{ alpha: number; fit_intercept: boolean }, LinearState>({
  name: 'Ridge',
  kind: 'model',
  tasks: ['regression'],
  description: 'Least squares with an L2 penalty alpha·‖w‖².',
  params: {
    alpha: { type: 'number', default: 1, min: 0, description: 'Strength of the L2 penalty.' },
    fit_intercept: fitInterceptParam,
  },
  async fit(X, y, p) {
    return fitRidge(X, regressionValues(y, 'Ridge'), p.alpha, p.fit_intercept);
  },
  predict: async (X, s) => predictLinear(X, s),
});

type LassoParams = { alpha: number; fit_intercept: boolean; max_iter: number; tol: number };
type ElasticNetParams = LassoParams & { l1_ratio: number };

/** Cyclic coordinate descent with sklearn's stopping rule (max update small, then duality gap). */
async function fitElasticNet(
  X: Matrix,
  y: Float64Array,
  p: ElasticNetParams,
  ctx: RunContext,
  model: string,
): Promise<LinearState> {
  const { rows: n, cols: d } = X;
  const xMean = p.fit_intercept ? columnMeans(X) : new Float64Array(d);
  let yMean = 0;
  if (p.fit_intercept) {
    for (let i = 0; i < n; i++) yMean += y[i]!;
    yMean /= n;
  }
  // Column-major centred copy: coordinate descent walks one feature at a time.
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[j * n + i] = X.data[i * d + j]! - xMean[j]!;
  const r = Float64Array.from(y, (v) => v - yMean);
  const norms = new Float64Array(d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) norms[j]! += Xc[j * n + i]! ** 2;
  const l1 = p.alpha * p.l1_ratio * n;
  const l2 = p.alpha * (1 - p.l1_ratio) * n;
  const w = new Float64Array(d);
  let yNorm2 = 0;
  for (let i = 0; i < n; i++) yNorm2 += r[i]! ** 2;
  const tol = p.tol * yNorm2;
  for (let iter = 0; iter < p.max_iter; iter++) {
    await cooperate(ctx.signal);
    let maxDelta = 0;
    let maxW = 0;
    for (let j = 0; j < d; j++) {
      if (norms[j] === 0) continue;
      const old = w[j]!;
      let rho = 0;
      for (let i = 0; i < n; i++) rho += Xc[j * n + i]! * r[i]!;
      rho += norms[j]! * old;
      const next = (Math.sign(rho) * Math.max(Math.abs(rho) - l1, 0)) / (norms[j]! + l2);
      if (next !== old) {
        const delta = next - old;
        for (let i = 0; i < n; i++) r[i]! -= Xc[j * n + i]! * delta;
        w[j] = next;
      }
      maxDelta = Math.max(maxDelta, Math.abs(next - old));
      maxW = Math.max(maxW, Math.abs(next));
    }
    if (maxW === 0 || maxDelta / maxW < p.tol || iter === p.max_iter - 1) {
      // Duality gap, as sklearn's enet_coordinate_descent.
      let dualNormXtA = 0;
      let rNorm2 = 0;
      let wNorm2 = 0;
      let l1Norm = 0;
      for (let j = 0; j < d; j++) {
        let xr = 0;
        for (let i = 0; i < n; i++) xr += Xc[j * n + i]! * r[i]!;
        dualNormXtA = Math.max(dualNormXtA, Math.abs(xr - l2 * w[j]!));
        wNorm2 += w[j]! ** 2;
        l1Norm += Math.abs(w[j]!);
      }
      let ry = 0;
      for (let i = 0; i < n; i++) {
        rNorm2 += r[i]! ** 2;
        ry += r[i]! * (y[i]! - yMean);
      }
      let gap: number;
      if (dualNormXtA > l1) {
        const constant = l1 / dualNormXtA;
        gap = 0.5 * (rNorm2 + rNorm2 * constant * constant);
      } else gap = rNorm2;
      const constant = dualNormXtA > l1 ? l1 / dualNormXtA : 1;
      gap += l1 * l1Norm - constant * ry + 0.5 * l2 * (1 + constant * constant) * wNorm2;
      checkFiniteLoss(model, gap, iter);
      if (gap < tol) break;
    }
  }
  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= xMean[j]! * w[j]!;
  return { coef: w, intercept };
}

const cdParams = {
  fit_intercept: fitInterceptParam,
  max_iter: { type: 'integer', default: 1000, min: 1, description: 'Maximum passes over the features.' },
  tol: { type: 'number', default: 1e-4, min: 0, description: 'Stop when the duality gap is below tol·‖y‖².' },
} as const;

export const Lasso = defineModel<LassoParams, LinearState>({
  name: 'Lasso',
  kind: 'model',
  tasks: ['regression'],
  description: 'Least squares with an L1 penalty (sparse coefficients), by coordinate descent.',
  params: {
    alpha: { type: 'number', default: 1, min: 0, description: 'Strength of the L1 penalty.' },
    ...cdParams,
  },
  async fit(X, y, p, ctx) {
    return fitElasticNet(X, regressionValues(y, 'Lasso'), { ...p, l1_ratio: 1 }, ctx, 'Lasso');
  },
  predict: async (X, s) => predictLinear(X, s),
});

export const ElasticNet = defineModel<ElasticNetParams, LinearState>({
  name: 'ElasticNet',
  kind: 'model',
  tasks: ['regression'],
  description: 'Least squares with a mix of L1 and L2 penalties, by coordinate descent.',
  params: {
    alpha: { type: 'number', default: 1, min: 0, description: 'Overall penalty strength.' },
    l1_ratio: {
      type: 'number',
      default: 0.5,
      min: 0,
      max: 1,
      description: 'Share of the L1 penalty (1 = Lasso).',
    },
    ...cdParams,
  },
  async fit(X, y, p, ctx) {
    return fitElasticNet(X, regressionValues(y, 'ElasticNet'), p, ctx, 'ElasticNet');
  },
  predict: async (X, s) => predictLinear(X, s),
});

// ---------------------------------------------------------------------------------------------
// LogisticRegression

export type LogisticParams = {
  penalty: string;
  C: number;
  /** Only with penalty 'elasticnet' (which needs it). */
  l1_ratio: number | null;
  solver: string;
  fit_intercept: boolean;
  max_iter: number;
  tol: number;
  /** Benchtop's choice of where the loss/gradient runs: auto = tfjs for large data. */
  backend: string;
};

export interface LogisticState {
  /** d × m row-major, m = 1 (two classes: the score of class 1) or the number of classes. */
  coef: Float64Array;
  intercept: Float64Array;
  nClasses: number;
  nIter: number;
  backend: 'cpu' | 'tfjs';
}

/** Rows × features above which `backend: 'auto'` computes the loss with tfjs. */
export const TFJS_LOGISTIC_THRESHOLD = 2_000_000;

/** Per-row scores z = X·W + b (rows × m). */
function scores(X: Matrix, coef: Float64Array, intercept: Float64Array, m: number, out: Float64Array): void {
  const { rows, cols: d, data } = X;
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < m; c++) out[i * m + c] = intercept[c]!;
    for (let j = 0; j < d; j++) {
      const x = data[i * d + j]!;
      if (x === 0) continue;
      for (let c = 0; c < m; c++) out[i * m + c]! += x * coef[j * m + c]!;
    }
  }
}

/**
 * The smooth part of LogisticRegression's objective — mean log loss + ½·l2·‖W‖² — and its
 * gradient in float64, for several weight vectors in one pass over X (a tuning grid). Their
 * weights are packed side by side (d × K·m), so each row is read once and every inner loop runs
 * over all K·m scores at once. The pass runs over chunks of rows on the compute pool
 * (logistic-kernels.ts), the chunks' sums added in chunk order: per weight vector the arithmetic,
 * and its order, is that of a single evaluation on one thread, so a batch on any number of threads
 * returns exactly the numbers of evaluating one at a time.
 */
export function logisticLossCpu(X: Matrix, codes: Int32Array, m: number, fitIntercept: boolean): BatchLoss {
  const { rows: n, cols: d } = X;
  const pool = computePool();
  // Shared once for every evaluation of the fit (a no-op on one thread).
  const data = pool.share(X.data);
  const sharedCodes = pool.share(codes);
  return async (requests) => {
    const count = requests.length;
    const width = count * m;
    const W = new Float64Array(d * width);
    const B = new Float64Array(width);
    requests.forEach(({ w }, k) => {
      for (let j = 0; j < d; j++) for (let c = 0; c < m; c++) W[j * width + k * m + c] = w[j * m + c]!;
      if (fitIntercept) for (let c = 0; c < m; c++) B[k * m + c] = w[d * m + c]!;
    });
    const size = logisticPartialSize(d, count, m);
    const args = { data, codes: sharedCodes, d, m, count, W, B, fitIntercept };
    const sums = sumSlots(
      await pool.run(logisticKernel, args, n, { partialSize: size, rowCost: 2 * d * width + 8 * width }),
      size,
    );
    const losses = sums.subarray(0, count);
    const G = sums.subarray(count, count + d * width);
    const GB = sums.subarray(count + d * width);
    return penalizedLosses(requests, losses, G, GB, n, d, m, fitIntercept);
  };
}

/** Mean log loss + ½·l2·‖W‖² and its gradient for one weight vector (sklearn's L2 objective: l2 = 1/(C·n)). */
export function logisticObjectiveCpu(
  X: Matrix,
  codes: Int32Array,
  m: number,
  l2: number,
  fitIntercept: boolean,
): Objective {
  const loss = logisticLossCpu(X, codes, m, fitIntercept);
  return async (w, grad) => (await loss([{ w, grad, l2 }]))[0]!;
}

function logisticProba(X: Matrix, s: LogisticState): Matrix {
  const m = s.nClasses === 2 ? 1 : s.nClasses;
  const z = new Float64Array(X.rows * m);
  scores(X, s.coef, s.intercept, m, z);
  if (m === 1) return binaryProbabilities(z, X.rows);
  const out = new Float64Array(X.rows * m);
  softmaxRows(z, out, X.rows, m);
  return { data: out, rows: X.rows, cols: m };
}

/** P(class 0) and P(class 1) per row from the logit of class 1. */
export function binaryProbabilities(logit: ArrayLike<number>, rows: number): Matrix {
  const out = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const p = 1 / (1 + Math.exp(-logit[i]!));
    out[2 * i] = 1 - p;
    out[2 * i + 1] = p;
  }
  return { data: out, rows, cols: 2 };
}

/** Row-wise softmax of `rows` × `k` scores `from`, written to `to` (which may be `from`). */
export function softmaxRows(from: Float64Array, to: Float64Array, rows: number, k: number): void {
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, from[i * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += to[i * k + c] = Math.exp(from[i * k + c]! - max);
    for (let c = 0; c < k; c++) to[i * k + c]! /= sum;
  }
}

/** Index of the largest entry of each row (first on ties, as numpy's argmax). */
export function argmaxRows(P: Matrix): Float64Array {
  const out = new Float64Array(P.rows);
  for (let i = 0; i < P.rows; i++) {
    let best = 0;
    for (let c = 1; c < P.cols; c++) if (P.data[i * P.cols + c]! > P.data[i * P.cols + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** A classifier's predict (the most probable class, first on ties) and predictProba from one
 * probability function. */
export function fromProbabilities<S>(proba: (X: Matrix, s: S) => Matrix) {
  return {
    predict: async (X: Matrix, s: S) => argmaxRows(proba(X, s)),
    predictProba: async (X: Matrix, s: S) => proba(X, s),
  };
}

/** The L1 share of the penalty, after sklearn's checks of penalty, solver and l1_ratio. */
function l1Share(p: LogisticParams): number {
  const invalid = (message: string, hint?: string) =>
    new EngineError('InvalidArgument', `LogisticRegression: ${message}`, hint ? { hint } : {});
  if (!(p.C > 0)) throw invalid('parameter "C" must be positive.');
  if (p.penalty !== 'l2' && p.solver === 'lbfgs') {
    throw invalid(
      `solver 'lbfgs' supports only the 'l2' penalty, got '${p.penalty}'.`,
      "Set solver to 'saga' for the l1 and elasticnet penalties.",
    );
  }
  if (p.penalty === 'l1') return 1;
  if (p.penalty === 'elasticnet') {
    if (p.l1_ratio === null) {
      throw invalid(
        "penalty 'elasticnet' needs l1_ratio (from 0 = l2 to 1 = l1).",
        'Set l1_ratio, e.g. 0.5.',
      );
    }
    return p.l1_ratio;
  }
  return 0;
}

/** Where a fit computes its loss: tfjs when asked, or for large data when a compute runtime exists. */
function usesTf(X: Matrix, p: LogisticParams, ctx: RunContext): boolean {
  return (
    p.backend === 'tfjs' ||
    (p.backend === 'auto' &&
      ctx.compute !== null &&
      // A software adapter (SwiftShader) makes tfjs far slower than the f64 CPU loop (bench/README.md).
      ctx.compute.info().kernels === 'webgpu' &&
      !isSoftwareAdapter(ctx.compute.info().adapter) &&
      X.rows * X.cols >= TFJS_LOGISTIC_THRESHOLD)
  );
}

/**
 * Fits every parameter set on the same rows. Sets that run on the same backend with the same shape
 * share one loss evaluation per round (`lockstep`): a C grid reads X once per round instead of once
 * per candidate, and on tfjs it is one matMul with the weight matrices side by side. Each set keeps
 * its own L-BFGS/OWL-QN run, so its result is the one it gets alone (bit for bit on the CPU).
 */
async function fitLogistic(
  X: Matrix,
  y: Target,
  list: readonly LogisticParams[],
  ctxs: readonly RunContext[],
): Promise<LogisticState[]> {
  const k = classCount(y, 'LogisticRegression');
  const shares = list.map(l1Share);
  const codes = (y as { codes: Int32Array }).codes;
  const { rows: n, cols: d } = X;
  const m = k === 2 ? 1 : k;
  const groups = new Map<string, number[]>();
  list.forEach((p, i) => {
    const key = `${usesTf(X, p, ctxs[i]!)}|${p.fit_intercept}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const states: LogisticState[] = new Array(list.length);
  for (const members of groups.values()) {
    const first = list[members[0]!]!;
    const useTf = usesTf(X, first, ctxs[members[0]!]!);
    let loss: BatchLoss;
    let dispose = () => {};
    if (useTf) {
      const compute = ctxs[members[0]!]!.compute;
      if (!compute)
        throw new EngineError('GpuUnavailable', 'LogisticRegression on tfjs needs the compute runtime.');
      // Every member records the backend it ran on.
      for (const i of members) await ctxs[i]!.compute?.tf();
      const { tf } = await compute.tf();
      const tfLoss = logisticLossTf(tf, X, codes, m, first.fit_intercept);
      loss = tfLoss.evaluate;
      dispose = tfLoss.dispose;
    } else {
      loss = logisticLossCpu(X, codes, m, first.fit_intercept);
    }
    try {
      const fitted = await lockstep(members.length, loss, async (submit, slot) => {
        const i = members[slot]!;
        const p = list[i]!;
        const ctx = ctxs[i]!;
        const size = d * m + (p.fit_intercept ? m : 0);
        const share = shares[i]!;
        const l2 = (1 - share) / (p.C * n);
        const l1 =
          share > 0
            ? Float64Array.from({ length: size }, (_, t) => (t < d * m ? share / (p.C * n) : 0))
            : undefined;
        const w = new Float64Array(size);
        // Each evaluation is a pass over the data: a turn for the event loop (cancel) between them.
        const result = await lbfgs(
          async (wt, grad) => {
            await cooperate(ctx.signal);
            return submit({ w: wt, grad, l2 });
          },
          w,
          {
            maxIter: p.max_iter,
            // f32 gradients cannot reach sklearn's default tol on large data; 1e-3 of the f32 noise floor.
            gtol: useTf ? Math.max(p.tol, 1e-5) : p.tol,
            ...(l1 ? { l1 } : {}),
            onIteration: (iteration, value) => {
              checkCancelled(ctx);
              checkFiniteLoss('LogisticRegression', value, iteration);
              ctx.iteration?.({ loss: value });
              ctx.progress(iteration / p.max_iter, `iteration ${iteration}: loss ${value.toPrecision(6)}`);
            },
          },
        );
        checkFiniteLoss('LogisticRegression', result.loss, result.iterations);
        return {
          coef: w.slice(0, d * m),
          intercept: p.fit_intercept ? w.slice(d * m) : new Float64Array(m),
          nClasses: k,
          nIter: result.iterations,
          backend: useTf ? 'tfjs' : 'cpu',
        } satisfies LogisticState;
      });
      members.forEach((i, slot) => {
        states[i] = fitted[slot]!;
      });
    } finally {
      dispose();
    }
  }
  return states;
}

export const LogisticRegression = defineModel<LogisticParams, LogisticState>({
  name: 'LogisticRegression',
  kind: 'model',
  tasks: ['classification'],
  description:
    'Multinomial logistic regression with an l2, l1 (sparse) or elasticnet penalty (L-BFGS / OWL-QN).',
  params: {
    penalty: {
      type: 'enum',
      options: ['l2', 'l1', 'elasticnet'],
      default: 'l2',
      description:
        "The penalty: 'l2', 'l1' (drives coefficients to exactly zero) or 'elasticnet' (both, see l1_ratio). l1 and elasticnet need solver 'saga', as in scikit-learn.",
    },
    C: {
      type: 'number',
      default: 1,
      min: 0,
      description: 'Inverse regularisation strength (smaller = stronger).',
    },
    l1_ratio: {
      type: 'number',
      default: null,
      min: 0,
      max: 1,
      description:
        "Share of L1 in the elasticnet penalty (0 = l2, 1 = l1); used only with penalty 'elasticnet', which needs it.",
    },
    solver: {
      type: 'enum',
      options: ['lbfgs', 'saga'],
      default: 'lbfgs',
      description:
        "scikit-learn's solver names; what runs here: 'lbfgs' is L-BFGS (l2 only, as in scikit-learn). 'saga' takes every penalty but is not stochastic: it runs OWL-QN (L-BFGS with orthant-wise steps for the L1 part; plain L-BFGS for l2), full-batch and deterministic, on scikit-learn's saga objective, so it reaches the same optimum.",
    },
    fit_intercept: fitInterceptParam,
    max_iter: {
      type: 'integer',
      default: 100,
      min: 1,
      description: 'Maximum L-BFGS / OWL-QN iterations.',
    },
    tol: {
      type: 'number',
      default: 1e-4,
      min: 0,
      description: 'Stop when every gradient entry (with L1: of the minimum-norm subgradient) is below tol.',
    },
    backend: {
      type: 'enum',
      options: ['auto', 'cpu', 'tfjs'],
      default: 'auto',
      description:
        'Where the loss is computed: float64 on the CPU, or tfjs (WebGPU when available) for large data.',
    },
  },
  async fit(X, y, p, ctx) {
    return (await fitLogistic(X, y, [p], [ctx]))[0]!;
  },
  fitBatch: fitLogistic,
  batchKey: (p) => `${p.backend}|${p.fit_intercept}`,
  ...fromProbabilities(logisticProba),
});
