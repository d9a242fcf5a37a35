/**
 * Model benchmarks; every implementation in its own process (bench/run.ts), on data cached by
 * bench/data.ts, our modules and each peer's library imported only in their own process:
 * - LogisticRegression, rows × 20, 3 seeded Gaussian classes (+ 50,000 test rows): ours (L-BFGS,
 *   float64 loss on the CPU, sklearn's objective, C = 1, tol 1e-4); a tfjs softmax regression
 *   trained to convergence on the same objective (full batch, adam, until max |gradient| ≤ 1e-4 —
 *   the same stopping rule, not a few epochs); sklearn lbfgs. Quality: test accuracy and the
 *   objective reached (mean cross-entropy + ‖W‖²/(2·C·n)).
 * - KMeans rows × 10, k = 16, one k-means++ run, max_iter 50, tol 1e-4: ours, ml-kmeans 7.0.1,
 *   sklearn (lloyd). Quality: inertia.
 * - kNN (k = 5): rows/10 queries × 2,000 references × 10: ours (the CPU reference of the knn
 *   kernel, knnAll without a GPU: query rows split over the compute pool; all cores and one
 *   thread), a JS loop keeping a k-best buffer per query (insertion into a sorted buffer of 5, as
 *   anyone would write it — not a full sort), sklearn NearestNeighbors(brute). Quality: mean squared
 *   distance of the 5th neighbour.
 * - MLPClassifier (64, 64), rows × 20, 5 epochs of batch 1024, adam 0.001: ours where tfjs picks
 *   wasm (our own WASM SIMD kernels on the compute pool; all cores and one thread), tfjs layers
 *   `fit` on wasm, sklearn. Timed: the fit (ours and sklearn's; the tfjs peer includes its
 *   predict). Quality: test accuracy.
 * - Tuning LogisticRegression over 10 values of C (5-fold stratified CV, tuneModel as the engine
 *   runs it): the candidates of a fold fitted in one batched lockstep pass vs one after another.
 */
import type * as TfNs from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import type { Compute } from '../../src/gpu/device';
import { cached } from '../data';
import type { BenchCase } from '../harness';
import { threadRows, usePool } from '../threads';

type Tf = typeof TfNs;

function context(seed = 0, compute: Compute | null = null) {
  return {
    rng: createRng(seed),
    compute,
    signal: new AbortController().signal,
    progress: () => {},
  };
}

interface Classification {
  X: Float64Array;
  y: Int32Array;
  Xt: Float64Array;
  yt: Int32Array;
  rows: number;
  testRows: number;
  d: number;
  k: number;
  files: { X: string; y: string; Xtest: string; ytest: string };
}

const TEST_ROWS = 50_000;

/** Seeded Gaussian classes: class c shifts feature c by 1.5 (3 classes, not separable); the test
 * rows come from the same stream after the training rows. */
function classificationSet(rows: number, d: number, k: number, seed: number): Classification {
  const total = rows + TEST_ROWS;
  const name = `classes-${total}x${d}-k${k}-seed${seed}`;
  const generate = () => {
    const rng = createRng(seed);
    const data = new Float64Array(total * d);
    const codes = new Int32Array(total);
    for (let i = 0; i < total; i++) {
      const c = rng.int(k);
      codes[i] = c;
      for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() + (j === c ? 1.5 : 0);
    }
    return { data, codes };
  };
  let made: ReturnType<typeof generate> | null = null;
  const once = () => {
    made ??= generate();
    return made;
  };
  const X = cached(`${name}.f64`, Float64Array, () => once().data);
  const y = cached(`${name}.i32`, Int32Array, () => once().codes);
  // Python reads the training and test parts as separate files.
  const part = (
    suffix: string,
    arr: Float64Array | Int32Array,
    Ctor: typeof Float64Array | typeof Int32Array,
  ) => cached(`${name}-${suffix}`, Ctor as typeof Float64Array, () => arr as Float64Array).path;
  const split = rows * d;
  const files = {
    X: part('train.f64', X.data.subarray(0, split), Float64Array),
    Xtest: part('test.f64', X.data.subarray(split), Float64Array),
    y: part('train.i32', y.data.subarray(0, rows), Int32Array),
    ytest: part('test.i32', y.data.subarray(rows), Int32Array),
  };
  return {
    X: X.data.subarray(0, split),
    y: y.data.subarray(0, rows),
    Xt: X.data.subarray(split),
    yt: y.data.subarray(rows),
    rows,
    testRows: TEST_ROWS,
    d,
    k,
    files,
  };
}

