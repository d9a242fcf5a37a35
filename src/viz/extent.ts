/** The domain a chart gives its data: the finite values' range, widened when flat, padded on request. */

/**
 * [min, max] of the finite values ([0, 1] when there are none). Values all equal are widened by 5%
 * of their size (or by 1 at zero). `pad` adds 4% of the span on each side: 'always', only when
 * the values were not all equal ('spread'), or never ('none').
 */
export function paddedExtent(values: readonly number[], pad: 'none' | 'spread' | 'always'): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.05 || 1;
    hi += Math.abs(hi) * 0.05 || 1;
    if (pad !== 'always') return [lo, hi];
  } else if (pad === 'none') {
    return [lo, hi];
  }
  const p = (hi - lo) * 0.04;
  return [lo - p, hi + p];
}
