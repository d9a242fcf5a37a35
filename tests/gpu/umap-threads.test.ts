/**
 * The threaded UMAP layout's parts that need no browser: how vertices are split between threads,
 * and that without Web Workers (Node, here) it is the single-thread reference.
 */
import { describe, expect, it } from 'vitest';
import { umapLayoutRef } from '../../src/gpu/kernels/umap/umap.ref';
import { layoutThreadCount, splitByEdges, umapLayoutThreaded } from '../../src/gpu/kernels/umap/umap.threads';

describe('splitByEdges', () => {
  it('cuts vertices into contiguous ranges of about equal edge counts', () => {
    // Vertex i has i edges: 0, 1, 2, …, 99 (4950 in all).
    const n = 100;
    const rowStart = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i]! + i;
    for (const parts of [1, 2, 3, 7]) {
      const cuts = splitByEdges(rowStart, n, parts);
      expect(cuts).toHaveLength(parts + 1);
      expect(cuts[0]).toBe(0);
      expect(cuts.at(-1)).toBe(n);
      for (let p = 0; p < parts; p++) {
        expect(cuts[p + 1]!).toBeGreaterThanOrEqual(cuts[p]!);
        const edges = rowStart[cuts[p + 1]!]! - rowStart[cuts[p]!]!;
        // Within one vertex's edges (≤ 99) of an equal share.
        expect(Math.abs(edges - 4950 / parts)).toBeLessThanOrEqual(99);
      }
    }
    // More parts than vertices with edges: empty ranges, never out of order.
    const sparse = Uint32Array.from([0, 0, 0, 5]);
    expect(splitByEdges(sparse, 3, 4)).toEqual([0, 3, 3, 3, 3]);
  });
});

describe('umapLayoutThreaded without Web Workers', () => {
  it('is the reference', async () => {
    expect(typeof Worker).toBe('undefined');
    expect(layoutThreadCount(100_000, 4)).toBe(1);
    const n = 50;
    const rowStart = Uint32Array.from({ length: n + 1 }, (_, i) => 2 * i);
    const tail = Uint32Array.from({ length: 2 * n }, (_, e) => (Math.floor(e / 2) + 1 + (e % 2)) % n);
    const schedule = Float32Array.from({ length: 4 * n }, (_, k) => (k % 2 ? 0.2 : 1 + (k % 3)));
    const embedding = Float32Array.from({ length: 2 * n }, (_, k) => (k * 0.37) % 10);
    const input = {
      n,
      rowStart,
      tail,
      schedule,
      embedding,
      a: 1.58,
      b: 0.9,
      gamma: 1,
      alpha: 1,
      nEpochs: 40,
      seed: 3,
    };
    const want = await umapLayoutRef(input);
    expect(await umapLayoutThreaded(input, {}, { threads: 4 })).toEqual(want);
  });
});
