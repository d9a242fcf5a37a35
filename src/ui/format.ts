/** Formatting of cell values for the panels; sizes and counts come from core (one copy each). */
import type { ColumnType } from '../core/types';

export { formatBytes, formatCount } from '../core/format';

export interface FormattedCell {
  text: string;
  missing: boolean;
  numeric: boolean;
}

const MISSING: FormattedCell = { text: 'null', missing: true, numeric: false };

function formatNumber(value: number, type: ColumnType): string {
  if (!Number.isFinite(value)) return String(value);
  if (type === 'integer') return String(value);
  // A float column shows whole values as "3.0", so the type reads off every cell.
  if (Number.isInteger(value)) return Math.abs(value) < 1e15 ? `${value}.0` : value.toExponential(4);
  const abs = Math.abs(value);
  // Plain notation for everyday magnitudes, scientific for the very large or small.
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-4)) return value.toExponential(4);
  return String(Number(value.toPrecision(7)));
}

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'bigint') return new Date(Number(value));
  return null;
}

/** One cell as text. `type` is the column's logical type; `value` what Arrow's `get` returned. */
export function formatCell(value: unknown, type: ColumnType): FormattedCell {
  if (value === null || value === undefined) return MISSING;
  if ((type === 'date' || type === 'datetime') && typeof value !== 'string') {
    const date = toDate(value);
    if (!date || Number.isNaN(date.getTime())) return MISSING;
    const iso = date.toISOString();
    return {
      text: type === 'date' ? iso.slice(0, 10) : iso.replace('.000Z', 'Z'),
      missing: false,
      numeric: false,
    };
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return MISSING;
    return { text: formatNumber(value, type), missing: false, numeric: true };
  }
  if (typeof value === 'bigint') return { text: value.toString(), missing: false, numeric: true };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false', missing: false, numeric: false };
  return { text: String(value), missing: false, numeric: false };
}

/**
 * Titles for a list of runs: a title two runs share gets the time each finished ("· 22:41:07"),
 * so a picker never offers two identical lines (titanic, trained twice: two "LogisticRegression ·
 * defaults · 5 folds (stratified)").
 */
export function distinctTitles<T>(items: readonly T[], title: (item: T) => string, at: (item: T) => number) {
  const titles = items.map(title);
  const count = new Map<string, number>();
  for (const t of titles) count.set(t, (count.get(t) ?? 0) + 1);
  const out = new Map<T, string>();
  items.forEach((item, i) => {
    const t = titles[i]!;
    const when = at(item);
    out.set(
      item,
      count.get(t)! > 1 && when > 0
        ? `${t} · ${new Date(when).toLocaleTimeString('en-GB', { hour12: false })}`
        : t,
    );
  });
  return out;
}
