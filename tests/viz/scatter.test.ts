// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { embedding } from '../../src/viz/embedding.ts';
import { scatter } from '../../src/viz/scatter.ts';
import { createSelectionStore, type Selection } from '../../src/viz/selection.ts';
import { splom } from '../../src/viz/splom.ts';

// happy-dom has no canvas: these tests cover geometry, selection and hover, the browser tests cover pixels.
describe('scatter interaction (no canvas)', () => {
  const x = Float32Array.from([1, 2, 3, 7, 8, 9, 5]);
  const y = Float32Array.from([1, 2, 3, 7, 8, 9, 5]);

  it('a lasso in pixels selects the rows inside, and feeds the selection store', () => {
    const store = createSelectionStore();
    const seen: (Selection | null)[] = [];
    store.subscribe((s) => seen.push(s));
    const view = scatter({ x, y }, { xDomain: [0, 10], yDomain: [0, 10], onSelect: store.set });
    const p = (vx: number, vy: number) => view.toPixels(vx, vy);
    // A triangle around the lower-left cluster that leaves out (5, 5).
    const mask = view.lasso([p(0, 0), p(4.5, 0), p(0, 4.5)]);
    expect(Array.from(mask)).toEqual([1, 1, 0, 0, 0, 0, 0]); // (3,3) lies beyond the hypotenuse x + y = 4.5
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ source: 'scatter', kind: 'mask' });
    view.lasso([p(0, 0), p(0.5, 0), p(0, 0.5)]); // empty → cleared
    expect(store.get()).toBeNull();
  });

  it('shows a tooltip for the nearest row on hover, and hides it away from points', () => {
    const hovered: number[] = [];
    const view = scatter(
      { x, y, labels: { x: 'height', y: 'weight' } },
      { xDomain: [0, 10], yDomain: [0, 10], onHover: (i) => hovered.push(i) },
    );
    const overlay = view.svg.querySelector('.overlay')!;
    const [px, py] = view.toPixels(5, 5);
    overlay.dispatchEvent(
      new PointerEvent('pointermove', {
        clientX: view.plot.left + px + 3,
        clientY: view.plot.top + py,
        bubbles: true,
      }),
    );
    expect(hovered.at(-1)).toBe(6);
    const tooltip = view.node.querySelector<HTMLDivElement>('.bt-tooltip')!;
    expect(tooltip.style.display).toBe('block');
    expect(tooltip.textContent).toContain('height: 5');
    const [qx, qy] = view.toPixels(5, 1);
    overlay.dispatchEvent(
      new PointerEvent('pointermove', {
        clientX: view.plot.left + qx,
        clientY: view.plot.top + qy,
        bubbles: true,
      }),
    );
    expect(hovered.at(-1)).toBe(-1);
    expect(tooltip.style.display).toBe('none');
  });

  it('a brush drag in brush mode selects the rectangle', () => {
    const events: (Selection | null)[] = [];
    const view = scatter(
      { x, y },
      { xDomain: [0, 10], yDomain: [0, 10], mode: 'brush', onSelect: (s) => events.push(s) },
    );
    const overlay = view.svg.querySelector('.overlay')!;
    const at = (vx: number, vy: number) => {
      const [px, py] = view.toPixels(vx, vy);
      return { clientX: view.plot.left + px, clientY: view.plot.top + py, bubbles: true };
    };
    overlay.dispatchEvent(new PointerEvent('pointerdown', at(6, 10)));
    overlay.dispatchEvent(new PointerEvent('pointermove', at(8, 9)));
    overlay.dispatchEvent(new PointerEvent('pointerup', at(10, 6.5)));
    const last = events.at(-1);
    expect(last?.kind === 'mask' && Array.from(last.mask)).toEqual([0, 0, 0, 1, 1, 1, 0]);
    expect(view.svg.querySelector('.selection-outline')?.getAttribute('d')).toMatch(/^M/);
  });

  it('splom refuses more than 8 columns and brushes a cell by data range', () => {
    const col = (name: string) => ({ name, values: Float32Array.from([1, 2, 3]) });
    expect(() => splom({ columns: 'abcdefghi'.split('').map(col) })).toThrow(/at most 8/);
    const view = splom({ columns: [col('a'), { name: 'b', values: Float32Array.from([30, 20, 10]) }] });
    expect(Array.from(view.brushCell(1, 0, [1.5, 3.5], [5, 25]))).toEqual([0, 1, 1]);
    expect(view.svg.querySelectorAll('.cell')).toHaveLength(4);
  });

  it('embedding rejects positions for a different number of rows', async () => {
    const view = embedding({ x, y }, { duration: 0 });
    await expect(view.moveTo(new Float32Array(2), new Float32Array(2))).rejects.toThrow(
      /2 positions for 7 rows/,
    );
    // Row 0 moves from (1, 1) to (5, 1); the frame stays fitted to the first layout.
    await view.moveTo(Float32Array.from([5, 2, 3, 7, 8, 9, 5]), y);
    expect(view.scatter.nearest(...view.scatter.toPixels(5, 1))).toBe(0);
    expect(view.scatter.nearest(...view.scatter.toPixels(1, 1))).toBe(-1);
    expect(() => view.update({ x: new Float32Array(3), y: new Float32Array(3) })).toThrow(/3 positions/);
  });

  it('embedding frame grows when points would leave it and shrinks when they fill little of it', async () => {
    // The first layout spans [1, 9]: frame padded by 4% of the span.
    const view = embedding({ x, y }, { duration: 0 });
    const first = view.scatter.frame();
    expect(first.x[0]).toBeCloseTo(1 - 0.32, 6);
    expect(first.x[1]).toBeCloseTo(9 + 0.32, 6);
    // A UMAP spreading out to [-5, 20]: the frame holds it, and the points are where they are drawn.
    const wide = Float32Array.from([-5, 2, 3, 7, 8, 9, 20]);
    await view.moveTo(wide, y);
    const grown = view.scatter.frame();
    expect(grown.x[0]).toBeLessThan(-5);
    expect(grown.x[1]).toBeGreaterThan(20);
    expect(grown.y).toEqual(first.y); // y did not leave its frame
    const [px, py] = view.scatter.toPixels(-5, 1);
    expect(px).toBeGreaterThanOrEqual(0);
    expect(view.scatter.nearest(px, py)).toBe(0);
    // Collapsing to [0, 1] on both axes (less than 40% of the frame): the frame follows.
    const tiny = Float32Array.from([0, 0.1, 0.2, 0.5, 0.7, 0.9, 1]);
    await view.moveTo(tiny, tiny);
    const shrunk = view.scatter.frame();
    expect(shrunk.x[0]).toBeCloseTo(-0.04, 6);
    expect(shrunk.x[1]).toBeCloseTo(1.04, 6);
    // A small move inside the frame leaves it alone.
    await view.moveTo(Float32Array.from([0.1, 0.1, 0.2, 0.5, 0.7, 0.9, 0.95]), tiny);
    expect(view.scatter.frame()).toEqual(shrunk);
  });
});
