import { describe, expect, it } from 'vitest';
import { projectColumns } from '../../src/core/project';
import { createRng } from '../../src/core/rng';
import { gramCpu, gramHasWasm, SLICE_ROWS } from '../../src/gpu/kernels/gram/gram.cpu';
import { gramRef } from '../../src/gpu/kernels/gram/gram.ref';

/** The CPU kernels where users run them: Chromium's WebAssembly SIMD, in an isolated page. */
describe('CPU kernels in the browser', () => {
  it('the test page is cross-origin isolated (vite server headers)', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it('runs the Gram matrix in WASM SIMD with the JS loop’s numbers, within tolerance of gramRef', () => {
    expect(gramHasWasm()).toBe(true);
    const rng = createRng(5);
    const n = SLICE_ROWS + 333;
    const cols = Array.from({ length: 11 }, (_, j) =>
      Float64Array.from({ length: n }, () => rng.normal() + j),
    );
    const center = Array.from({ length: 11 }, (_, j) => j);
    const wasm = gramCpu(cols, center, 'wasm');
    expect(Array.from(wasm)).toEqual(Array.from(gramCpu(cols, center, 'js')));
    const ref = gramRef(cols, center);
    for (let i = 0; i < wasm.length; i++)
      expect(Math.abs(wasm[i]! - ref[i]!)).toBeLessThan(1e-9 * Math.abs(ref[i]!) + 1e-9);
  });

  it('projects with the WASM GEMM and the JS loop to the same numbers', () => {
    const rng = createRng(6);
    const cols = Array.from({ length: 30 }, () => Float64Array.from({ length: 1001 }, () => rng.normal()));
    const w = Array.from({ length: 7 }, () => Array.from({ length: 30 }, () => rng.normal()));
    const wasm = projectColumns(cols, null, w, 'wasm').map((c) => Array.from(c));
    expect(wasm).toEqual(projectColumns(cols, null, w, 'js').map((c) => Array.from(c)));
  });
});
