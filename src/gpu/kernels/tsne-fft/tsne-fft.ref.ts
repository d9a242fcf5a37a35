/**
 * FFT-accelerated interpolation of t-SNE's repulsion (FIt-SNE: Linderman, Rachh, Hoskins,
 * Steinerberger & Kluger 2019, as in KlugerLab/FIt-SNE's nbodyfft.cpp and tsne-cuda): the CPU
 * reference of the WebGPU kernels in tsne-fft.ts and the CPU path for large inputs.
 *
 * With K(y, y') = (1 + ‖y − y'‖²)⁻² and charges (1, x, y, x² + y²) per point, the four potentials
 * φₖ(yᵢ) = Σⱼ K(yᵢ, yⱼ) chargeₖ(j) give both sums of the gradient:
 *
 *   Σⱼ q̃ᵢⱼ² (yᵢ − yⱼ) = yᵢ φ₀ − (φ₁, φ₂),   Σⱼ q̃ᵢⱼ = (1 + ‖yᵢ‖²) φ₀ − 2 yᵢ·(φ₁, φ₂) + φ₃,
 *
 * (the j = i terms add 1 to the second sum and nothing to the first; Z subtracts n). The potentials
 * are interpolated: the bounding square of the points is cut into nb × nb boxes of width W, each
 * with p × p = 3 × 3 equispaced nodes (at 1/6, 1/2, 5/6 of the box, so all nodes are equispaced at
 * δ = W/3); each point spreads its charges to the 9 nodes of its box with Lagrange weights; the
 * node-to-node sums are a 2-D Toeplitz product, done as a circular convolution of size L × L
 * (L ≥ 2·3·nb − 1) by FFT; the node potentials are interpolated back with the same weights.
 * Error: the interpolation of K over a box (~1e-3 relative for W ≤ 1, growing with W); unlike
 * Barnes–Hut it does not depend on how points cluster. Cost per evaluation: O(n) + O(L² log L).
 *
 * Coordinates are taken relative to the grid centre, which keeps the cancellation in the sums above
 * small (the GPU computes them in f32).
 *
 * Grid choice (`fftGrid`): L is a power of two (radix-2 FFTs on the GPU), nb = ⌊(L + 1)/6⌋, the
 * largest that fits, and W the smallest power of two with nb·W ≥ the span — so W, and with it the
 * kernel's transform, changes only when the span doubles or halves, and L grows with the span
 * (up to MAX_L) to keep W ≤ maxBoxWidth.
 */
import type { Repulsion } from '../tsne/tsne.ref';

export const INTERPOLATION_POINTS = 3;
export const MIN_L = 512;
export const MAX_L = 2048;

export interface FftGrid {
  /** FFT size per dimension (power of two). */
  L: number;
  /** Boxes per dimension. */
  nb: number;
  /** Box width. */
  W: number;
  /** Lower-left corner of the grid. */
  originX: number;
  originY: number;
}

export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export function boundsOf(Y: ArrayLike<number>, n: number): Bounds {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = Y[2 * i]!;
    const y = Y[2 * i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, maxX, minY, maxY };
}

export const boxesFor = (L: number): number => Math.floor((L + 1) / (2 * INTERPOLATION_POINTS));

/** The FFT size for a span: the smallest power of two ≥ MIN_L whose boxes are ≤ maxBoxWidth wide. */
export function fftSizeFor(span: number, maxBoxWidth: number): number {
  let L = MIN_L;
  while (L < MAX_L && boxesFor(L) * maxBoxWidth < span) L *= 2;
  return L;
}

/** Box width for a span on an L grid: the smallest power of two covering it (see the header). */
export function boxWidthFor(span: number, L: number): number {
  const nb = boxesFor(L);
  // A degenerate span (one point, or all equal) still needs a positive width.
  const need = Math.max(span, 1e-30) / nb;
  let W = 2 ** Math.ceil(Math.log2(need));
  if (W * nb < span) W *= 2; // log2 rounding
  return W;
}

export function fftGrid(bounds: Bounds, L: number): FftGrid {
  const span = Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY);
  return { L, nb: boxesFor(L), W: boxWidthFor(span, L), originX: bounds.minX, originY: bounds.minY };
}

/** Lagrange weights of the 3 nodes (at 1/6, 1/2, 5/6) for u ∈ [0, 1] in a box. */
export function lagrange3(u: number, out: Float64Array | number[], offset = 0): void {
  const a = u - 1 / 6;
  const b = u - 1 / 2;
  const c = u - 5 / 6;
  out[offset] = 4.5 * b * c; // (u − ½)(u − ⅚) / ((⅙ − ½)(⅙ − ⅚)) = … / (2/9)
  out[offset + 1] = -9 * a * c; // … / (−1/9)
  out[offset + 2] = 4.5 * a * b; // … / (2/9)
}

/**
 * The kernels on the circulant L × L grid of node offsets (spacing δ, row = y offset): the vector
 * kernel (Δx + iΔy)(1 + r²)⁻² as re/im, and (1 + r²)⁻¹ (for Z).
 */
