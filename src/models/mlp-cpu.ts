/**
 * MLP training on the CPU with our own kernels (mlp-kernels.ts: WebAssembly SIMD f32 matrix products,
 * the forward and backward pass of each 256-row chunk of a minibatch on the compute pool), used
 * where tfjs would run on its wasm backend — no GPU. Same objective, initial weights, row order and
 * stopping as the tfjs path in mlp.ts; the optimiser is sklearn's (adam with its bias-corrected step,
 * or Nesterov momentum) on float64 master weights. One step per minibatch: the network goes to the
 * chunks as f32, each chunk returns its summed loss and gradients, and they are added in chunk order
 * — the same numbers whatever the thread count.
 */
import { cooperate } from '../core/cooperate';
import { type ComputePool, computePool } from '../core/pool';
import type { RunContext } from '../pipeline/step';
import { MLP_CHUNK_ROWS, type MlpChunkArgs, type MlpOutput, mlpKernel, mlpLayout } from './mlp-kernels';

/** Epochs of at least this many minibatch steps report progress within the epoch (every 250 ms);
 * shorter ones only per epoch, so a small fit's notes do not depend on the machine's speed. */
export const INNER_REPORT_STEPS = 20;

export interface CpuRun {
  p: { alpha: number; max_iter: number };
  ctx: RunContext;
  order: Int32Array;
  result: unknown;
}

export interface CpuNetworkOptions {
  sizes: number[];
  activation: string;
  output: MlpOutput;
  solver: string;
  learningRate: number;
  /** Per network: initial weights (fanIn × fanOut) and biases per layer. */
  inits: { w: Float64Array; b: Float64Array }[][];
}

type Weights = { weights: Float64Array[]; biases: Float64Array[] };

/** One network's float64 parameters and optimiser state. */
interface Net {
  W: Float64Array[];
  B: Float64Array[];
  /** First and second moments (adam) or velocity (sgd, in m), per parameter array. */
  m: Float64Array[];
  v: Float64Array[];
  t: number;
  /** The f32 copy the chunks read (mlpLayout(sizes).params). */
  f32: Float32Array;
}

/** The layer sizes and where each layer sits in the f32 copy and in a chunk's sums. */
interface Shape {
  sizes: number[];
  layout: ReturnType<typeof mlpLayout>;
  /** Layers with weights (sizes.length − 1). */
  L: number;
}

/** sklearn's optimiser: adam, or Nesterov momentum ('sgd'), at a constant learning rate. */
interface Optimiser {
  sgd: boolean;
  lr: number;
}

// sklearn's adam (β1 0.9, β2 0.999, ε 1e-8, the bias correction folded into the step) and
// Nesterov momentum 0.9 (v = μv − lr·g; w += μv − lr·g).
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;
const MOMENTUM = 0.9;

/** Rows padded to a multiple of 4 floats (mlpLayout's padding). */
const padded = (n: number) => (n + 3) & ~3;

export interface CpuTrainer {
  runEpoch(epoch: number, n: number, batch: number): Promise<Float64Array>;
  snapshot(): (k: number) => Weights;
}

