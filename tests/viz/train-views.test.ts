// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { confusion } from '../../src/viz/confusion.ts';
import { toSvgString } from '../../src/viz/export.ts';
import { lines } from '../../src/viz/lines.ts';
import { residuals } from '../../src/viz/residuals.ts';
import { lightTheme } from '../../src/viz/theme.ts';
import { expectSvgSnapshot } from './snapshot.ts';

describe('lines', () => {
  it('matches its snapshot: two loss curves with a legend', () => {
    const svg = lines(
      [
        { label: 'fold 1', x: [1, 2, 3, 4], y: [1.1, 0.6, 0.42, 0.4] },
        { label: 'fold 2', x: [1, 2, 3], y: [1.0, 0.55, 0.45], dashed: true },
      ],
      { xLabel: 'iteration', yLabel: 'loss', theme: lightTheme, width: 360, height: 220 },
    );
    expect(svg.querySelectorAll('.series')).toHaveLength(2);
    expect(svg.querySelector('.legend')).not.toBeNull();
    expectSvgSnapshot('lines-loss', toSvgString(svg));
  });

  it('matches its snapshot: a ROC curve on [0, 1] with the chance diagonal', () => {
    const svg = lines([{ label: 'virginica (AUC 0.99)', x: [0, 0, 0.1, 1], y: [0, 0.8, 1, 1] }], {
      xDomain: [0, 1],
      yDomain: [0, 1],
      diagonal: true,
      xLabel: 'false positive rate',
      yLabel: 'true positive rate',
      theme: lightTheme,
      width: 300,
      height: 240,
    });
    expect(svg.querySelector('.diagonal')).not.toBeNull();
    // One series: no legend.
    expect(svg.querySelector('.legend')).toBeNull();
    expectSvgSnapshot('lines-roc', toSvgString(svg));
  });

  it('draws a CI band and markers on a log x axis (score vs C), skipping x ≤ 0', () => {
    const svg = lines(
      [
        {
          label: 'accuracy',
          x: [0, 0.1, 1, 10],
          y: [0.5, 0.9, 0.96, 0.95],
          low: [0.4, 0.85, 0.93, 0.9],
          high: [0.6, 0.95, 0.99, 0.99],
          markers: true,
        },
      ],
      { xLog: true, xLabel: 'C', yLabel: 'accuracy', theme: lightTheme, width: 320, height: 220 },
    );
    expect(svg.querySelectorAll('circle')).toHaveLength(3);
    expect(svg.querySelector('.band')?.getAttribute('d')).toMatch(/^M.*Z$/);
    expectSvgSnapshot('lines-score-vs-param', toSvgString(svg));
  });
});

describe('confusion', () => {
  it('matches its snapshot: counts in cells shaded by share of the true class', () => {
    const svg = confusion(
      {
        labels: ['setosa', 'versicolor', 'virginica'],
        matrix: [
          [50, 0, 0],
          [0, 47, 3],
          [0, 4, 46],
        ],
      },
      { theme: lightTheme, width: 320 },
    );
    const cells = svg.querySelectorAll('.cell');
    expect(cells).toHaveLength(9);
    expect(cells[0]!.querySelector('text')?.textContent).toBe('50');
    expect(cells[5]!.querySelector('title')?.textContent).toBe(
      'true versicolor, predicted virginica: 3 (6% of versicolor)',
    );
    expectSvgSnapshot('confusion-iris', toSvgString(svg));
  });

  it('with onCell, cells are buttons that report their classes; the selected cell is outlined', () => {
    const clicks: [number, number][] = [];
    const svg = confusion(
      {
        labels: ['setosa', 'versicolor', 'virginica'],
        matrix: [
          [50, 0, 0],
          [0, 47, 3],
          [0, 4, 46],
        ],
      },
      {
        theme: lightTheme,
        width: 320,
        onCell: (t, p) => clicks.push([t, p]),
        selected: { truth: 1, predicted: 2 },
      },
    );
    const cell = svg.querySelector('.cell[data-true="1"][data-pred="2"]')!;
    expect(cell.getAttribute('role')).toBe('button');
    expect(cell.getAttribute('aria-label')).toBe(
      'true versicolor, predicted virginica: 3 (6% of versicolor); show these rows',
    );
    cell.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    svg
      .querySelector('.cell[data-true="2"][data-pred="1"]')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(clicks).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(svg.querySelectorAll('.cell.selected')).toHaveLength(1);
    expect(cell.classList.contains('selected')).toBe(true);
    expectSvgSnapshot('confusion-clickable', toSvgString(svg));
  });

  it('refuses a matrix that does not match its labels', () => {
    expect(() => confusion({ labels: ['a', 'b'], matrix: [[1, 2]] })).toThrow(/2×2/);
  });
});

describe('residuals', () => {
  const data = { actual: [10, 20, 30, 40], predicted: [12, 18, 33, 39] };
  it('matches its snapshot: predicted vs actual with the y = x line', () => {
    const svg = residuals(data, {
      mode: 'fit',
      target: 'progression',
      theme: lightTheme,
      width: 300,
      height: 240,
    });
    expect(svg.querySelectorAll('.points circle')).toHaveLength(4);
    expectSvgSnapshot('residuals-fit', toSvgString(svg));
  });
  it('matches its snapshot: residuals centred on zero', () => {
    const svg = residuals(data, {
      mode: 'residuals',
      target: 'progression',
      theme: lightTheme,
      width: 300,
      height: 240,
    });
    const ref = svg.querySelector('.reference')!;
    expect(ref.getAttribute('y1')).toBe(ref.getAttribute('y2'));
    expectSvgSnapshot('residuals-residuals', toSvgString(svg));
  });
});
