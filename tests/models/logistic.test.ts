/**
 * LogisticRegression's penalties (sklearn's rules for penalty / solver / l1_ratio) and batched
 * fitting: a grid fitted with fitBatch returns, candidate by candidate, what fit returns alone —
 * bit for bit on the float64 CPU path, and within f32 rounding on tfjs (its cpu backend here; the
 * WebGPU backend in logistic.browser.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { type LogisticParams, LogisticRegression, type LogisticState } from '../../src/models/linear';
import { buildDataset, type Matrix, type Target, validateModelParams } from '../../src/models/model';
import type { RunContext } from '../../src/pipeline/step';
import { loadSample } from '../pipeline/helpers';
import { ctx, standardize } from './helpers';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute({ webgpu: false });
});

function wine(): { X: Matrix; y: Target } {
  const table = loadSample('wine');
  const features = table.schema.fields.map((f) => f.name).filter((f) => f !== 'target');
  const { X, y } = buildDataset(table, features, 'target', 'classification');
  return { X: standardize(X, X)[0], y };
}

/** Two overlapping Gaussian classes, so the binary (single sigmoid) path is exercised too. */
function binary(n: number, seed: number): { X: Matrix; y: Target } {
  const rng = createRng(seed);
  const data = new Float64Array(n * 4);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    codes[i] = i % 2;
    for (let j = 0; j < 4; j++) data[i * 4 + j] = rng.normal() + (j < 2 && codes[i] ? 0.8 : 0);
  }
  return { X: { data, rows: n, cols: 4 }, y: { task: 'classification', codes, classes: ['no', 'yes'] } };
}

const params = (raw: Record<string, unknown>) => validateModelParams(LogisticRegression, raw);
const same = (a: LogisticState, b: LogisticState) => {
  expect([...a.coef]).toEqual([...b.coef]);
  expect([...a.intercept]).toEqual([...b.intercept]);
  expect(a.nIter).toBe(b.nIter);
};

