/**
 * KNeighborsClassifier / KNeighborsRegressor: brute-force Euclidean neighbours, on the GPU (the
 * knn kernel) when the work is large enough to pay for the upload, else in float64 on the CPU.
 * Votes follow sklearn: uniform weights → majority with ties to the smallest class; 'distance' →
 * 1/distance, and rows at distance 0 take all the weight.
 */
import { EngineError } from '../core/errors';
import { knnAll, type Neighbors } from '../gpu/kernels/knn/knn';
import type { RunContext } from '../pipeline/step';
import { GPU_MIN_WORK } from './gpu-policy';
import { argmaxRows } from './linear';
import { classCount, defineModel, type Matrix, regressionValues } from './model';

type KnnParams = { n_neighbors: number; weights: string };

export interface KnnState {
  X: Float64Array;
  d: number;
  /** Class codes or target values of the training rows. */
  y: Float64Array;
  nClasses: number;
}

const params = {
  n_neighbors: { type: 'integer', default: 5, min: 1, description: 'Number of neighbours that vote.' },
  weights: {
    type: 'enum',
    options: ['uniform', 'distance'],
    default: 'uniform',
    description: 'Equal votes, or votes weighted by 1/distance.',
  },
} as const;

async function neighbors(X: Matrix, s: KnnState, k: number, ctx: RunContext): Promise<Neighbors> {
  const nr = s.X.length / s.d;
  const useGpu = ctx.compute?.gpu && X.rows * nr * s.d >= GPU_MIN_WORK.knn;
  // Without the GPU: the float64 reference on the compute pool's threads, in cancellable chunks of
  // query rows (knnAll with no compute; the same numbers on any number of threads).
  return knnAll(useGpu ? ctx.compute : null, X.data, s.X, s.d, k, { signal: ctx.signal });
}

/** Per-neighbour weights for one query (sklearn's _get_weights). */
function weightsOf(n: Neighbors, q: number, mode: string, out: Float64Array): void {
  const { k } = n;
  if (mode === 'uniform') {
    out.fill(1);
    return;
  }
  let zero = false;
  for (let s = 0; s < k; s++) if (n.distances[q * k + s] === 0) zero = true;
  for (let s = 0; s < k; s++) {
    const dist = Math.sqrt(n.distances[q * k + s]!);
    out[s] = zero ? (dist === 0 ? 1 : 0) : 1 / dist;
  }
}

function fitState(X: Matrix, y: Float64Array, nClasses: number, p: KnnParams): KnnState {
  if (p.n_neighbors > X.rows) {
    throw new EngineError(
      'InvalidArgument',
      `n_neighbors = ${p.n_neighbors} is more than the ${X.rows} training rows.`,
      { hint: 'Lower n_neighbors.' },
    );
  }
  return { X: X.data.slice(), d: X.cols, y, nClasses };
}

async function classProba(X: Matrix, s: KnnState, p: KnnParams, ctx: RunContext): Promise<Matrix> {
  const n = await neighbors(X, s, p.n_neighbors, ctx);
  const c = s.nClasses;
  const out = new Float64Array(X.rows * c);
  const w = new Float64Array(n.k);
  for (let q = 0; q < X.rows; q++) {
    weightsOf(n, q, p.weights, w);
    let total = 0;
    for (let t = 0; t < n.k; t++) {
      out[q * c + s.y[n.indices[q * n.k + t]!]!]! += w[t]!;
      total += w[t]!;
    }
    for (let j = 0; j < c; j++) out[q * c + j]! /= total;
  }
  return { data: out, rows: X.rows, cols: c };
}

export type KnnModelState = KnnState & { params: KnnParams };

export const KNeighborsClassifier = defineModel<KnnParams, KnnModelState>({
  name: 'KNeighborsClassifier',
  kind: 'model',
  tasks: ['classification'],
  description: 'Majority vote of the k nearest training rows (Euclidean).',
  params,
  async fit(X, y, p) {
    const k = classCount(y, 'KNeighborsClassifier');
    const codes = (y as { codes: Int32Array }).codes;
    return { ...fitState(X, Float64Array.from(codes), k, p), params: { ...p } };
  },
  async predict(X, s, ctx) {
    return argmaxRows(await classProba(X, s, s.params, ctx));
  },
  async predictProba(X, s, ctx) {
    return classProba(X, s, s.params, ctx);
  },
});

export const KNeighborsRegressor = defineModel<KnnParams, KnnModelState>({
  name: 'KNeighborsRegressor',
  kind: 'model',
  tasks: ['regression'],
  description: 'Mean target of the k nearest training rows (Euclidean).',
  params,
  async fit(X, y, p) {
    return { ...fitState(X, regressionValues(y, 'KNeighborsRegressor').slice(), 0, p), params: { ...p } };
  },
  async predict(X, s, ctx) {
    const n = await neighbors(X, s, s.params.n_neighbors, ctx);
    const out = new Float64Array(X.rows);
    const w = new Float64Array(n.k);
    for (let q = 0; q < X.rows; q++) {
      weightsOf(n, q, s.params.weights, w);
      let sum = 0;
      let total = 0;
      for (let t = 0; t < n.k; t++) {
        sum += w[t]! * s.y[n.indices[q * n.k + t]!]!;
        total += w[t]!;
      }
      out[q] = sum / total;
    }
    return out;
  },
});
