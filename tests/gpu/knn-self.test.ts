/**
 * knnSelfRef (the CPU path of every self-kNN: t-SNE's and UMAP's graphs below NN-descent's size)
 * against the plain reference knnRef(X, X): the same indices and the same float64 distances, bit
 * for bit, ties included — on seeded random data, on small integers full of ties and duplicate
 * rows (like digits' pixels), and at the edges (k ≥ n, one row).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { knnRef, knnSelfRef } from '../../src/gpu/kernels/knn/knn.ref';

function same(X: Float32Array | Float64Array, d: number, k: number): void {
  const want = knnRef(X, X, d, k);
  const got = knnSelfRef(X, d, k);
  expect(got.k).toBe(want.k);
  expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
  expect(got.distances.every((v, i) => Object.is(v, want.distances[i]))).toBe(true);
}

describe('knnSelfRef', () => {
  it('equals knnRef(X, X) bit for bit on seeded random rows', () => {
    const rng = createRng(3);
    for (const [n, d, k] of [
      [300, 7, 15],
      [257, 50, 31],
      [64, 3, 90],
    ] as const) {
      same(
        Float32Array.from({ length: n * d }, () => rng.normal()),
        d,
        k,
      );
      same(
        Float64Array.from({ length: n * d }, () => rng.normal()),
        d,
        k,
      );
    }
  });

  it('resolves ties and duplicate rows exactly as knnRef (lower index first)', () => {
    const rng = createRng(4);
    // Values 0..2 in 4 dimensions: 81 distinct rows for 400 rows, so many duplicates and ties.
    const X = Float32Array.from({ length: 400 * 4 }, () => rng.int(3));
    same(X, 4, 20);
    const got = knnSelfRef(X, 4, 20);
    // Some row's nearest is another row at distance 0 listed before it.
    expect(got.indices.some((j, e) => e % 20 === 0 && j !== Math.floor(e / 20))).toBe(true);
  });

  it('handles k ≥ n and a single row', () => {
    same(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 10);
    same(Float32Array.from([1, 2]), 2, 5);
    expect(knnSelfRef(new Float32Array(0), 3, 5).indices.length).toBe(0);
  });
});
