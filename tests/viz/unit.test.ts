import { describe, expect, it } from 'vitest';
import { clusterOrder } from '../../src/viz/cluster.ts';
import {
  formatCountCompact,
  formatNumber,
  formatShare,
  formatTick,
  truncateMiddle,
} from '../../src/viz/format.ts';
import { buildPointIndex, lassoMask, pointInPolygon, rectMask } from '../../src/viz/geometry.ts';
import { createSelectionStore, maskToRowIds, type Selection } from '../../src/viz/selection.ts';
import { divergingColor, lightTheme, textOn } from '../../src/viz/theme.ts';

describe('clusterOrder', () => {
  // Two blocks {0, 2, 4} and {1, 3}, interleaved on purpose.
  const m = [
    [1, 0.1, 0.8, 0.0, 0.7],
    [0.1, 1, 0.0, 0.9, 0.1],
    [0.8, 0.0, 1, 0.1, 0.75],
    [0.0, 0.9, 0.1, 1, 0.0],
    [0.7, 0.1, 0.75, 0.0, 1],
  ];
  it('puts each block together (average linkage)', () => {
    expect(clusterOrder(m)).toEqual([0, 2, 4, 1, 3]);
  });
  it('accepts a flat row-major matrix and gives the same order', () => {
    expect(clusterOrder(Float64Array.from(m.flat()))).toEqual(clusterOrder(m));
  });
  it('single and average linkage differ on a chain', () => {
    // Chain 0–1–2–3 with strong neighbours; 4 moderately close to 0 and 1 only.
    const d = [
      [0, 1, 5, 9, 3],
      [1, 0, 1.5, 5, 3.2],
      [5, 1.5, 0, 1.8, 9],
      [9, 5, 1.8, 0, 9],
      [3, 3.2, 9, 9, 0],
    ];
    const dist = { distance: (v: number) => v };
    expect(clusterOrder(d, { ...dist, linkage: 'single' })).toEqual([0, 1, 2, 3, 4]);
    expect(clusterOrder(d, { ...dist, linkage: 'average' })).toEqual([0, 1, 4, 2, 3]);
  });
  it('treats strong negative correlation as close, and is a permutation for NaN input', () => {
    const neg = [
      [1, 0, -0.95],
      [0, 1, 0],
      [-0.95, 0, 1],
    ];
    expect(clusterOrder(neg)).toEqual([0, 2, 1]);
    const withNaN = [
      [1, Number.NaN, 0.5],
      [Number.NaN, 1, 0.2],
      [0.5, 0.2, 1],
    ];
    expect([...clusterOrder(withNaN)].sort()).toEqual([0, 1, 2]);
  });
  it('handles 0, 1 and 2 columns and rejects a non-square flat matrix', () => {
    expect(clusterOrder([])).toEqual([]);
    expect(clusterOrder([[1]])).toEqual([0]);
    expect(clusterOrder([1, 0.5, 0.5, 1])).toEqual([0, 1]);
    expect(() => clusterOrder([1, 2, 3])).toThrow(/n²/);
  });
});