export function kernelGrids(
  L: number,
  m: number,
  delta: number,
): { vecRe: Float64Array; vecIm: Float64Array; cauchy: Float64Array } {
  const vecRe = new Float64Array(L * L);
  const vecIm = new Float64Array(L * L);
  const cauchy = new Float64Array(L * L);
  const off = (a: number) => (a < m ? a : a > L - m ? a - L : Number.NaN);
  for (let a = 0; a < L; a++) {
    const dy = off(a) * delta;
    if (Number.isNaN(dy)) continue;
    for (let b = 0; b < L; b++) {
      const dx = off(b) * delta;
      if (Number.isNaN(dx)) continue;
      const q = 1 / (1 + dx * dx + dy * dy);
      // The field at a node from a source at offset (dx, dy) behind it: Σ q²·(y − yⱼ).
      vecRe[a * L + b] = q * q * dx;
      vecIm[a * L + b] = q * q * dy;
      cauchy[a * L + b] = q;
    }
  }
  return { vecRe, vecIm, cauchy };
}

/** In-place radix-2 FFTs of length L on (re, im) rows, with tables made once per L. */
export class Fft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(readonly L: number) {
    const bits = Math.log2(L);
    if (!Number.isInteger(bits)) throw new RangeError(`FFT size must be a power of two, got ${L}`);
    this.cos = new Float64Array(L / 2);
    this.sin = new Float64Array(L / 2);
    for (let k = 0; k < L / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / L);
      this.sin[k] = Math.sin((2 * Math.PI * k) / L);
    }
    this.rev = new Uint32Array(L);
    for (let i = 0; i < L; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  /** Forward (sign −1) or inverse without the 1/L scale (sign +1) transform of re/im[o, o + L). */
  transform(re: Float64Array, im: Float64Array, o: number, sign: 1 | -1): void {
    const { L, rev, cos, sin } = this;
    for (let i = 0; i < L; i++) {
      const j = rev[i]!;
      if (j > i) {
        let t = re[o + i]!;
        re[o + i] = re[o + j]!;
        re[o + j] = t;
        t = im[o + i]!;
        im[o + i] = im[o + j]!;
        im[o + j] = t;
      }
    }
    for (let size = 2; size <= L; size *= 2) {
      const half = size / 2;
      const step = L / size;
      for (let start = 0; start < L; start += size) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step]!;
          const wi = sign * sin[k * step]!;
          const a = o + start + k;
          const b = a + half;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a]! += xr;
          im[a]! += xi;
        }
      }
    }
  }

  /**
   * 2-D transform of an L × L row-major grid. Only the first `rows` rows are non-zero on the way
   * in (forward) or needed on the way out (inverse), so the other row transforms are skipped.
   */
  transform2d(re: Float64Array, im: Float64Array, sign: 1 | -1, rows: number): void {
    const { L } = this;
    const colRe = new Float64Array(L);
    const colIm = new Float64Array(L);
    const rowPass = () => {
      for (let r = 0; r < rows; r++) this.transform(re, im, r * L, sign);
    };
    if (sign === -1) rowPass();
    for (let c = 0; c < L; c++) {
      for (let r = 0; r < L; r++) {
        colRe[r] = re[r * L + c]!;
        colIm[r] = im[r * L + c]!;
      }
      this.transform(colRe, colIm, 0, sign);
      for (let r = 0; r < L; r++) {
        re[r * L + c] = colRe[r]!;
        im[r * L + c] = colIm[r]!;
      }
    }
    if (sign === 1) rowPass();
  }
}

interface Spectra {
  /** Transform of the vector kernel (complex). */
  vecRe: Float64Array;
  vecIm: Float64Array;
  /** Transform of the Cauchy kernel (real: the kernel is real and even). */
  cauchy: Float64Array;
}

export function kernelSpectra(fft: Fft, L: number, m: number, delta: number): Spectra {
  const g = kernelGrids(L, m, delta);
  fft.transform2d(g.vecRe, g.vecIm, -1, L);
  const im = new Float64Array(L * L);
  fft.transform2d(g.cauchy, im, -1, L);
  return { vecRe: g.vecRe, vecIm: g.vecIm, cauchy: g.cauchy };
}

/**
 * The repulsion by FFT interpolation. `maxBoxWidth` (default 1, FIt-SNE's one interval per unit)
 * decides when L grows; `fixedL` pins it (tests, and the GPU run between its checkpoints).
 */
