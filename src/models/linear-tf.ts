/**
 * LogisticRegression's loss on tfjs: X lives on the device once (f32); each evaluation is three
 * matMuls and a softmax, and only the losses and the small gradients come back. Same smooth
 * objective as `logisticLossCpu` (mean log loss + ½·l2·‖W‖²), so L-BFGS/OWL-QN on the CPU drives
 * either one. Several weight vectors (a tuning grid) are evaluated in one pass: their K weight
 * matrices sit side by side in one d × K·m matrix, so one matMul scores every candidate and one
 * more gives every gradient.
 */
import type { Tf } from '../gpu/tf-backend';
import type { BatchLoss, LossRequest } from './batch';
import type { Matrix } from './model';

export interface TfLoss {
  evaluate: BatchLoss;
  dispose(): void;
}

/**
 * The end of one batched logistic-loss evaluation (tfjs or CPU): from the summed losses, the
 * d × K·m summed gradients `G` (candidate k's m columns at k·m) and the intercept sums `GB`, each
 * candidate's mean loss + ½·l2·‖W‖², its gradient written to `grad` (intercepts not penalized).
 */
export function penalizedLosses(
  requests: readonly LossRequest[],
  losses: ArrayLike<number>,
  G: ArrayLike<number>,
  GB: ArrayLike<number>,
  n: number,
  d: number,
  m: number,
  fitIntercept: boolean,
): number[] {
  const width = requests.length * m;
  return requests.map(({ w, grad, l2 }, k) => {
    let penalty = 0;
    for (let j = 0; j < d; j++) {
      for (let c = 0; c < m; c++) {
        const t = j * m + c;
        penalty += w[t]! * w[t]!;
        grad[t] = G[j * width + k * m + c]! / n + l2 * w[t]!;
      }
    }
    if (fitIntercept) for (let c = 0; c < m; c++) grad[d * m + c] = GB[k * m + c]! / n;
    return losses[k]! / n + 0.5 * l2 * penalty;
  });
}

export function logisticLossTf(
  tf: Tf,
  X: Matrix,
  codes: Int32Array,
  m: number,
  fitIntercept: boolean,
): TfLoss {
  const { rows: n, cols: d } = X;
  // [X | 1]: the intercepts ride in the matMul as a last weight row, and their gradient comes out
  // of the same Xᵀ·R product.
  const x1 = tf.tidy(() => tf.concat([tf.tensor2d(Float32Array.from(X.data), [n, d]), tf.ones([n, 1])], 1));
  const ones = tf.ones([1, n]);
  // n × m labels (is it class 1, or one-hot), tiled once per batch size to n × K·m: same-shape
  // elementwise ops, since broadcasting is several times slower on tfjs's CPU backends.
  const labels =
    m === 1
      ? tf.tensor2d(
          Float32Array.from(codes, (c) => (c === 1 ? 1 : 0)),
          [n, 1],
        )
      : tf.tidy(() => tf.oneHot(tf.tensor1d(codes, 'int32'), m).toFloat());
  const tiled = new Map<number, ReturnType<typeof tf.tile>>([[1, labels]]);
  const labelsFor = (count: number) => {
    const cached = tiled.get(count);
    if (cached) return cached;
    const t = tf.tile(labels, [1, count]);
    tiled.set(count, t);
    return t;
  };
  const evaluate: BatchLoss = async (requests) => {
    const count = requests.length;
    const width = count * m;
    const W = new Float32Array((d + 1) * width);
    requests.forEach(({ w }, k) => {
      for (let j = 0; j < d; j++) for (let c = 0; c < m; c++) W[j * width + k * m + c] = w[j * m + c]!;
      if (fitIntercept) for (let c = 0; c < m; c++) W[d * width + k * m + c] = w[d * m + c]!;
    });
    const L = labelsFor(count);
    const [lossT, gradT] = tf.tidy(() => {
      const z = tf.matMul(x1, tf.tensor2d(W, [d + 1, width]));
      let perColumn: ReturnType<typeof tf.sub>;
      let residual: ReturnType<typeof tf.sub>;
      if (m === 1) {
        // log(1 + e^z) − y·z = softplus(z) − y·z, per candidate column
        perColumn = tf.sub(tf.softplus(z), tf.mul(L, z));
        residual = tf.sub(tf.sigmoid(z), L);
      } else {
        const logP = tf.reshape(tf.logSoftmax(tf.reshape(z, [n, count, m])), [n, width]);
        perColumn = tf.neg(tf.mul(L, logP));
        residual = tf.sub(tf.exp(logP), L);
      }
      // Column sums as a matMul with a row of ones (a reduction over rows would transpose first).
      const loss = tf.sum(tf.reshape(tf.matMul(ones, perColumn), [count, m]), 1);
      return [loss, tf.matMul(x1, residual, true, false)];
    });
    const [lossV, gV] = await Promise.all([lossT.data(), gradT.data()]);
    lossT.dispose();
    gradT.dispose();
    return penalizedLosses(requests, lossV, gV, gV.subarray(d * width), n, d, m, fitIntercept);
  };
  return {
    evaluate,
    dispose() {
      x1.dispose();
      ones.dispose();
      for (const t of tiled.values()) t.dispose();
    },
  };
}
