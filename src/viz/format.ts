import { format, utcDay, utcFormat, utcMinute, utcMonth, utcSecond, utcYear } from 'd3';
import { formatCount } from '../core/format.ts';

const fixed = format(',.6~g');
const si = format('.3~s');
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

/** Counts where room is short (bar labels, ticks): exact below 10 000, compact above (12.3k, 1.2M). */
export function formatCountCompact(value: number): string {
  if (Math.abs(value) < 10_000) return formatCount(Math.round(value));
  return si(value).replace('G', 'B');
}

/** Share of a whole: 12.5% · <0.1% for tiny non-zero shares, so "some" never reads as "none". */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const share = part / whole;
  if (share > 0 && share < 0.001) return '<0.1%';
  return percent1(share);
}

/** A half-open bin [lo, hi) as text (dates for a time axis). */
export function formatRange(lo: number, hi: number, type: AxisType = 'number'): string {
  return `[${formatValue(lo, type)}, ${formatValue(hi, type)})`;
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

const isoMinute = utcFormat('%Y-%m-%d %H:%M');
const isoSecond = utcFormat('%Y-%m-%d %H:%M:%S');
const isoDay = utcFormat('%Y-%m-%d');

/**
 * A date or datetime (epoch milliseconds, as the worker sends date columns) for tooltips and
 * ranges: 2016-03-04 at midnight UTC, else 2016-03-04 13:05 (seconds only when there are some).
 */
export function formatDate(ms: number): string {
  if (!Number.isFinite(ms)) return 'NaN';
  const d = new Date(ms);
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return isoDay(d);
  return d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0 ? isoMinute(d) : isoSecond(d);
}

const yearMonth = utcFormat('%Y-%m');
const monthDayTime = utcFormat('%m-%d %H:%M');
const DAY_MS = 86_400_000;

/**
 * A date as short as a range of `spanMs` allows (the ends of a small axis): 2016 over years,
 * 2016-03 over months, 2016-03-04 over days, 03-04 13:05 within a couple of days.
 */
export function formatDateCompact(ms: number, spanMs: number): string {
  if (!Number.isFinite(ms)) return 'NaN';
  const d = new Date(ms);
  if (spanMs >= 3 * 365 * DAY_MS) return String(d.getUTCFullYear());
  if (spanMs >= 60 * DAY_MS) return yearMonth(d);
  if (spanMs >= 2 * DAY_MS) return isoDay(d);
  return monthDayTime(d);
}

const tickMillisecond = utcFormat('.%L');
const tickSecond = utcFormat(':%S');
const tickMinute = utcFormat('%H:%M');
const tickDay = utcFormat('%b %-d');
const tickMonth = utcFormat('%b');
const tickYear = utcFormat('%Y');

/**
 * Time-axis ticks, Observable Plot's multi-scale style with short names: 2016 · Mar · Mar 4 ·
 * 13:05 · :30 — each tick says only what changed at its own precision.
 */
export function formatTimeTick(date: Date): string {
  if (utcSecond(date) < date) return tickMillisecond(date);
  if (utcMinute(date) < date) return tickSecond(date);
  if (utcDay(date) < date) return tickMinute(date);
  if (utcMonth(date) < date) return tickDay(date);
  if (utcYear(date) < date) return tickMonth(date);
  return tickYear(date);
}

/** How a numeric axis reads its values: plain numbers, or epoch milliseconds shown as dates. */
export type AxisType = 'number' | 'time';

/** A value of a numeric axis as text: a date for time axes, a number otherwise. */
export function formatValue(value: number, type: AxisType = 'number'): string {
  return type === 'time' ? formatDate(value) : formatNumber(value);
}
