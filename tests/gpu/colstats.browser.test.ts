/**
 * The colstats kernel on a real WebGPU device (SwiftShader in CI) against the float64 reference.
 * These tests must fail, not skip, without WebGPU: the real GPU path is what they are for.
 *
 * Tolerance (derived in colstats.ts): f32 tiles accumulate at most ~24 roundings per path, so
 * mean and variance stay within REL = 1e-5 of the reference (mean relative to max(|mean|, std)).
 * Counts, min and max are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { type ColStats, colStats, colStatsAll, colStatsRef } from '../../src/gpu/kernels/colstats/colstats';
import { TILE } from '../../src/gpu/kernels/colstats/colstats.wgsl';

const REL = 1e-5;

let compute: Compute;

beforeAll(async () => {
  compute = await initCompute();
});

afterAll(() => compute?.dispose());

function gpu() {
  if (!compute.gpu) throw new Error(`no GPU device: ${JSON.stringify(compute.info().fallbacks)}`);
  return compute.gpu;
}

/** Normal values around `offset`, with about 2% NaN and 1% each of +Infinity and -Infinity. */
function column<T extends Float32Array | Float64Array>(
  make: new (n: number) => T,
  n: number,
  seed: number,
  offset = 0,
): T {
  const rng = createRng(seed);
  const out = new make(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    out[i] = u < 0.02 ? NaN : u < 0.03 ? Infinity : u < 0.04 ? -Infinity : offset + rng.normal() * 4;
  }
  return out;
}

function expectAgrees(got: ColStats, want: ColStats): void {
  expect(got.fallback, 'the GPU path ran (no silent fallback to the reference)').toBeUndefined();
  expect({ count: got.count, nan: got.nan, posInf: got.posInf, negInf: got.negInf }).toEqual({
    count: want.count,
    nan: want.nan,
    posInf: want.posInf,
    negInf: want.negInf,
  });
  if (want.count === 0) {
    for (const v of [got.mean, got.variance, got.min, got.max]) expect(v).toBeNaN();
    return;
  }
  expect(got.min).toBe(want.min);
  expect(got.max).toBe(want.max);
  const scale = Math.max(Math.abs(want.mean), Math.sqrt(want.variance));
  expect(Math.abs(got.mean - want.mean)).toBeLessThanOrEqual(REL * scale);
  expect(Math.abs(got.variance - want.variance)).toBeLessThanOrEqual(REL * want.variance + 1e-30);
  expect(Math.abs(got.m2 - want.m2)).toBeLessThanOrEqual(REL * want.m2 + 1e-30);
}

