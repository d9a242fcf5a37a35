// @vitest-environment happy-dom
import { scaleLinear, select } from 'd3';
import { describe, expect, it } from 'vitest';
import { rampLegend, sequentialColor, swatchLegend, xAxis, yAxis } from '../../src/viz/axes.ts';
import { type BarData, barRows, bars } from '../../src/viz/bars.ts';
import { boxplot, violin } from '../../src/viz/boxplot.ts';
import { createSvg, type GSelection } from '../../src/viz/dom.ts';
import { toSvgString } from '../../src/viz/export.ts';
import { heatmap } from '../../src/viz/heatmap.ts';
import { missingness, missingPatterns } from '../../src/viz/missingness.ts';
import type { CategorySelection } from '../../src/viz/selection.ts';
import { categoricalPalette, lightTheme } from '../../src/viz/theme.ts';
import { expectSvgSnapshot } from './snapshot.ts';

describe('axes', () => {
  it('match their snapshot: numeric axes with titles and grid, swatch and ramp legends', () => {
    const svg = createSvg(document, 360, 200, lightTheme, 'Axes');
    const g = svg.append('g').attr('transform', 'translate(64,10)') as GSelection;
    const x = scaleLinear().domain([-2e6, 8e6]).range([0, 280]);
    const y = scaleLinear().domain([0, 0.004]).range([120, 0]);
    xAxis(g.append('g').attr('transform', 'translate(0,120)') as GSelection, x, 280, lightTheme, {
      title: 'income',
      spacing: 50,
    });
    yAxis(g.append('g') as GSelection, y, 120, lightTheme, { title: 'density', grid: 280 });
    const legend = svg.append('g').attr('transform', 'translate(50,170)') as GSelection;
    const used = swatchLegend(
      legend,
      ['setosa', 'versicolor', 'virginica'].map((label, i) => ({
        label,
        color: categoricalPalette(lightTheme)[i]!,
      })),
      160,
      lightTheme,
    );
    expect(used).toBeGreaterThan(lightTheme.fontSize + 6); // wrapped to a second row in 160 px
    rampLegend(
      svg.append('g').attr('transform', 'translate(240,160)') as GSelection,
      sequentialColor('viridis', [0, 1]),
      [0, 1],
      100,
      lightTheme,
      {
        id: 'test-ramp',
      },
    );
    const ticks = [...svg.node()!.querySelectorAll('.axis-x .tick text')].map((t) => t.textContent);
    expect(ticks).toContain('−2M'); // real minus sign, SI suffix
    expectSvgSnapshot('axes', toSvgString(svg.node()!));
  });
});

const barData: BarData = {
  labels: ['cat', 'dog', 'a rather long category name that must be truncated', 'bird'],
  counts: [120, 340, 15, 120],
  other: 40,
  otherCategories: 12,
  missing: 25,
};

describe('bars', () => {
  it('sorts by count (ties by label) and puts other and missing last', () => {
    expect(barRows(barData).map((r) => r.label)).toEqual([
      'dog',
      'bird',
      'cat',
      'a rather long category name that must be truncated',
      'other (12)',
      'missing',
    ]);
  });

  it('matches its snapshot', () => {
    const view = bars(barData, { column: 'pet', width: 420 });
    expectSvgSnapshot('bars', toSvgString(view.node));
  });

  it('click toggles categories and the missing bar; other is not selectable', () => {
    const events: (CategorySelection | null)[] = [];
    const view = bars(barData, { column: 'pet', onSelect: (s) => events.push(s) });
    const click = (sel: string) =>
      view.node.querySelector(sel)!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    click('.bar[data-category="dog"]');
    expect(events.at(-1)).toEqual({
      source: 'bars:pet',
      kind: 'categories',
      column: 'pet',
      categories: ['dog'],
    });
    click('.bar-missing');
    click('.bar-other');
    expect(events).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ categories: ['dog'], missing: true });
    expect(view.node.querySelectorAll('.bar.selected')).toHaveLength(2);
    view.toggle('dog');
    view.toggle(null);
    expect(events.at(-1)).toBeNull();
  });

  it('shows linked selection counts over dimmed totals', () => {
    const view = bars({ ...barData, selectedCounts: [60, 0, 5, 120] }, { column: 'pet', theme: 'dark' });
    expect(view.node.querySelectorAll('.linked')).toHaveLength(3);
    expectSvgSnapshot('bars-linked-dark', toSvgString(view.node));
  });
});