function accuracy(truth: Int32Array, predicted: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) hits++;
  return hits / truth.length;
}

/** argmax of X·W + b per row (W d × m row-major). */
function predictLinear(X: Float64Array, d: number, W: ArrayLike<number>, b: ArrayLike<number>, m: number) {
  const n = X.length / d;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let c = 0; c < m; c++) {
      let z = b[c]!;
      for (let j = 0; j < d; j++) z += X[i * d + j]! * W[j * m + c]!;
      if (z > best) {
        best = z;
        out[i] = c;
      }
    }
  }
  return out;
}

/** sklearn's multinomial objective per row: mean cross-entropy + ‖W‖²/(2·C·n). */
function objective(c: Classification, W: ArrayLike<number>, b: ArrayLike<number>, C: number): number {
  const { X, y, d, k: m } = c;
  const n = y.length;
  let ce = 0;
  const z = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let t = 0; t < m; t++) {
      let s = b[t]!;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * W[j * m + t]!;
      z[t] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let t = 0; t < m; t++) sum += Math.exp(z[t]! - max);
    ce += max + Math.log(sum) - z[y[i]!]!;
  }
  let w2 = 0;
  for (let t = 0; t < d * m; t++) w2 += W[t]! ** 2;
  return ce / n + w2 / (2 * C * n);
}

const linearQuality = (c: Classification, W: ArrayLike<number>, b: ArrayLike<number>, iterations: number) =>
  `test acc ${accuracy(c.yt, predictLinear(c.Xt, c.d, W, b, c.k)).toFixed(4)}, objective ${objective(c, W, b, 1).toFixed(6)} (${iterations} it.)`;

