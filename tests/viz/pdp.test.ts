// @vitest-environment happy-dom
/** The Prototype tab's views: partial dependence with ICE curves, and class probability bars. */
import { describe, expect, it } from 'vitest';
import { toSvgString } from '../../src/viz/export.ts';
import { partialDependencePlot, probabilityBars } from '../../src/viz/pdp.ts';
import { lightTheme } from '../../src/viz/theme.ts';
import { expectSvgSnapshot } from './snapshot.ts';

describe('partialDependencePlot', () => {
  it('matches its snapshot: ICE curves under the average, a decile rug and the current row', () => {
    const grid = [1, 2, 3, 4, 5, 6];
    const svg = partialDependencePlot(
      {
        kind: 'numeric',
        grid,
        average: [0.9, 0.85, 0.6, 0.3, 0.12, 0.1],
        ice: [
          [0.95, 0.93, 0.8, 0.5, 0.2, 0.15],
          [0.8, 0.7, 0.4, Number.NaN, 0.05, 0.04],
        ],
        deciles: [1.4, 1.6, 3.9, 4.3, 4.5],
        current: 4.35,
      },
      {
        feature: 'petal length (cm)',
        yLabel: 'P(setosa)',
        yDomain: [0, 1],
        theme: lightTheme,
        width: 420,
        height: 260,
      },
    );
    expect(svg.querySelectorAll('.ice path')).toHaveLength(2);
    // A NaN point breaks the ICE line instead of dropping to zero.
    expect(svg.querySelectorAll('.ice path')[1]!.getAttribute('d')?.match(/M/g)).toHaveLength(2);
    expect(svg.querySelectorAll('.deciles line')).toHaveLength(5);
    expect(svg.querySelector('.current text')?.textContent).toBe('this row');
    expect(svg.querySelectorAll('.average-point')).toHaveLength(6);
    expectSvgSnapshot('pdp-numeric', toSvgString(svg));
  });

  it('matches its snapshot: a categorical feature on evenly spaced points', () => {
    const svg = partialDependencePlot(
      {
        kind: 'categorical',
        grid: ['north meadow', 'south meadow', 'ridge'],
        average: [152.5, 148.25, 160],
        ice: [[150, 146, 158]],
        current: 'ridge',
      },
      { feature: 'site', yLabel: 'target', theme: lightTheme, width: 360, height: 240 },
    );
    expect(svg.querySelectorAll('.axis-x .tick')).toHaveLength(3);
    expect(svg.querySelector('.deciles')).toBeNull();
    expectSvgSnapshot('pdp-categorical', toSvgString(svg));
  });
});

describe('probabilityBars', () => {
  it('matches its snapshot: the predicted class highlighted and the original row marked', () => {
    const svg = probabilityBars(
      {
        classes: ['setosa', 'versicolor', 'virginica'],
        probabilities: [0.05, 0.25, 0.7],
        original: [0.02, 0.9, 0.08],
      },
      { theme: lightTheme, width: 320 },
    );
    const bars = svg.querySelectorAll('.class-bar');
    expect(bars).toHaveLength(3);
    expect(bars[2]!.querySelector('title')?.textContent).toBe('virginica: 0.7 (was 0.08)');
    expect(bars[2]!.querySelector('.bar')?.getAttribute('fill')).toBe(lightTheme.mark);
    expect(svg.querySelectorAll('.original')).toHaveLength(3);
    expectSvgSnapshot('probabilities', toSvgString(svg));
  });
});
