// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { toSvgString } from '../../src/viz/export.ts';
import { brushToRange, type HistogramData, histogram } from '../../src/viz/histogram.ts';
import type { RangeSelection } from '../../src/viz/selection.ts';
import { expectSvgSnapshot } from './snapshot.ts';

const data: HistogramData = {
  edges: Float64Array.from([0, 10, 20, 30, 40, 50]),
  counts: Float64Array.from([5, 30, 55, 20, 8]),
  missing: 12,
};

describe('histogram', () => {
  it('matches its snapshot, with a separate missing bar', () => {
    const view = histogram(data, { column: 'age', width: 420, height: 220 });
    expect(view.node.querySelectorAll('.bars rect')).toHaveLength(5);
    const missing = view.node.querySelector('.missing');
    expect(missing?.textContent).toContain('missing');
    expect(missing?.textContent).toContain('9.2%'); // 12 of 130 rows
    expectSvgSnapshot('histogram', toSvgString(view.node));
  });

  it('draws selected counts over dimmed totals', () => {
    const view = histogram(
      { ...data, missing: 0, selectedCounts: Float64Array.from([0, 10, 20, 0, 0]) },
      { column: 'age', width: 420, height: 220, theme: 'dark' },
    );
    expect(view.node.querySelector('.missing')).toBeNull();
    expect(view.node.querySelectorAll('.selected-bars rect')).toHaveLength(2);
    expectSvgSnapshot('histogram-selected-dark', toSvgString(view.node));
  });

  it('emits the brushed range snapped to whole bins, and null when cleared', () => {
    const events: (RangeSelection | null)[] = [];
    const view = histogram(data, { column: 'age', onBrush: (s) => events.push(s) });
    // From inside bin [10,20) to inside bin [30,40): covers bins 1..3.
    view.brushPixels([view.xOf(12), view.xOf(31)]);
    expect(events.at(-1)).toEqual({ source: 'histogram:age', kind: 'range', column: 'age', range: [10, 40] });
    // The brush shows the snapped extent.
    const sel = view.node.querySelector('.brush .selection');
    expect(Number(sel?.getAttribute('x'))).toBeCloseTo(view.xOf(10), 5);
    expect(Number(sel?.getAttribute('width'))).toBeCloseTo(view.xOf(40) - view.xOf(10), 5);
    view.brushPixels(null);
    expect(events.at(-1)).toBeNull();
  });

  it('moves the brush on update without emitting', () => {
    const events: unknown[] = [];
    const view = histogram(data, { column: 'age', onBrush: (s) => events.push(s) });
    view.update({ range: [20, 30] });
    expect(events).toEqual([]);
    expect(Number(view.node.querySelector('.brush .selection')?.getAttribute('x'))).toBeCloseTo(
      view.xOf(20),
      5,
    );
  });
});

describe('brushToRange', () => {
  const invert = (px: number) => px / 10; // 10 px per unit
  const edges = [0, 1, 2, 3, 4];
  it('returns raw data bounds without edges, in order', () => {
    expect(brushToRange([25, 5], invert)).toEqual([0.5, 2.5]);
  });
  it('widens to the bins the brush touches', () => {
    expect(brushToRange([5, 25], invert, edges)).toEqual([0, 3]);
    expect(brushToRange([10, 20], invert, edges)).toEqual([1, 2]);
    expect(brushToRange([-50, 500], invert, edges)).toEqual([0, 4]);
  });
});