export function logisticCase(rows: number): BenchCase<Classification> {
  const d = 20;
  const setup = async () => classificationSet(rows, d, 3, 7);
  return {
    name: `LogisticRegression ${rows.toLocaleString('en')} × ${d}`,
    bytes: (c) => c.X.byteLength,
    setup,
    impls: [
      ...threadRows((threads, label) => ({
        name: `benchtop LogisticRegression (L-BFGS, f64 CPU, ${label})`,
        ours: threads === undefined,
        async prepare(c: Classification) {
          await usePool(threads);
          const { LogisticRegression } = await import('../../src/models/linear');
          const { validateModelParams } = await import('../../src/models/model');
          const params = validateModelParams(LogisticRegression, { backend: 'cpu' });
          const X = { data: c.X, rows: c.rows, cols: d };
          const y = { task: 'classification' as const, codes: c.y, classes: ['a', 'b', 'c'] };
          return () => LogisticRegression.fit(X, y, params, context());
        },
        run: (job: () => Promise<unknown>) => job(),
        quality: (c: Classification, s: unknown) => {
          const state = s as { coef: Float64Array; intercept: Float64Array; nIter: number };
          return linearQuality(c, state.coef, state.intercept, state.nIter);
        },
      })),
      {
        name: 'tfjs cpu softmax regression (adam, full batch, to max abs gradient ≤ 1e-4)',
        runs: 1,
        async prepare(c: Classification) {
          const tf: Tf = await import('@tensorflow/tfjs');
          await tf.setBackend('cpu');
          const x = tf.tensor2d(Float32Array.from(c.X), [c.rows, d]);
          const onehot = tf.oneHot(tf.tensor1d(c.y, 'int32'), 3);
          return { tf, x, onehot, n: c.rows };
        },
        run: async (p: { tf: Tf; x: TfNs.Tensor2D; onehot: TfNs.Tensor; n: number }) => {
          const { tf } = p;
          const W = tf.variable(tf.zeros([d, 3]));
          const b = tf.variable(tf.zeros([3]));
          const optimizer = tf.train.adam(0.05);
          const loss = () =>
            tf.tidy(
              () =>
                tf.losses.softmaxCrossEntropy(p.onehot, p.x.matMul(W).add(b)).add(
                  W.square()
                    .sum()
                    .div(2 * p.n),
                ) as TfNs.Scalar,
            );
          let steps = 0;
          for (; steps < 5000; steps++) {
            const { grads } = tf.variableGrads(loss);
            const gmax = tf.tidy(() => tf.max(tf.stack(Object.values(grads).map((g) => g.abs().max()))));
            const done = (await gmax.data())[0]! <= 1e-4;
            gmax.dispose();
            if (done) {
              tf.dispose(grads);
              break;
            }
            optimizer.applyGradients(grads as TfNs.NamedTensorMap as never);
            tf.dispose(grads);
          }
          const out = { W: await W.data(), b: await b.data(), steps };
          tf.dispose([W, b]);
          optimizer.dispose();
          return out;
        },
        quality: (c, r) => {
          const { W, b, steps } = r as { W: Float32Array; b: Float32Array; steps: number };
          return linearQuality(c, W, b, steps);
        },
      },
    ],
    native: (c) => [
      {
        name: 'sklearn LogisticRegression(lbfgs)',
        task: 'logistic',
        args: { ...filesOf(c), C: 1, max_iter: 100, tol: 1e-4 },
      },
    ],
  };
}

/** The Python task's arguments for the cached classification set. */
const filesOf = (c: Classification) => ({ ...c.files, rows: c.rows, testRows: c.testRows, d: c.d });

function blobs(rows: number, d: number, centers: number, seed: number): { data: Float64Array; path: string } {
  return cached(`blobs-${rows}x${d}-c${centers}-seed${seed}.f64`, Float64Array, () => {
    const rng = createRng(seed);
    const mu = Float64Array.from({ length: centers * d }, () => rng.normal() * 5);
    const out = new Float64Array(rows * d);
    for (let i = 0; i < rows; i++) {
      const c = rng.int(centers);
      for (let j = 0; j < d; j++) out[i * d + j] = mu[c * d + j]! + rng.normal();
    }
    return out;
  });
}

function inertiaOf(
  X: Float64Array,
  d: number,
  labels: ArrayLike<number>,
  centers: ArrayLike<number>,
): number {
  let inertia = 0;
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    for (let j = 0; j < d; j++) inertia += (X[i * d + j]! - centers[c * d + j]!) ** 2;
  }
  return inertia;
}

