// @vitest-environment happy-dom
/**
 * What a new user tripped over on txhousing (46 cities, counts and sales volumes): a colour legend
 * that wrapped onto the points, legend entries sharing one colour, and SPLOM ranges that went
 * below zero for counts.
 */
import { tableFromArrays } from 'apache-arrow';
import { scaleLinear } from 'd3';
import { describe, expect, it } from 'vitest';
import { colourData } from '../../src/analysis/explore/points';
import { xAxis } from '../../src/viz/axes.ts';
import { createSvg, type GSelection } from '../../src/viz/dom.ts';
import { scatter } from '../../src/viz/scatter.ts';
import { splom } from '../../src/viz/splom.ts';
import { lightTheme } from '../../src/viz/theme.ts';

const CITIES = ['Abilene', 'Amarillo', 'Arlington', 'Austin', 'Bay Area', 'Beaumont', 'Brazoria County'];
const MANY = [...CITIES, 'Brownsville', 'Bryan-College Station', 'Collin County', 'Corpus Christi', 'other'];

describe('colour legends', () => {
  it('a legend that wraps to three rows gets three rows of room above the points', () => {
    const n = MANY.length;
    const view = scatter(
      {
        x: Float32Array.from({ length: n }, (_, i) => i),
        y: Float32Array.from({ length: n }, (_, i) => i),
        color: Uint32Array.from({ length: n }, (_, i) => i),
        categories: MANY,
        labels: { x: 'year', y: 'month', color: 'city' },
      },
      { width: 520, height: 360, xDomain: [0, n], yDomain: [0, n] },
    );
    const rows = new Set(
      [...view.svg.querySelectorAll('.legend > g')].map((g) => g.getAttribute('transform')!.split(',')[1]),
    );
    expect(rows.size).toBeGreaterThanOrEqual(3);
    const legendTop = Number(
      /translate\([^,]+,([^)]+)\)/.exec(view.svg.querySelector('.legend')!.getAttribute('transform')!)![1],
    );
    const lastRow = Math.max(...[...rows].map((r) => Number.parseFloat(r ?? '0')));
    // The last row's swatch (10 px high) ends above the plot rectangle.
    expect(legendTop + lastRow + 10).toBeLessThanOrEqual(view.plot.top);
  });

  it('the worker names at most 8 categories (the palette), the rest is "other": no two share a colour', () => {
    const city = Array.from({ length: 46 * 5 }, (_, i) => `city ${i % 46}`);
    const { categories } = colourData(tableFromArrays({ city }), 'city');
    expect(categories).toHaveLength(8);
    expect(categories!.at(-1)).toBe('other');
    const few = colourData(tableFromArrays({ city: CITIES.concat('Dallas') }), 'city');
    expect(few.categories).toHaveLength(8); // exactly 8: all named, no "other"
    expect(few.categories).not.toContain('other');
  });
});

describe('axes in the thousands', () => {
  it('years on a linear axis read 2011, not 2,011; other thousands keep their separator', () => {
    const ticks = (domain: [number, number]) => {
      const svg = createSvg(document, 300, 40, lightTheme);
      xAxis(
        svg.append('g') as unknown as GSelection,
        scaleLinear().domain(domain).range([0, 300]),
        300,
        lightTheme,
      );
      return [...svg.node()!.querySelectorAll('.tick text')].map((t) => t.textContent);
    };
    expect(ticks([2011, 2015])).toEqual(['2011', '2012', '2013', '2014', '2015']);
    expect(ticks([0, 8000])).toContain('2,000');
  });
});

describe('scatter-plot matrix ranges', () => {
  it("labels a count column with its own min and max, not the padded frame's (no −441 for sales)", () => {
    const view = splom(
      {
        columns: [
          { name: 'sales', values: Float32Array.from([6, 100, 8945]) },
          { name: 'month', values: Float32Array.from([1, 6, 12]) },
        ],
      },
      { width: 300 },
    );
    const labels = [...view.svg.querySelectorAll('.frame > text')].map((t) => t.textContent);
    expect(labels).toContain('6');
    expect(labels).toContain('8,950'); // three significant digits
    expect(labels).toContain('1');
    expect(labels).toContain('12');
    expect(labels.some((t) => t?.startsWith('−') || t?.startsWith('-'))).toBe(false);
  });
});
