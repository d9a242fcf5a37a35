/**
 * t-SNE (src/models/embedding/tsne.ts) with its three repulsion methods, on digits (1797 × 64,
 * raw pixels), on seeded blobs of 5,000 × 50 (exact against the approximations) and on
 * BENCH_TSNE_ROWS × 50 blobs (default 70,000; the approximate default only — the exact gradient
 * would take hours there). Blobs: bench/cases/umap.ts's generator, `createRng(42)`.
 *
 * In Node there is no WebGPU, so these are CPU paths: 'exact' is n²/2 pair evaluations per
 * iteration, 'barnes_hut' sklearn's quadtree (angle 0.5), 'fft' the CPU reference of the WebGPU
 * FFT-interpolation kernels; above 4096 rows the approximate methods take NN-descent's neighbours.
 * 'auto' (ours) is exact below 5,000 rows and Barnes–Hut from there on the CPU. Trustworthiness
 * (k = 10; on a seeded 5,000-row sample above that) is printed to stderr after the first run,
 * outside the timed part.
 *
 * The blobs are also written to $TMPDIR/benchtop-tsne-blobs-<n>x50.f32 (float32, row-major), so
 * that bench/tsne_sklearn.py can time scikit-learn's TSNE on the very same numbers.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embed } from '../../src/models/embedding/embed';
import type { TsneMethod } from '../../src/models/embedding/tsne';
import type { BenchCase, BenchImpl } from '../harness';
import { blobsMatrix, digitsMatrix, quality } from './umap';

type Context = ReturnType<typeof digitsMatrix>;

function blobs(n: number): Context {
  const c = blobsMatrix(n, 50, 42);
  writeFileSync(join(tmpdir(), `benchtop-tsne-blobs-${n}x50.f32`), new Uint8Array(c.X.buffer));
  return c;
}

function impl(tsneMethod: TsneMethod, ours = false): BenchImpl<Context> {
  return {
    name: `benchtop t-SNE ${tsneMethod}${ours ? ' (default)' : ''}, CPU path in Node`,
    ours,
    run: (c) => embed(c.X, c.n, c.d, { method: 'tsne', seed: 0, tsneMethod }, null),
    check: (c, Y) => `trustworthiness(k=10) ${quality(c, Y as Float32Array).toFixed(4)}`,
  };
}

export function tsneCases(syntheticRows: number): BenchCase<Context>[] {
  return [
    {
      name: 'tsne digits 1,797 × 64',
      setup: async () => digitsMatrix(),
      impls: [impl('auto', true), impl('barnes_hut'), impl('fft')],
    },
    {
      name: 'tsne blobs 5,000 × 50',
      setup: async () => blobs(5000),
      impls: [impl('auto', true), impl('exact'), impl('fft')],
    },
    {
      name: `tsne blobs ${syntheticRows.toLocaleString('en')} × 50`,
      setup: async () => blobs(syntheticRows),
      impls: [impl('auto', true)],
    },
  ];
}
