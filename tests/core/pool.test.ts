/**
 * The compute pool (src/core/pool.ts) in Node with real worker_threads (workers/pool.node.ts): the
 * kernels that run on it give bit for bit the numbers of one thread, the helpers really run chunks,
 * a cancel stops a call within a second, small calls stay on the calling thread, and a pool that
 * cannot start its threads runs inline and says why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { floatData, frameFrom, labelData, outColumn } from '../../src/core/frame';
import { pooledMoments } from '../../src/core/moments';
import {
  type ComputePool,
  computePool,
  createComputePool,
  installComputePool,
  isShared,
} from '../../src/core/pool';
import { createRng } from '../../src/core/rng';
import { shareTable } from '../../src/core/shared';
import { nanMoments } from '../../src/core/stats';
import { gramCpu, gramPooled } from '../../src/gpu/kernels/gram/gram.cpu';
import { knnAll, knnRef } from '../../src/gpu/kernels/knn/knn';
import { KMeans } from '../../src/models/cluster';
import { LogisticRegression } from '../../src/models/linear';
import { validateModelParams } from '../../src/models/model';
import { KNeighborsClassifier } from '../../src/models/neighbors';
import { validateParams } from '../../src/pipeline/step';
import PCA from '../../src/pipeline/steps/PCA';
import StandardScaler from '../../src/pipeline/steps/StandardScaler';
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

  it('kNN (brute force, and KNeighborsClassifier): 1 and 2 threads give knnRef bit for bit', async () => {
    const nq = 9000;
    const nr = 700;
    const d = 7;
    const queries = blobs(nq, d, 6, 31);
    const refs = blobs(nr, d, 6, 32);
    // Exact duplicates of reference rows among the queries: ties resolve to the lower index.
    for (let q = 0; q < 50; q++) queries.set(refs.subarray(q * d, q * d + d), q * 97 * d);
    const codes = Int32Array.from({ length: nr }, (_, i) => i % 3);
    const search = async () => {
      const found = await knnAll(null, queries, refs, d, 6);
      const model = validateModelParams(KNeighborsClassifier, { n_neighbors: 4, weights: 'distance' });
      const state = await KNeighborsClassifier.fit(
        { data: refs, rows: nr, cols: d },
        { task: 'classification', codes, classes: ['a', 'b', 'c'] },
        model,
        ctx(),
      );
      const proba = await KNeighborsClassifier.predictProba!(
        { data: queries, rows: nq, cols: d },
        state,
        ctx(),
      );
      return { found, proba: proba.data };
    };
    const { one, two, pool } = await oneAndTwo(search);
    // 2^21 / 700 = 2995 query rows a chunk: 4 chunks per search, two searches.
    expect(pool.stats.pooledCalls).toBe(2);
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    const want = knnRef(queries, refs, d, 6);
    expect(one.found.k).toBe(6);
    expect(two.found.k).toBe(6);
    expect(isShared(two.found.indices)).toBe(false);
    expect(Array.from(one.found.indices)).toEqual(Array.from(want.indices));
    expect(bits(one.found.distances)).toEqual(bits(want.distances));
    expect(Array.from(two.found.indices)).toEqual(Array.from(want.indices));
    expect(bits(two.found.distances)).toEqual(bits(want.distances));
    expect(two.found.distances[97 * 3 * 6]).toBe(0);
    expect(bits(two.proba)).toEqual(bits(one.proba));
  });

  it('kNN: small searches, and one chunk of queries, stay on the calling thread (no copies)', async () => {
    const pool = installNodePool(2);
    const d = 4;
    // 1,000 × 50 × 4 = 0.2 M flops: below MIN_POOLED_WORK.
    const q1 = blobs(1000, d, 3, 51);
    const r1 = blobs(50, d, 3, 52);
    // 2^21 / 200,000 = 10 queries a chunk; 8 queries are one chunk (16 M flops).
    const q2 = blobs(8, d, 3, 53);
    const r2 = blobs(200_000, d, 3, 54);
    for (const [q, r] of [
      [q1, r1],
      [q2, r2],
    ] as const) {
      const got = await knnAll(null, q, r, d, 3);
      const want = knnRef(q, r, d, 3);
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(bits(got.distances)).toEqual(bits(want.distances));
    }
    expect(pool.stats.calls).toBe(2);
    expect(pool.stats.pooledCalls).toBe(0);
  });

  it('a cancel stops a pooled kNN search within a second', async () => {
    const pool = installNodePool(2, 0);
    const d = 10;
    const queries = blobs(200_000, d, 8, 41);
    const refs = blobs(20_000, d, 8, 42);
    expect(await pool.warm()).toBe(true);
    const controller = new AbortController();
    // ~40 G flops in 1,910 chunks: far from done 300 ms in.
    const search = knnAll(null, queries, refs, d, 5, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 300));
    const asked = performance.now();
    controller.abort();
    const error = await search.then(
      () => null,
      (e: unknown) => e,
    );
    expect(performance.now() - asked).toBeLessThan(1000);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).name).toBe('Cancelled');
    expect(pool.stats.calls).toBe(1);
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

  it('StandardScaler (fit moments and transform): bit-identical on 1 and 2 threads, columns in shared memory', async () => {
    const n = 70_000;
    const d = 5;
    const data = blobs(n, d, 4, 13);
    const fitTransform = async () => {
      // As the catalog does at load: numeric columns into shared memory once (no-op on one thread).
      const table = shareTable(
        frameFrom(
          Array.from({ length: d }, (_, j) => {
            const col = Float64Array.from({ length: n }, (_, i) => data[i * d + j]! * (j + 1) + 100 * j);
            if (j === 2) for (let i = 0; i < n; i += 97) col[i] = Number.NaN; // missing values pass through
            return outColumn(`x${j}`, 'float', floatData(col));
          }),
          n,
          'test',
        ),
      );
      const params = validateParams(StandardScaler, {});
      const state = await StandardScaler.fit(table, params, ctx());
      const out = await StandardScaler.transform(table, state, ctx());
      const columns = Array.from({ length: d }, (_, j) => out.getChildAt(j)!.toArray() as Float64Array);
      return { state, columns, shared: columns.every(isShared) };
    };
    const { one, two, pool } = await oneAndTwo(fitTransform);
    // Two moment passes and the transform per column; the column with missing values is read into
    // an ordinary copy (readNumeric), so its three calls run inline — the same numbers.
    expect(pool.stats.pooledCalls).toBe(3 * (d - 1));
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    expect(one.shared).toBe(false);
    expect(two.shared).toBe(true);
    expect(two.state.n_samples_seen).toEqual(one.state.n_samples_seen);
    expect(one.state.n_samples_seen[2]).toBe(n - Math.ceil(n / 97));
    expect(bits(Float64Array.from(two.state.mean!))).toEqual(bits(Float64Array.from(one.state.mean!)));
    expect(bits(Float64Array.from(two.state.var!))).toEqual(bits(Float64Array.from(one.state.var!)));
    for (let j = 0; j < d; j++) expect(bits(two.columns[j]!)).toEqual(bits(one.columns[j]!));
    // The fixed chunk order is a different (not a worse) rounding than one running sum.
    const col = one.columns[3]!;
    const m = nanMoments(col);
    expect(Math.abs(m.mean)).toBeLessThan(1e-12);
    expect(Math.abs(m.variance - 1)).toBeLessThan(1e-12);
  });

  it('pooled moments equal nanMoments to rounding, and run inline for an ordinary column', async () => {
    installNodePool(2, 0);
    const rng = createRng(8);
    const values = Float64Array.from({ length: 50_000 }, () => rng.normal() * 3 + 1e6);
    const before = computePool().stats.pooledCalls;
    const inline = await pooledMoments(values);
    expect(computePool().stats.pooledCalls).toBe(before);
    const pooled = await pooledMoments(computePool().share(values));
    expect(computePool().stats.pooledCalls).toBe(before + 2);
    expect(pooled).toEqual(inline);
    const ref = nanMoments(values);
    expect(inline.count).toBe(ref.count);
    expect(inline.mean).toBeCloseTo(ref.mean, 6);
    expect(Math.abs(inline.variance - ref.variance) / ref.variance).toBeLessThan(1e-9);
  });

  it('Gram matrix and PCA: bit-identical on 1 and 2 threads, and equal to gramCpu', async () => {
    const n = 30_000;
    const d = 12;
    const data = blobs(n, d, 5, 17);
    const columns = Array.from({ length: d }, (_, j) =>
      Float64Array.from({ length: n }, (_, i) => data[i * d + j]!),
    );
    const center = Array.from({ length: d }, (_, j) => j * 0.1);
    const fit = async () => {
      const table = shareTable(
        frameFrom(
          [
            ...columns.map((c, j) => outColumn(`x${j}`, 'float', floatData(c))),
            outColumn('label', 'categorical', labelData(new Int32Array(n), ['a'])),
          ],
          n,
          'test',
        ),
      );
      const params = validateParams(PCA, { n_components: 3, svd_solver: 'full', columns: null });
      const state = await PCA.fit(table, params, ctx());
      const out = await PCA.transform(table, state, ctx());
      return {
        gram: await gramPooled(columns, center),
        state,
        scores: [0, 1, 2].map((c) => out.getChild(`pca${c}`)!.toArray() as Float64Array),
      };
    };
    const { one, two, pool } = await oneAndTwo(fit);
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    expect(bits(one.gram)).toEqual(bits(gramCpu(columns, center)));
    expect(bits(two.gram)).toEqual(bits(one.gram));
    expect(two.state.explained_variance).toEqual(one.state.explained_variance);
    expect(two.state.components).toEqual(one.state.components);
    for (let c = 0; c < 3; c++) expect(bits(two.scores[c]!)).toEqual(bits(one.scores[c]!));
  });

  it('shareTable moves numeric columns (values and nulls) into shared memory once, and nothing on one thread', () => {
    const n = 20_000;
    const values = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? Number.NaN : i / 3));
    const table = frameFrom(
      [
        outColumn('x', 'float', floatData(values)),
        outColumn(
          'c',
          'categorical',
          labelData(
            Int32Array.from({ length: n }, (_, i) => i % 3),
            ['a', 'b', 'c'],
          ),
        ),
      ],
      n,
      'test',
    );
    installComputePool(null);
    expect(shareTable(table)).toBe(table);
    installNodePool(2);
    const shared = shareTable(table);
    expect(shared).not.toBe(table);
    const x = shared.getChild('x')!.data[0]!;
    expect(isShared(x.values)).toBe(true);
    expect(isShared(x.nullBitmap!)).toBe(true);
    expect(x.nullCount).toBe(n / 10);
    expect(isShared(shared.getChild('c')!.data[0]!.values)).toBe(false);
    expect(shared.schema.fields.map((f) => [f.name, Object.fromEntries(f.metadata)])).toEqual(
      table.schema.fields.map((f) => [f.name, Object.fromEntries(f.metadata)]),
    );
    expect(shared.getChild('x')!.toArray()).toEqual(table.getChild('x')!.toArray());
    expect(shared.getChild('x')!.get(10)).toBeNull();
    expect(shared.getChild('c')!.toArray()).toEqual(table.getChild('c')!.toArray());
    expect(shareTable(shared)).toBe(shared);
    // One chunk of rows never reaches the helpers: such a table stays as it is.
    const small = frameFrom([outColumn('x', 'float', floatData(values.slice(0, 8192)))], 8192, 'test');
    expect(shareTable(small)).toBe(small);
  });
});
