import { describe, expect, it } from 'vitest';
import { projectColumns } from '../../src/core/project';
import { createRng } from '../../src/core/rng';

/** The column-by-column loop projectColumns replaced. */
function plain(columns: Float64Array[], center: number[] | null, w: number[][]): Float64Array[] {
  const n = columns[0]?.length ?? 0;
  return w.map((row) => {
    const out = new Float64Array(n);
    row.forEach((coef, p) => {
      const c = center ? center[p]! : 0;
      for (let i = 0; i < n; i++) out[i]! += (columns[p]![i]! - c) * coef;
    });
    return out;
  });
}

describe('projectColumns (blocked X·Wᵀ)', () => {
  for (const [n, d, k] of [
    [1, 1, 1],
    [513, 7, 3],
    [2000, 20, 10],
    [1500, 5, 6],
    [777, 100, 10],
    [3, 9, 1],
  ] as const) {
    it(`${n} rows × ${d} → ${k}: the unblocked loop's numbers bit for bit`, () => {
      const rng = createRng(n + d + k);
      const cols = Array.from({ length: d }, () => Float64Array.from({ length: n }, () => rng.normal() * 3));
      const w = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal()));
      const center = Array.from({ length: d }, () => rng.normal());
      for (const c of [center, null]) {
        expect(projectColumns(cols, c, w).map((o) => Array.from(o))).toEqual(
          plain(cols, c, w).map((o) => Array.from(o)),
        );
      }
    });
  }
});
