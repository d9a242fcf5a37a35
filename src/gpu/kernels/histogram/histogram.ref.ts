/**
 * Histogram in plain TypeScript: the oracle for the WGSL kernel and the CPU fallback. It bins in
 * f32 arithmetic (Math.fround at each step the shader rounds), so kernel and reference agree
 * count for count, including values that sit exactly on a bin edge.
 */

export interface HistogramRange {
  /** Lower edge of the first bin. */
  lo: number;
  /** Upper edge of the last bin; a value equal to it goes into the last bin. */
  hi: number;
  /** Number of equal-width bins, 1..MAX_BINS. */
  bins: number;
}

export interface Histogram {
  /** Counts per bin (values in [lo, hi]; NaN, ±Infinity and values outside the range excluded). */
  counts: Float64Array;
  /** Finite values outside [lo, hi]. */
  outside: number;
}

/** The f32 numbers both paths bin with: the shift applied on the device, the span and the scale.
 * Float64 input is shifted on the host in f64 (WebGPU has no f64), so its device shift is 0. */
export interface BinParams {
  shift: number;
  span: number;
  scale: number;
}

const f = Math.fround;

export function binParams(range: HistogramRange): BinParams {
  const span = f(f(range.hi) - f(range.lo));
  return { shift: f(range.lo), span, scale: span > 0 ? f(range.bins / span) : 0 };
}

/** Params for Float64 input: shift by `lo` in f64 first, so the span is the f32 of hi − lo. */
export function binParams64(range: HistogramRange): BinParams {
  const span = f(range.hi - range.lo);
  return { shift: range.lo, span, scale: span > 0 ? f(range.bins / span) : 0 };
}

/** True when the range cannot be binned in f32 (its width overflows): use this reference. */
export function needsReference(range: HistogramRange, float64: boolean): boolean {
  const p = float64 ? binParams64(range) : binParams(range);
  return !Number.isFinite(p.span) || !Number.isFinite(p.scale);
}

export function validateRange(range: HistogramRange, maxBins: number): void {
  const { lo, hi, bins } = range;
  if (!Number.isInteger(bins) || bins < 1 || bins > maxBins)
    throw new RangeError(`Histogram bins must be a whole number from 1 to ${maxBins}, got ${bins}.`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo)
    throw new RangeError(`Histogram range must be finite with lo ≤ hi, got [${lo}, ${hi}].`);
}

export function histogramRef(col: Float32Array | Float64Array, range: HistogramRange): Histogram {
  const float64 = col instanceof Float64Array;
  const p = float64 ? binParams64(range) : binParams(range);
  const counts = new Float64Array(range.bins);
  const last = range.bins - 1;
  let outside = 0;
  if (!Number.isFinite(p.span) || !Number.isFinite(p.scale)) {
    // Too wide for f32: bin in plain f64 (the GPU path uses this branch too).
    const width = range.hi - range.lo;
    for (let i = 0; i < col.length; i++) {
      const x = col[i] as number;
      if (x - x !== 0) continue;
      if (x < range.lo || x > range.hi) {
        outside++;
        continue;
      }
      counts[Math.min(Math.floor(((x - range.lo) / width) * range.bins), last)]!++;
    }
    return { counts, outside };
  }
  const { shift, span, scale } = p;
  for (let i = 0; i < col.length; i++) {
    const x = col[i] as number;
    if (x - x !== 0) continue; // NaN, ±Infinity
    // A shift that overflows f32 is far outside the range (the GPU upload writes -1 for it).
    const d = f(x - shift);
    if (!(d >= 0 && d <= span)) {
      outside++;
      continue;
    }
    counts[Math.min(Math.floor(f(d * scale)), last)]!++;
  }
  return { counts, outside };
}
