import { format } from 'd3';

const fixed = format(',.6~g');
const si = format('.3~s');
const integer = format(',d');
const percent1 = format('.1%');

/** Numbers for ticks and tooltips: 1,234 · 0.0123 · 1.2M · −3.5 (real minus sign). */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-4))
    return abs >= 1e6 ? si(value).replace('G', 'B') : format('.2~e')(value).replace('-', '−');
  return fixed(value);
}

/** Counts: exact below 10 000, compact above (12.3k, 1.2M). */
export function formatCount(value: number): string {
  if (Math.abs(value) < 10_000) return integer(Math.round(value));
  return si(value).replace('G', 'B');
}

/** Share of a whole: 12.5% · <0.1% for tiny non-zero shares, so "some" never reads as "none". */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const share = part / whole;
  if (share > 0 && share < 0.001) return '<0.1%';
  return percent1(share);
}

/** A half-open bin [lo, hi) as text. */
export function formatRange(lo: number, hi: number): string {
  return `[${formatNumber(lo)}, ${formatNumber(hi)})`;
}

/** Shortens a label to about `maxChars` characters with an ellipsis (the full text goes in a title). */
export function truncate(label: string, maxChars: number): string {
  if (label.length <= maxChars) return label;
  return `${label.slice(0, Math.max(1, maxChars - 1))}…`;
}

/**
 * Shortens from the middle, keeping both ends: column and category names often share a prefix
 * (feature_12, feature_13) and differ at the end.
 */
export function truncateMiddle(label: string, maxChars: number): string {
  if (label.length <= maxChars) return label;
  const keep = Math.max(2, maxChars - 1);
  const head = Math.ceil(keep / 2);
  return `${label.slice(0, head)}…${label.slice(label.length - (keep - head))}`;
}

/** Tick labels: compact above 10 000 (250k, 1.5M) so they do not collide. */
export function formatTick(value: number): string {
  return Math.abs(value) >= 1e4 ? si(value).replace('G', 'B') : formatNumber(value);
}

/**
 * Width of `text` at `fontSize` px, estimated (Node and happy-dom cannot measure text, and views
 * must lay out identically in tests and in the page). Average glyph ≈ 0.58em for UI sans fonts.
 */
export function textWidth(text: string, fontSize = 11): number {
  return text.length * fontSize * 0.58;
}
