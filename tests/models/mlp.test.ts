/**
 * MLPClassifier's class_weight (a Benchtop extension: sklearn's MLPClassifier has none): 'balanced'
 * weights each row's loss by n / (classes · rows of its class), which lifts the recall of a rare
 * class; the default (null) trains exactly as before the parameter existed — the snapshot of a
 * seeded fit was recorded before class_weight was added and must not move by a bit. Also
 * random_state, and fitBatch: networks that differ only in seed, alpha or stopping rule train
 * stacked in one batch, each exactly as it trains alone (tfjs's cpu backend here).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { MLPClassifier, MLPRegressor, type MlpState } from '../../src/models/mlp';
import { type Matrix, validateModelParams } from '../../src/models/model';
import { ctx } from './helpers';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute({ webgpu: false });
});
const run = (seed: number) => ({ ...ctx(seed), compute });

/** Overlapping Gaussian classes with the given sizes (class c shifted by `shift` along feature c). */
function classes(sizes: number[], shift: number, seed: number) {
  const rng = createRng(seed);
  const n = sizes.reduce((s, v) => s + v, 0);
  const d = sizes.length;
  const data = new Float64Array(n * d);
  const codes = new Int32Array(n);
  let i = 0;
  sizes.forEach((size, c) => {
    for (let r = 0; r < size; r++, i++) {
      codes[i] = c;
      for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() + (j === c ? shift : 0);
    }
  });
  const X: Matrix = { data, rows: n, cols: d };
  return { X, y: { task: 'classification' as const, codes, classes: sizes.map((_, c) => `c${c}`) } };
}

const exact = (s: MlpState) =>
  `${JSON.stringify(
    { weights: s.weights.map((w) => [...w]), biases: s.biases.map((b) => [...b]), lossCurve: s.lossCurve },
    null,
    1,
  )}\n`;

describe('MLPClassifier class_weight', () => {
  it.each([
    ['three classes (softmax)', [40, 30, 20]],
    ['two classes (logistic)', [50, 30]],
  ])('the default fit is unchanged bit for bit: %s', async (_name, sizes) => {
    const { X, y } = classes(sizes, 1.5, 7);
    const raw = { hidden_layer_sizes: '5', max_iter: 12, batch_size: 16 };
    const state = await MLPClassifier.fit(X, y, validateModelParams(MLPClassifier, raw), run(3));
    await expect(exact(state)).toMatchFileSnapshot(
      `__snapshots__/mlp-default-${sizes.length}-classes.fixture.json`,
    );
    const explicit = validateModelParams(MLPClassifier, { ...raw, class_weight: null });
    expect(exact(await MLPClassifier.fit(X, y, explicit, run(3)))).toBe(exact(state));
  });

  it("'balanced' raises the recall of a rare class", async () => {
    // 600 / 600 / 36 rows: the rare class overlaps the others, so an unweighted loss mostly gives it up.
    const { X, y } = classes([600, 600, 36], 1.2, 11);
    const recall = async (classWeight: string | null) => {
      const params = validateModelParams(MLPClassifier, {
        hidden_layer_sizes: '16',
        max_iter: 60,
        learning_rate_init: 0.01,
        class_weight: classWeight,
      });
      const state = await MLPClassifier.fit(X, y, params, run(5));
      const pred = await MLPClassifier.predict(X, state, run(5));
      let hit = 0;
      let total = 0;
      for (let i = 0; i < X.rows; i++) {
        if (y.codes[i] !== 2) continue;
        total++;
        if (pred[i] === 2) hit++;
      }
      return hit / total;
    };
    const plain = await recall(null);
    const balanced = await recall('balanced');
    if (process.env.MLP_RECALL) console.log(`RECALL plain=${plain} balanced=${balanced}`);
    expect(balanced).toBeGreaterThan(plain + 0.2);
  });
});

describe('MLP random_state and fitBatch', () => {
  it('random_state fixes the network whatever the experiment seed', async () => {
    const { X, y } = classes([30, 30, 30], 1.5, 2);
    const params = validateModelParams(MLPClassifier, {
      hidden_layer_sizes: '4',
      max_iter: 5,
      random_state: 7,
    });
    const a = await MLPClassifier.fit(X, y, params, run(0));
    expect(exact(await MLPClassifier.fit(X, y, params, run(99)))).toBe(exact(a));
    const other = validateModelParams(MLPClassifier, {
      hidden_layer_sizes: '4',
      max_iter: 5,
      random_state: 8,
    });
    expect(exact(await MLPClassifier.fit(X, y, other, run(0)))).not.toBe(exact(a));
  });

  it.each([
    ['MLPClassifier, 3 classes', MLPClassifier, classes([40, 30, 20], 1.5, 7).y],
    ['MLPClassifier, 2 classes, balanced', MLPClassifier, classes([50, 20], 1.5, 7).y],
    ['MLPRegressor', MLPRegressor, null],
  ] as const)(
    '%s: seeds, alpha and stopping rules in one batch, each network bit for bit as alone',
    async (_name, model, target) => {
      const { X } = classes([40, 30, 20], 1.5, 7);
      const rows = target?.codes.length ?? X.rows;
      const Xs = { ...X, rows, data: X.data.subarray(0, rows * X.cols) };
      const y =
        target ??
        ({
          task: 'regression',
          values: Float64Array.from({ length: rows }, (_, i) => Xs.data[i * 3]! - 2 * Xs.data[i * 3 + 1]!),
        } as const);
      const base = {
        hidden_layer_sizes: '6, 4',
        batch_size: 16,
        learning_rate_init: 0.01,
        ...(target?.classes.length === 2 ? { class_weight: 'balanced' } : {}),
      };
      const grid = [
        { random_state: 0, max_iter: 15 },
        { random_state: 1, max_iter: 15, alpha: 0.1 },
        { random_state: null, max_iter: 6 },
        { random_state: 2, max_iter: 40, tol: 0.05, n_iter_no_change: 2 },
      ].map((raw) => validateModelParams(model, { ...base, ...raw }));
      const notes: string[][] = grid.map(() => []);
      const ctxs = grid.map((_, k) => ({
        ...run(k),
        progress: (_f: number, note?: string) => notes[k]!.push(note ?? ''),
      }));
      const batched = await model.fitBatch!(Xs, y, grid, ctxs);
      for (const [k, p] of grid.entries()) {
        const alone: string[] = [];
        const single = await model.fit(Xs, y, p, {
          ...run(k),
          progress: (_f, note) => alone.push(note ?? ''),
        });
        expect(exact(batched[k]!)).toBe(exact(single));
        expect(batched[k]!.nIter).toBe(single.nIter);
        expect(notes[k]).toEqual(alone);
      }
      expect(batched[2]!.nIter).toBe(6);
      // The tolerant one stopped early while the others trained on.
      expect(batched[3]!.nIter).toBeLessThan(40);
    },
  );

  it('early_stopping networks batch too, each keeping its best validation weights', async () => {
    const { X, y } = classes([60, 60, 60], 1.2, 3);
    const grid = [0, 1, 2].map((seed) =>
      validateModelParams(MLPClassifier, {
        hidden_layer_sizes: '8',
        early_stopping: true,
        max_iter: 25,
        n_iter_no_change: 3,
        random_state: seed,
      }),
    );
    const batched = await MLPClassifier.fitBatch!(
      X,
      y,
      grid,
      grid.map((_, k) => run(k)),
    );
    for (const [k, p] of grid.entries())
      expect(exact(batched[k]!)).toBe(exact(await MLPClassifier.fit(X, y, p, run(k))));
  });
});