describe('boxplot and violin', () => {
  const groups = [
    {
      label: 'setosa',
      n: 50,
      q1: 1.4,
      median: 1.5,
      q3: 1.58,
      whiskerLo: 1.1,
      whiskerHi: 1.9,
      mean: 1.46,
      outliers: [1.0, 1.95],
    },
    { label: 'versicolor', n: 50, q1: 4, median: 4.35, q3: 4.6, whiskerLo: 3.3, whiskerHi: 5.1, mean: 4.26 },
    {
      label: 'virginica',
      n: 50,
      q1: 5.1,
      median: 5.55,
      q3: 5.88,
      whiskerLo: 4.5,
      whiskerHi: 6.9,
      mean: 5.55,
      outliers: [],
    },
  ];
  it('boxplot matches its snapshot', () => {
    const svg = boxplot({ groups }, { column: 'petal length', groupBy: 'species', width: 420, height: 260 });
    expect(svg.querySelectorAll('.box')).toHaveLength(3);
    expect(svg.querySelectorAll('.outliers circle')).toHaveLength(2);
    expectSvgSnapshot('boxplot', toSvgString(svg));
  });

  it('violin matches its snapshot', () => {
    const kde = (mu: number, s: number) => {
      const grid = Array.from({ length: 25 }, (_, i) => mu - 3 * s + (i * 6 * s) / 24);
      return { grid, density: grid.map((v) => Math.exp(-(((v - mu) / s) ** 2) / 2) / s) };
    };
    const svg = violin(
      {
        groups: [
          { label: 'no', n: 500, ...kde(2, 0.5), q1: 1.66, median: 2, q3: 2.34 },
          { label: 'yes', n: 120, ...kde(3.5, 1), q1: 2.8, median: 3.5, q3: 4.2 },
        ],
      },
      { column: 'score', groupBy: 'churned', width: 360, height: 240 },
    );
    // The narrower distribution peaks wider (same density scale across groups).
    const widths = [...svg.querySelectorAll('.violin path')].map((p) =>
      Math.max(...(p.getAttribute('d')!.match(/-?\d+(\.\d+)?(?=,)/g) ?? []).map(Number)),
    );
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expectSvgSnapshot('violin', toSvgString(svg));
  });
});

