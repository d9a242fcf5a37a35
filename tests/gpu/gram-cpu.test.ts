import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWat, wasmModuleSource } from '../../scripts/wasm';
import { createRng } from '../../src/core/rng';
import {
  GRAM_CPU_TOLERANCE,
  gramCpu,
  gramHasWasm,
  gramSlices,
  SLICE_ROWS,
} from '../../src/gpu/kernels/gram/gram.cpu';
import { gramRef } from '../../src/gpu/kernels/gram/gram.ref';

const WAT = new URL('../../src/core/wasm/kernels.wat', import.meta.url);
const GENERATED = new URL('../../src/core/wasm/kernels.wasm.ts', import.meta.url);

function columns(n: number, d: number, seed: number, f32 = false) {
  const rng = createRng(seed);
  return Array.from({ length: d }, (_, j) => {
    const values = Array.from({ length: n }, () => rng.normal() * (j + 1) + j);
    return f32 ? Float32Array.from(values) : Float64Array.from(values);
  });
}

/** The documented order written out plainly: per slice a sum from zero in row order, slices added in order. */
function slicedOracle(cols: (Float64Array | Float32Array)[], center: number[] | null): Float64Array {
  const d = cols.length;
  const n = d === 0 ? 0 : cols[0]!.length;
  const g = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let total = 0;
      for (const [start, end] of gramSlices(n)) {
        let s = 0;
        for (let i = start; i < end; i++) {
          s += (cols[a]![i]! - (center ? center[a]! : 0)) * (cols[b]![i]! - (center ? center[b]! : 0));
        }
        total += s;
      }
      g[a * d + b] = total;
      g[b * d + a] = total;
    }
  }
  return g;
}

const SHAPES: [number, number][] = [
  [1, 1],
  [7, 3],
  [129, 5],
  [300, 8],
  [SLICE_ROWS + 77, 6],
  [2 * SLICE_ROWS + 5, 13],
  [5000, 37],
];

describe('gramCpu (blocked, WASM SIMD / JS)', () => {
  it('the committed module is kernels.wat compiled (npm run wasm)', async () => {
    const source = readFileSync(WAT, 'utf8');
    const bytes = await compileWat(source, 'kernels.wat');
    expect(readFileSync(GENERATED, 'utf8')).toBe(wasmModuleSource(WAT.pathname, bytes));
  });

  it('has WASM SIMD in this Node', () => {
    expect(gramHasWasm()).toBe(true);
  });

  for (const [n, d] of SHAPES) {
    it(`${n} × ${d}: wasm and JS equal the sliced sums bit for bit, and gramRef within tolerance`, () => {
      const cols = columns(n, d, n + d);
      const center = Array.from({ length: d }, (_, j) => j + 0.25);
      for (const c of [center, null]) {
        const oracle = slicedOracle(cols, c);
        const wasm = gramCpu(cols, c, 'wasm');
        const js = gramCpu(cols, c, 'js');
        expect(Array.from(wasm)).toEqual(Array.from(oracle));
        expect(Array.from(js)).toEqual(Array.from(oracle));
        const ref = gramRef(cols, c);
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            const bound = n * GRAM_CPU_TOLERANCE * Math.sqrt(ref[a * d + a]! * ref[b * d + b]!);
            expect(Math.abs(wasm[a * d + b]! - ref[a * d + b]!)).toBeLessThanOrEqual(bound);
          }
        }
      }
    });
  }

  it('one slice is gramRef exactly (the same single running sum)', () => {
    const cols = columns(SLICE_ROWS, 9, 3);
    expect(Array.from(gramCpu(cols, [1, 2, 3, 4, 5, 6, 7, 8, 9]))).toEqual(
      Array.from(gramRef(cols, [1, 2, 3, 4, 5, 6, 7, 8, 9])),
    );
  });

  it('takes float32 columns like gramRef', () => {
    const cols = columns(1000, 6, 9, true);
    expect(Array.from(gramCpu(cols, null, 'wasm'))).toEqual(Array.from(gramRef(cols, null)));
    expect(Array.from(gramCpu(cols, null, 'js'))).toEqual(Array.from(gramRef(cols, null)));
  });

  it('no columns or no rows give an empty or zero matrix', () => {
    expect(gramCpu([], null)).toEqual(new Float64Array(0));
    expect(Array.from(gramCpu([new Float64Array(0), new Float64Array(0)], null))).toEqual([0, 0, 0, 0]);
  });
});
