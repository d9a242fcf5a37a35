/**
 * MLPClassifier / MLPRegressor trained with tfjs on the active backend (WebGPU in the browser,
 * cpu in Node), with sklearn's parameters and objective: mean cross-entropy (softmax, or a single
 * logistic unit for two classes) or half the mean squared error, plus alpha/2·‖W‖²/batch_size;
 * Glorot-uniform initialisation drawn from our seeded Rng; per-epoch shuffling; stop after
 * n_iter_no_change epochs without a tol improvement of the training loss (or of the validation
 * score with early_stopping). Each epoch's loss is reported through ctx.progress. Prediction runs
 * on the CPU from the plain-array weights, so a trained model needs no tfjs to predict.
 * MLPClassifier also takes class_weight='balanced' (sklearn's MLPClassifier has no class_weight;
 * its other classifiers do): each row's loss is multiplied by its class weight.
 */
import type { Rng } from '../data/rng';
import { EngineError } from '../engine/errors';
import type { RunContext } from '../pipeline/step';
import { argmaxRows } from './linear';
import { accuracy, r2 } from './metrics';
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

function activate(v: number, activation: string): number {
  switch (activation) {
    case 'relu':
      return Math.max(v, 0);
    case 'tanh':
      return Math.tanh(v);
    case 'logistic':
      return 1 / (1 + Math.exp(-v));
    default:
      return v;
  }
}

