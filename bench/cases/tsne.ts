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
import type { TsneMethod } from '../../src/models/embedding/tsne';
import type { BenchCase, BenchImpl, NativeImpl } from '../harness';
import { blobsMatrix, digitsMatrix, quality } from './umap';

type Context = ReturnType<typeof digitsMatrix>;

const blobsFile = (n: number) => join(tmpdir(), `benchtop-tsne-blobs-${n}x50.f32`);

function blobs(n: number): Context {
  const c = blobsMatrix(n, 50, 42);
  writeFileSync(blobsFile(n), new Uint8Array(c.X.buffer));
  return c;
}

function impl(tsneMethod: TsneMethod, ours = false): BenchImpl<Context, () => Promise<Float32Array>> {
  return {
    name: `benchtop t-SNE ${tsneMethod}${ours ? ' (default)' : ''}, CPU path in Node`,
    ours,
    async prepare(c) {
      const { embed } = await import('../../src/models/embedding/embed');
      return () => embed(c.X, c.n, c.d, { method: 'tsne', seed: 0, tsneMethod }, null);
    },
    run: (layout) => layout(),
    quality: (c, Y) => `trustworthiness(k=10) ${quality(c, Y as Float32Array).toFixed(4)}`,
  };
}

/** scikit-learn's TSNE(random_state=0) (defaults: Barnes–Hut, angle 0.5, OpenMP on every core). */
const sklearnTsne = (args: Record<string, unknown>): NativeImpl[] => [
  { name: 'sklearn TSNE (barnes_hut, OpenMP)', task: 'tsne', runs: 1, args },
];

export function tsneCases(syntheticRows: number): BenchCase<Context>[] {
  return [
    {
      name: 'tsne digits 1,797 × 64',
      setup: async () => digitsMatrix(),
      impls: [impl('auto', true), impl('barnes_hut'), impl('fft')],
      native: () =>
        sklearnTsne({ csv: new URL('../../public/samples/digits.csv', import.meta.url).pathname, d: 64 }),
    },
    {
      name: 'tsne blobs 5,000 × 50',
      setup: async () => blobs(5000),
      impls: [impl('auto', true), impl('exact'), impl('fft')],
      native: () => sklearnTsne({ file: blobsFile(5000), rows: 5000, d: 50 }),
    },
    {
      name: `tsne blobs ${syntheticRows.toLocaleString('en')} × 50`,
      setup: async () => blobs(syntheticRows),
      impls: [impl('auto', true)],
    },
  ];
}
