/**
 * LogisticRegression's loss on tfjs: X lives on the device once (f32); each evaluation is two
 * matMuls and a softmax, and only the losses and the small gradients come back. Same smooth
 * objective as `logisticLossCpu` (mean log loss + ½·l2·‖W‖²), so L-BFGS/OWL-QN on the CPU drives
 * either one. Several weight vectors (a tuning grid) are evaluated in one pass: their K weight
 * matrices sit side by side in one d × K·m matrix, so one matMul scores every candidate and one
 * more gives every gradient.
 */
import type { Tf } from '../gpu/tf-backend';
import type { BatchLoss } from './batch';
import type { Matrix } from './model';

export interface TfLoss {
  evaluate: BatchLoss;
  dispose(): void;
}

export function logisticLossTf(
  tf: Tf,
  X: Matrix,
  codes: Int32Array,
  m: number,
  fitIntercept: boolean,
): TfLoss {
  const { rows: n, cols: d } = X;
  const x = tf.tensor2d(Float32Array.from(X.data), [n, d]);
  // n × 1 (two classes: is it class 1) or n × 1 × m one-hot, broadcast over the candidates.
  const labels =
    m === 1
      ? tf.tensor2d(
          Float32Array.from(codes, (c) => (c === 1 ? 1 : 0)),
          [n, 1],
        )
      : tf.tidy(() => tf.oneHot(tf.tensor1d(codes, 'int32'), m).toFloat().reshape([n, 1, m]));
  const evaluate: BatchLoss = async (requests) => {
    const count = requests.length;
    const width = count * m;
    const W = new Float32Array(d * width);
    const B = new Float32Array(width);
    requests.forEach(({ w }, k) => {
      for (let j = 0; j < d; j++) for (let c = 0; c < m; c++) W[j * width + k * m + c] = w[j * m + c]!;
      if (fitIntercept) for (let c = 0; c < m; c++) B[k * m + c] = w[d * m + c]!;
    });
    const [lossT, gW, gB] = tf.tidy(() => {
      const z = tf.add(tf.matMul(x, tf.tensor2d(W, [d, width])), tf.tensor1d(B));
      let loss: ReturnType<typeof tf.sum>;
      let residual: ReturnType<typeof tf.sub>;
      if (m === 1) {
        // log(1 + e^z) − y·z = softplus(z) − y·z, per candidate column
        loss = tf.sum(tf.sub(tf.softplus(z), tf.mul(labels, z)), 0);
        residual = tf.sub(tf.sigmoid(z), labels);
      } else {
        const logP = tf.logSoftmax(tf.reshape(z, [n, count, m]));
        loss = tf.neg(tf.sum(tf.mul(labels, logP), [0, 2]));
        residual = tf.reshape(tf.sub(tf.exp(logP), labels), [n, width]);
      }
      return [loss, tf.matMul(x, residual, true, false), tf.sum(residual, 0)];
    });
    const [lossV, gWV, gBV] = await Promise.all([lossT.data(), gW.data(), gB.data()]);
    lossT.dispose();
    gW.dispose();
    gB.dispose();
    return requests.map(({ w, grad, l2 }, k) => {
      let penalty = 0;
      for (let j = 0; j < d; j++) {
        for (let c = 0; c < m; c++) {
          const t = j * m + c;
          penalty += w[t]! * w[t]!;
          grad[t] = gWV[j * width + k * m + c]! / n + l2 * w[t]!;
        }
      }
      if (fitIntercept) for (let c = 0; c < m; c++) grad[d * m + c] = gBV[k * m + c]! / n;
      return lossV[k]! / n + 0.5 * l2 * penalty;
    });
  };
  return {
    evaluate,
    dispose() {
      x.dispose();
      labels.dispose();
    },
  };
}