export function kmeansCase(rows: number): BenchCase<{ X: Float64Array; path: string }> {
  const d = 10;
  const k = 16;
  return {
    name: `KMeans ${rows.toLocaleString('en')} × ${d}, k = ${k}`,
    bytes: (c) => c.X.byteLength,
    setup: async () => {
      const { data, path } = blobs(rows, d, k, 3);
      return { X: data, path };
    },
    impls: [
      ...threadRows((threads, label) => ({
        name: `benchtop KMeans (k-means++, CPU, ${label})`,
        ours: threads === undefined,
        async prepare(c: { X: Float64Array }) {
          await usePool(threads);
          const { KMeans } = await import('../../src/models/cluster');
          const { validateModelParams } = await import('../../src/models/model');
          const params = validateModelParams(KMeans, { n_clusters: k, n_init: 1, max_iter: 50, tol: 1e-4 });
          return () => KMeans.fit({ data: c.X, rows, cols: d }, { task: 'clustering' }, params, context(1));
        },
        run: (job: () => Promise<unknown>) => job(),
        quality: (_c: unknown, s: unknown) => {
          const state = s as { inertia: number; nIter: number };
          return `inertia ${state.inertia.toExponential(6)} (${state.nIter} iterations)`;
        },
      })),
      {
        name: 'ml-kmeans 7.0.1 (kmeans++)',
        runs: 1,
        async prepare(c: { X: Float64Array }) {
          const { kmeans } = await import('ml-kmeans');
          const arrays = Array.from({ length: rows }, (_, i) => Array.from(c.X.subarray(i * d, i * d + d)));
          return () =>
            kmeans(arrays, k, { initialization: 'kmeans++', maxIterations: 50, tolerance: 1e-4, seed: 1 });
        },
        run: (job: () => unknown) => job(),
        quality: (c, r) => {
          const res = r as { clusters: number[]; centroids: number[][]; iterations: number };
          const inertia = inertiaOf(c.X, d, res.clusters, res.centroids.flat());
          return `inertia ${inertia.toExponential(6)} (${res.iterations} iterations)`;
        },
      },
    ],
    native: (c) => [
      {
        name: 'sklearn KMeans(n_init=1, lloyd)',
        task: 'kmeans',
        args: { file: c.path, rows, cols: d, k, max_iter: 50, tol: 1e-4 },
      },
    ],
  };
}

/** Mean squared distance of each query's k-th neighbour, from either side's distances. */
const kthQuality = (kth: Float64Array) =>
  `mean d²(k-th) ${(kth.reduce((s, x) => s + x, 0) / kth.length).toFixed(6)}`;

export function knnCase(
  queries: number,
): BenchCase<{ q: Float64Array; r: Float64Array; qPath: string; rPath: string }> {
  const refs = 2000;
  const d = 10;
  const k = 5;
  return {
    name: `kNN k=${k}: ${queries.toLocaleString('en')} queries × ${refs} refs × ${d}`,
    setup: async () => {
      const q = blobs(queries, d, 16, 4);
      const r = blobs(refs, d, 16, 5);
      return { q: q.data, r: r.data, qPath: q.path, rPath: r.path };
    },
    impls: [
      ...threadRows((threads, label) => ({
        name: `benchtop knn (CPU reference, ${label}; GPU kernel in the browser)`,
        ours: threads === undefined,
        async prepare(c: { q: Float64Array; r: Float64Array }) {
          await usePool(threads);
          const { knnAll } = await import('../../src/gpu/kernels/knn/knn');
          return () => knnAll(null, c.q, c.r, d, k);
        },
        run: (search: () => Promise<unknown>) => search(),
        quality: (_c: unknown, r: unknown) => {
          const { distances } = r as { distances: Float64Array };
          return kthQuality(
            Float64Array.from({ length: distances.length / k }, (_, i) => distances[i * k + k - 1]!),
          );
        },
      })),
      {
        name: 'JS loop with a k-best buffer',
        run: (c: { q: Float64Array; r: Float64Array }) => {
          const indices = new Int32Array(queries * k);
          const kth = new Float64Array(queries);
          const bestD = new Float64Array(k);
          const bestI = new Int32Array(k);
          for (let i = 0; i < queries; i++) {
            bestD.fill(Infinity);
            for (let r = 0; r < refs; r++) {
              let s = 0;
              for (let j = 0; j < d; j++) {
                const diff = c.q[i * d + j]! - c.r[r * d + j]!;
                s += diff * diff;
              }
              if (s >= bestD[k - 1]!) continue;
              let t = k - 1;
              while (t > 0 && bestD[t - 1]! > s) {
                bestD[t] = bestD[t - 1]!;
                bestI[t] = bestI[t - 1]!;
                t--;
              }
              bestD[t] = s;
              bestI[t] = r;
            }
            indices.set(bestI, i * k);
            kth[i] = bestD[k - 1]!;
          }
          return { indices, kth };
        },
        quality: (_c, r) => kthQuality((r as { kth: Float64Array }).kth),
      },
    ],
    native: (c) => [
      {
        name: 'sklearn NearestNeighbors(brute)',
        task: 'knn',
        args: {
          queries: c.qPath,
          refs: c.rPath,
          nq: queries,
          nr: refs,
          d,
          k,
        },
      },
    ],
  };
}