export function cpuTrainer(
  X: { data: Float64Array; rows: number; cols: number },
  codes: Int32Array | null,
  values: Float64Array | null,
  rowWeights: Float32Array | null,
  runs: CpuRun[],
  o: CpuNetworkOptions,
): CpuTrainer {
  const pool = computePool();
  const { sizes } = o;
  const shape: Shape = { sizes, layout: mlpLayout(sizes), L: sizes.length - 1 };
  const optimiser: Optimiser = { sgd: o.solver === 'sgd', lr: o.learningRate };
  const data = pool.share(Float32Array.from(X.data));
  const shared = {
    codes: codes ? pool.share(codes) : null,
    values: values ? pool.share(values) : null,
    rowWeights: rowWeights ? pool.share(rowWeights) : null,
  };
  const nets = o.inits.map((layers) => newNet(layers, pool.alloc(Float32Array, shape.layout.params)));
  for (const net of nets) publish(net, shape);
  const idx = pool.alloc(Int32Array, runs[0]!.order.length);
  let lastReport = performance.now();

  /** Network k's step on the minibatch of rows order[start, start + m); returns its batch loss. */
  const trainStep = async (k: number, run: CpuRun, start: number, m: number): Promise<number> => {
    idx.set(run.order.subarray(start, start + m));
    const args: MlpChunkArgs = {
      X: data,
      idx,
      sizes,
      activation: o.activation,
      output: o.output,
      ...shared,
      params: nets[k]!.f32,
    };
    const sums = await minibatchSums(pool, args, m, shape, run.ctx.signal);
    return optimiserStep(nets[k]!, sums, m, run.p.alpha, optimiser, shape);
  };

  /** Between minibatches: lets other work run, and (long epochs, every 250 ms) reports progress. */
  const afterMinibatch = async (epoch: number, n: number, batch: number, done: number) => {
    const now = performance.now();
    const report = n >= INNER_REPORT_STEPS * batch && now - lastReport > 250;
    if (report) lastReport = now;
    for (const run of runs) {
      if (run.result) continue;
      await cooperate(run.ctx.signal);
      if (report) run.ctx.progress((epoch + done / n) / run.p.max_iter, `epoch ${epoch + 1}`);
    }
  };

  return {
    async runEpoch(epoch, n, batch) {
      const epochLoss = new Float64Array(runs.length);
      for (let start = 0; start < n; start += batch) {
        const m = Math.min(n, start + batch) - start;
        for (const [k, run] of runs.entries()) {
          // A network that stopped keeps its weights; the others train on.
          if (run.result) continue;
          const loss = await trainStep(k, run, start, m);
          epochLoss[k]! += loss * m;
        }
        await afterMinibatch(epoch, n, batch, start + m);
      }
      return epochLoss;
    },
    snapshot() {
      const copy = nets.map((net) => ({
        weights: net.W.map((w) => Float64Array.from(w)),
        biases: net.B.map((b) => Float64Array.from(b)),
      }));
      return (k: number) => copy[k]!;
    },
  };
}

/** A network from its initial weights, with zeroed optimiser state; f32 is its (zeroed) copy. */
function newNet(layers: { w: Float64Array; b: Float64Array }[], f32: Float32Array): Net {
  const W = layers.map((l) => Float64Array.from(l.w));
  const B = layers.map((l) => Float64Array.from(l.b));
  const all = [...W, ...B];
  return {
    W,
    B,
    m: all.map((a) => new Float64Array(a.length)),
    v: all.map((a) => new Float64Array(a.length)),
    t: 0,
    f32,
  };
}

/** The f32 copy of a network: W, b and Wᵀ per layer (pads stay zero). */
function publish(net: Net, { sizes, layout, L }: Shape): void {
  for (let l = 1; l <= L; l++) {
    const { w, b, wt } = layout.layers[l - 1]!;
    const fanIn = sizes[l - 1]!;
    const fanOut = sizes[l]!;
    const pOut = padded(fanOut);
    const pIn = padded(fanIn);
    const W = net.W[l - 1]!;
    for (let p = 0; p < fanIn; p++)
      for (let c = 0; c < fanOut; c++) {
        const x = W[p * fanOut + c]!;
        net.f32[w + p * pOut + c] = x;
        net.f32[wt + c * pIn + p] = x;
      }
    net.f32.set(net.B[l - 1]!, b);
  }
}

/** The summed loss and gradients of m rows (idx): the chunks' partials added in chunk order. */
async function minibatchSums(
  pool: ComputePool,
  args: MlpChunkArgs,
  m: number,
  { layout }: Shape,
  signal: AbortSignal,
): Promise<Float64Array> {
  const partials = await pool.run(mlpKernel, args, m, {
    partialSize: layout.partial,
    chunkRows: MLP_CHUNK_ROWS,
    rowCost: 6 * layout.params,
    signal,
  });
  const sums = new Float64Array(layout.partial);
  for (let at = 0; at < partials.length; at += layout.partial)
    for (let j = 0; j < layout.partial; j++) sums[j]! += partials[at + j]!;
  return sums;
}

