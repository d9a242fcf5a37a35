/**
 * UMAP on digits (1797 × 64, public/samples/digits.csv, raw pixels) and on a seeded synthetic
 * set of Gaussian blobs (BENCH_UMAP_ROWS × 50, default 70,000; 10 centres drawn N(0, 3²) per
 * coordinate, unit noise; `blobs(n, 50, 42)` of tests/support/blobs.ts), against umap-js 1.4.0
 * with its defaults in the same process. Both produce 2-D layouts with n_neighbors 15, min_dist
 * 0.1; umap-js picks 500/400/300/200 epochs by size, ours umap-learn's 500 (≤ 10,000 rows) / 200.
 *
 * Each implementation runs in its own process (bench/run.ts) and imports only its own library:
 * importing apache-arrow or our engine made umap-js 1.8× slower in Node 20.
 *
 * In Node there is no WebGPU and no Web Worker, so ours runs its CPU path on one thread: exact kNN
 * below 4096 rows and NN-descent above (as umap-learn; umap-js always uses NN-descent), and the CPU
 * reference of the layout kernel (the browser uses every core: bench/browser-umap.ts). The
 * trustworthiness (k = 10) of both layouts is printed to stderr, outside the timed part, for digits
 * (and for a 5,000-row sample of the synthetic layouts, whose full O(n²) check would take longer).
 */
import { readFileSync } from 'node:fs';
import { createRng } from '../../src/core/rng';
import { trustworthiness } from '../../src/models/embedding/trustworthiness';
import { blobs, sampleRows } from '../../tests/support/blobs';
import type { BenchCase } from '../harness';

interface UmapContext {
  X: Float32Array;
  rows: number[][];
  n: number;
  d: number;
}

export function digitsMatrix(): UmapContext {
  const lines = readFileSync(new URL('../../public/samples/digits.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const rows = lines.map((l) => l.split(',').slice(0, 64).map(Number));
  return { X: Float32Array.from(rows.flat()), rows, n: rows.length, d: 64 };
}

export function blobsMatrix(n: number, d: number, seed: number): UmapContext {
  const X = blobs(n, d, seed);
  const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));
  return { X, rows, n, d };
}

/** Trustworthiness of a layout on at most `limit` rows (a seeded sample above that). */
export function quality(c: UmapContext, Y: Float32Array, limit = 5000): number {
  if (c.n <= limit) return trustworthiness(c.X, Y, c.n, c.d, 2, 10);
  const { Xs, Ys } = sampleRows(c.X, Y, c.n, c.d, limit, 7);
  return trustworthiness(Xs, Ys, limit, c.d, 2, 10);
}

function umapCase(name: string, setup: () => UmapContext): BenchCase<UmapContext> {
  return {
    name,
    setup: async () => setup(),
    impls: [
      {
        name: 'benchtop embed umap (CPU path in Node)',
        ours: true,
        async prepare(c: UmapContext) {
          const { embed } = await import('../../src/models/embedding/embed');
          return () => embed(c.X, c.n, c.d, { method: 'umap', seed: 0 }, null);
        },
        run: (layout: () => Promise<Float32Array>) => layout(),
        quality: (c, Y) => `trustworthiness(k=10) ${quality(c, Y as Float32Array).toFixed(4)}`,
      },
      {
        name: 'umap-js 1.4.0 fit',
        async prepare(c: UmapContext) {
          const { UMAP } = await import('umap-js');
          return () => {
            const rng = createRng(0);
            return new Float32Array(new UMAP({ random: () => rng.next() }).fit(c.rows).flat());
          };
        },
        run: (layout: () => Float32Array) => layout(),
        quality: (c, Y) => `trustworthiness(k=10) ${quality(c, Y as Float32Array).toFixed(4)}`,
      },
    ],
  };
}

export function umapCases(syntheticRows: number): BenchCase<UmapContext>[] {
  return [
    umapCase('umap digits 1,797 × 64', digitsMatrix),
    umapCase(`umap blobs ${syntheticRows.toLocaleString('en')} × 50`, () =>
      blobsMatrix(syntheticRows, 50, 42),
    ),
  ];
}
