/**
 * Axis domains from data: one pass over any array-like (no `Math.min(...values)`, which overflows
 * the call stack past ~100k values), non-finite values ignored.
 */

/** Finite min and max (one pass; [0, 1] when nothing is finite). */
export function finiteExtent(values: ArrayLike<number>): [number, number] {
  const [lo, hi] = extendExtent([Infinity, -Infinity], values);
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** [lo, hi] widened by the finite values (stays [Infinity, -Infinity] when none is finite). */
function extendExtent([lo, hi]: [number, number], values: ArrayLike<number>): [number, number] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo && v !== -Infinity) lo = v;
    if (v > hi && v !== Infinity) hi = v;
  }
  return [lo, hi];
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
  const [lo, hi] = parts.reduce<[number, number]>(extendExtent, [Infinity, -Infinity]);
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
