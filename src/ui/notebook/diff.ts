/** The one-line quality diff on a step card: what the step did to rows, columns, missing values and ranges. */
import type { StepDiff } from '../../protocol/api';

const count = (n: number) => n.toLocaleString('en-US');

/** A number short enough for a card: 3 significant digits, no exponent for everyday sizes. */
export function shortNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

function range(r: [number, number]): string {
  return `[${shortNumber(r[0])}, ${shortNumber(r[1])}]`;
}

/** "x [0, 1] → [2, 3]"; a column the step made or dropped says so instead of an arrow. */
function rangeChange(r: StepDiff['ranges'][number]): string {
  if (r.before && r.after) return `${r.column} ${range(r.before)} → ${range(r.after)}`;
  if (r.after) return `${r.column} (new) ${range(r.after)}`;
  if (r.before) return `${r.column} ${range(r.before)} (removed)`;
  return r.column;
}

export interface DiffParts {
  rows: string;
  columns: string;
  missing: string;
  /** Each changed range as "name [a, b] → [c, d]". */
  ranges: string[];
}

export function diffParts(d: StepDiff): DiffParts {
  const delta = d.columnsAfter - d.columnsBefore;
  const signed = delta > 0 ? ` (+${delta})` : delta < 0 ? ` (${delta})` : '';
  return {
    rows: `${count(d.rowsBefore)} → ${count(d.rowsAfter)} rows`,
    columns: `${count(d.columnsBefore)} → ${count(d.columnsAfter)} cols${signed}`,
    missing: `missing ${count(d.missingBefore)} → ${count(d.missingAfter)}`,
    ranges: d.ranges.map(rangeChange),
  };
}

/** "150 → 150 rows · 7 → 11 cols (+4) · missing 38 → 0 · ranges: a [4.3, 7.9] → [-1.9, 2.5], …" */
export function formatDiff(d: StepDiff, maxRanges = 2): string {
  const p = diffParts(d);
  const parts = [p.rows, p.columns, p.missing];
  if (p.ranges.length > 0) {
    const shown = p.ranges.slice(0, maxRanges).join(', ');
    const more = p.ranges.length - maxRanges;
    parts.push(`ranges: ${shown}${more > 0 ? ` (+${more} more)` : ''}`);
  }
  return parts.join(' · ');
}
