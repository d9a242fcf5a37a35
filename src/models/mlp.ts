/**
 * MLPClassifier / MLPRegressor trained with tfjs on a GPU backend (webgpu, webgl) or tfjs's cpu
 * backend (Node's default), and where tfjs picks wasm (no GPU) on our own WebAssembly SIMD kernels
 * on the compute pool (mlp-cpu.ts), with sklearn's parameters and objective: mean cross-entropy (softmax, or a single
 * logistic unit for two classes) or half the mean squared error, plus alpha/2·‖W‖²/batch_size;
 * Glorot-uniform initialisation drawn from our seeded Rng; per-epoch shuffling; stop after
 * n_iter_no_change epochs without a tol improvement of the training loss (or of the validation
 * score with early_stopping). Each epoch's loss is reported through ctx.progress. Prediction runs
 * on the CPU from the plain-array weights, so a trained model needs no tfjs to predict.
 * MLPClassifier also takes class_weight='balanced' (sklearn's MLPClassifier has no class_weight;
 * its other classifiers do): each row's loss is multiplied by its class weight.
 */

import { cooperate } from '../core/cooperate';
import { EngineError } from '../core/errors';
import { createRng, type Rng } from '../core/rng';
import type { RunContext } from '../pipeline/step';
import { argmaxRows, fromProbabilities } from './linear';
import { accuracy, r2 } from './metrics';
import { cpuTrainer, INNER_REPORT_STEPS } from './mlp-cpu';
import {
  checkCancelled,
  checkFiniteLoss,
  classCount,
  defineModel,
  type Matrix,
  regressionValues,
  type Target,
} from './model';
import { shuffleInPlace } from './split';

type MlpParams = {
  hidden_layer_sizes: string;
  activation: string;
  solver: string;
  alpha: number;
  batch_size: number | null;
  learning_rate_init: number;
  max_iter: number;
  tol: number;
  n_iter_no_change: number;
  early_stopping: boolean;
  validation_fraction: number;
  shuffle: boolean;
  random_state: number | null;
  /** MLPClassifier only (a Benchtop extension): null or 'balanced'. */
  class_weight?: string | null;
};

export interface MlpState {
  /** Per layer: fanIn × fanOut weights (row-major) and biases. */
  weights: Float64Array[];
  biases: Float64Array[];
  sizes: number[];
  activation: string;
  output: 'softmax' | 'logistic' | 'identity';
  nClasses: number;
  lossCurve: number[];
  nIter: number;
  backend: string;
}

function parseLayers(spec: string): number[] {
  const sizes = spec
    .split(/[,\s]+/)
    .filter((s) => s !== '')
    .map(Number);
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 100_000)) {
    throw new EngineError(
      'InvalidArgument',
      `hidden_layer_sizes must list whole numbers like "100" or "64, 32", got "${spec}".`,
    );
  }
  return sizes;
}

/** sklearn's Glorot-uniform bound (×√2 smaller for the logistic activation). */
function initLayer(rng: Rng, fanIn: number, fanOut: number, activation: string) {
  const factor = activation === 'logistic' ? 2 : 6;
  const bound = Math.sqrt(factor / (fanIn + fanOut));
  const w = Float64Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * bound);
  const b = Float64Array.from({ length: fanOut }, () => (2 * rng.next() - 1) * bound);
  return { w, b };
}

/** Forward pass in float64: the output layer's raw values (rows × outputs). Each output starts
 * from its bias and adds x·w over the inputs in order, skipping zero inputs. */
function forward(X: Matrix, s: MlpState): Matrix {
  let cur = X.data;
  let width = X.cols;
  const rows = X.rows;
  for (let l = 0; l < s.weights.length; l++) {
    const out = s.sizes[l + 1]!;
    const W = s.weights[l]!;
    const b = s.biases[l]!;
    const next = new Float64Array(rows * out);
    for (let i = 0; i < rows; i++) {
      const base = i * out;
      const row = i * width;
      for (let o = 0; o < out; o++) next[base + o] = b[o]!;
      for (let j = 0; j < width; j++) {
        const x = cur[row + j]!;
        if (x === 0) continue;
        const wj = j * out;
        for (let o = 0; o < out; o++) next[base + o]! += x * W[wj + o]!;
      }
    }
    if (l < s.weights.length - 1) activateAll(next, s.activation);
    cur = next;
    width = out;
  }
  return { data: cur, rows, cols: width };
}

