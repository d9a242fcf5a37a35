import { zoomIdentity } from 'd3';
import { describe, expect, it } from 'vitest';
import { embedding } from '../../src/viz/embedding.ts';
import { canvasToPngBlob, svgToPngBlob } from '../../src/viz/export.ts';
import { histogram } from '../../src/viz/histogram.ts';
import { scatter } from '../../src/viz/scatter.ts';
import type { MaskSelection, RangeSelection } from '../../src/viz/selection.ts';
import { splom } from '../../src/viz/splom.ts';
import { OKABE_ITO, parseColor } from '../../src/viz/theme.ts';

function pixel(canvas: HTMLCanvasElement, cssX: number, cssY: number, dpr: number): [number, number, number] {
  const d = canvas.getContext('2d')!.getImageData(Math.floor(cssX * dpr), Math.floor(cssY * dpr), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}

const close = (a: readonly number[], b: readonly number[], tol = 12) =>
  a.every((v, i) => Math.abs(v - b[i]!) <= tol);

async function isPng(blob: Blob): Promise<boolean> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b);
}

describe('scatter on canvas', () => {
  it('draws each point in its category colour where the scale puts it, background elsewhere', () => {
    const view = scatter(
      {
        x: Float32Array.from([0, 10, 5]),
        y: Float32Array.from([0, 10, 5]),
        color: Uint32Array.from([0, 1, 2]),
        categories: ['a', 'b', 'c'],
      },
      { width: 300, height: 240, pixelRatio: 1, radius: 3, opacity: 1, xDomain: [-1, 11], yDomain: [-1, 11] },
    );
    document.body.appendChild(view.node);
    view.render();
    for (const [vx, vy, code] of [
      [0, 0, 0],
      [10, 10, 1],
      [5, 5, 2],
    ] as const) {
      const [px, py] = view.toPixels(vx, vy);
      expect(
        close(pixel(view.canvas, view.plot.left + px, view.plot.top + py, 1), parseColor(OKABE_ITO[code]!)),
      ).toBe(true);
    }
    const [ex, ey] = view.toPixels(2.5, 7.5);
    expect(pixel(view.canvas, view.plot.left + ex, view.plot.top + ey, 1)).toEqual([255, 255, 255]);
    // Hover finds the middle point from 2 px away.
    const [mx, my] = view.toPixels(5, 5);
    expect(view.nearest(mx + 2, my - 1)).toBe(2);
    view.destroy();
  });

  it('greys unselected points and keeps selected ones in colour', () => {
    const view = scatter(
      { x: Float32Array.from([0, 10]), y: Float32Array.from([0, 10]), selected: Uint8Array.from([0, 1]) },
      { width: 200, height: 200, pixelRatio: 2, radius: 3, opacity: 1, xDomain: [-1, 11], yDomain: [-1, 11] },
    );
    view.render();
    const at = (vx: number, vy: number) => {
      const [px, py] = view.toPixels(vx, vy);
      return pixel(view.canvas, view.plot.left + px, view.plot.top + py, 2);
    };
    expect(close(at(10, 10), parseColor('#2f6fde'))).toBe(true);
    const grey = at(0, 0);
    expect(Math.max(...grey) - Math.min(...grey)).toBeLessThan(30); // a grey, not the accent
    expect(grey[0]).toBeLessThan(250);
  });

  it('renders 100k points with density shading, and exports a PNG', async () => {
    const n = 100_000;
    let s = 1;
    const rand = () => {
      s = (s * 48271) % 2147483647;
      return s / 2147483647;
    };
    // Gaussian blob: the centre is denser, so it must come out darker than the rim.
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(-2 * Math.log(rand() || 1e-9));
      const t = 2 * Math.PI * rand();
      x[i] = r * Math.cos(t);
      y[i] = r * Math.sin(t);
    }
    const view = scatter(
      { x, y, color: Float32Array.from(x) },
      { width: 400, height: 320, pixelRatio: 1, xDomain: [-4, 4], yDomain: [-4, 4] },
    );
    document.body.appendChild(view.node);
    view.render();
    const lum = (p: number[]) => p[0]! + p[1]! + p[2]!;
    const [cx, cy] = view.toPixels(0, 0);
    const [rx, ry] = view.toPixels(2.2, 0);
    expect(lum(pixel(view.canvas, view.plot.left + cx, view.plot.top + cy, 1))).toBeLessThan(
      lum(pixel(view.canvas, view.plot.left + rx, view.plot.top + ry, 1)),
    );
    const png = await view.toPngBlob(1);
    expect(await isPng(png)).toBe(true);
    expect(png.size).toBeGreaterThan(1000);
    expect(await isPng(await canvasToPngBlob(view.canvas))).toBe(true);
    view.destroy();
  });

  it('lasso and brush select the right rows, also after zooming', () => {
    const x = Float32Array.from([1, 2, 3, 8, 9]);
    const y = Float32Array.from([1, 2, 3, 8, 9]);
    const events: (MaskSelection | null)[] = [];
    const view = scatter(
      { x, y },
      { xDomain: [0, 10], yDomain: [0, 10], onSelect: (e) => events.push(e), pixelRatio: 1 },
    );
    const px = (vx: number, vy: number) => view.toPixels(vx, vy);
    const mask = view.lasso([px(0, 0), px(4, 0), px(4, 4), px(0, 4)]);
    expect(Array.from(mask)).toEqual([1, 1, 1, 0, 0]);
    expect(events.at(-1)?.mask).toBe(mask);
    const [before] = view.toPixels(9, 9);
    view.zoomTo(zoomIdentity.translate(-400, 0).scale(2));
    expect(view.toPixels(9, 9)[0]).toBeCloseTo(2 * before - 400, 6);
    expect(Array.from(view.brush([px(7.5, 9.5), px(9.5, 7.5)]))).toEqual([0, 0, 0, 1, 1]);
    view.brush([px(5, 5), px(5, 5)]); // a click clears
    expect(events.at(-1)).toBeNull();
  });
});

