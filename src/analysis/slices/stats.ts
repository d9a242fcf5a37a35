/** Slice statistics: error totals per slice in one pass, and a slice's metric with its interval
 * and test against other rows (Wilson / two-proportion z-test, t interval / Welch's t-test). */
import {
  type Interval,
  meanInterval,
  momentsFromSums,
  type SliceTest,
  twoProportionZTest,
  welchTTest,
  wilsonInterval,
} from '../../models/slice-stats';
import { NONE } from './features';
import type { SliceCondition } from './types';

export interface Totals {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface Scored {
  conditions: SliceCondition[];
  size: number;
  value: number;
  ci: Interval;
  rest: number;
  test: SliceTest;
}

/** A slice's metric with its interval, against another set of rows (the rest, or a parent's rest). */
export function contrast(task: 'classification' | 'regression', inside: Totals, outside: Totals) {
  if (task === 'classification') {
    return {
      value: inside.sum / inside.n,
      ci: wilsonInterval(inside.sum, inside.n),
      rest: outside.sum / outside.n,
      test: twoProportionZTest(inside.sum, inside.n, outside.sum, outside.n),
    };
  }
  const a = momentsFromSums(inside.sum, inside.sumSquares, inside.n);
  const b = momentsFromSums(outside.sum, outside.sumSquares, outside.n);
  return { value: a.mean, ci: meanInterval(a), rest: b.mean, test: welchTTest(a, b) };
}

export function score(
  task: 'classification' | 'regression',
  conditions: SliceCondition[],
  slice: Totals,
  all: Totals,
): Scored {
  return { conditions, size: slice.n, ...contrast(task, slice, minus(all, slice)) };
}

/** Per slot: count, sum and sum of squares of the error, in one pass over the rows not skipped. */
export function aggregate(
  error: Float64Array,
  skip: Uint8Array | null,
  codes: Uint8Array,
  slots: number,
  pair?: Uint8Array,
  width = 1,
): Float64Array {
  const acc = new Float64Array(slots * 3);
  for (let i = 0; i < codes.length; i++) {
    const a = codes[i]!;
    if (a === NONE || skip?.[i]) continue;
    let s = a;
    if (pair) {
      const b = pair[i]!;
      if (b === NONE) continue;
      s = a * width + b;
    }
    const e = error[i]!;
    acc[s * 3]!++;
    acc[s * 3 + 1]! += e;
    acc[s * 3 + 2]! += e * e;
  }
  return acc;
}

export function slotTotals(acc: Float64Array, slot: number): Totals {
  return { n: acc[slot * 3]!, sum: acc[slot * 3 + 1]!, sumSquares: acc[slot * 3 + 2]! };
}

export function minus(a: Totals, b: Totals): Totals {
  return { n: a.n - b.n, sum: a.sum - b.sum, sumSquares: a.sumSquares - b.sumSquares };
}

export function totalsOf(error: Float64Array, skip: Uint8Array | null = null): Totals {
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < error.length; i++) {
    if (skip?.[i]) continue;
    n++;
    sum += error[i]!;
    sumSquares += error[i]! * error[i]!;
  }
  return { n, sum, sumSquares };
}