interface MlpBenchState {
  weights: Float64Array[];
  biases: Float64Array[];
  sizes: number[];
  backend: string;
}

/** The trained MLP's classes for X (ReLU hidden layers, argmax of the output) in float64, as the
 * model's predict computes them — synchronously, for the quality check after the clock stops. */
function mlpPredict(s: MlpBenchState, X: Float64Array, d: number): Int32Array {
  const n = X.length / d;
  let cur = X;
  let width = d;
  for (let l = 0; l < s.weights.length; l++) {
    const out = s.sizes[l + 1]!;
    const W = s.weights[l]!;
    const next = new Float64Array(n * out);
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < out; o++) next[i * out + o] = s.biases[l]![o]!;
      for (let j = 0; j < width; j++) {
        const x = cur[i * width + j]!;
        for (let o = 0; o < out; o++) next[i * out + o]! += x * W[j * out + o]!;
      }
      if (l < s.weights.length - 1)
        for (let o = 0; o < out; o++) next[i * out + o] = Math.max(next[i * out + o]!, 0);
    }
    cur = next;
    width = out;
  }
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (cur[i * width + c]! > cur[i * width + best]!) best = c;
    classes[i] = best;
  }
  return classes;
}

export function mlpCase(rows: number): BenchCase<Classification> {
  const d = 20;
  const epochs = 5;
  const batch = 1024;
  return {
    name: `MLP (64, 64) ${rows.toLocaleString('en')} × ${d}, ${epochs} epochs, batch ${batch}`,
    setup: async () => classificationSet(rows, d, 3, 7),
    impls: [
      ...threadRows((threads, label) => ({
        name: `benchtop MLPClassifier (own WASM SIMD kernels, ${label})`,
        ours: threads === undefined,
        runs: 1,
        async prepare(c: Classification) {
          await usePool(threads);
          const { initCompute } = await import('../../src/gpu/device');
          const { MLPClassifier } = await import('../../src/models/mlp');
          const { validateModelParams } = await import('../../src/models/model');
          // The app's choice without a GPU: tfjs's wasm backend, on which the MLP trains with its
          // own kernels (src/models/mlp-cpu.ts).
          const compute = await initCompute({ webgpu: false, tfjs: ['wasm'] });
          const params = validateModelParams(MLPClassifier, {
            hidden_layer_sizes: '64, 64',
            batch_size: batch,
            max_iter: epochs,
            n_iter_no_change: epochs + 1,
            tol: 0,
            random_state: 0,
          });
          const X = { data: c.X, rows: c.rows, cols: d };
          const y = { task: 'classification' as const, codes: c.y, classes: ['a', 'b', 'c'] };
          return () => MLPClassifier.fit(X, y, params, context(0, compute));
        },
        // Timed: the fit only, as sklearn's row (its predict runs after the clock stops).
        run: (job: () => Promise<unknown>) => job(),
        quality: (c: Classification, s: unknown) => {
          const state = s as MlpBenchState;
          return `test acc ${accuracy(c.yt, mlpPredict(state, c.Xt, d)).toFixed(4)} (${state.backend})`;
        },
      })),
      {
        name: 'tfjs layers fit on wasm (adam, same epochs)',
        runs: 1,
        async prepare(c: Classification) {
          const tf: Tf = await import('@tensorflow/tfjs');
          await import('@tensorflow/tfjs-backend-wasm');
          await tf.setBackend('wasm');
          return { tf, c };
        },
        run: async ({ tf, c }: { tf: Tf; c: Classification }) => {
          const model = tf.sequential({
            layers: [
              tf.layers.dense({ units: 64, inputShape: [d], activation: 'relu' }),
              tf.layers.dense({ units: 64, activation: 'relu' }),
              tf.layers.dense({ units: 3, activation: 'softmax' }),
            ],
          });
          model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy' });
          const x = tf.tensor2d(Float32Array.from(c.X), [c.rows, d]);
          const y = tf.tensor1d(Float32Array.from(c.y));
          await model.fit(x, y, { epochs, batchSize: batch, shuffle: true, verbose: 0 });
          const xt = tf.tensor2d(Float32Array.from(c.Xt), [c.testRows, d]);
          const pred = tf.tidy(() => (model.predict(xt) as TfNs.Tensor).argMax(1));
          const predicted = await pred.data();
          tf.dispose([x, y, xt, pred]);
          model.dispose();
          return { predicted, backend: tf.getBackend() };
        },
        quality: (c, r) => {
          const { predicted, backend } = r as { predicted: ArrayLike<number>; backend: string };
          return `test acc ${accuracy(c.yt, predicted).toFixed(4)} (${backend})`;
        },
      },
    ],
    native: (c) => [
      {
        name: 'sklearn MLPClassifier (adam)',
        task: 'mlp',
        runs: 1,
        args: { ...filesOf(c), hidden: [64, 64], batch, epochs },
      },
    ],
  };
}