/** The hidden activation over a whole layer's values, in place. */
function activateAll(v: Float64Array, activation: string): void {
  const n = v.length;
  if (activation === 'relu') for (let i = 0; i < n; i++) v[i] = Math.max(v[i]!, 0);
  else if (activation === 'tanh') for (let i = 0; i < n; i++) v[i] = Math.tanh(v[i]!);
  else if (activation === 'logistic') for (let i = 0; i < n; i++) v[i] = 1 / (1 + Math.exp(-v[i]!));
}

function probabilities(X: Matrix, s: MlpState): Matrix {
  const z = forward(X, s);
  if (s.output === 'logistic') {
    const out = new Float64Array(X.rows * 2);
    for (let i = 0; i < X.rows; i++) {
      const p = 1 / (1 + Math.exp(-z.data[i]!));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return { data: out, rows: X.rows, cols: 2 };
  }
  const k = z.cols;
  for (let i = 0; i < X.rows; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z.data[i * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += z.data[i * k + c] = Math.exp(z.data[i * k + c]! - max);
    for (let c = 0; c < k; c++) z.data[i * k + c]! /= sum;
  }
  return z;
}

/** Everything one network of a batch carries between epochs. */
interface Run {
  p: MlpParams;
  ctx: RunContext;
  rng: Rng;
  valRows: Int32Array;
  order: Int32Array;
  lossCurve: number[];
  best: number;
  bestScore: number;
  bestWeights: { weights: Float64Array[]; biases: Float64Array[] } | null;
  noImprovement: number;
  /** Set when the network stopped: its epochs and final weights. */
  result: { nIter: number; weights: Float64Array[]; biases: Float64Array[] } | null;
}

type Tf = Awaited<ReturnType<NonNullable<RunContext['compute']>['tf']>>['tf'];
type Tensor = ReturnType<Tf['add']>;
type Weights = { weights: Float64Array[]; biases: Float64Array[] };

/** The K stacked networks of one batch in tfjs, with their data and optimiser. */
interface Graph {
  tf: Tf;
  K: number;
  cols: number;
  outWidth: number;
  output: MlpState['output'];
  activation: string;
  xAll: Tensor;
  yAll: Tensor;
  /** Row weights (class_weight='balanced'), else null. */
  wAll: Tensor | null;
  Ws: ReturnType<Tf['variable']>[];
  bs: ReturnType<Tf['variable']>[];
  optimizer: ReturnType<Tf['train']['adam']> | ReturnType<Tf['train']['momentum']>;
  runs: Run[];
  /** When progress within an epoch was last reported. */
  lastReport: number;
}

/**
 * Trains K networks of the same shape at once (one for a plain fit): their weights are stacked
 * into [K, fanIn, fanOut] variables, every step gathers each network's own minibatch rows (its own
 * seed, split and shuffles) and one batched matMul per layer runs them all; the optimiser is
 * elementwise, so each network follows the trajectory it follows alone. A network that stops
 * keeps its weights from that epoch (the others train on; its slices are then ignored).
 */
async function train(
  X: Matrix,
  y: Target,
  list: readonly MlpParams[],
  ctxs: readonly RunContext[],
  classifier: boolean,
): Promise<MlpState[]> {
  const name = classifier ? 'MLPClassifier' : 'MLPRegressor';
  const p = list[0]!;
  const hidden = parseLayers(p.hidden_layer_sizes);
  for (const q of list) {
    if (mlpBatchKey(q) !== mlpBatchKey(p)) {
      throw new EngineError(
        'InternalError',
        `${name}: networks of different shapes cannot train in one batch.`,
      );
    }
  }
  const compute = ctxs[0]!.compute;
  if (!compute)
    throw new EngineError('GpuUnavailable', `${name} trains with tfjs and needs the compute runtime.`);
  const nClasses = classifier ? classCount(y, name) : 0;
  const output: MlpState['output'] = !classifier ? 'identity' : nClasses === 2 ? 'logistic' : 'softmax';
  const sizes = [X.cols, ...hidden, output === 'softmax' ? nClasses : 1];
  const inits: ReturnType<typeof initLayer>[][] = [];
  const runs = list.map((q, k) => newRun(X.rows, q, ctxs[k]!, sizes, inits));
  const n = runs[0]!.order.length;
  if (n < 1)
    throw new EngineError('InvalidArgument', `${name} has no training rows left after the validation split.`);
  const batch = Math.max(1, Math.min(p.batch_size ?? 200, n));

  // Every network records the backend it ran on.
  for (const ctx of ctxs.slice(1)) await ctx.compute?.tf();
  const { tf, backend } = await compute.tf();
  const codes = classifier ? (y as { codes: Int32Array }).codes : null;
  const values = classifier ? null : regressionValues(y, name);
  const engine = trainerFor(backend, tf, X, codes, values, nClasses, output, sizes, inits, runs, p);
  const state = (weights: Weights, run: Run, nIter: number): MlpState => ({
    ...weights,
    sizes,
    activation: p.activation,
    output,
    nClasses,
    lossCurve: run.lossCurve,
    nIter,
    backend,
  });
  /** A validation score for early stopping: accuracy or R² on the run's held-out rows. */
  const validate = (s: MlpState, run: Run): number => {
    const Xv = takeRows(X, run.valRows);
    return classifier
      ? accuracy(
          Array.from(run.valRows, (i) => codes![i]!),
          argmaxRows(probabilities(Xv, s)),
        )
      : r2(
          Array.from(run.valRows, (i) => values![i]!),
          forward(Xv, s).data,
        );
  };
  try {
    for (let epoch = 0; runs.some((r) => r.result === null); epoch++) {
      for (const run of runs) {
        if (run.result) continue;
        checkCancelled(run.ctx);
        if (run.p.shuffle) shuffleInPlace(run.order, run.rng);
      }
      const epochLoss = await engine.runEpoch(epoch, n, batch);
      const live = runs.filter((r) => r.result === null);
      const weightsOf = live.some((r) => r.p.early_stopping || epoch + 1 >= r.p.max_iter)
        ? engine.snapshot()
        : null;
      for (const [k, run] of runs.entries()) {
        if (run.result) continue;
        const loss = epochLoss[k]! / n;
        checkFiniteLoss(name, loss, epoch + 1);
        run.lossCurve.push(loss);
        let validation: number | undefined;
        if (p.early_stopping) {
          const current = weightsOf!(k);
          validation = validate(state(current, run, 0), run);
          trackValidation(run, validation, current);
        } else trackLoss(run, loss);
        let note = `epoch ${epoch + 1}: loss ${loss.toPrecision(6)}`;
        if (validation !== undefined) note += `, validation ${validation.toFixed(4)}`;
        run.ctx.iteration?.(validation === undefined ? { loss } : { loss, validation });
        run.ctx.progress((epoch + 1) / run.p.max_iter, note);
        const stop = run.noImprovement > run.p.n_iter_no_change;
        if (stop || epoch + 1 >= run.p.max_iter) {
          const final = run.bestWeights ?? (weightsOf ?? engine.snapshot())(k);
          run.result = { nIter: epoch + 1, ...final };
        }
      }
    }
    return runs.map((run) => state(run.result!, run, run.result!.nIter));
  } finally {
    engine.dispose();
  }
}

/** What trains the networks epoch by epoch: tfjs, or (where tfjs would run on wasm) our own kernels. */
interface Trainer {
  runEpoch(epoch: number, n: number, batch: number): Promise<Float64Array>;
  snapshot(): (k: number) => Weights;
  dispose(): void;
}

/**
 * Where tfjs picked its wasm backend (no GPU: the browser on a software or missing adapter, and
 * Node when asked for wasm) the networks train on mlp-cpu.ts's kernels — WebAssembly SIMD on every
 * core of the compute pool, 3–10× faster than tfjs-wasm's kernels (bench/README.md); on a GPU
 * backend (webgpu, webgl) and on tfjs's cpu backend they train in tfjs as before.
 */
function trainerFor(
  backend: string,
  tf: Tf,
  X: Matrix,
  codes: Int32Array | null,
  values: Float64Array | null,
  nClasses: number,
  output: MlpState['output'],
  sizes: number[],
  inits: ReturnType<typeof initLayer>[][],
  runs: Run[],
  p: MlpParams,
): Trainer {
  if (backend === 'wasm') {
    const rowWeights = p.class_weight === 'balanced' && codes ? balancedWeights(codes) : null;
    const t = cpuTrainer(X, codes, values, rowWeights, runs, {
      sizes,
      activation: p.activation,
      output,
      solver: p.solver,
      learningRate: p.learning_rate_init,
      inits,
    });
    return { ...t, dispose: () => {} };
  }
  const g = buildGraph(tf, X, codes, values, nClasses, output, sizes, inits, runs, p);
  let idx: Int32Array | null = null;
  return {
    runEpoch: (epoch, n, batch) => {
      idx ??= new Int32Array(g.K * batch);
      return runEpoch(g, epoch, n, batch, idx);
    },
    snapshot: () => snapshot(g),
    dispose: () => {
      g.xAll.dispose();
      g.yAll.dispose();
      g.wAll?.dispose();
      for (const v of [...g.Ws, ...g.bs]) v.dispose();
      g.optimizer.dispose();
    },
  };
}

/** One network's seeded start: its initial layers (pushed to `inits`), training and validation rows. */
function newRun(
  rows: number,
  q: MlpParams,
  ctx: RunContext,
  sizes: readonly number[],
  inits: ReturnType<typeof initLayer>[][],
): Run {
  const rng =
    q.random_state === null || q.random_state === undefined ? ctx.rng.fork() : createRng(q.random_state);
  inits.push(sizes.slice(1).map((fanOut, l) => initLayer(rng, sizes[l]!, fanOut, q.activation)));
  // Rows for training and, with early stopping, a held-out validation part (stratified by nothing:
  // a seeded shuffle, as sklearn's train_test_split without stratify for regressors).
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  shuffleInPlace(all, rng);
  const nVal = q.early_stopping ? Math.max(1, Math.floor(q.validation_fraction * rows)) : 0;
  return {
    p: q,
    ctx,
    rng,
    valRows: all.subarray(0, nVal),
    order: Int32Array.from(all.subarray(nVal)).sort(),
    lossCurve: [],
    best: Number.POSITIVE_INFINITY,
    bestScore: Number.NEGATIVE_INFINITY,
    bestWeights: null,
    noImprovement: 0,
    result: null,
  };
}

/** The data, the K stacked networks' variables and the optimiser, in tfjs. */
function buildGraph(
  tf: Tf,
  X: Matrix,
  codes: Int32Array | null,
  values: Float64Array | null,
  nClasses: number,
  output: MlpState['output'],
  sizes: readonly number[],
  inits: ReturnType<typeof initLayer>[][],
  runs: Run[],
  p: MlpParams,
): Graph {
  const K = runs.length;
  const outWidth = sizes[sizes.length - 1]!;
  const xAll = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]);
  const yAll =
    output === 'softmax'
      ? tf.tidy(() => tf.oneHot(tf.tensor1d(codes!, 'int32'), nClasses).toFloat())
      : tf.tensor2d(codes ? Float32Array.from(codes) : Float32Array.from(values!), [X.rows, 1]);
  const rowWeights = p.class_weight === 'balanced' && codes ? balancedWeights(codes) : null;
  // Only with class weights, so the default graph (and its rounding) is the one it always was.
  const wAll = rowWeights ? tf.tensor1d(rowWeights) : null;
  const stacked = (pick: (layer: ReturnType<typeof initLayer>) => Float64Array, l: number) => {
    const size = pick(inits[0]![l]!).length;
    const out = new Float32Array(K * size);
    inits.forEach((layers, k) => {
      out.set(pick(layers[l]!), k * size);
    });
    return out;
  };
  const Ws = sizes.slice(1).map((fanOut, l) =>
    tf.variable(
      tf.tensor3d(
        stacked((i) => i.w, l),
        [K, sizes[l]!, fanOut],
      ),
    ),
  );
  const bs = sizes.slice(1).map((fanOut, l) =>
    tf.variable(
      tf.tensor3d(
        stacked((i) => i.b, l),
        [K, 1, fanOut],
      ),
    ),
  );
  const optimizer =
    p.solver === 'sgd'
      ? tf.train.momentum(p.learning_rate_init, 0.9, true)
      : tf.train.adam(p.learning_rate_init, 0.9, 0.999, 1e-8);
  return {
    tf,
    K,
    cols: X.cols,
    outWidth,
    output,
    activation: p.activation,
    xAll,
    yAll,
    wAll,
    Ws,
    bs,
    optimizer,
    runs,
    lastReport: performance.now(),
  };
}