describe('export', () => {
  it('turns an SVG view into a PNG at 2×', async () => {
    const view = histogram(
      { edges: Float64Array.from([0, 1, 2]), counts: Float64Array.from([3, 4]), missing: 1 },
      { column: 'v', width: 300, height: 200 },
    );
    const png = await svgToPngBlob(view.node, 2);
    expect(await isPng(png)).toBe(true);
    const bitmap = await createImageBitmap(png);
    expect([bitmap.width, bitmap.height]).toEqual([600, 400]);
  });
});

describe('splom and embedding on canvas', () => {
  it('splom draws each pair in its own cell and leaves the diagonal for names', () => {
    const a = Float32Array.from([0, 1]);
    const b = Float32Array.from([1, 0]);
    const view = splom(
      {
        columns: [
          { name: 'a', values: a },
          { name: 'b', values: b },
        ],
      },
      { width: 240, pixelRatio: 1 },
    );
    view.render();
    const ctx = view.canvas.getContext('2d')!;
    const inked = (i: number, j: number) => {
      const c = view.cell(i, j);
      const d = ctx.getImageData(c.left, c.top, c.size, c.size).data;
      let n = 0;
      for (let k = 0; k < d.length; k += 4) n += d[k]! < 200 ? 1 : 0;
      return n;
    };
    expect(inked(0, 1)).toBeGreaterThan(0);
    expect(inked(1, 0)).toBeGreaterThan(0);
    expect(inked(0, 0)).toBe(0);
  });

  it('embedding animates to new positions and ends exactly there', async () => {
    const view = embedding(
      {
        x: Float32Array.from([0, 10]),
        y: Float32Array.from([0, 10]),
        color: Uint32Array.from([0, 1]),
        classes: ['a', 'b'],
      },
      {
        width: 240,
        height: 200,
        pixelRatio: 1,
        radius: 3,
        opacity: 1,
        duration: 120,
        xDomain: [-1, 11],
        yDomain: [-1, 11],
      },
    );
    document.body.appendChild(view.node);
    const at = (vx: number, vy: number) => {
      const [px, py] = view.scatter.toPixels(vx, vy);
      return pixel(view.scatter.canvas, view.scatter.plot.left + px, view.scatter.plot.top + py, 1);
    };
    await view.moveTo(Float32Array.from([10, 0]), Float32Array.from([0, 10]));
    expect(close(at(10, 0), parseColor(OKABE_ITO[0]!))).toBe(true);
    expect(close(at(0, 10), parseColor(OKABE_ITO[1]!))).toBe(true);
    expect(at(0, 0)).toEqual([255, 255, 255]);
    view.destroy();
  });
});

describe('real pointer gestures', () => {
  it('dragging across a histogram emits the range of the bins it covers', () => {
    const events: (RangeSelection | null)[] = [];
    const view = histogram(
      { edges: Float64Array.from([0, 10, 20, 30, 40]), counts: Float64Array.from([1, 2, 3, 4]), missing: 0 },
      { column: 'age', width: 400, height: 200, onBrush: (s) => events.push(s) },
    );
    document.body.appendChild(view.node);
    const box = view.node.getBoundingClientRect();
    const at = (v: number) => box.left + view.plot.left + view.xOf(v);
    const y = box.top + view.plot.top + 50;
    const overlay = view.node.querySelector('.brush .overlay')!;
    overlay.dispatchEvent(
      new MouseEvent('mousedown', { clientX: at(12), clientY: y, bubbles: true, view: window }),
    );
    window.dispatchEvent(
      new MouseEvent('mousemove', { clientX: at(25), clientY: y, bubbles: true, view: window }),
    );
    window.dispatchEvent(
      new MouseEvent('mouseup', { clientX: at(25), clientY: y, bubbles: true, view: window }),
    );
    expect(events.at(-1)).toEqual({ source: 'histogram:age', kind: 'range', column: 'age', range: [10, 30] });
    view.destroy();
  });

  it('drawing a lasso with the pointer selects the rows inside', () => {
    const events: (MaskSelection | null)[] = [];
    const view = scatter(
      { x: Float32Array.from([1, 2, 8, 9]), y: Float32Array.from([1, 2, 8, 9]) },
      { mode: 'lasso', xDomain: [0, 10], yDomain: [0, 10], pixelRatio: 1, onSelect: (s) => events.push(s) },
    );
    document.body.appendChild(view.node);
    const box = view.svg.getBoundingClientRect();
    const at = (vx: number, vy: number) => {
      const [px, py] = view.toPixels(vx, vy);
      return {
        clientX: box.left + view.plot.left + px,
        clientY: box.top + view.plot.top + py,
        bubbles: true,
        pointerId: 1,
      };
    };
    const overlay = view.svg.querySelector('.overlay')!;
    overlay.dispatchEvent(new PointerEvent('pointerdown', at(0, 0)));
    for (const [vx, vy] of [
      [5, 0],
      [5, 5],
      [0, 5],
    ] as const)
      overlay.dispatchEvent(new PointerEvent('pointermove', at(vx, vy)));
    overlay.dispatchEvent(new PointerEvent('pointerup', at(0, 4)));
    expect(Array.from(events.at(-1)?.mask ?? [])).toEqual([1, 1, 0, 0]);
    view.destroy();
  });
});
