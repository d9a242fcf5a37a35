/**
 * LogisticRegression's objective on tfjs: X lives on the device once (f32); each evaluation is
 * two matMuls and a softmax, and only the loss and the small gradient come back. Same objective as
 * `logisticObjectiveCpu` (mean log loss + ½/(C·n)·‖W‖²), so L-BFGS on the CPU drives either one.
 */
import type { Tf } from '../gpu/tf-backend';
import type { Objective } from './linalg';
import type { Matrix } from './model';

export interface TfObjective {
  evaluate: Objective;
  dispose(): void;
}

export function logisticObjectiveTf(
  tf: Tf,
  X: Matrix,
  codes: Int32Array,
  m: number,
  C: number,
  fitIntercept: boolean,
): TfObjective {
  const { rows: n, cols: d } = X;
  const x = tf.tensor2d(Float32Array.from(X.data), [n, d]);
  const labels =
    m === 1
      ? tf.tensor2d(
          Float32Array.from(codes, (c) => (c === 1 ? 1 : 0)),
          [n, 1],
        )
      : tf.tidy(() => tf.oneHot(tf.tensor1d(codes, 'int32'), m).toFloat());
  const l2 = 1 / (C * n);
  const evaluate: Objective = async (w, grad) => {
    const coef = w.subarray(0, d * m);
    const intercept = fitIntercept ? w.subarray(d * m) : new Float64Array(m);
    const [lossT, gW, gB] = tf.tidy(() => {
      const W = tf.tensor2d(Float32Array.from(coef), [d, m]);
      const b = tf.tensor1d(Float32Array.from(intercept));
      const z = tf.add(tf.matMul(x, W), b);
      let loss: ReturnType<typeof tf.sum>;
      let residual: ReturnType<typeof tf.sub>;
      if (m === 1) {
        // log(1 + e^z) − y·z = softplus(z) − y·z
        loss = tf.sum(tf.sub(tf.softplus(z), tf.mul(labels, z)));
        residual = tf.sub(tf.sigmoid(z), labels);
      } else {
        const logP = tf.logSoftmax(z);
        loss = tf.neg(tf.sum(tf.mul(labels, logP)));
        residual = tf.sub(tf.exp(logP), labels);
      }
      return [loss, tf.matMul(x, residual, true, false), tf.sum(residual, 0)];
    });
    const [lossV, gWV, gBV] = await Promise.all([lossT.data(), gW.data(), gB.data()]);
    lossT.dispose();
    gW.dispose();
    gB.dispose();
    let penalty = 0;
    for (let k = 0; k < d * m; k++) {
      penalty += w[k]! * w[k]!;
      grad[k] = gWV[k]! / n + l2 * w[k]!;
    }
    if (fitIntercept) for (let c = 0; c < m; c++) grad[d * m + c] = gBV[c]! / n;
    return lossV[0]! / n + 0.5 * l2 * penalty;
  };
  return {
    evaluate,
    dispose() {
      x.dispose();
      labels.dispose();
    },
  };
}