/** Ten values of C from 1e-3 to 100, log-spaced. */
const C_GRID = Array.from({ length: 10 }, (_, i) => Number((10 ** (-3 + (5 * i) / 9)).toPrecision(6)));

interface TuneInput {
  c: Classification;
}

export function tuneLogisticCases(rows: number): BenchCase<TuneInput>[] {
  const setup = async () => ({ c: classificationSet(rows, 20, 3, 7) });
  const prepare = async ({ c }: TuneInput) => {
    const { tableFromArrays } = await import('apache-arrow');
    const { initCompute } = await import('../../src/gpu/device');
    const { tuneModel } = await import('../../src/analysis/experiment/search');
    const { emptyNotebook } = await import('../../src/spec/notebook');
    const columns = Object.fromEntries(
      Array.from({ length: 20 }, (_, j) => [
        `f${j}`,
        Float64Array.from({ length: rows }, (_, i) => c.X[i * 20 + j]!),
      ]),
    );
    const table = tableFromArrays({ ...columns, target: Int32Array.from(c.y) });
    const compute = await initCompute({ webgpu: false });
    const ctx = {
      table,
      datasetId: 'bench',
      dataKey: 'bench',
      compute,
      signal: new AbortController().signal,
      progress: () => {},
    };
    return (backend: string, batch: boolean) =>
      tuneModel(ctx, {
        notebook: { ...emptyNotebook(), target: 'target' },
        target: 'target',
        split: { kind: 'stratified-kfold', k: 5 },
        seed: 0,
        model: 'LogisticRegression',
        params: { backend },
        grid: { C: C_GRID },
        batch,
      });
  };
  type Tune = Awaited<ReturnType<typeof prepare>>;
  const quality = (_c: TuneInput, r: unknown) => {
    const result = r as Awaited<ReturnType<Tune>>;
    const best = result.candidates[0]!;
    return `best C ${best.params.C}, accuracy ${best.score.mean.toFixed(4)}`;
  };
  return (['cpu', 'tfjs'] as const).map((backend) => ({
    name: `tune LogisticRegression, 10 C × 5 folds, ${rows.toLocaleString('en')} × 20 (${backend === 'cpu' ? 'f64 CPU' : 'tfjs cpu backend'})`,
    setup,
    impls: [
      {
        name: 'benchtop tuneModel, candidates batched per fold',
        ours: true,
        prepare,
        run: (tune: Tune) => tune(backend, true),
        quality,
      },
      {
        name: 'benchtop tuneModel, one candidate after another',
        prepare,
        run: (tune: Tune) => tune(backend, false),
        quality,
      },
    ],
  }));
}
