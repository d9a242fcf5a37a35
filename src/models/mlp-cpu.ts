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
import { computePool } from '../core/pool';
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
  const layout = mlpLayout(sizes);
  const L = sizes.length - 1;
  const data = pool.share(Float32Array.from(X.data));
  const shared = {
    codes: codes ? pool.share(codes) : null,
    values: values ? pool.share(values) : null,
    rowWeights: rowWeights ? pool.share(rowWeights) : null,
  };
  const nets: Net[] = o.inits.map((layers) => {
    const W = layers.map((l) => Float64Array.from(l.w));
    const B = layers.map((l) => Float64Array.from(l.b));
    const all = [...W, ...B];
    return {
      W,
      B,
      m: all.map((a) => new Float64Array(a.length)),
      v: all.map((a) => new Float64Array(a.length)),
      t: 0,
      f32: pool.alloc(Float32Array, layout.params),
    };
  });
  const idx = pool.alloc(Int32Array, runs[0]!.order.length);
  let lastReport = performance.now();

  /** The f32 copy of a network: W, b and Wᵀ per layer (pads stay zero). */
  const publish = (net: Net) => {
    for (let l = 1; l <= L; l++) {
      const { w, b, wt } = layout.layers[l - 1]!;
      const fanIn = sizes[l - 1]!;
      const fanOut = sizes[l]!;
      const pOut = (fanOut + 3) & ~3;
      const pIn = (fanIn + 3) & ~3;
      const W = net.W[l - 1]!;
      for (let p = 0; p < fanIn; p++)
        for (let c = 0; c < fanOut; c++) {
          const x = W[p * fanOut + c]!;
          net.f32[w + p * pOut + c] = x;
          net.f32[wt + c * pIn + p] = x;
        }
      net.f32.set(net.B[l - 1]!, b);
    }
  };
  for (const net of nets) publish(net);

  /**
   * One optimiser step from the summed gradients of m rows (gradient = (sum + alpha·W) / m for the
   * weights, sum / m for the biases), written back into the f32 copy as it goes; returns the
   * batch loss (mean + alpha/2·‖W‖²/m, the weights before the step).
   */
  const step = (net: Net, sums: Float64Array, m: number, alpha: number): number => {
    net.t++;
    const sgd = o.solver === 'sgd';
    const lr = o.learningRate;
    // sklearn's adam (β1 0.9, β2 0.999, ε 1e-8, the bias correction folded into the step) or
    // Nesterov momentum 0.9 (v = μv − lr·g; w += μv − lr·g).
    const b1 = 0.9;
    const b2 = 0.999;
    const mu = 0.9;
    const lrT = sgd ? lr : (lr * Math.sqrt(1 - b2 ** net.t)) / (1 - b1 ** net.t);
    const f32 = net.f32;
    let penalty = 0;
    for (let l = 0; l < L; l++) {
      const { w, b, wt, gw, gb } = layout.layers[l]!;
      const fanIn = sizes[l]!;
      const fanOut = sizes[l + 1]!;
      const pOut = (fanOut + 3) & ~3;
      const pIn = (fanIn + 3) & ~3;
      const W = net.W[l]!;
      const m1 = net.m[l]!;
      const m2 = net.v[l]!;
      // The sums are laid out padded: fanIn rows of P(fanOut) (mlpLayout).
      for (let p = 0; p < fanIn; p++)
        for (let c = 0; c < fanOut; c++) {
          const i = p * fanOut + c;
          const x = W[i]!;
          penalty += x * x;
          const g = (sums[gw + p * pOut + c]! + alpha * x) / m;
          let next: number;
          if (sgd) {
            m1[i] = mu * m1[i]! - lr * g;
            next = x + (mu * m1[i]! - lr * g);
          } else {
            m1[i] = b1 * m1[i]! + (1 - b1) * g;
            m2[i] = b2 * m2[i]! + (1 - b2) * g * g;
            next = x - (lrT * m1[i]!) / (Math.sqrt(m2[i]!) + 1e-8);
          }
          W[i] = next;
          f32[w + p * pOut + c] = next;
          f32[wt + c * pIn + p] = next;
        }
      const B = net.B[l]!;
      const bm1 = net.m[L + l]!;
      const bm2 = net.v[L + l]!;
      for (let c = 0; c < fanOut; c++) {
        const g = sums[gb + c]! / m;
        if (sgd) {
          bm1[c] = mu * bm1[c]! - lr * g;
          B[c]! += mu * bm1[c]! - lr * g;
        } else {
          bm1[c] = b1 * bm1[c]! + (1 - b1) * g;
          bm2[c] = b2 * bm2[c]! + (1 - b2) * g * g;
          B[c]! -= (lrT * bm1[c]!) / (Math.sqrt(bm2[c]!) + 1e-8);
        }
        f32[b + c] = B[c]!;
      }
    }
    return sums[0]! / m + (0.5 * alpha * penalty) / m;
  };

  return {
    async runEpoch(epoch, n, batch) {
      const epochLoss = new Float64Array(runs.length);
      for (let start = 0; start < n; start += batch) {
        const m = Math.min(n, start + batch) - start;
        for (const [k, run] of runs.entries()) {
          // A network that stopped keeps its weights; the others train on.
          if (run.result) continue;
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
          const partials = await pool.run(mlpKernel, args, m, {
            partialSize: layout.partial,
            chunkRows: MLP_CHUNK_ROWS,
            rowCost: 6 * layout.params,
            signal: run.ctx.signal,
          });
          const sums = new Float64Array(layout.partial);
          for (let at = 0; at < partials.length; at += layout.partial)
            for (let j = 0; j < layout.partial; j++) sums[j]! += partials[at + j]!;
          epochLoss[k]! += step(nets[k]!, sums, m, run.p.alpha) * m;
        }
        const now = performance.now();
        const report = n >= INNER_REPORT_STEPS * batch && now - lastReport > 250;
        if (report) lastReport = now;
        for (const run of runs) {
          if (run.result) continue;
          await cooperate(run.ctx.signal);
          if (report) run.ctx.progress((epoch + (start + m) / n) / run.p.max_iter, `epoch ${epoch + 1}`);
        }
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
