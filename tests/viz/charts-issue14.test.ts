// @vitest-environment happy-dom
/**
 * Issue 14's chart fixes: date columns on time axes (not "980B…992B"), one colour per category
 * in every linked view, a SPLOM that fits its width, and log axes whose labels do not run together.
 */
import { scaleLinear, scaleLog } from 'd3';
import { describe, expect, it } from 'vitest';
import { logTickLabels, xAxis } from '../../src/viz/axes.ts';
import { boxplot, violin } from '../../src/viz/boxplot.ts';
import { colourFor, MISSING_CATEGORY, OTHER_CATEGORY, orderCategories } from '../../src/viz/colour.ts';
import { createSvg, type GSelection } from '../../src/viz/dom.ts';
import { embedding } from '../../src/viz/embedding.ts';
import { toSvgString } from '../../src/viz/export.ts';
import { formatDate, formatDateCompact, formatTimeTick, textWidth } from '../../src/viz/format.ts';
import { histogram } from '../../src/viz/histogram.ts';
import { lines } from '../../src/viz/lines.ts';
import { paintFor, scatter } from '../../src/viz/scatter.ts';
import { endLabels, splom } from '../../src/viz/splom.ts';
import { darkTheme, lightTheme, OKABE_ITO, parseColor } from '../../src/viz/theme.ts';
import { expectSvgSnapshot } from './snapshot.ts';

const DAY = 86_400_000;
const utc = (y: number, m = 1, d = 1) => Date.UTC(y, m - 1, d);
const tickTexts = (root: Element, axis: 'x' | 'y') =>
  [...root.querySelectorAll(`.axis-${axis} .tick text`)].map((t) => t.textContent ?? '').filter(Boolean);
/** What the broken axes showed: epoch numbers with SI suffixes (1.5T, 980B). */
const SI_EPOCH = /^[\d.,−-]+[kMBT]$/;