/** Forward pass in float64: the output layer's raw values (rows × outputs). */
function forward(X: Matrix, s: MlpState): Matrix {
  let cur = X.data;
  let width = X.cols;
  for (let l = 0; l < s.weights.length; l++) {
    const out = s.sizes[l + 1]!;
    const W = s.weights[l]!;
    const b = s.biases[l]!;
    const next = new Float64Array(X.rows * out);
    const last = l === s.weights.length - 1;
    for (let i = 0; i < X.rows; i++) {
      for (let o = 0; o < out; o++) next[i * out + o] = b[o]!;
      for (let j = 0; j < width; j++) {
        const x = cur[i * width + j]!;
        if (x === 0) continue;
        for (let o = 0; o < out; o++) next[i * out + o]! += x * W[j * out + o]!;
      }
      if (!last) for (let o = 0; o < out; o++) next[i * out + o] = activate(next[i * out + o]!, s.activation);
    }
    cur = next;
    width = out;
  }
  return { data: cur, rows: X.rows, cols: width };
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

async function train(
  X: Matrix,
  y: Target,
  p: MlpParams,
  ctx: RunContext,
  classifier: boolean,
): Promise<MlpState> {
  const name = classifier ? 'MLPClassifier' : 'MLPRegressor';
  const hidden = parseLayers(p.hidden_layer_sizes);
  if (!ctx.compute)
    throw new EngineError('GpuUnavailable', `${name} trains with tfjs and needs the compute runtime.`);
  const nClasses = classifier ? classCount(y, name) : 0;
  const output: MlpState['output'] = !classifier ? 'identity' : nClasses === 2 ? 'logistic' : 'softmax';
  const outWidth = output === 'softmax' ? nClasses : 1;
  const sizes = [X.cols, ...hidden, outWidth];
  const rng = ctx.rng.fork();
  const layers = sizes.slice(1).map((fanOut, l) => initLayer(rng, sizes[l]!, fanOut, p.activation));

  // Rows for training and, with early stopping, a held-out validation part (stratified by nothing:
  // a seeded shuffle, as sklearn's train_test_split without stratify for regressors).
  const all = Int32Array.from({ length: X.rows }, (_, i) => i);
  shuffleInPlace(all, rng);
  const nVal = p.early_stopping ? Math.max(1, Math.floor(p.validation_fraction * X.rows)) : 0;
  const valRows = all.subarray(0, nVal);
  const trainRows = Int32Array.from(all.subarray(nVal)).sort();
  const n = trainRows.length;
  if (n < 1)
    throw new EngineError('InvalidArgument', `${name} has no training rows left after the validation split.`);
  const batch = Math.max(1, Math.min(p.batch_size ?? 200, n));

  const { tf, backend } = await ctx.compute.tf();
  const codes = classifier ? (y as { codes: Int32Array }).codes : null;
  const values = classifier ? null : regressionValues(y, name);
  const xAll = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]);
  const rowWeights = p.class_weight === 'balanced' && codes ? balancedWeights(codes) : null;
  // Only with class weights, so the default graph (and its rounding) is the one it always was.
  const wAll = rowWeights ? tf.tensor1d(rowWeights) : null;
  const yAll =
    output === 'softmax'
      ? tf.tidy(() => tf.oneHot(tf.tensor1d(codes!, 'int32'), nClasses).toFloat())
      : tf.tensor2d(codes ? Float32Array.from(codes) : Float32Array.from(values!), [X.rows, 1]);
  const Ws = layers.map((l, i) =>
    tf.variable(tf.tensor2d(Float32Array.from(l.w), [sizes[i]!, sizes[i + 1]!])),
  );
  const bs = layers.map((l) => tf.variable(tf.tensor1d(Float32Array.from(l.b))));
  const optimizer =
    p.solver === 'sgd'
      ? tf.train.momentum(p.learning_rate_init, 0.9, true)
      : tf.train.adam(p.learning_rate_init, 0.9, 0.999, 1e-8);
  const act = (t: ReturnType<typeof tf.add>) =>
    p.activation === 'relu'
      ? tf.relu(t)
      : p.activation === 'tanh'
        ? tf.tanh(t)
        : p.activation === 'logistic'
          ? tf.sigmoid(t)
          : t;

  const snapshot = (): { weights: Float64Array[]; biases: Float64Array[] } => ({
    weights: Ws.map((w) => Float64Array.from(w.dataSync())),
    biases: bs.map((b) => Float64Array.from(b.dataSync())),
  });
  const lossCurve: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestWeights: ReturnType<typeof snapshot> | null = null;
  let noImprovement = 0;
  let epoch = 0;
  const order = trainRows.slice();
  try {
    for (; epoch < p.max_iter; epoch++) {
      checkCancelled(ctx);
      if (p.shuffle) shuffleInPlace(order, rng);
      let epochLoss = 0;
      for (let start = 0; start < n; start += batch) {
        const rows = order.subarray(start, Math.min(n, start + batch));
        const m = rows.length;
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const idx = tf.tensor1d(rows, 'int32');
              const xb = tf.gather(xAll, idx);
              const yb = tf.gather(yAll, idx);
              let h: ReturnType<typeof tf.add> = xb;
              for (let l = 0; l < Ws.length; l++) {
                h = tf.add(tf.matMul(h, Ws[l]!), bs[l]!);
                if (l < Ws.length - 1) h = act(h);
              }
              let data: ReturnType<typeof tf.mean>;
              const wb = wAll ? tf.gather(wAll, idx) : null;
              if (output === 'softmax') {
                const rowLoss = tf.sum(tf.mul(yb, tf.logSoftmax(h)), 1);
                data = tf.neg(tf.mean(wb ? tf.mul(wb, rowLoss) : rowLoss));
              } else if (output === 'logistic') {
                const rowLoss = tf.sub(tf.softplus(h), tf.mul(yb, h));
                data = tf.mean(wb ? tf.mul(tf.reshape(wb, [m, 1]), rowLoss) : rowLoss);
              } else data = tf.div(tf.mean(tf.square(tf.sub(yb, h))), 2);
              let penalty = tf.scalar(0);
              for (const W of Ws) penalty = tf.add(penalty, tf.sum(tf.square(W)));
              return tf.add(data, tf.mul(penalty, (0.5 * p.alpha) / m)) as ReturnType<typeof tf.scalar>;
            }),
          true,
        );
        epochLoss += (await cost!.data())[0]! * m;
        cost!.dispose();
      }
      epochLoss /= n;
      checkFiniteLoss(name, epochLoss, epoch + 1);
      lossCurve.push(epochLoss);
      let note = `epoch ${epoch + 1}: loss ${epochLoss.toPrecision(6)}`;
      if (p.early_stopping) {
        const s = {
          ...snapshot(),
          sizes,
          activation: p.activation,
          output,
          nClasses,
          lossCurve,
          nIter: 0,
          backend,
        };
        const Xv = takeRows(X, valRows);
        const score = classifier
          ? accuracy(
              Array.from(valRows, (i) => codes![i]!),
              argmaxRows(probabilities(Xv, s)),
            )
          : r2(
              Array.from(valRows, (i) => values![i]!),
              forward(Xv, s).data,
            );
        note += `, validation ${score.toFixed(4)}`;
        if (score > bestScore) bestWeights = { weights: s.weights, biases: s.biases };
        if (score < bestScore + p.tol) noImprovement++;
        else noImprovement = 0;
        bestScore = Math.max(bestScore, score);
      } else {
        if (epochLoss > best - p.tol) noImprovement++;
        else noImprovement = 0;
        best = Math.min(best, epochLoss);
      }
      ctx.progress((epoch + 1) / p.max_iter, note);
      if (noImprovement > p.n_iter_no_change) {
        epoch++;
        break;
      }
    }
    const final = bestWeights ?? snapshot();
    return { ...final, sizes, activation: p.activation, output, nClasses, lossCurve, nIter: epoch, backend };
  } finally {
    xAll.dispose();
    yAll.dispose();
    wAll?.dispose();
    for (const v of [...Ws, ...bs]) v.dispose();
    optimizer.dispose();
  }
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
} as const;

export const MLPClassifier = defineModel<MlpParams, MlpState>({
  name: 'MLPClassifier',
  kind: 'model',
  tasks: ['classification'],
  description: 'A fully connected neural network trained with tfjs (WebGPU when available).',
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
  fit: (X, y, p, ctx) => train(X, y, p, ctx, true),
  async predict(X, s) {
    return argmaxRows(probabilities(X, s));
  },
  async predictProba(X, s) {
    return probabilities(X, s);
  },
});

export const MLPRegressor = defineModel<MlpParams, MlpState>({
  name: 'MLPRegressor',
  kind: 'model',
  tasks: ['regression'],
  description: 'A fully connected neural network for numbers, trained with tfjs.',
  params,
  fit: (X, y, p, ctx) => train(X, y, p, ctx, false),
  async predict(X, s) {
    return forward(X, s).data;
  },
});
