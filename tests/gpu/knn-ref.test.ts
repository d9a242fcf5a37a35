/**
 * knnRef (knn.ref.ts `knnRows`, which stops summing a reference row once its partial sum reaches
 * the k-th best) against a plain oracle: every distance summed in column order, stable-sorted,
 * the first k finite ones kept — on rows with ties, duplicates, NaN and ±Infinity, Float32 and
 * Float64, k above and below the reference count. Indices equal and distances equal bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { knnRef } from '../../src/gpu/kernels/knn/knn.ref';

function oracle(queries: ArrayLike<number>, refs: ArrayLike<number>, d: number, k: number) {
  const nq = queries.length / d;
  const nr = refs.length / d;
  const kk = Math.min(k, nr);
  const indices = new Int32Array(nq * kk).fill(-1);
  const distances = new Float64Array(nq * kk).fill(Number.POSITIVE_INFINITY);
  for (let q = 0; q < nq; q++) {
    const all: { r: number; s: number }[] = [];
    for (let r = 0; r < nr; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (queries[q * d + j]! - refs[r * d + j]!) ** 2;
      // Only finite sums are ever inserted (s < +Infinity; NaN compares false).
      if (s < Number.POSITIVE_INFINITY) all.push({ r, s });
    }
    all.sort((a, b) => a.s - b.s || a.r - b.r);
    for (let t = 0; t < Math.min(kk, all.length); t++) {
      indices[q * kk + t] = all[t]!.r;
      distances[q * kk + t] = all[t]!.s;
    }
  }
  return { indices, distances, k: kk };
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

describe('knnRef', () => {
  it('equals the all-distances oracle bit for bit (ties, duplicates, NaN, ±Infinity)', () => {
    const rng = createRng(12);
    let early = 0;
    for (let t = 0; t < 200; t++) {
      const d = 1 + rng.int(13);
      const nq = 1 + rng.int(30);
      const nr = 1 + rng.int(50);
      const k = 1 + rng.int(60);
      const make = (n: number) => {
        const a = rng.int(2) === 0 ? new Float32Array(n * d) : new Float64Array(n * d);
        for (let i = 0; i < a.length; i++) {
          const u = rng.int(40);
          a[i] =
            u === 0
              ? Number.NaN
              : u === 1
                ? Infinity
                : u === 2
                  ? -Infinity
                  : u < 12
                    ? rng.int(3)
                    : rng.normal() * 100;
        }
        return a;
      };
      const queries = make(nq);
      const refs = make(nr);
      const got = knnRef(queries, refs, d, k);
      const want = oracle(queries, refs, d, k);
      expect(got.k).toBe(want.k);
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(bits(got.distances)).toEqual(bits(want.distances));
      if (d >= 4 && k < nr) early++;
    }
    // Enough cases where the early exit can act (d ≥ 4, fewer neighbours than references).
    expect(early).toBeGreaterThan(40);
  });
});
