/** A polygon as a flat list of vertices [x0, y0, x1, y1, …] or as [x, y] pairs. */
export type Polygon = ArrayLike<number> | readonly (readonly [number, number])[];

function flatten(polygon: Polygon): Float64Array {
  const first = (polygon as ArrayLike<unknown>)[0];
  if (Array.isArray(first)) {
    const pairs = polygon as readonly (readonly [number, number])[];
    const out = new Float64Array(pairs.length * 2);
    pairs.forEach(([x, y], i) => {
      out[2 * i] = x;
      out[2 * i + 1] = y;
    });
    return out;
  }
  return Float64Array.from(polygon as ArrayLike<number>);
}

/** Even–odd rule (crossing number): works for concave and self-intersecting lassos. */
export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  const p = flatten(polygon);
  return inside(x, y, p, p.length / 2);
}

function inside(x: number, y: number, p: Float64Array, n: number): boolean {
  let result = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = p[2 * i]!;
    const yi = p[2 * i + 1]!;
    const xj = p[2 * j]!;
    const yj = p[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

/**
 * Selection mask of the points inside a lasso (data coordinates). A bounding-box test first, so
 * a small lasso over 1M points costs one comparison for most of them.
 */
export function lassoMask(x: ArrayLike<number>, y: ArrayLike<number>, polygon: Polygon): Uint8Array {
  const p = flatten(polygon);
  const n = p.length / 2;
  const mask = new Uint8Array(x.length);
  if (n < 3) return mask;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, p[2 * i]!);
    x1 = Math.max(x1, p[2 * i]!);
    y0 = Math.min(y0, p[2 * i + 1]!);
    y1 = Math.max(y1, p[2 * i + 1]!);
  }
  for (let i = 0; i < x.length; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (px < x0 || px > x1 || py < y0 || py > y1) continue;
    if (inside(px, py, p, n)) mask[i] = 1;
  }
  return mask;
}

/** Selection mask of the points inside [x0, x1] × [y0, y1] (data coordinates, either order). */
export function rectMask(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  [xa, xb]: readonly [number, number],
  [ya, yb]: readonly [number, number],
): Uint8Array {
  const [x0, x1] = xa <= xb ? [xa, xb] : [xb, xa];
  const [y0, y1] = ya <= yb ? [ya, yb] : [yb, ya];
  const mask = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1) mask[i] = 1;
  }
  return mask;
}

/**
 * A uniform-grid index over 2-D points, built once in O(n) (counting sort, no per-point objects),
 * answering "which point is nearest to the pointer" in screen distance even when the x and y
 * scales differ (zoomed, or different units).
 */
export interface PointIndex {
  /**
   * Index of the point nearest to (qx, qy) in data units, measuring distance in pixels with
   * `pixelsPerUnit` = [px per x unit, px per y unit]; -1 when none lies within `radius` pixels.
   */
  nearest(qx: number, qy: number, radius: number, pixelsPerUnit: readonly [number, number]): number;
}

export function buildPointIndex(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  cellsPerSide?: number,
): PointIndex {
  const n = x.length;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    if (px < x0) x0 = px;
    if (px > x1) x1 = px;
    if (py < y0) y0 = py;
    if (py > y1) y1 = py;
  }
  if (!(x1 >= x0)) return { nearest: () => -1 };
  const side = cellsPerSide ?? Math.max(1, Math.min(1024, Math.round(Math.sqrt(n / 4))));
  const cw = (x1 - x0) / side || 1;
  const ch = (y1 - y0) / side || 1;
  const cellOf = (px: number, py: number) => {
    const cx = Math.min(side - 1, Math.floor((px - x0) / cw));
    const cy = Math.min(side - 1, Math.floor((py - y0) / ch));
    return cy * side + cx;
  };
  const starts = new Uint32Array(side * side + 1);
  for (let i = 0; i < n; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (Number.isFinite(px) && Number.isFinite(py)) starts[cellOf(px, py) + 1]!++;
  }
  for (let c = 0; c < side * side; c++) starts[c + 1]! += starts[c]!;
  const fill = starts.slice(0, side * side);
  const order = new Uint32Array(starts[side * side]!);
  for (let i = 0; i < n; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (Number.isFinite(px) && Number.isFinite(py)) order[fill[cellOf(px, py)]!++] = i;
  }
  return {
    nearest(qx, qy, radius, [sx, sy]) {
      const rx = radius / Math.abs(sx);
      const ry = radius / Math.abs(sy);
      const cx0 = Math.max(0, Math.floor((qx - rx - x0) / cw));
      const cx1 = Math.min(side - 1, Math.floor((qx + rx - x0) / cw));
      const cy0 = Math.max(0, Math.floor((qy - ry - y0) / ch));
      const cy1 = Math.min(side - 1, Math.floor((qy + ry - y0) / ch));
      let best = -1;
      let bestD = radius * radius;
      for (let cy = cy0; cy <= cy1; cy++) {
        for (let cx = cx0; cx <= cx1; cx++) {
          const c = cy * side + cx;
          for (let k = starts[c]!; k < starts[c + 1]!; k++) {
            const i = order[k]!;
            const dx = (x[i]! - qx) * sx;
            const dy = (y[i]! - qy) * sy;
            const d = dx * dx + dy * dy;
            if (d <= bestD) {
              // Ties go to the lower row index, so hover is deterministic.
              if (d < bestD || best < 0 || i < best) best = i;
              bestD = d;
            }
          }
        }
      }
      return best;
    },
  };
}
