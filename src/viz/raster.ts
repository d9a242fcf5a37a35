/**
 * Point rasteriser shared by scatter, splom and embedding: draws millions of points into an
 * ImageData-like buffer with no per-point objects or canvas calls. Overlap is shown by alpha
 * accumulation — each pixel keeps the count and colour sum of the points on it, and its opacity is
 * 1 − (1 − α)^count — so dense regions read darker and mixed classes blend instead of the last
 * drawn hiding the rest. Pure: runs in Node tests on plain arrays.
 */
import { parseColor } from './theme.ts';

export interface RasterTarget {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** A rectangle of the target in device pixels; points outside it are clipped. */
export interface Viewport {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** Data → device pixel: px = ax·x + bx, py = ay·y + by (absolute target coordinates). */
export interface LinearMap {
  ax: number;
  bx: number;
  ay: number;
  by: number;
}

export interface PointPaint {
  /** Per-point index into `palette` (0–255). */
  colorIndex?: Uint8Array;
  /** RGB triples, 3 bytes per entry; entry 0 when there is no `colorIndex`. */
  palette: Uint8Array;
  /** Radius in device pixels: one for all, or per point (0 = a single pixel). */
  radius: number | Uint8Array;
}

/** Per-pixel sums for one layer (e.g. the unselected points, then the selected ones). */
export class Accumulator {
  readonly count: Float32Array;
  readonly r: Float32Array;
  readonly g: Float32Array;
  readonly b: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    const n = width * height;
    this.count = new Float32Array(n);
    this.r = new Float32Array(n);
    this.g = new Float32Array(n);
    this.b = new Float32Array(n);
  }
  reset(): void {
    this.count.fill(0);
    this.r.fill(0);
    this.g.fill(0);
    this.b.fill(0);
  }
}

const stamps = new Map<number, Int16Array>();
/** Offsets (dx, dy) of a disc of radius r, cached. */
function stamp(r: number): Int16Array {
  let s = stamps.get(r);
  if (!s) {
    const out: number[] = [];
    const rr = (r + 0.5) * (r + 0.5);
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= rr) out.push(dx, dy);
    s = Int16Array.from(out);
    stamps.set(r, s);
  }
  return s;
}

/**
 * Adds points to `acc` (same size as the target). With `mask`, only points whose mask byte equals
 * `want` are drawn — that is how selected and unselected rows go to separate layers. `stride` > 1
 * draws every stride-th point (a fast preview while zooming). `from`/`to` limit the rows (so a big
 * layer can be drawn in slices over several tasks).
 */
export function accumulate(
  acc: Accumulator,
  viewport: Viewport,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  map: LinearMap,
  paint: PointPaint,
  mask?: Uint8Array,
  want = 1,
  stride = 1,
  from = 0,
  to = x.length,
): number {
  const { count, r: sr, g: sg, b: sb, width } = acc;
  const { palette, colorIndex } = paint;
  const vx0 = viewport.x0;
  const vy0 = viewport.y0;
  const vx1 = viewport.x0 + viewport.width;
  const vy1 = viewport.y0 + viewport.height;
  const { ax, bx, ay, by } = map;
  const fixedRadius = typeof paint.radius === 'number' ? paint.radius : -1;
  const radii = typeof paint.radius === 'number' ? null : paint.radius;
  let drawn = 0;
  const n = Math.min(to, x.length);
  for (let i = from; i < n; i += stride) {
    if (mask && (mask[i] ? 1 : 0) !== want) continue;
    const px = Math.floor(ax * x[i]! + bx);
    const py = Math.floor(ay * y[i]! + by);
    // NaN fails both comparisons of each pair, so missing values are skipped here too.
    if (!(px >= vx0 - 8 && px < vx1 + 8 && py >= vy0 - 8 && py < vy1 + 8)) continue;
    const c = colorIndex ? colorIndex[i]! * 3 : 0;
    const cr = palette[c]!;
    const cg = palette[c + 1]!;
    const cb = palette[c + 2]!;
    const radius = fixedRadius >= 0 ? fixedRadius : radii![i]!;
    drawn++;
    if (radius === 0) {
      if (px < vx0 || px >= vx1 || py < vy0 || py >= vy1) continue;
      const k = py * width + px;
      count[k]!++;
      sr[k]! += cr;
      sg[k]! += cg;
      sb[k]! += cb;
      continue;
    }
    const s = stamp(radius);
    for (let j = 0; j < s.length; j += 2) {
      const qx = px + s[j]!;
      const qy = py + s[j + 1]!;
      if (qx < vx0 || qx >= vx1 || qy < vy0 || qy >= vy1) continue;
      const k = qy * width + qx;
      count[k]!++;
      sr[k]! += cr;
      sg[k]! += cg;
      sb[k]! += cb;
    }
  }
  return drawn;
}

/** Fills a viewport of the target with an opaque colour. */
export function fill(target: RasterTarget, viewport: Viewport, color: string): void {
  const [r, g, b] = parseColor(color);
  const { data, width } = target;
  for (let y = viewport.y0; y < viewport.y0 + viewport.height; y++) {
    for (let x = viewport.x0; x < viewport.x0 + viewport.width; x++) {
      const k = (y * width + x) * 4;
      data[k] = r;
      data[k + 1] = g;
      data[k + 2] = b;
      data[k + 3] = 255;
    }
  }
}

/**
 * Blends a layer over the target: mean colour of the pixel's points at opacity 1 − (1 − α)^count.
 * `opacity` 1 draws solid points (overlap then only shows through colour mixing).
 */
export function composite(target: RasterTarget, acc: Accumulator, viewport: Viewport, opacity: number): void {
  const { data, width } = target;
  const { count, r, g, b } = acc;
  const lut = new Float32Array(257);
  for (let c = 0; c <= 256; c++) lut[c] = 1 - (1 - opacity) ** c;
  for (let y = viewport.y0; y < viewport.y0 + viewport.height; y++) {
    for (let x = viewport.x0; x < viewport.x0 + viewport.width; x++) {
      const k = y * width + x;
      const n = count[k]!;
      if (n === 0) continue;
      const a = lut[Math.min(n, 256)]!;
      const o = k * 4;
      data[o] = data[o]! * (1 - a) + (r[k]! / n) * a;
      data[o + 1] = data[o + 1]! * (1 - a) + (g[k]! / n) * a;
      data[o + 2] = data[o + 2]! * (1 - a) + (b[k]! / n) * a;
      data[o + 3] = 255;
    }
  }
}

/** Palette bytes from CSS colours. */
export function paletteBytes(colors: readonly string[]): Uint8Array {
  const out = new Uint8Array(colors.length * 3);
  colors.forEach((c, i) => {
    out.set(parseColor(c), i * 3);
  });
  return out;
}

/** Per-point palette indices for a continuous column: `levels` steps over [lo, hi] (NaN → 0). */
export function quantize(values: ArrayLike<number>, lo: number, hi: number, levels = 256): Uint8Array {
  const out = new Uint8Array(values.length);
  const span = hi - lo || 1;
  for (let i = 0; i < values.length; i++) {
    const t = (values[i]! - lo) / span;
    out[i] = t >= 1 ? levels - 1 : t > 0 ? Math.floor(t * levels) : 0;
  }
  return out;
}

/** Codes → palette indices, wrapping at the palette length. */
export function codesToIndex(codes: ArrayLike<number>, paletteLength: number): Uint8Array {
  const out = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i]! % paletteLength;
  return out;
}