/** Every network's current weights, as plain arrays. */
function snapshot(g: Graph): (k: number) => Weights {
  const w = g.Ws.map((v) => v.dataSync());
  const b = g.bs.map((v) => v.dataSync());
  const slice = (k: number) => (a: Float32Array | Int32Array | Uint8Array) =>
    Float64Array.from(a.subarray((k * a.length) / g.K, ((k + 1) * a.length) / g.K));
  return (k: number) => ({ weights: w.map(slice(k)), biases: b.map(slice(k)) });
}

/** One epoch of minibatch steps for every network; returns each one's summed (row-weighted) loss. */
async function runEpoch(
  g: Graph,
  epoch: number,
  n: number,
  batch: number,
  idx: Int32Array,
): Promise<Float64Array> {
  const { K, runs } = g;
  const epochLoss = new Float64Array(K);
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(n, start + batch) - start;
    runs.forEach((run, k) => {
      idx.set(run.order.subarray(start, start + m), k * m);
    });
    let losses: Tensor | null = null;
    const cost = g.optimizer.minimize(
      () =>
        g.tf.tidy(() => {
          const loss = minibatchLoss(g, idx, m);
          losses = g.tf.keep(loss);
          // The networks do not share weights, so the sum's gradient is each one's own.
          return g.tf.sum(loss) as ReturnType<Tf['scalar']>;
        }),
      true,
    );
    cost!.dispose();
    const values = await (losses as unknown as Tensor).data();
    (losses as unknown as Tensor).dispose();
    for (let k = 0; k < K; k++) epochLoss[k]! += values[k]! * m;
    // An epoch over many rows takes seconds: a turn for cancel between batches, and progress
    // within the epoch when it is slow (the per-epoch notes carry the loss curve). Only epochs of
    // many steps report within, so a small fit's notes do not depend on the machine's speed.
    const now = performance.now();
    const report = n >= INNER_REPORT_STEPS * batch && now - g.lastReport > 250;
    if (report) g.lastReport = now;
    for (const run of runs) {
      if (run.result) continue;
      await cooperate(run.ctx.signal);
      if (report) run.ctx.progress((epoch + (start + m) / n) / run.p.max_iter, `epoch ${epoch + 1}`);
    }
  }
  return epochLoss;
}

