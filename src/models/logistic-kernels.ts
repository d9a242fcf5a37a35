/**
 * The logistic loss and gradient as a compute-pool kernel (src/core/pool.ts): each chunk of rows
 * adds its log loss and gradient sums to its own slot, and linear.ts adds the slots in chunk
 * order, so any number of threads gives the same numbers. Helper threads import this module
 * through workers/pool-kernels.ts.
 */
import { defineKernel } from '../core/pool';

export interface LogisticArgs {
  data: Float64Array;
  codes: Int32Array;
  d: number;
  /** Scores per weight vector: 1 (two classes) or the number of classes. */
  m: number;
  /** Weight vectors evaluated together (a tuning grid), packed side by side: width = count × m. */
  count: number;
  /** d × width weights and width intercepts. */
  W: Float64Array;
  B: Float64Array;
  fitIntercept: boolean;
}

/** Floats per chunk: count losses, d × width gradient sums, width intercept gradient sums. */
export const logisticPartialSize = (d: number, count: number, m: number): number =>
  count + (d + 1) * count * m;

/** Rows lo..hi: Σ log loss per weight vector, Σ x·(p − y) and Σ (p − y) into `partial`. */
function logisticLoss(a: LogisticArgs, lo: number, hi: number, partial: Float64Array): void {
  const { data, codes, d, m, count, W, B, fitIntercept } = a;
  const width = count * m;
  partial.fill(0);
  const losses = partial.subarray(0, count);
  const G = partial.subarray(count, count + d * width);
  const GB = partial.subarray(count + d * width);
  // One row's scores for every request, turned into the residual p − y in place.
  const z = new Float64Array(width);
  for (let i = lo; i < hi; i++) {
    const row = i * d;
    const y = codes[i]!;
    z.set(B);
    for (let j = 0; j < d; j++) {
      const x = data[row + j]!;
      if (x === 0) continue;
      const base = j * width;
      for (let t = 0; t < width; t++) z[t]! += x * W[base + t]!;
    }
    for (let k = 0, o = 0; k < count; k++, o += m) {
      if (m === 1) {
        const t = z[o]!;
        // log(1 + e^t) − y·t, stably.
        losses[k]! += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - (y === 1 ? t : 0);
        z[o] = 1 / (1 + Math.exp(-t)) - (y === 1 ? 1 : 0);
      } else {
        let max = -Infinity;
        for (let c = 0; c < m; c++) max = Math.max(max, z[o + c]!);
        const zy = z[o + y]!;
        // One exp per class: e^(z − max) serves both the log-sum and the probabilities.
        let sum = 0;
        for (let c = 0; c < m; c++) {
          const e = Math.exp(z[o + c]! - max);
          z[o + c] = e;
          sum += e;
        }
        losses[k]! += max + Math.log(sum) - zy;
        const inv = 1 / sum;
        for (let c = 0; c < m; c++) z[o + c] = z[o + c]! * inv - (c === y ? 1 : 0);
      }
    }
    for (let j = 0; j < d; j++) {
      const x = data[row + j]!;
      if (x === 0) continue;
      const base = j * width;
      for (let t = 0; t < width; t++) G[base + t]! += x * z[t]!;
    }
    if (fitIntercept) for (let t = 0; t < width; t++) GB[t]! += z[t]!;
  }
}
export const logisticKernel = defineKernel('logistic.loss', logisticLoss);