describe('time axes', () => {
  it('a date histogram ticks years and says dates in its bins (snapshot)', () => {
    const edges = Float64Array.from({ length: 11 }, (_, i) => utc(2015) + i * 365.25 * DAY);
    const view = histogram(
      { edges, counts: Float64Array.from([5, 9, 12, 15, 11, 8, 10, 13, 9, 6]), missing: 4 },
      { column: 'joined', width: 480, height: 220, xType: 'time' },
    );
    const ticks = tickTexts(view.node, 'x');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks) expect(t).toMatch(/^20(1[5-9]|2[0-5])$/);
    expect(ticks.some((t) => SI_EPOCH.test(t))).toBe(false);
    expect(view.node.querySelector('.bar title')?.textContent).toMatch(
      /^\[2015-01-01, 2016-01-01 06:00\): 5 rows/,
    );
    expectSvgSnapshot('histogram-dates', toSvgString(view.node));
  });

  it('the same numbers without xType stay numbers (the axis is opt-in per column type)', () => {
    const edges = Float64Array.from([utc(2015), utc(2016), utc(2017)]);
    const view = histogram({ edges, counts: Float64Array.from([1, 2]), missing: 0 }, { column: 'n' });
    expect(tickTexts(view.node, 'x').every((t) => SI_EPOCH.test(t))).toBe(true);
  });

  it('short spans tick months, days and hours', () => {
    const xTicks = (lo: number, hi: number) => {
      const svg = createSvg(document, 400, 60, lightTheme, 't');
      const g = svg.append('g') as GSelection;
      xAxis(g, scaleLinear().domain([lo, hi]).range([0, 400]), 400, lightTheme, { type: 'time' });
      return tickTexts(svg.node()!, 'x');
    };
    expect(xTicks(utc(2020, 1, 1), utc(2020, 12, 31))).toContain('Apr');
    expect(xTicks(utc(2020, 3, 1), utc(2020, 3, 20))).toContain('Mar 8');
    expect(xTicks(utc(2020, 3, 1), utc(2020, 3, 1) + 6 * 3600_000)).toContain('03:00');
    expect(formatTimeTick(new Date(utc(2021)))).toBe('2021');
    expect(formatDate(utc(2021, 3, 4))).toBe('2021-03-04');
    expect(formatDate(utc(2021, 3, 4) + 13 * 3600_000 + 5 * 60_000)).toBe('2021-03-04 13:05');
    expect(formatDateCompact(utc(2021, 3, 4), 10 * 365 * DAY)).toBe('2021');
    expect(formatDateCompact(utc(2021, 3, 4), 200 * DAY)).toBe('2021-03');
  });

  it('a scatter of dates ticks dates on the axis that has them and shows dates on hover', () => {
    const x = Float32Array.from([utc(2019), utc(2020, 6, 1), utc(2022)]);
    const y = Float32Array.from([1, 2, 3]);
    const view = scatter({ x, y, labels: { x: 'joined', y: 'score' } }, { xType: 'time', width: 400 });
    expect(tickTexts(view.svg, 'x').every((t) => /^(20\d\d|[A-Z][a-z]{2})$/.test(t))).toBe(true);
    expect(tickTexts(view.svg, 'y').some((t) => /^\d/.test(t))).toBe(true);
    const [px, py] = view.toPixels(x[1]!, 2);
    view.svg.querySelector('.overlay')!.dispatchEvent(
      new PointerEvent('pointermove', {
        clientX: view.plot.left + px,
        clientY: view.plot.top + py,
        bubbles: true,
      }),
    );
    // Float32 holds epoch ms to about two minutes: the day survives, which is what the axis shows.
    expect(view.node.querySelector('.bt-tooltip')?.textContent).toMatch(/joined: 2020-06-01/);
  });

  it('a box plot of a date column has a time value axis (snapshot)', () => {
    const g = (label: string, base: number) => ({
      label,
      n: 40,
      q1: base + 90 * DAY,
      median: base + 200 * DAY,
      q3: base + 330 * DAY,
      whiskerLo: base,
      whiskerHi: base + 700 * DAY,
    });
    const svg = boxplot(
      { groups: [g('blue', utc(2016)), g('green', utc(2017)), g('red', utc(2015))] },
      { column: 'joined', groupBy: 'colour', width: 420, height: 260, yType: 'time' },
    );
    const ticks = tickTexts(svg, 'y');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.some((t) => SI_EPOCH.test(t))).toBe(false);
    expect(svg.querySelector('.box title')?.textContent).toContain('median 2016-07-19');
    expectSvgSnapshot('boxplot-dates', toSvgString(svg));
  });

  it('the SPLOM labels date columns as dates, and its left margin grows to fit them', () => {
    expect(endLabels([utc(2015), utc(2024)], 'time')).toEqual(['2015', '2024']);
    expect(endLabels([0.123456, 99.87], 'number')).toEqual(['0.123', '99.9']);
    const dates = Float32Array.from([utc(2015, 3, 1), utc(2015, 9, 1), utc(2015, 12, 1)]);
    const view = splom(
      {
        columns: [
          { name: 'joined', values: dates, type: 'time' },
          { name: 'score', values: Float32Array.from([1, 2, 3]) },
        ],
      },
      { width: 300 },
    );
    const labels = [...view.svg.querySelectorAll('.frame > text')].map((t) => t.textContent);
    expect(labels).toContain('2015-02'); // the padded frame starts in February
    expect(labels.some((t) => t && SI_EPOCH.test(t))).toBe(false);
    expect(view.cell(0, 0).left).toBeGreaterThanOrEqual(textWidth('2015-02', 10) + 4);
  });
});