export function fftRepulsion(options: { maxBoxWidth?: number; fixedL?: number } = {}): Repulsion {
  const maxBoxWidth = options.maxBoxWidth ?? 1;
  let fft: Fft | null = null;
  let spectra: Spectra | null = null;
  let spectraKey = '';
  let re = new Float64Array(0);
  let im = new Float64Array(0);
  let wx = new Float64Array(0);
  let wy = new Float64Array(0);
  let box = new Int32Array(0);
  return (Y, n, force) => {
    const bounds = boundsOf(Y, n);
    const span = Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY);
    const L = options.fixedL ?? fftSizeFor(span, maxBoxWidth);
    const grid = fftGrid(bounds, L);
    const { nb, W } = grid;
    const m = INTERPOLATION_POINTS * nb;
    if (fft?.L !== L) {
      fft = new Fft(L);
      re = new Float64Array(L * L);
      im = new Float64Array(L * L);
    }
    const key = `${L}:${W}`;
    if (spectraKey !== key) {
      spectra = kernelSpectra(fft, L, m, W / INTERPOLATION_POINTS);
      spectraKey = key;
    }
    if (box.length < 2 * n) {
      box = new Int32Array(2 * n);
      wx = new Float64Array(3 * n);
      wy = new Float64Array(3 * n);
    }
    re.fill(0);
    im.fill(0);
    // Spread each point's unit charge to the 9 nodes of its box (row = y).
    for (let i = 0; i < n; i++) {
      const gx = (Y[2 * i]! - grid.originX) / W;
      const gy = (Y[2 * i + 1]! - grid.originY) / W;
      const bx = Math.min(Math.floor(gx), nb - 1);
      const by = Math.min(Math.floor(gy), nb - 1);
      box[2 * i] = bx;
      box[2 * i + 1] = by;
      lagrange3(gx - bx, wx, 3 * i);
      lagrange3(gy - by, wy, 3 * i);
      for (let s = 0; s < 3; s++) {
        const row = (3 * by + s) * L + 3 * bx;
        const ws = wy[3 * i + s]!;
        for (let t = 0; t < 3; t++) re[row + t]! += ws * wx[3 * i + t]!;
      }
    }
    fft.transform2d(re, im, -1, m);
    // Z = Σᵢ Σⱼ q̃ᵢⱼ (self terms removed below) = ⟨ρ, K ∗ ρ⟩ over the nodes = Σ |ρ̂|² K̂ / L².
    const S = spectra!;
    let Z = 0;
    for (let e = 0; e < L * L; e++) {
      const a = re[e]!;
      const b = im[e]!;
      Z += (a * a + b * b) * S.cauchy[e]!;
      re[e] = a * S.vecRe[e]! - b * S.vecIm[e]!;
      im[e] = a * S.vecIm[e]! + b * S.vecRe[e]!;
    }
    Z /= L * L;
    fft.transform2d(re, im, 1, m);
    const scale = 1 / (L * L);
    const delta = W / INTERPOLATION_POINTS;
    for (let i = 0; i < n; i++) Z -= selfInteraction(wx, wy, 3 * i, delta);
    for (let i = 0; i < n; i++) {
      const bx = box[2 * i]!;
      const by = box[2 * i + 1]!;
      let fx = 0;
      let fy = 0;
      for (let s = 0; s < 3; s++) {
        const row = (3 * by + s) * L + 3 * bx;
        const ws = wy[3 * i + s]!;
        for (let t = 0; t < 3; t++) {
          const w = ws * wx[3 * i + t]!;
          fx += w * re[row + t]!;
          fy += w * im[row + t]!;
        }
      }
      force[2 * i] = fx * scale;
      force[2 * i + 1] = fy * scale;
    }
    return Z;
  };
}

/**
 * What the interpolation makes of a point's interaction with itself in Z: Σₐ Σ_b wₐ w_b K(a − b)
 * over its 9 nodes, = Σ over node offsets of K × the autocorrelation of the weights, which is
 * separable (Cx(ox)·Cy(oy)) and even. It is 1 = K(0) only at the centre of a box (up to 1.3 at an
 * edge), so subtracting n instead — as FIt-SNE does — biases Z up and the repulsion down. The
 * self force vanishes exactly: the vector kernel is odd, the autocorrelation even.
 */
export function selfInteraction(
  wx: ArrayLike<number>,
  wy: ArrayLike<number>,
  o: number,
  delta: number,
): number {
  const x0 = wx[o]!;
  const x1 = wx[o + 1]!;
  const x2 = wx[o + 2]!;
  const y0 = wy[o]!;
  const y1 = wy[o + 1]!;
  const y2 = wy[o + 2]!;
  // Autocorrelation at offsets 0, ±1, ±2 (± folded together).
  const cx0 = x0 * x0 + x1 * x1 + x2 * x2;
  const cx1 = 2 * (x0 * x1 + x1 * x2);
  const cx2 = 2 * x0 * x2;
  const cy0 = y0 * y0 + y1 * y1 + y2 * y2;
  const cy1 = 2 * (y0 * y1 + y1 * y2);
  const cy2 = 2 * y0 * y2;
  const d2 = delta * delta;
  const k = (a: number, b: number) => 1 / (1 + (a * a + b * b) * d2);
  return (
    cx0 * (cy0 + cy1 * k(0, 1) + cy2 * k(0, 2)) +
    cx1 * (cy0 * k(1, 0) + cy1 * k(1, 1) + cy2 * k(1, 2)) +
    cx2 * (cy0 * k(2, 0) + cy1 * k(2, 1) + cy2 * k(2, 2))
  );
}
