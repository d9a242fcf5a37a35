/**
 * centeredGram takes rows four at a time; every entry must still add its terms row by row, in row
 * order, so the Gram matrix (and Ridge / LinearRegression fits) stay bit-identical to the plain
 * row-by-row loop below.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { centeredGram, columnMeans } from '../../src/models/linalg';

/** The row-by-row loop centeredGram replaced (the oracle). */
function rowByRow(rows: number, d: number, data: Float64Array, mean: Float64Array): Float64Array {
  const G = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) G[a * d + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) G[a * d + b] = G[b * d + a]!;
  return G;
}

/** Measurements and sparse 0/1 columns (one-hot), as a preprocessed real dataset gives. */
function matrix(rows: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const data = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < d; j++) data[i * d + j] = j < d / 3 ? rng.normal() * 1e3 : rng.next() < 0.1 ? 1 : 0;
  return data;
}

const bits = (a: Float64Array) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

describe('centeredGram', () => {
  for (const rows of [1, 2, 3, 4, 5, 6, 7, 403]) {
    it(`is bit-identical to the row-by-row loop (${rows} rows, every remainder of 4)`, () => {
      const d = 37;
      const data = matrix(rows, d, rows);
      const X = { rows, cols: d, data };
      const mean = columnMeans(X);
      expect(bits(centeredGram(X, mean))).toEqual(bits(rowByRow(rows, d, data, mean)));
    });
  }

  it('skips exact zeros as the row-by-row loop does (zero means, non-finite values)', () => {
    const rows = 50;
    const d = 9;
    const data = matrix(rows, d, 3);
    // Uncentred one-hot (mean 0: most centred values are exactly 0), an infinity and a NaN in
    // rows where other columns are 0 — a 0 · ∞ term would be NaN, so skipping must match.
    data[7 * d + 1] = Number.POSITIVE_INFINITY;
    data[12 * d + 2] = Number.NaN;
    const X = { rows, cols: d, data };
    const mean = new Float64Array(d);
    const got = bits(centeredGram(X, mean));
    expect(got).toEqual(bits(rowByRow(rows, d, data, mean)));
    expect(got.some((v) => v === 'NaN')).toBe(true);
    expect(got.some((v) => v === 'Infinity')).toBe(true);
  });
});
