/**
 * The MLP's own CPU trainer in a real browser: tfjs on wasm (the app's choice without a GPU) hands
 * the training to mlp-cpu.ts, whose WebAssembly SIMD kernels load from their base64 module, and
 * on the compute pool's Web Workers (the test page is cross-origin isolated) 2 threads train the
 * same network bit for bit as one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { computePool, installComputePool } from '../../src/core/pool';
import { createRng } from '../../src/core/rng';
import { initCompute } from '../../src/gpu/device';
import { MLPClassifier, type MlpState } from '../../src/models/mlp';
import { mlpWasmAvailable } from '../../src/models/mlp-kernels';
import { validateModelParams } from '../../src/models/model';
import { installWebPool } from '../../workers/pool.web';

afterEach(() => {
  installComputePool(null)?.close();
});

const exact = (s: MlpState) =>
  JSON.stringify({
    weights: s.weights.map((w) => [...w]),
    biases: s.biases.map((b) => [...b]),
    loss: s.lossCurve,
  });

describe('MLP on the wasm backend in the browser', () => {
  it('trains with WebAssembly SIMD kernels, the same network on 1 and 2 threads', {
    timeout: 120_000,
  }, async () => {
    expect(mlpWasmAvailable()).toBe(true);
    const rng = createRng(8);
    const n = 3000;
    const d = 6;
    const data = new Float64Array(n * d);
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = rng.int(3);
      for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() + (j === codes[i] ? 1.5 : 0);
    }
    const X = { data, rows: n, cols: d };
    const y = { task: 'classification' as const, codes, classes: ['a', 'b', 'c'] };
    const compute = await initCompute({ webgpu: false, tfjs: ['wasm'] });
    const params = validateModelParams(MLPClassifier, {
      hidden_layer_sizes: '16, 8',
      batch_size: 1024,
      max_iter: 4,
      random_state: 2,
    });
    const ctx = () => ({
      rng: createRng(0),
      compute,
      signal: new AbortController().signal,
      progress: () => {},
    });
    installComputePool(null);
    expect(computePool().threads).toBe(1);
    const one = await MLPClassifier.fit(X, y, params, ctx());
    expect(one.backend).toBe('wasm');
    expect(one.lossCurve.at(-1)!).toBeLessThan(one.lossCurve[0]!);
    const pool = installWebPool(2, 0);
    const two = await MLPClassifier.fit(X, y, params, ctx());
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    expect(exact(two)).toBe(exact(one));
  });
});