describe('lasso and rectangle selection', () => {
  // A concave "C" shape opening to the right.
  const c: [number, number][] = [
    [0, 0],
    [10, 0],
    [10, 3],
    [3, 3],
    [3, 7],
    [10, 7],
    [10, 10],
    [0, 10],
  ];
  it('point-in-polygon respects concavity', () => {
    expect(pointInPolygon(1, 5, c)).toBe(true);
    expect(pointInPolygon(6, 5, c)).toBe(false); // inside the mouth of the C
    expect(pointInPolygon(8, 1, c)).toBe(true);
    expect(pointInPolygon(11, 1, c)).toBe(false);
    expect(pointInPolygon(8, 1, c.flat())).toBe(true); // flat form
  });
  it('lassoMask selects exactly the points inside', () => {
    const x = Float32Array.from([1, 6, 8, 11, 2, Number.NaN]);
    const y = Float32Array.from([5, 5, 1, 1, 9, 5]);
    expect(Array.from(lassoMask(x, y, c))).toEqual([1, 0, 1, 0, 1, 0]);
    expect(
      Array.from(
        lassoMask(x, y, [
          [0, 0],
          [1, 1],
        ]),
      ),
    ).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('rectMask is inclusive and order-free', () => {
    const x = [0, 1, 2, 3];
    const y = [0, 1, 2, 3];
    expect(Array.from(rectMask(x, y, [2, 1], [1, 2]))).toEqual([0, 1, 1, 0]);
  });
});

describe('nearest-point index', () => {
  it('finds the same point as brute force, in pixel distance with unequal scales', () => {
    let s = 7;
    const rand = () => {
      s = (s * 16807) % 2147483647;
      return (s - 1) / 2147483646;
    };
    const n = 5000;
    const x = Float32Array.from({ length: n }, () => rand() * 100);
    const y = Float32Array.from({ length: n }, () => rand());
    const index = buildPointIndex(x, y);
    const ppu: [number, number] = [4, 400]; // 4 px per x unit, 400 px per y unit
    for (let q = 0; q < 200; q++) {
      const qx = rand() * 100;
      const qy = rand();
      let best = -1;
      let bestD = 15 * 15;
      for (let i = 0; i < n; i++) {
        const d = ((x[i]! - qx) * ppu[0]) ** 2 + ((y[i]! - qy) * ppu[1]) ** 2;
        if (d < bestD || (d === bestD && best >= 0 && i < best)) {
          best = i;
          bestD = d;
        }
      }
      expect(index.nearest(qx, qy, 15, ppu)).toBe(best);
    }
  });
  it('returns -1 beyond the radius, on empty data, and skips NaN points', () => {
    const index = buildPointIndex(Float32Array.from([0, Number.NaN]), Float32Array.from([0, 0]));
    expect(index.nearest(100, 0, 10, [1, 1])).toBe(-1);
    expect(index.nearest(1, 0, 10, [1, 1])).toBe(0);
    expect(buildPointIndex([], []).nearest(0, 0, 10, [1, 1])).toBe(-1);
  });
});

describe('selection store', () => {
  it('notifies subscribers on change only, and unsubscribes', () => {
    const store = createSelectionStore();
    const seen: (Selection | null)[] = [];
    const off = store.subscribe((s) => seen.push(s));
    const range: Selection = { source: 'h', kind: 'range', column: 'age', range: [10, 40] };
    store.set(range);
    store.set({ ...range, range: [10, 40] }); // equal: no notification
    store.set({ source: 's', kind: 'mask', mask: Uint8Array.from([0, 1, 1]) });
    store.set({ source: 's', kind: 'mask', mask: Uint8Array.from([0, 1, 1]) });
    store.clear();
    off();
    store.set(range);
    expect(seen.map((s) => s?.kind ?? null)).toEqual(['range', 'mask', null]);
    expect(store.get()).toEqual(range);
  });
  it('turns a mask into row ids', () => {
    expect(Array.from(maskToRowIds(Uint8Array.from([0, 1, 0, 1, 1])))).toEqual([1, 3, 4]);
  });
});

describe('formats and colours', () => {
  it('formats numbers, counts and shares', () => {
    expect(formatNumber(1234.5)).toBe('1,234.5');
    expect(formatNumber(-0.5)).toBe('−0.5');
    expect(formatNumber(2.5e9)).toBe('2.5B');
    expect(formatNumber(0.00001234)).toBe('1.23e−5');
    expect(formatCountCompact(12345)).toBe('12.3k');
    expect(formatShare(1, 100000)).toBe('<0.1%');
    expect(formatShare(0, 10)).toBe('0.0%');
    expect(formatTick(250000)).toBe('250k');
    expect(formatTick(2500)).toBe('2,500');
  });
  it('truncates names in the middle so shared prefixes stay distinguishable', () => {
    expect(truncateMiddle('feature_number_12', 9)).toBe('feat…r_12');
    expect(truncateMiddle('short', 9)).toBe('short');
  });
  it('diverging colours are near-neutral at 0 and text contrasts with its cell', () => {
    const color = divergingColor(lightTheme);
    const [r, g, b] = color(0).match(/\d+/g)!.map(Number);
    expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeLessThan(12);
    expect(textOn(color(1))).toBe('#ffffff');
    expect(textOn(color(0))).toBe('#111111');
  });
});
