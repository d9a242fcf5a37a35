/**
 * The UMAP layout's threaded CPU path (src/gpu/kernels/umap/umap.threads.ts) in a real browser with
 * real Web Workers (workers/umap-layout.worker.ts served by Vite): for any number of threads it must
 * give umapLayoutRef's numbers bit for bit, report progress the same way, stop on abort, and, when a
 * worker cannot start, rerun on one thread with the same result.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { umapLayoutRef } from '../../src/gpu/kernels/umap/umap.ref';
import {
  layoutThreadCount,
  MIN_ROWS,
  spawnLayoutWorker,
  umapLayoutThreaded,
} from '../../src/gpu/kernels/umap/umap.threads';
import { knnGraph } from '../../src/models/embedding/knn-graph';
import { findAbParams, fuzzySimplicialSet, layoutInput, spectralInit } from '../../src/models/embedding/umap';

async function problem(n: number, d: number, nEpochs: number) {
  const rng = createRng(n);
  const centres = Array.from({ length: 5 * d }, () => 5 * rng.normal());
  const X = Float32Array.from(
    { length: n * d },
    (_, k) => centres[(Math.floor(k / d) % 5) * d + (k % d)]! + rng.normal(),
  );
  const g = fuzzySimplicialSet(await knnGraph(null, X, n, d, 15, true), n);
  return layoutInput(g, await spectralInit(g, createRng(1)), {
    ...findAbParams(1, 0.1),
    nEpochs,
    negativeSampleRate: 5,
    gamma: 1,
    alpha: 1,
    seed: 5,
  });
}

const bitsEqual = (a: Float32Array, b: Float32Array): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('UMAP layout on several CPU threads', () => {
  it('gives the single-thread numbers bit for bit, with the same progress reports', async () => {
    const input = await problem(2500, 8, 40);
    expect(input.n).toBeGreaterThanOrEqual(MIN_ROWS); // else it would not use workers at all
    const reportsRef: number[] = [];
    const want = await umapLayoutRef(input, { reportEvery: 20, onEpoch: (done) => reportsRef.push(done) });
    for (const threads of [2, 3, 5]) {
      const reports: number[] = [];
      const frames: Float32Array[] = [];
      const fallbacks: string[] = [];
      let spawned = 0;
      const spawn = () => {
        spawned++;
        return spawnLayoutWorker();
      };
      const got = await umapLayoutThreaded(
        input,
        {
          reportEvery: 20,
          onEpoch: (done, positions) => {
            reports.push(done);
            frames.push(positions);
          },
        },
        { threads, spawn, onFallback: (r) => fallbacks.push(r) },
      );
      expect(fallbacks, `threads ${threads}`).toEqual([]);
      expect(spawned).toBe(threads - 1); // the calling thread runs one slice itself
      expect(bitsEqual(got, want), `threads ${threads}`).toBe(true);
      expect(reports).toEqual(reportsRef);
      expect(bitsEqual(frames.at(-1)!, want)).toBe(true);
    }
    // The layout moved: equal results are not two copies of the start.
    expect(bitsEqual(want, input.embedding)).toBe(false);
  });

  it('stops on abort, and a worker that cannot start costs a rerun on one thread, not other numbers', async () => {
    const input = await problem(2500, 6, 400);
    const controller = new AbortController();
    const run = umapLayoutThreaded(
      input,
      { signal: controller.signal, reportEvery: 1, onEpoch: (done) => done === 5 && controller.abort() },
      { threads: 2 },
    );
    await expect(run).rejects.toMatchObject({ name: 'Cancelled' });

    const short = { ...input, nEpochs: 30 };
    const want = await umapLayoutRef(short);
    const fallbacks: string[] = [];
    const broken = () =>
      new Worker(URL.createObjectURL(new Blob(['throw new Error("boom")'], { type: 'text/javascript' })));
    const got = await umapLayoutThreaded(
      short,
      {},
      { threads: 3, spawn: broken, onFallback: (r) => fallbacks.push(r) },
    );
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatch(/UMAP layout worker failed/);
    expect(bitsEqual(got, want)).toBe(true);
  });

  it('uses the cores the browser reports, at most 8, from MIN_ROWS rows on', () => {
    expect(layoutThreadCount(MIN_ROWS)).toBe(Math.min(navigator.hardwareConcurrency || 1, 8));
    expect(layoutThreadCount(MIN_ROWS, 3)).toBe(3);
    expect(layoutThreadCount(MIN_ROWS, 64)).toBe(8);
    expect(layoutThreadCount(MIN_ROWS - 1, 4)).toBe(1); // small layouts: one thread is faster
  });
});