describe('colstats on WebGPU', () => {
  it('has a real WebGPU device', () => {
    expect(navigator.gpu).toBeDefined();
    const info = compute.info();
    expect(info.kernels).toBe('webgpu');
    expect(info.adapter).not.toBeNull();
    expect(info.adapter?.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  it('matches the reference for lengths around the workgroup and tile sizes', async () => {
    for (const n of [1, 2, 255, 256, 257, TILE - 1, TILE, TILE + 1, 100_003]) {
      const col = column(Float32Array, n, n);
      expectAgrees(await colStats(gpu(), col), colStatsRef(col));
    }
  });

  it('keeps precision with an offset far from zero (shifted before the f32 reduction)', async () => {
    const col = column(Float32Array, 20_000, 1, 1000);
    const got = await colStats(gpu(), col);
    const want = colStatsRef(col);
    expectAgrees(got, want);
    expect(want.variance).toBeGreaterThan(10); // a real spread, not a degenerate case
  });

  it('splits a column larger than one binding into chunks and merges them', async () => {
    const col = column(Float32Array, 30_011, 2, -3);
    const want = colStatsRef(col);
    for (const maxBindingElements of [TILE * 2, 1000, 257]) {
      expectAgrees(await colStats(gpu(), col, { maxBindingElements }), want);
    }
  });

  it('accepts Float64Array input, including 1e8 + noise where f32 alone has no digits left', async () => {
    const plain = column(Float64Array, 10_007, 3);
    expectAgrees(await colStats(gpu(), plain), colStatsRef(plain));
    const offset = column(Float64Array, 10_007, 4, 1e8);
    const got = await colStats(gpu(), offset, { maxBindingElements: 3000 });
    const want = colStatsRef(offset);
    expectAgrees(got, want);
    expect(want.variance).toBeGreaterThan(10);
  });

  it('handles empty, all-missing and constant columns', async () => {
    expectAgrees(await colStats(gpu(), new Float32Array(0)), colStatsRef(new Float32Array(0)));
    const missing = Float32Array.of(NaN, Infinity, NaN, -Infinity);
    expectAgrees(await colStats(gpu(), missing), colStatsRef(missing));
    const constant = new Float32Array(5000).fill(-2.5);
    const s = await colStats(gpu(), constant);
    expect([s.count, s.mean, s.variance, s.min, s.max]).toEqual([5000, -2.5, 0, -2.5, -2.5]);
  });

  it('falls back to the reference when squared deviations overflow f32', async () => {
    const col = Float32Array.of(1e30, -1e30, 3e30, 0);
    const got = await colStats(gpu(), col);
    expect(got).toEqual({ ...colStatsRef(col), fallback: 'the float32 moments overflowed' });
    expect(Number.isFinite(got.variance)).toBe(true);
    // Float64 values beyond the f32 range must not turn into ±Infinity counts.
    const wide = Float64Array.of(1e300, -1e300, 5, NaN);
    const wideGot = await colStats(gpu(), wide);
    expect(wideGot).toEqual({ ...colStatsRef(wide), fallback: 'values beyond the float32 range' });
    expect([wideGot.count, wideGot.posInf, wideGot.negInf]).toEqual([3, 0, 0]);
  });

  it('colStatsAll batches several columns and agrees with one-by-one results', async () => {
    const cols = [
      column(Float32Array, 5000, 10),
      new Float64Array(0),
      column(Float64Array, 777, 11, 50),
      Float32Array.of(7),
    ];
    const fractions: number[] = [];
    const all = await colStatsAll(compute, cols, {
      maxBindingElements: 2000,
      onProgress: (f) => fractions.push(f),
    });
    expect(all).toHaveLength(cols.length);
    for (const [i, col] of cols.entries()) expectAgrees(all[i] as ColStats, colStatsRef(col));
    expect(fractions.at(-1)).toBe(1);
  });

  it('stops with Cancelled when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(colStats(gpu(), new Float32Array(10), { signal: controller.signal })).rejects.toMatchObject({
      name: 'Cancelled',
    });
  });

  it('cancels between chunks and leaves the device usable', async () => {
    const controller = new AbortController();
    const col = column(Float32Array, 20_000, 5);
    const run = colStats(gpu(), col, {
      maxBindingElements: TILE,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'Cancelled' });
    expectAgrees(await colStats(gpu(), col), colStatsRef(col));
  });

  it('measures 1M elements (information only, never asserted)', async () => {
    const col = column(Float32Array, 1_000_000, 99, 10);
    await colStats(gpu(), col); // warm the pipeline
    let t = performance.now();
    const got = await colStats(gpu(), col);
    const kernelMs = performance.now() - t;
    t = performance.now();
    const want = colStatsRef(col);
    const refMs = performance.now() - t;
    expectAgrees(got, want);
    const meanErr = Math.abs(got.mean - want.mean) / Math.sqrt(want.variance);
    const varErr = Math.abs(got.variance - want.variance) / want.variance;
    console.info(
      `colstats 1M f32: kernel ${kernelMs.toFixed(1)} ms, reference ${refMs.toFixed(1)} ms; ` +
        `relative error mean ${meanErr.toExponential(1)}, variance ${varErr.toExponential(1)}`,
    );
  });
});