/** [K] losses of one minibatch (its rows in idx, m per network): data loss + L2 penalty. */
function minibatchLoss(g: Graph, idx: Int32Array, m: number): Tensor {
  const { tf, K, Ws, bs, output } = g;
  const rows = tf.tensor1d(idx.subarray(0, K * m), 'int32');
  const xb = tf.reshape(tf.gather(g.xAll, rows), [K, m, g.cols]);
  const yb = tf.reshape(tf.gather(g.yAll, rows), [K, m, g.outWidth]);
  let h: Tensor = xb;
  for (let l = 0; l < Ws.length; l++) {
    h = tf.add(tf.matMul(h, Ws[l]!), bs[l]!);
    if (l < Ws.length - 1) h = activateTensor(tf, h, g.activation);
  }
  const wb = g.wAll ? tf.reshape(tf.gather(g.wAll, rows), [K, m]) : null;
  // Per network: [K] data losses (means over its minibatch rows).
  let data: ReturnType<Tf['mean']>;
  if (output === 'softmax') {
    const rowLoss = tf.sum(tf.mul(yb, tf.logSoftmax(h)), 2);
    data = tf.neg(tf.mean(wb ? tf.mul(wb, rowLoss) : rowLoss, 1));
  } else if (output === 'logistic') {
    const rowLoss = tf.sub(tf.softplus(h), tf.mul(yb, h));
    data = tf.mean(wb ? tf.mul(tf.reshape(wb, [K, m, 1]), rowLoss) : rowLoss, [1, 2]);
  } else data = tf.div(tf.mean(tf.square(tf.sub(yb, h)), [1, 2]), 2);
  let penalty = tf.zeros([K]);
  for (const W of Ws) penalty = tf.add(penalty, tf.sum(tf.square(W), [1, 2]));
  const scale = tf.tensor1d(g.runs.map((r) => (0.5 * r.p.alpha) / m));
  return tf.add(data, tf.mul(penalty, scale));
}

