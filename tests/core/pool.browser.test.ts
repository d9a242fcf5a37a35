/**
 * The compute pool in a real browser (workers/pool.web.ts: Web Workers served by Vite, shared
 * memory in the cross-origin isolated test page): KMeans and a LogisticRegression grid give bit
 * for bit the numbers of one thread, and the helpers really ran chunks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { floatData, frameFrom, outColumn } from '../../src/core/frame';
import { computePool, installComputePool, isShared } from '../../src/core/pool';
import { createRng } from '../../src/core/rng';
import { shareTable } from '../../src/core/shared';
import { gramCpu, gramPooled } from '../../src/gpu/kernels/gram/gram.cpu';
import { knnAll, knnRef } from '../../src/gpu/kernels/knn/knn';
import { KMeans } from '../../src/models/cluster';
import { LogisticRegression } from '../../src/models/linear';
import { validateModelParams } from '../../src/models/model';
import { validateParams } from '../../src/pipeline/step';
import PCA from '../../src/pipeline/steps/PCA';
import StandardScaler from '../../src/pipeline/steps/StandardScaler';
import { installWebPool } from '../../workers/pool.web';

const ctx = (seed = 0) => ({
  rng: createRng(seed),
  compute: null,
  signal: new AbortController().signal,
  progress: () => {},
});

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

afterEach(() => {
  installComputePool(null)?.close();
});

describe('compute pool with Web Workers', () => {
  it('has shared memory here (the test page is cross-origin isolated)', () => {
    expect(crossOriginIsolated).toBe(true);
  });

  it('KMeans and LogisticRegression: 1 and 2 threads give bit-identical results', async () => {
    const rng = createRng(21);
    const n = 80_000;
    const d = 6;
    const mu = Float64Array.from({ length: 5 * d }, () => rng.normal() * 3);
    const data = new Float64Array(n * d);
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = rng.int(5);
      codes[i] = c % 3;
      for (let j = 0; j < d; j++) data[i * d + j] = mu[c * d + j]! + rng.normal();
    }
    const X = { data, rows: n, cols: d };
    const kmeans = validateModelParams(KMeans, { n_clusters: 5, n_init: 1, max_iter: 20, tol: 0 });
    const logistic = validateModelParams(LogisticRegression, { backend: 'cpu', max_iter: 30 });
    const y = { task: 'classification' as const, codes, classes: ['a', 'b', 'c'] };
    const both = () =>
      Promise.all([
        KMeans.fit(X, { task: 'clustering' }, kmeans, ctx(3)),
        LogisticRegression.fit(X, y, logistic, ctx()),
      ]);
    installComputePool(null);
    expect(computePool().threads).toBe(1);
    const [k1, l1] = await both();
    const pool = installWebPool(2, 0);
    expect(pool.threads).toBe(2);
    const [k2, l2] = await both();
    expect(pool.stats.pooledCalls).toBeGreaterThan(5);
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    expect(k2.inertia).toBe(k1.inertia);
    expect(k2.nIter).toBe(k1.nIter);
    expect(bits(k2.centers)).toEqual(bits(k1.centers));
    expect(l2.nIter).toBe(l1.nIter);
    expect(bits(l2.coef)).toEqual(bits(l1.coef));
    expect(bits(l2.intercept)).toEqual(bits(l1.intercept));
  });

  it('StandardScaler, the Gram matrix and PCA on shared columns: 1 and 2 threads give bit-identical results', async () => {
    const rng = createRng(5);
    const n = 40_000;
    const d = 8;
    const columns = Array.from({ length: d }, (_, j) =>
      Float64Array.from({ length: n }, () => rng.normal() * (j + 1) + 10 * j),
    );
    const run = async () => {
      // As the catalog does at load: numeric columns into shared memory once (no-op on one thread).
      const table = shareTable(
        frameFrom(
          columns.map((c, j) => outColumn(`x${j}`, 'float', floatData(c))),
          n,
          'test',
        ),
      );
      const scaler = await StandardScaler.fit(table, validateParams(StandardScaler, {}), ctx());
      const scaled = await StandardScaler.transform(table, scaler, ctx());
      const pcaParams = validateParams(PCA, { n_components: 3, svd_solver: 'full' });
      const pca = await PCA.fit(scaled, pcaParams, ctx());
      const projected = await PCA.transform(scaled, pca, ctx());
      return {
        scaler,
        scaledShared: isShared(scaled.getChildAt(0)!.data[0]!.values),
        gram: await gramPooled(columns, null),
        pca,
        scores: [0, 1, 2].map((c) => projected.getChild(`pca${c}`)!.toArray() as Float64Array),
      };
    };
    installComputePool(null);
    const one = await run();
    const pool = installWebPool(2, 0);
    const two = await run();
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    expect(pool.stats.pooledCalls).toBeGreaterThan(3 * d);
    expect(one.scaledShared).toBe(false);
    expect(two.scaledShared).toBe(true);
    expect(bits(Float64Array.from(two.scaler.mean!))).toEqual(bits(Float64Array.from(one.scaler.mean!)));
    expect(bits(Float64Array.from(two.scaler.var!))).toEqual(bits(Float64Array.from(one.scaler.var!)));
    expect(bits(one.gram)).toEqual(bits(gramCpu(columns, null)));
    expect(bits(two.gram)).toEqual(bits(one.gram));
    expect(two.pca.explained_variance).toEqual(one.pca.explained_variance);
    expect(two.pca.components).toEqual(one.pca.components);
    for (let c = 0; c < 3; c++) expect(bits(two.scores[c]!)).toEqual(bits(one.scores[c]!));
  });

  it('brute-force kNN: 1 and 2 threads give knnRef bit for bit', async () => {
    const rng = createRng(9);
    const d = 6;
    const nq = 8000;
    const nr = 900;
    const queries = Float64Array.from({ length: nq * d }, () => rng.normal());
    const refs = Float64Array.from({ length: nr * d }, () => rng.normal());
    installComputePool(null);
    const one = await knnAll(null, queries, refs, d, 5);
    const pool = installWebPool(2, 0);
    const two = await knnAll(null, queries, refs, d, 5);
    // 2^21 / 900 = 2330 query rows a chunk: 4 chunks.
    expect(pool.stats.pooledCalls).toBe(1);
    expect(pool.stats.maxThreadsInOneCall).toBe(2);
    const want = knnRef(queries, refs, d, 5);
    expect(Array.from(one.indices)).toEqual(Array.from(want.indices));
    expect(bits(one.distances)).toEqual(bits(want.distances));
    expect(Array.from(two.indices)).toEqual(Array.from(want.indices));
    expect(bits(two.distances)).toEqual(bits(want.distances));
  });
});
