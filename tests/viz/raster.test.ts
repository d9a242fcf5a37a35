import { describe, expect, it } from 'vitest';
import { finiteExtent } from '../../src/viz/domain.ts';
import { Accumulator, accumulate, composite, fill, paletteBytes, quantize } from '../../src/viz/raster.ts';
import { autoPointStyle, radiiFor } from '../../src/viz/scatter.ts';

function target(width: number, height: number) {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}
const px = (t: ReturnType<typeof target>, x: number, y: number) =>
  Array.from(t.data.subarray((y * t.width + x) * 4, (y * t.width + x) * 4 + 4));
const identity = { ax: 1, bx: 0, ay: 1, by: 0 };
const all = { x0: 0, y0: 0, width: 8, height: 8 };

describe('point rasteriser', () => {
  it('accumulates overlaps: more points on a pixel make it more opaque', () => {
    const t = target(8, 8);
    fill(t, all, '#ffffff');
    const acc = new Accumulator(8, 8);
    // 1 point at (1,1), 5 points at (5,5)
    accumulate(acc, all, [1, 5, 5, 5, 5, 5], [1, 5, 5, 5, 5, 5], identity, {
      palette: paletteBytes(['#000000']),
      radius: 0,
    });
    composite(t, acc, all, 0.3);
    expect(px(t, 1, 1)[0]).toBeCloseTo(255 * 0.7, -0.5);
    expect(px(t, 5, 5)[0]).toBeCloseTo(255 * 0.7 ** 5, -0.5);
    expect(px(t, 3, 3)).toEqual([255, 255, 255, 255]);
  });

  it('mixes colours of overlapping classes instead of letting the last one win', () => {
    const t = target(8, 8);
    fill(t, all, '#000000');
    const acc = new Accumulator(8, 8);
    accumulate(acc, all, [2, 2], [2, 2], identity, {
      palette: paletteBytes(['#ff0000', '#0000ff']),
      colorIndex: Uint8Array.from([0, 1]),
      radius: 0,
    });
    composite(t, acc, all, 1);
    expect(px(t, 2, 2)).toEqual([128, 0, 128, 255]);
  });

  it('stamps discs, clips to the viewport, skips NaN, and draws mask layers separately', () => {
    const acc = new Accumulator(8, 8);
    const viewport = { x0: 2, y0: 2, width: 4, height: 4 };
    const drawn = accumulate(acc, viewport, [3, Number.NaN, 40], [3, 3, 3], identity, {
      palette: paletteBytes(['#fff']),
      radius: 1,
    });
    expect(drawn).toBe(1);
    let covered = 0;
    for (let k = 0; k < 64; k++) covered += acc.count[k]!;
    expect(covered).toBe(9); // radius 1 covers the 3×3 block around the centre
    expect(acc.count[0]).toBe(0);
    const layer = new Accumulator(8, 8);
    accumulate(
      layer,
      all,
      [1, 2, 3],
      [1, 1, 1],
      identity,
      { palette: paletteBytes(['#fff']), radius: 0 },
      Uint8Array.from([1, 0, 1]),
      1,
    );
    expect([layer.count[9], layer.count[10], layer.count[11]]).toEqual([1, 0, 1]);
    const preview = new Accumulator(8, 8);
    const n = accumulate(
      preview,
      all,
      [0, 1, 2, 3, 4, 5],
      [0, 0, 0, 0, 0, 0],
      identity,
      { palette: paletteBytes(['#fff']), radius: 0 },
      undefined,
      1,
      2,
    );
    expect(n).toBe(3); // every 2nd point while zooming
    expect(Array.from(preview.count.subarray(0, 6))).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('quantizes values and sizes, and finds finite extents', () => {
    expect(Array.from(quantize([0, 0.5, 1, Number.NaN, 2], 0, 1, 4))).toEqual([0, 2, 3, 0, 3]);
    expect(finiteExtent(Float32Array.from([Number.NaN, 3, -Infinity, -1]))).toEqual([-1, 3]);
    expect(Array.from(radiiFor([0, 25, 100], 1, 11))).toEqual([1, 6, 11]); // sqrt: a quarter of the value → half the extra radius
    expect(autoPointStyle(1_000_000).radius).toBeLessThan(autoPointStyle(100).radius);
  });
});