describe('one colour scale per categorical column', () => {
  it('orders categories itself: any order or subset of the same names gives the same colours', () => {
    expect(orderCategories(['red', 'green', 'blue', OTHER_CATEGORY, MISSING_CATEGORY])).toEqual([
      'blue',
      'green',
      'red',
    ]);
    expect(orderCategories(['10', '2', '-1', '2.5'])).toEqual(['-1', '2', '2.5', '10']);
    expect(orderCategories(['item10', 'item2', 'Item1'])).toEqual(['Item1', 'item2', 'item10']);
    const byFrequency = colourFor('colour', ['red', 'green', 'blue', OTHER_CATEGORY, MISSING_CATEGORY]);
    const byLabel = colourFor('colour', ['blue', 'green', 'red']);
    for (const c of ['red', 'green', 'blue'])
      expect(byFrequency.color(c, lightTheme)).toBe(byLabel.color(c, lightTheme));
    expect(byLabel.color('blue', lightTheme)).toBe(OKABE_ITO[0]);
    expect(byFrequency.color(OTHER_CATEGORY, lightTheme)).toBe(lightTheme.other);
    expect(byFrequency.color(MISSING_CATEGORY, darkTheme)).toBe(darkTheme.missing);
    expect(byLabel.color('purple', lightTheme)).toBe(lightTheme.other);
  });

  it('the box plot, scatter, embedding and SPLOM give each category the same colour', () => {
    // The worker's colour codes come most frequent first; the box plot lists groups by label.
    const categories = ['red', 'green', 'blue', MISSING_CATEGORY];
    const colours = colourFor('colour', categories);
    const expected = (label: string) => colours.color(label, lightTheme);
    const codes = Uint32Array.from([0, 1, 2, 3, 0, 1]);
    const xy = Float32Array.from([1, 2, 3, 4, 5, 6]);

    const box = boxplot(
      {
        groups: ['blue', 'green', 'red'].map((label) => ({
          label,
          n: 2,
          q1: 1,
          median: 2,
          q3: 3,
          whiskerLo: 0,
          whiskerHi: 4,
        })),
      },
      { column: 'x', groupBy: 'colour', theme: lightTheme, colours },
    );
    const boxFill = (label: string) => {
      const i = ['blue', 'green', 'red'].indexOf(label);
      return box.querySelectorAll('.box rect')[i]!.getAttribute('fill');
    };
    const legendOf = (svg: SVGSVGElement) =>
      Object.fromEntries(
        [...svg.querySelectorAll('.legend > g')].map((g) => [
          g.querySelector('text')!.textContent,
          g.querySelector('rect')!.getAttribute('fill'),
        ]),
      );
    const sc = scatter(
      { x: xy, y: xy, color: codes, categories, labels: { color: 'colour' } },
      { theme: lightTheme, colours },
    );
    const em = embedding(
      { x: xy, y: xy, color: codes, classes: categories, labels: { color: 'colour' } },
      { theme: lightTheme, colours, duration: 0 },
    );
    const palette = paintFor({ color: codes, categories }, lightTheme, 'viridis', colours).paint.palette;
    const splomColour = (code: number) =>
      `#${Array.from(palette.slice(code * 3, code * 3 + 3), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    for (const label of ['red', 'green', 'blue']) {
      expect(boxFill(label)).toBe(expected(label));
      expect(legendOf(sc.svg)[label]).toBe(expected(label));
      expect(legendOf(em.scatter.svg)[label]).toBe(expected(label));
      expect(splomColour(categories.indexOf(label))).toBe(expected(label));
    }
    // The legend reads in the scale's order with missing last, whatever the codes' order.
    expect(Object.keys(legendOf(sc.svg))).toEqual(['blue', 'green', 'red', MISSING_CATEGORY]);
    expect(parseColor(splomColour(3))).toEqual(parseColor(lightTheme.missing));
    // The violin takes the same scale.
    const v = violin(
      { groups: [{ label: 'red', n: 3, grid: [0, 1, 2], density: [0.1, 0.5, 0.1] }] },
      { column: 'x', groupBy: 'colour', theme: lightTheme, colours },
    );
    expect(v.querySelector('.violin path')?.getAttribute('fill')).toBe(expected('red'));
  });

  it('without a shared scale a view still orders its own categories (red is not blue)', () => {
    const svg = boxplot(
      {
        groups: ['red', 'blue'].map((label) => ({
          label,
          n: 1,
          q1: 1,
          median: 1,
          q3: 1,
          whiskerLo: 1,
          whiskerHi: 1,
        })),
      },
      { column: 'x', groupBy: 'c', theme: lightTheme },
    );
    expect(svg.querySelectorAll('.box rect')[1]!.getAttribute('fill')).toBe(OKABE_ITO[0]);
  });
});

describe('SPLOM layout', () => {
  it('keeps every cell, the last column included, inside its width and height', () => {
    const col = (name: string) => ({ name, values: Float32Array.from([1, 5, 3, 9]) });
    for (const k of [2, 3, 4, 8]) {
      for (const width of [300, 538, 560]) {
        const view = splom({ columns: Array.from({ length: k }, (_, i) => col(`c${i}`)) }, { width });
        const last = view.cell(k - 1, k - 1);
        expect(last.left + last.size).toBeLessThanOrEqual(width - 1);
        expect(last.top + last.size + 12).toBeLessThanOrEqual(Number(view.svg.getAttribute('height')));
      }
    }
    // A given height smaller than the width shrinks the cells instead of cutting the bottom row off.
    const short = splom({ columns: [col('a'), col('b'), col('c')] }, { width: 560, height: 300 });
    const bottom = short.cell(2, 0);
    expect(bottom.top + bottom.size + 12).toBeLessThanOrEqual(300);
  });
});

describe('log axes', () => {
  it('thin their labels so none overlap, powers of ten first', () => {
    const fmt = (v: number) => String(v);
    const axis = (lo: number, hi: number, width: number) => {
      const s = scaleLog().domain([lo, hi]).range([0, width]);
      const ticks = s.ticks();
      const kept = [...logTickLabels(ticks, (v) => s(v), fmt, 11)].sort((a, b) => a - b);
      const spans = kept.map((v) => [s(v) - textWidth(fmt(v), 11) / 2, s(v) + textWidth(fmt(v), 11) / 2]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThan(spans[i - 1]![1]!);
      return kept;
    };
    // Two decades in 300 px: 1, 2, 5 per decade fit.
    expect(axis(0.01, 1, 300)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    // The overlap of the report ("0.010.0203…"): only powers of ten where the rest would collide.
    expect(axis(0.01, 1, 120)).toEqual([0.01, 0.1, 1]);
    // Twelve decades in 200 px: every k-th power of ten, evenly spaced.
    const wide = axis(1e-6, 1e6, 200);
    const exponents = wide.map((v) => Math.round(Math.log10(v)));
    expect(wide.length).toBeGreaterThanOrEqual(2);
    expect(wide.length).toBeLessThan(13);
    expect(new Set(exponents.slice(1).map((e, i) => e - exponents[i]!)).size).toBe(1);
  });

  it('the score-vs-C chart labels 0.1, 0.2, 0.5, 1, 2, 5, 10 with minor ticks between', () => {
    const svg = lines([{ label: 'accuracy', x: [0.1, 1, 10], y: [0.9, 0.96, 0.95] }], {
      xLog: true,
      xLabel: 'C',
      theme: lightTheme,
      width: 320,
      height: 220,
    });
    expect(tickTexts(svg, 'x')).toEqual(['0.1', '0.2', '0.5', '1', '2', '5', '10']);
    const minor = [...svg.querySelectorAll('.axis-x .tick line')].filter((l) => l.getAttribute('y2') === '3');
    expect(minor.length).toBeGreaterThan(5);
    const narrow = lines([{ label: 'a', x: [0.001, 1000], y: [1, 2] }], {
      xLog: true,
      width: 200,
      height: 160,
    });
    expect(tickTexts(narrow, 'x')).toEqual(
      ['0.001', '0.01', '0.1', '1', '10', '100', '1,000'].filter((_, i) => i % 2 === 0),
    );
  });
});