describe('LogisticRegression penalties', () => {
  const { X, y } = wine();

  it("follows sklearn's rules: l1/elasticnet need solver 'saga', elasticnet needs l1_ratio", async () => {
    await expect(LogisticRegression.fit(X, y, params({ penalty: 'l1' }), ctx())).rejects.toThrow(
      /solver 'lbfgs' supports only the 'l2' penalty, got 'l1'/,
    );
    const error = await LogisticRegression.fit(
      X,
      y,
      params({ penalty: 'elasticnet', solver: 'saga' }),
      ctx(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toMatch(/penalty 'elasticnet' needs l1_ratio/);
    expect(() => params({ penalty: 'l1', l1_ratio: 1.5 })).toThrow(/l1_ratio" must be at most 1/);
    expect(() => params({ penalty: 'none' })).toThrow(/must be one of "l2", "l1", "elasticnet"/);
  });

  it('elasticnet with l1_ratio 0 is the l2 fit, with l1_ratio 1 the l1 fit (bit for bit)', async () => {
    const l2 = await LogisticRegression.fit(X, y, params({ C: 0.3 }), ctx());
    const saga = await LogisticRegression.fit(X, y, params({ C: 0.3, solver: 'saga' }), ctx());
    const en0 = await LogisticRegression.fit(
      X,
      y,
      params({ C: 0.3, solver: 'saga', penalty: 'elasticnet', l1_ratio: 0 }),
      ctx(),
    );
    same(saga, l2);
    same(en0, l2);
    const l1 = await LogisticRegression.fit(X, y, params({ C: 0.3, solver: 'saga', penalty: 'l1' }), ctx());
    const en1 = await LogisticRegression.fit(
      X,
      y,
      params({ C: 0.3, solver: 'saga', penalty: 'elasticnet', l1_ratio: 1 }),
      ctx(),
    );
    same(en1, l1);
    // The L1 fit is sparse, the L2 fit is not; l1_ratio is ignored by the other penalties.
    expect(l1.coef.filter((v) => v === 0).length).toBeGreaterThan(10);
    expect(l2.coef.filter((v) => v === 0).length).toBe(0);
    same(await LogisticRegression.fit(X, y, params({ C: 0.3, l1_ratio: 0.7 }), ctx()), l2);
  });
});

describe('fitBatch: a grid in shared passes gives each candidate its own fit', () => {
  const grid: Record<string, unknown>[] = [
    { C: 0.01 },
    { C: 0.1 },
    { C: 1 },
    { C: 10, max_iter: 3 },
    { C: 0.1, penalty: 'l1', solver: 'saga' },
    { C: 1, penalty: 'elasticnet', solver: 'saga', l1_ratio: 0.5 },
    { C: 1, fit_intercept: false },
  ];

  it.each([
    ['wine (3 classes)', wine()],
    ['a binary set', binary(300, 4)],
  ])('%s: float64 CPU, bit for bit', async (_name, { X, y }) => {
    const list = grid.map(params);
    const notes: string[][] = list.map(() => []);
    const ctxs: RunContext[] = list.map((_, i) => ctx(i, (_f, note) => notes[i]!.push(note ?? '')));
    const batched = await LogisticRegression.fitBatch!(X, y, list, ctxs);
    for (const [i, p] of list.entries()) {
      const alone: string[] = [];
      const single = await LogisticRegression.fit(
        X,
        y,
        p,
        ctx(i, (_f, note) => alone.push(note ?? '')),
      );
      same(batched[i]!, single);
      expect(batched[i]!.backend).toBe('cpu');
      // Each candidate reports its own loss curve, as when fitted alone.
      expect(notes[i]).toEqual(alone);
    }
    expect(batched[3]!.nIter).toBe(3);
  });

  it('tfjs (cpu backend in Node): one matMul for the grid, within f32 rounding of the one-by-one fits', async () => {
    const { X, y } = wine();
    const list = grid.slice(0, 6).map((raw) => params({ ...raw, backend: 'tfjs' }));
    const run = (i: number) => ({ ...ctx(i), compute });
    const batched = await LogisticRegression.fitBatch!(
      X,
      y,
      list,
      list.map((_, i) => run(i)),
    );
    for (const [i, p] of list.entries()) {
      const single = await LogisticRegression.fit(X, y, p, run(i));
      expect(batched[i]!.backend).toBe('tfjs');
      for (let t = 0; t < single.coef.length; t++)
        expect(Math.abs(batched[i]!.coef[t]! - single.coef[t]!)).toBeLessThan(1e-4);
      const pa = await LogisticRegression.predict(X, batched[i]!, run(i));
      const pb = await LogisticRegression.predict(X, single, run(i));
      expect([...pa]).toEqual([...pb]);
    }
  });

  it('one candidate failing fails the batch with its message; cancelling stops every candidate', async () => {
    const { X, y } = wine();
    const bad = { ...X, data: X.data.map((v, i) => (i === 5 ? Number.POSITIVE_INFINITY : v)) };
    const list = [params({ C: 1 }), params({ C: 0.1 })];
    await expect(LogisticRegression.fitBatch!(bad, y, list, [ctx(0), ctx(1)])).rejects.toThrow(
      /LogisticRegression diverged: the loss became NaN/,
    );
    const controller = new AbortController();
    const ctxs = list.map((_, i) => ({
      ...ctx(i),
      signal: controller.signal,
      progress: (_f: number, note?: string) => {
        if (note?.startsWith('iteration 3')) controller.abort();
      },
    }));
    await expect(LogisticRegression.fitBatch!(X, y, list, ctxs)).rejects.toThrow(/cancelled/);
  });

  it('mixed backends and shapes are grouped, each group batched on its own', async () => {
    const { X, y } = binary(200, 9);
    const list: LogisticParams[] = [
      params({ C: 1 }),
      params({ C: 1, backend: 'tfjs' }),
      params({ C: 0.1, fit_intercept: false }),
      params({ C: 0.1, backend: 'tfjs' }),
    ];
    const run = (i: number) => ({ ...ctx(i), compute });
    const states = await LogisticRegression.fitBatch!(
      X,
      y,
      list,
      list.map((_, i) => run(i)),
    );
    expect(states.map((s) => s.backend)).toEqual(['cpu', 'tfjs', 'cpu', 'tfjs']);
    same(states[2]!, await LogisticRegression.fit(X, y, list[2]!, run(2)));
    expect([...states[2]!.intercept]).toEqual([0]);
  });
});
