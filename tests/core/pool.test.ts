/**
 * The compute pool (src/core/pool.ts) in Node with real worker_threads (workers/pool.node.ts): the
 * kernels that run on it give bit for bit the numbers of one thread, the helpers really run chunks,
 * a cancel stops a call within a second, small calls stay on the calling thread, and a pool that
 * cannot start its threads runs inline and says why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { type ComputePool, computePool, createComputePool, installComputePool } from '../../src/core/pool';
import { createRng } from '../../src/core/rng';
import { KMeans } from '../../src/models/cluster';
import { LogisticRegression } from '../../src/models/linear';
import { validateModelParams } from '../../src/models/model';
import { installNodePool } from '../../workers/pool.node.ts';

const ctx = (seed = 0, signal = new AbortController().signal) => ({
  rng: createRng(seed),
  compute: null,
  signal,
  progress: () => {},
});

function blobs(n: number, d: number, centers: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const mu = Float64Array.from({ length: centers * d }, () => rng.normal() * 3);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centers);
    for (let j = 0; j < d; j++) out[i * d + j] = mu[c * d + j]! + rng.normal();
  }
  return out;
}

function classes(n: number, d: number, k: number, seed: number) {
  const rng = createRng(seed);
  const data = new Float64Array(n * d);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    codes[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() + (j === c ? 1 : 0);
  }
  return { data, codes };
}

/** Runs `job` on one thread (no pool installed) and on a 2-thread pool that takes every call. */
async function oneAndTwo<T>(job: () => Promise<T>): Promise<{ one: T; two: T; pool: ComputePool }> {
  installComputePool(null);
  expect(computePool().threads).toBe(1);
  const one = await job();
  const pool = installNodePool(2, 0);
  const two = await job();
  return { one, two, pool };
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

afterEach(() => {
  installComputePool(null)?.close();
});

describe('compute pool with worker_threads', () => {
  it('KMeans: 1 thread and 2 threads give bit-identical centers and inertia', async () => {
    const n = 120_000;
    const d = 6;
    const X = { data: blobs(n, d, 7, 11), rows: n, cols: d };
    const params = validateModelParams(KMeans, { n_clusters: 7, n_init: 2, max_iter: 30, tol: 0 });
    const { one, two, pool } = await oneAndTwo(() => KMeans.fit(X, { task: 'clustering' }, params, ctx(5)));
    expect(pool.threads).toBe(2);
    expect(pool.stats.pooledCalls).toBeGreaterThan(10);
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    expect(two.nIter).toBe(one.nIter);
    expect(one.nIter).toBeGreaterThan(1);
    expect(two.inertia).toBe(one.inertia);
    expect(bits(two.centers)).toEqual(bits(one.centers));
  });

  it('LogisticRegression (3 classes, and a C grid in one batch): bit-identical on 1 and 2 threads', async () => {
    const n = 60_000;
    const d = 8;
    const { data, codes } = classes(n, d, 3, 4);
    const X = { data, rows: n, cols: d };
    const y = { task: 'classification' as const, codes, classes: ['a', 'b', 'c'] };
    const grid = [0.1, 1, 10].map((C) => validateModelParams(LogisticRegression, { backend: 'cpu', C }));
    const fitAll = () =>
      LogisticRegression.fitBatch!(
        X,
        y,
        grid,
        grid.map(() => ctx()),
      );
    const { one, two, pool } = await oneAndTwo(fitAll);
    expect(pool.stats.pooledCalls).toBeGreaterThan(3);
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    for (let g = 0; g < grid.length; g++) {
      expect(two[g]!.nIter).toBe(one[g]!.nIter);
      expect(bits(two[g]!.coef)).toEqual(bits(one[g]!.coef));
      expect(bits(two[g]!.intercept)).toEqual(bits(one[g]!.intercept));
    }
  });

  it('a cancel stops a pooled call within a second, and the pool still works after it', async () => {
    const pool = installNodePool(2, 0);
    const n = 400_000;
    const d = 10;
    const X = { data: blobs(n, d, 20, 3), rows: n, cols: d };
    const params = validateModelParams(KMeans, { n_clusters: 40, n_init: 20, max_iter: 300, tol: 0 });
    const controller = new AbortController();
    const fit = KMeans.fit(X, { task: 'clustering' }, params, ctx(1, controller.signal));
    // Cancel once the helpers are at work (their start, tsx included, takes a moment).
    for (let t = 0; t < 400 && pool.stats.pooledCalls < 3; t++) await new Promise((r) => setTimeout(r, 50));
    expect(pool.stats.pooledCalls).toBeGreaterThanOrEqual(3);
    const asked = performance.now();
    controller.abort();
    const error = await fit.then(
      () => null,
      (e: unknown) => e,
    );
    expect(performance.now() - asked).toBeLessThan(1000);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).name).toBe('Cancelled');
    const small = { data: blobs(50_000, 4, 3, 8), rows: 50_000, cols: 4 };
    const again = await KMeans.fit(
      small,
      { task: 'clustering' },
      validateModelParams(KMeans, { n_clusters: 3, n_init: 1 }),
      ctx(2),
    );
    expect(again.inertia).toBeGreaterThan(0);
  });

  it('keeps small calls on the calling thread (the default threshold)', async () => {
    const pool = installNodePool(2);
    // 3 chunks, but each pass is ~20,000 × (2 × 2) flops: below MIN_POOLED_WORK.
    const X = { data: blobs(20_000, 2, 2, 9), rows: 20_000, cols: 2 };
    await KMeans.fit(
      X,
      { task: 'clustering' },
      validateModelParams(KMeans, { n_clusters: 2, n_init: 2 }),
      ctx(),
    );
    expect(pool.stats.calls).toBeGreaterThan(0);
    expect(pool.stats.pooledCalls).toBe(0);
  });

  it('runs inline and says why when it has no threads, or they cannot start', async () => {
    expect(createComputePool({ threads: 4 }).note).toMatch(/no worker threads/);
    expect(createComputePool({ threads: 1 }).threads).toBe(1);
    // A browser page that is not cross-origin isolated cannot post shared memory: one thread.
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    try {
      const notIsolated = createComputePool({ threads: 2, spawn: () => expect.unreachable() as never });
      expect(notIsolated.threads).toBe(1);
      expect(notIsolated.note).toMatch(/not cross-origin isolated/);
    } finally {
      delete g.crossOriginIsolated;
    }
    const failing = createComputePool({
      threads: 2,
      minWork: 0,
      spawn: () => {
        throw new Error('no workers in this test');
      },
    });
    installComputePool(failing);
    const X = { data: blobs(40_000, 4, 3, 10), rows: 40_000, cols: 4 };
    const params = validateModelParams(KMeans, { n_clusters: 3, n_init: 1 });
    const viaFailing = await KMeans.fit(X, { task: 'clustering' }, params, ctx(3));
    expect(failing.threads).toBe(1);
    expect(failing.note).toMatch(/no workers in this test/);
    expect(failing.stats.pooledCalls).toBe(0);
    installComputePool(null);
    const inline = await KMeans.fit(X, { task: 'clustering' }, params, ctx(3));
    expect(bits(viaFailing.centers)).toEqual(bits(inline.centers));
  });
});