function activateTensor(tf: Tf, t: Tensor, activation: string): Tensor {
  return activation === 'relu'
    ? tf.relu(t)
    : activation === 'tanh'
      ? tf.tanh(t)
      : activation === 'logistic'
        ? tf.sigmoid(t)
        : t;
}

/** Early stopping on a validation score: keep the best weights, count epochs without a gain of tol. */
function trackValidation(run: Run, score: number, weights: Weights): void {
  if (score > run.bestScore) run.bestWeights = weights;
  if (score < run.bestScore + run.p.tol) run.noImprovement++;
  else run.noImprovement = 0;
  run.bestScore = Math.max(run.bestScore, score);
}

/** Stopping on the training loss: count epochs that did not lower it by tol. */
function trackLoss(run: Run, loss: number): void {
  if (loss > run.best - run.p.tol) run.noImprovement++;
  else run.noImprovement = 0;
  run.best = Math.min(run.best, loss);
}

/** Networks whose parameters agree on everything but random_state, alpha and the stopping rule
 * (max_iter, tol, n_iter_no_change) have the same shape and rows per step: they can train together. */
function mlpBatchKey(p: MlpParams): string {
  const {
    random_state: _seed,
    alpha: _alpha,
    max_iter: _max,
    tol: _tol,
    n_iter_no_change: _wait,
    ...shape
  } = p;
  return JSON.stringify(Object.entries(shape).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * sklearn's class_weight='balanced' per row: n / (classes present · rows of the row's class), over
 * the rows given to fit. The weights average to 1, so the loss keeps its scale (and the
 * learning rate and alpha keep their meaning).
 */
function balancedWeights(codes: Int32Array): Float32Array {
  const counts = new Map<number, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return Float32Array.from(codes, (c) => codes.length / (counts.size * counts.get(c)!));
}

/** fitBatch: networks grouped by shape, each group trained in one batch. */
async function trainGroups(
  X: Matrix,
  y: Target,
  list: readonly MlpParams[],
  ctxs: readonly RunContext[],
  classifier: boolean,
): Promise<MlpState[]> {
  const groups = new Map<string, number[]>();
  list.forEach((p, i) => {
    groups.set(mlpBatchKey(p), [...(groups.get(mlpBatchKey(p)) ?? []), i]);
  });
  const states: MlpState[] = new Array(list.length);
  for (const members of groups.values()) {
    const trained = await train(
      X,
      y,
      members.map((i) => list[i]!),
      members.map((i) => ctxs[i]!),
      classifier,
    );
    members.forEach((i, slot) => {
      states[i] = trained[slot]!;
    });
  }
  return states;
}

function takeRows(X: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float64Array(rows.length * X.cols);
  for (let k = 0; k < rows.length; k++)
    out.set(X.data.subarray(rows[k]! * X.cols, (rows[k]! + 1) * X.cols), k * X.cols);
  return { data: out, rows: rows.length, cols: X.cols };
}

const params = {
  hidden_layer_sizes: {
    type: 'string',
    default: '100',
    maxLength: 200,
    description: 'Units per hidden layer, e.g. "100" or "64, 32".',
  },
  activation: {
    type: 'enum',
    options: ['relu', 'tanh', 'logistic', 'identity'],
    default: 'relu',
    description: 'Hidden-layer activation.',
  },
  solver: {
    type: 'enum',
    options: ['adam', 'sgd'],
    default: 'adam',
    description: 'Optimiser (sgd uses Nesterov momentum 0.9, as sklearn).',
  },
  alpha: { type: 'number', default: 1e-4, min: 0, description: 'L2 penalty strength.' },
  batch_size: {
    type: 'integer',
    default: null,
    min: 1,
    description: 'Rows per step; null = min(200, rows).',
  },
  learning_rate_init: { type: 'number', default: 1e-3, min: 0, description: 'Step size.' },
  max_iter: { type: 'integer', default: 200, min: 1, description: 'Maximum epochs.' },
  tol: { type: 'number', default: 1e-4, min: 0, description: 'Smallest improvement that counts.' },
  n_iter_no_change: {
    type: 'integer',
    default: 10,
    min: 1,
    description: 'Epochs without improvement before stopping.',
  },
  early_stopping: { type: 'boolean', default: false, description: 'Stop on a held-out validation score.' },
  validation_fraction: {
    type: 'number',
    default: 0.1,
    min: 0.01,
    max: 0.5,
    description: 'Share of rows held out for early stopping.',
  },
  shuffle: { type: 'boolean', default: true, description: 'Shuffle the rows every epoch.' },
  random_state: {
    type: 'integer',
    default: null,
    min: 0,
    description:
      "Seed of the initial weights, the validation split and the shuffles; null: the experiment's seed (its own stream per fold and candidate). Our generator is not numpy's, so a seed gives a different (equally likely) network than in sklearn.",
  },
} as const;

export const MLPClassifier = defineModel<MlpParams, MlpState>({
  name: 'MLPClassifier',
  kind: 'model',
  tasks: ['classification'],
  description:
    'A fully connected neural network trained with tfjs on WebGPU when available, else with WebAssembly SIMD on every core.',
  params: {
    ...params,
    class_weight: {
      type: 'enum',
      options: ['balanced'],
      default: null,
      description:
        "null: every row counts the same. 'balanced': each row's loss is weighted by n / (classes · rows of its class), as class_weight in sklearn's other classifiers. An extension: sklearn's MLPClassifier has no class_weight.",
    },
  },
  fit: async (X, y, p, ctx) => (await train(X, y, [p], [ctx], true))[0]!,
  fitBatch: (X, y, list, ctxs) => trainGroups(X, y, list, ctxs, true),
  batchKey: mlpBatchKey,
  ...fromProbabilities(probabilities),
});

export const MLPRegressor = defineModel<MlpParams, MlpState>({
  name: 'MLPRegressor',
  kind: 'model',
  tasks: ['regression'],
  description: 'A fully connected neural network for numbers (WebGPU when available, else WebAssembly SIMD).',
  params,
  fit: async (X, y, p, ctx) => (await train(X, y, [p], [ctx], false))[0]!,
  fitBatch: (X, y, list, ctxs) => trainGroups(X, y, list, ctxs, false),
  batchKey: mlpBatchKey,
  predict: async (X, s) => forward(X, s).data,
});
