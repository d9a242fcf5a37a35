/** Tidy numbers for the profile cards: short enough to scan a grid of them, exact for counts. */
import { formatCount as exactCount } from '../../core/format';

const MINUS = '\u2212';

/**
 * A statistic in at most `digits` significant digits: 5.843 · 0.8281 · 1,234.5 · 1.2e+9 · 3.4e−6.
 * Whole numbers print whole (min 4, max 7.9 → "4", "7.9"); null (undefined statistic) is "—".
 */
export function formatStat(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : `${MINUS}∞`;
  const abs = Math.abs(value);
  let text: string;
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-4)) {
    text = value.toExponential(Math.max(0, digits - 2)).replace(/\.?0+e/, 'e');
  } else if (Number.isInteger(value)) {
    text = value.toLocaleString('en-US');
  } else {
    // Significant digits, but never round away the integer part of a large number.
    const rounded = Number(value.toPrecision(Math.max(digits, Math.ceil(Math.log10(abs + 1)))));
    text = rounded.toLocaleString('en-US', { maximumFractionDigits: 20 });
  }
  return text.replaceAll('-', MINUS);
}

/** A count with thousands separators; `approx` marks HyperLogLog estimates with "≈". */
export function formatCount(n: number, approx = false): string {
  return `${approx ? '≈' : ''}${exactCount(n)}`;
}

/** `part` of `whole` as a percentage with one decimal, "<0.1%" when tiny but not zero. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const share = (100 * part) / whole;
  if (share < 0.1) return '<0.1%';
  // One decimal always, like the report's sentences ("4.0%"), so the two read alike.
  return `${share >= 99.95 && part < whole ? '99.9' : share.toFixed(1)}%`;
}
