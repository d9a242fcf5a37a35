/**
 * Model benchmarks (issue 6), side by side in one process:
 * - LogisticRegression on a seeded rows × 20, 3-class set: ours (L-BFGS, float64 loss on the CPU,
 *   sklearn's objective, max_iter 100) vs plain tfjs (a dense softmax layer, adam 0.01, 5 epochs
 *   of batch 4096 — the usual tfjs recipe). In Node tfjs has only its cpu backend (no WebGPU/WebGL,
 *   tfjs-node is not a dependency), so this compares the CPU fallbacks; the WebGPU path is tested
 *   in tests/models/logistic.browser.test.ts. Accuracies go to stderr.
 * - KMeans rows × 10, k = 16, one k-means++ run of at most 50 iterations: ours (CPU reference of
 *   the knn assignment kernel in Node) vs ml-kmeans with the same limits. Inertia to stderr.
 * - kNN (k = 5): rows/10 queries against 2 000 reference rows × 10: ours (knn reference; the GPU
 *   kernel in the browser) vs a plain JS loop that sorts every query's distances.
 * - Tuning LogisticRegression over 10 values of C (5-fold stratified CV, tuneModel as the engine
 *   runs it): the candidates of a fold fitted in one batched lockstep pass vs one after another,
 *   on the float64 CPU path and on tfjs (its cpu backend in Node). Same scores either way (tested).
 */
import * as tf from '@tensorflow/tfjs';
import { tableFromArrays } from 'apache-arrow';
import { kmeans as mlKmeans } from 'ml-kmeans';
import type { ExperimentContext } from '../../src/analysis/experiment/experiment';
import { tuneModel } from '../../src/analysis/experiment/search';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { knnRef } from '../../src/gpu/kernels/knn/knn';
import { KMeans } from '../../src/models/cluster';
import { LogisticRegression } from '../../src/models/linear';
import { accuracy } from '../../src/models/metrics';
import { type Matrix, type Target, validateModelParams } from '../../src/models/model';
import type { TuneResult } from '../../src/protocol/api';
import { emptyNotebook } from '../../src/spec/notebook';
import type { BenchCase } from '../harness';

function context(seed = 0) {
  return { rng: createRng(seed), compute: null, signal: new AbortController().signal, progress: () => {} };
}

/** Seeded Gaussian classes: class c shifts feature c by 1.5 (3 classes, noisy enough to not be separable). */
function classificationSet(
  rows: number,
  d: number,
  k: number,
  seed: number,
): { X: Matrix; y: Target & { task: 'classification' } } {
  const rng = createRng(seed);
  const data = new Float64Array(rows * d);
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(k);
    codes[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() + (j === c ? 1.5 : 0);
  }
  return {
    X: { data, rows, cols: d },
    y: { task: 'classification', codes, classes: ['a', 'b', 'c'].slice(0, k) },
  };
}

function blobs(rows: number, d: number, centers: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const mu = Float64Array.from({ length: centers * d }, () => rng.normal() * 5);
  const out = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(centers);
    for (let j = 0; j < d; j++) out[i * d + j] = mu[c * d + j]! + rng.normal();
  }
  return out;
}

export function logisticCase(rows: number): BenchCase<ReturnType<typeof classificationSet>> {
  return {
    name: `LogisticRegression ${rows.toLocaleString('en')} × 20`,
    bytes: (c) => c.X.data.length * 8,
    setup: async () => classificationSet(rows, 20, 3, 7),
    impls: [
      {
        name: 'benchtop LogisticRegression (L-BFGS, f64 CPU)',
        ours: true,
        run: async (c) => {
          const params = validateModelParams(LogisticRegression, { backend: 'cpu' });
          const s = await LogisticRegression.fit(c.X, c.y, params, context());
          const acc = accuracy(c.y.codes, await LogisticRegression.predict(c.X, s, context()));
          process.stderr.write(`    accuracy ${acc.toFixed(4)} after ${s.nIter} iterations\n`);
          return s;
        },
      },
      {
        name: 'tfjs cpu (dense softmax, adam, 5 epochs)',
        run: async (c) => {
          await tf.setBackend('cpu');
          const model = tf.sequential({
            layers: [tf.layers.dense({ units: 3, inputShape: [20], activation: 'softmax' })],
          });
          model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
          const x = tf.tensor2d(Float32Array.from(c.X.data), [c.X.rows, 20]);
          const y = tf.tensor1d(Float32Array.from(c.y.codes));
          await model.fit(x, y, { epochs: 5, batchSize: 4096, verbose: 0 });
          const pred = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(1));
          const acc = accuracy(c.y.codes, await pred.data());
          process.stderr.write(`    accuracy ${acc.toFixed(4)}\n`);
          tf.dispose([x, y, pred]);
          model.dispose();
          return acc;
        },
      },
    ],
  };
}