describe('boxplot and violin with a linked selection', () => {
  const all = [
    { label: 'a', n: 100, q1: 2, median: 3, q3: 4, whiskerLo: 0, whiskerHi: 6 },
    { label: 'b', n: 80, q1: 5, median: 6, q3: 7, whiskerLo: 3, whiskerHi: 9 },
  ];
  const chosen = [{ label: 'a', n: 20, q1: 4.5, median: 5, q3: 5.5, whiskerLo: 4, whiskerHi: 6 }, null];

  it('boxplot draws a selected box inside the groups that have selected rows', () => {
    const svg = boxplot(
      { groups: all, selected: chosen },
      { column: 'v', groupBy: 'g', width: 300, height: 220 },
    );
    const boxes = svg.querySelectorAll('.selected-box rect');
    expect(boxes).toHaveLength(1);
    // The selected box spans the selection's quartiles: narrower in value than the whole group's.
    const full = svg.querySelector('.box rect')!;
    expect(Number(boxes[0]!.getAttribute('height'))).toBeLessThan(Number(full.getAttribute('height')));
    expect(svg.querySelector('.box title')!.textContent).toContain('selected: n = 20');
    expectSvgSnapshot('boxplot-selected', toSvgString(svg));
  });

  it('violin draws the selected share inside the group, scaled by its share of the rows', () => {
    const grid = Array.from({ length: 9 }, (_, i) => i);
    const bump = (mu: number) => grid.map((v) => Math.exp(-((v - mu) ** 2) / 2));
    const svg = violin(
      {
        groups: [{ label: 'a', n: 100, grid, density: bump(4) }],
        selected: [{ label: 'a', n: 25, grid, density: bump(4) }],
      },
      { column: 'v', width: 200, height: 200 },
    );
    // Path numbers come in x,y pairs: the widest point is the largest |x|.
    const widest = (p: Element) => {
      const nums = (p.getAttribute('d')!.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
      return Math.max(...nums.filter((_, k) => k % 2 === 0).map(Math.abs));
    };
    const outer = widest(svg.querySelector('.violin path')!);
    const inner = widest(svg.querySelector('.selected-violin')!);
    // Same shape, a quarter of the rows: a quarter of the width.
    expect(inner / outer).toBeCloseTo(0.25, 1);
  });
});

describe('heatmap', () => {
  // a and c strongly related, b and d related; clustering should put them side by side.
  const labels = ['a', 'b', 'c', 'd'];
  const values = Float64Array.from([
    1, 0.1, 0.9, 0.05, 0.1, 1, 0.2, -0.8, 0.9, 0.2, 1, 0.1, 0.05, -0.8, 0.1, 1,
  ]);
  it('orders by clusters, colours by sign, and matches its snapshot', () => {
    const svg = heatmap({ labels, values, method: 'pearson' }, { width: 320 });
    const order = [...svg.querySelectorAll('.row-labels text')].map((t) => t.textContent);
    expect(order).toEqual(['a', 'c', 'b', 'd']);
    const fill = (i: number, j: number) =>
      svg.querySelector(`.cell[data-i="${i}"][data-j="${j}"] rect`)!.getAttribute('fill')!;
    // RdBu: positive is red (r > b), negative blue.
    const rgb = (c: string) => c.match(/\d+/g)!.map(Number);
    expect(rgb(fill(0, 2))[0]).toBeGreaterThan(rgb(fill(0, 2))[2]!);
    expect(rgb(fill(1, 3))[2]).toBeGreaterThan(rgb(fill(1, 3))[0]!);
    expect(svg.querySelector('.cell[data-i="1"][data-j="3"] title')?.textContent).toContain(
      'Pearson r = -0.800',
    );
    expectSvgSnapshot('heatmap', toSvgString(svg));
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => heatmap({ labels, values: [1, 2, 3] })).toThrow(/16 values/);
  });
});

describe('missingness', () => {
  // 6 rows × 3 columns: 3 complete, 2 missing b, 1 missing a and c.
  const bitmap = Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);
  it('groups rows into patterns sorted by frequency', () => {
    const patterns = missingPatterns(bitmap, 6, 3);
    expect(patterns.map((p) => [Array.from(p.pattern).join(''), p.count])).toEqual([
      ['000', 3],
      ['010', 2],
      ['101', 1],
    ]);
  });

  it('matches its snapshot', () => {
    const svg = missingness(
      { columns: ['age', 'income', 'city'], rows: 6, bitmap, totalRows: 1000 },
      { width: 360, height: 220 },
    );
    expect(svg.querySelectorAll('.pattern')).toHaveLength(3);
    expect(svg.querySelector('.caption')?.textContent).toContain('sample of 1,000');
    expectSvgSnapshot('missingness', toSvgString(svg));
  });
});

it('views create their elements in the given document', () => {
  const other = document.implementation.createHTMLDocument('x');
  const svg = boxplot({ groups: [] }, { column: 'v', document: other });
  expect(svg.ownerDocument).toBe(other);
  expect(select(svg).select('title').text()).toBe('Boxplot of v');
});
