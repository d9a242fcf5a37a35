/**
 * Axis domains from data: one pass over any array-like (no `Math.min(...values)`, which overflows
 * the call stack past ~100k values), non-finite values ignored.
 */

/** Finite min and max (one pass; [0, 1] when nothing is finite). */
export function finiteExtent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo && v !== -Infinity) lo = v;
    if (v > hi && v !== Infinity) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * The finite extent of one or more arrays as a chart domain: a constant is widened by 5% of its
 * size (±1 around 0) so it sits mid-axis; otherwise each end moves out by `pad` × the span.
 */
export function paddedDomain(
  values: ArrayLike<number> | readonly ArrayLike<number>[],
  pad = 0,
): [number, number] {
  const parts = isNested(values) ? values : [values];
  let lo = Infinity;
  let hi = -Infinity;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const v = part[i]!;
      if (v < lo && v !== -Infinity) lo = v;
      if (v > hi && v !== Infinity) hi = v;
    }
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) {
    const widen = Math.abs(lo) * 0.05 || 1;
    return [lo - widen, hi + widen];
  }
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

function isNested(
  values: ArrayLike<number> | readonly ArrayLike<number>[],
): values is readonly ArrayLike<number>[] {
  return values.length > 0 && typeof values[0] === 'object' && values[0] !== null;
}
