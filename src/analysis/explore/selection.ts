/**
 * Linked selections as row masks: each filter (a histogram range, a set of bar categories, a
 * brushed/lassoed mask) gives one byte per row, and filters on different views combine with AND,
 * like crossfilter. The ranges follow the histogram's bins: [lo, hi), except that a range reaching
 * the column's maximum includes it (the last bin is closed).
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import { isNumericColumn, labelColumn, numericColumn } from './columns';
import type { ExploreFilter, ExploreSelection } from './types';

export function rangeMask(values: Float64Array, lo: number, hi: number, out: Uint8Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  const closed = hi >= max;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const inside = v >= lo && (v < hi || (closed && v === hi));
    if (!inside) out[i] = 0;
  }
}

/** The mask of rows in every filter (1 = selected); null when the selection is empty. */
export function selectionMask(table: Table, selection: ExploreSelection | null): Uint8Array | null {
  if (!selection || selection.length === 0) return null;
  const n = table.numRows;
  const mask = new Uint8Array(n).fill(1);
  for (const f of selection) {
    if (f.kind === 'mask') {
      if (f.mask.length !== n) {
        throw new EngineError(
          'InvalidArgument',
          `A selection mask has ${f.mask.length} rows but the dataset has ${n}.`,
        );
      }
      for (let i = 0; i < n; i++) if (!f.mask[i]) mask[i] = 0;
    } else if (f.kind === 'range') {
      rangeMask(numericColumn(table, f.column), f.range[0], f.range[1], mask);
    } else {
      const { codes, labels } = labelColumn(table, f.column);
      const wanted = new Uint8Array(labels.length);
      const set = new Set(f.categories);
      labels.forEach((l, k) => {
        wanted[k] = set.has(l) ? 1 : 0;
      });
      const missingIn = f.missing ? 1 : 0;
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        if (!(c < 0 ? missingIn : wanted[c])) mask[i] = 0;
      }
    }
  }
  return mask;
}

export function countMask(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/** Row ids of selected rows [offset, offset + limit) in table order. */
export function maskRowIds(mask: Uint8Array, offset: number, limit: number): Uint32Array {
  const out: number[] = [];
  let seen = 0;
  for (let i = 0; i < mask.length && out.length < limit; i++) {
    if (!mask[i]) continue;
    if (seen >= offset) out.push(i);
    seen++;
  }
  return Uint32Array.from(out);
}

/** A FilterRows expression equal to the selection, or null when a mask (lasso) has no expression. */
export function selectionExpression(table: Table, selection: ExploreSelection): string | null {
  const parts: string[] = [];
  const quote = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``);
  for (const f of selection) {
    if (f.kind === 'mask') return null;
    const col = quote(f.column);
    if (f.kind === 'range') {
      const values = numericColumn(table, f.column);
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
      const upper = f.range[1] >= max ? `${col} <= ${f.range[1]}` : `${col} < ${f.range[1]}`;
      parts.push(`${col} >= ${f.range[0]} and ${upper}`);
    } else {
      const numeric = isNumericColumn(table, f.column);
      const alts = f.categories.map((c) => `${col} == ${numeric ? c : JSON.stringify(c)}`);
      if (f.missing) alts.push(`${col} is missing`);
      if (alts.length === 0) return null;
      parts.push(alts.length === 1 ? alts[0]! : `(${alts.join(' or ')})`);
    }
  }
  return parts.join(' and ');
}

export type { ExploreFilter, ExploreSelection };
