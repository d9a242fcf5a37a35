/**
 * Pairwise-complete Pearson and Spearman correlation matrices (as pandas' DataFrame.corr): each
 * pair uses the rows where both columns are present; Spearman ranks those rows (average ranks for
 * ties) within the pair. Above `maxRows` an evenly spaced sample of rows is used, and at most
 * `maxColumns` numeric columns (in table order) — the result says so, for the UI to show.
 */
import type { Table } from 'apache-arrow';
import { pearson } from '../../core/stats';
import { evenSample, isNumericColumn, numericColumn } from './columns';
import type { CorrelationMethod, CorrelationResult } from './types';

export const MAX_CORRELATION_COLUMNS = 40;
export const MAX_CORRELATION_ROWS = 200_000;

/** Indices of the present values sorted by value (stable), computed once per column. */
function argsortPresent(v: Float64Array): Int32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) n++;
  const idx = new Int32Array(n);
  for (let i = 0, k = 0; i < v.length; i++) if (!Number.isNaN(v[i])) idx[k++] = i;
  idx.sort((p, q) => v[p]! - v[q]! || p - q);
  return idx;
}

/** Average ranks (1-based) of `v` over the rows where `keep` is true (NaN elsewhere), from its argsort. */
function ranksWithin(v: Float64Array, order: Int32Array, keep: (i: number) => boolean): Float64Array {
  const out = new Float64Array(v.length).fill(Number.NaN);
  let rank = 0;
  let k = 0;
  while (k < order.length) {
    // A run of equal values among the kept rows shares their average rank.
    let end = k;
    const value = v[order[k]!]!;
    let kept = 0;
    while (end < order.length && v[order[end]!] === value) {
      if (keep(order[end]!)) kept++;
      end++;
    }
    const avg = rank + (kept + 1) / 2;
    for (let m = k; m < end; m++) if (keep(order[m]!)) out[order[m]!] = avg;
    rank += kept;
    k = end;
  }
  return out;
}

export function correlationMatrix(
  table: Table,
  options: { method?: CorrelationMethod; columns?: readonly string[] | null; maxRows?: number } = {},
): CorrelationResult {
  const method = options.method ?? 'pearson';
  const numeric = (options.columns ?? table.schema.fields.map((f) => f.name)).filter((c) =>
    isNumericColumn(table, c),
  );
  const labels = numeric.slice(0, MAX_CORRELATION_COLUMNS);
  const sample = evenSample(table.numRows, options.maxRows ?? MAX_CORRELATION_ROWS);
  const cols = labels.map((name) => {
    const all = numericColumn(table, name);
    return sample ? Float64Array.from(sample, (i) => all[i]!) : all;
  });
  const d = labels.length;
  const values = new Float64Array(d * d);
  const complete = cols.map((c) => c.every((x) => !Number.isNaN(x)));
  const orders = method === 'spearman' ? cols.map(argsortPresent) : [];
  const fullRanks =
    method === 'spearman'
      ? cols.map((c, j) => (complete[j] ? ranksWithin(c, orders[j]!, () => true) : null))
      : [];
  for (let a = 0; a < d; a++) {
    values[a * d + a] = 1;
    for (let b = a + 1; b < d; b++) {
      let r: number;
      if (method === 'pearson') r = pearson(cols[a]!, cols[b]!).r;
      else if (complete[a] && complete[b]) r = pearson(fullRanks[a]!, fullRanks[b]!).r;
      else {
        const ca = cols[a]!;
        const cb = cols[b]!;
        const both = (i: number) => !Number.isNaN(ca[i]) && !Number.isNaN(cb[i]);
        r = pearson(ranksWithin(ca, orders[a]!, both), ranksWithin(cb, orders[b]!, both)).r;
      }
      values[a * d + b] = r;
      values[b * d + a] = r;
    }
  }
  return {
    method,
    labels,
    values,
    rowsUsed: sample ? sample.length : table.numRows,
    totalRows: table.numRows,
    columnsLeftOut: numeric.length - labels.length,
  };
}

export type { CorrelationMethod, CorrelationResult };