/**
 * One optimiser step from the summed gradients of m rows (gradient = (sum + alpha·W) / m for the
 * weights, sum / m for the biases), written back into the f32 copy as it goes; returns the
 * batch loss (mean + alpha/2·‖W‖²/m, the weights before the step).
 */
function optimiserStep(
  net: Net,
  sums: Float64Array,
  m: number,
  alpha: number,
  opt: Optimiser,
  shape: Shape,
): number {
  net.t++;
  const lrT = opt.sgd ? opt.lr : (opt.lr * Math.sqrt(1 - BETA2 ** net.t)) / (1 - BETA1 ** net.t);
  let penalty = 0;
  for (let l = 0; l < shape.L; l++) {
    penalty = stepWeights(net, l, sums, m, alpha, opt, lrT, shape, penalty);
    stepBiases(net, l, sums, m, opt, lrT, shape);
  }
  return sums[0]! / m + (0.5 * alpha * penalty) / m;
}

/** Layer l's weights: one optimiser step (lrT: adam's bias-corrected rate). Returns penalty plus
 * the layer's ‖W‖² before the step (added in the same order as one running sum). */
function stepWeights(
  net: Net,
  l: number,
  sums: Float64Array,
  m: number,
  alpha: number,
  { sgd, lr }: Optimiser,
  lrT: number,
  { sizes, layout }: Shape,
  penalty: number,
): number {
  const { w, wt, gw } = layout.layers[l]!;
  const fanIn = sizes[l]!;
  const fanOut = sizes[l + 1]!;
  const pOut = padded(fanOut);
  const pIn = padded(fanIn);
  const W = net.W[l]!;
  const m1 = net.m[l]!;
  const m2 = net.v[l]!;
  const f32 = net.f32;
  // The sums are laid out padded: fanIn rows of P(fanOut) (mlpLayout).
  for (let p = 0; p < fanIn; p++)
    for (let c = 0; c < fanOut; c++) {
      const i = p * fanOut + c;
      const x = W[i]!;
      penalty += x * x;
      const g = (sums[gw + p * pOut + c]! + alpha * x) / m;
      let next: number;
      if (sgd) {
        m1[i] = MOMENTUM * m1[i]! - lr * g;
        next = x + (MOMENTUM * m1[i]! - lr * g);
      } else {
        m1[i] = BETA1 * m1[i]! + (1 - BETA1) * g;
        m2[i] = BETA2 * m2[i]! + (1 - BETA2) * g * g;
        next = x - (lrT * m1[i]!) / (Math.sqrt(m2[i]!) + EPSILON);
      }
      W[i] = next;
      f32[w + p * pOut + c] = next;
      f32[wt + c * pIn + p] = next;
    }
  return penalty;
}

/** Layer l's biases: one optimiser step (no penalty), written into the f32 copy. */
function stepBiases(
  net: Net,
  l: number,
  sums: Float64Array,
  m: number,
  { sgd, lr }: Optimiser,
  lrT: number,
  { sizes, layout, L }: Shape,
): void {
  const { b, gb } = layout.layers[l]!;
  const fanOut = sizes[l + 1]!;
  const B = net.B[l]!;
  const bm1 = net.m[L + l]!;
  const bm2 = net.v[L + l]!;
  for (let c = 0; c < fanOut; c++) {
    const g = sums[gb + c]! / m;
    if (sgd) {
      bm1[c] = MOMENTUM * bm1[c]! - lr * g;
      B[c]! += MOMENTUM * bm1[c]! - lr * g;
    } else {
      bm1[c] = BETA1 * bm1[c]! + (1 - BETA1) * g;
      bm2[c] = BETA2 * bm2[c]! + (1 - BETA2) * g * g;
      B[c]! -= (lrT * bm1[c]!) / (Math.sqrt(bm2[c]!) + EPSILON);
    }
    net.f32[b + c] = B[c]!;
  }
}