export function kmeansCase(rows: number): BenchCase<{ X: Matrix; arrays: number[][] }> {
  return {
    name: `KMeans ${rows.toLocaleString('en')} × 10, k = 16`,
    bytes: (c) => c.X.data.length * 8,
    setup: async () => {
      const data = blobs(rows, 10, 16, 3);
      const arrays = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * 10, i * 10 + 10)));
      return { X: { data, rows, cols: 10 }, arrays };
    },
    impls: [
      {
        name: 'benchtop KMeans (k-means++, 50 iterations max, CPU)',
        ours: true,
        run: async (c) => {
          const params = validateModelParams(KMeans, { n_clusters: 16, n_init: 1, max_iter: 50 });
          const s = await KMeans.fit(c.X, { task: 'clustering' }, params, context(1));
          process.stderr.write(`    inertia ${s.inertia.toExponential(6)} after ${s.nIter} iterations\n`);
          return s;
        },
      },
      {
        name: 'ml-kmeans 7.0.1 (kmeans++, 50 iterations max)',
        run: (c) => {
          const r = mlKmeans(c.arrays, 16, { initialization: 'kmeans++', maxIterations: 50, seed: 1 });
          let inertia = 0;
          c.arrays.forEach((row, i) => {
            const center = r.centroids[r.clusters[i]!]!;
            for (let j = 0; j < 10; j++) inertia += (row[j]! - center[j]!) ** 2;
          });
          process.stderr.write(`    inertia ${inertia.toExponential(6)} after ${r.iterations} iterations\n`);
          return r;
        },
      },
    ],
  };
}

export function knnCase(queries: number): BenchCase<{ q: Float64Array; r: Float64Array }> {
  const refs = 2000;
  const d = 10;
  return {
    name: `kNN k=5: ${queries.toLocaleString('en')} queries × ${refs} refs × ${d}`,
    setup: async () => ({ q: blobs(queries, d, 16, 4), r: blobs(refs, d, 16, 5) }),
    impls: [
      {
        name: 'benchtop knn (reference; GPU kernel in the browser)',
        ours: true,
        run: (c) => knnRef(c.q, c.r, d, 5),
      },
      {
        name: 'plain JS loop (distances, sort, take 5)',
        run: (c) => {
          const out = new Int32Array(queries * 5);
          const dist = new Array<[number, number]>(refs);
          for (let i = 0; i < queries; i++) {
            for (let r = 0; r < refs; r++) {
              let s = 0;
              for (let j = 0; j < d; j++) s += (c.q[i * d + j]! - c.r[r * d + j]!) ** 2;
              dist[r] = [s, r];
            }
            dist.sort((a, b) => a[0] - b[0]);
            for (let t = 0; t < 5; t++) out[i * 5 + t] = dist[t]![1];
          }
          return out;
        },
      },
    ],
  };
}

/** Ten values of C from 1e-3 to 100, log-spaced. */
const C_GRID = Array.from({ length: 10 }, (_, i) => Number((10 ** (-3 + (5 * i) / 9)).toPrecision(6)));

export function tuneLogisticCases(rows: number): BenchCase<{ ctx: ExperimentContext; compute: Compute }>[] {
  const setup = async () => {
    const { X, y } = classificationSet(rows, 20, 3, 7);
    const columns = Object.fromEntries(
      Array.from({ length: 20 }, (_, j) => [
        `f${j}`,
        Float64Array.from({ length: rows }, (_, i) => X.data[i * 20 + j]!),
      ]),
    );
    const table = tableFromArrays({ ...columns, target: Int32Array.from(y.codes) });
    const compute = await initCompute({ webgpu: false });
    const ctx: ExperimentContext = {
      table,
      datasetId: 'bench',
      dataKey: 'bench',
      compute,
      signal: new AbortController().signal,
      progress: () => {},
    };
    return { ctx, compute };
  };
  const tune = async (ctx: ExperimentContext, backend: string, batch: boolean) => {
    // CPU time too: on a shared machine it moves less than wall time with other jobs' load.
    const cpu0 = process.cpuUsage();
    const result: TuneResult = await tuneModel(ctx, {
      notebook: { ...emptyNotebook(), target: 'target' },
      target: 'target',
      split: { kind: 'stratified-kfold', k: 5 },
      seed: 0,
      model: 'LogisticRegression',
      params: { backend },
      grid: { C: C_GRID },
      batch,
    });
    const best = result.candidates[0]!;
    const fitMs = result.candidates.reduce((t, c) => t + c.fitMs, 0);
    const cpu = process.cpuUsage(cpu0);
    process.stderr.write(
      `    batched ${result.batched}: CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, fit+predict ${fitMs} ms of the run; best C ${best.params.C}, accuracy ${best.score.mean.toFixed(4)}\n`,
    );
    return result;
  };
  return (['cpu', 'tfjs'] as const).map((backend) => ({
    name: `tune LogisticRegression, 10 C × 5 folds, ${rows.toLocaleString('en')} × 20 (${backend === 'cpu' ? 'f64 CPU' : 'tfjs cpu backend'})`,
    setup,
    impls: [
      {
        name: 'benchtop tuneModel, candidates batched per fold',
        ours: true,
        run: (c) => tune(c.ctx, backend, true),
      },
      { name: 'benchtop tuneModel, one candidate after another', run: (c) => tune(c.ctx, backend, false) },
    ],
  }));
}
