/**
 * Sizes and counts as people read them, shared by the UI, the charts and the worker's messages
 * (one copy of each: the worker's "file too big" text and the status bar must say the same size).
 * Plain functions, no d3: the worker imports them too.
 */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in binary units: 0 B · 512 B · 1.5 KB · 5.0 MB · 120 MB (three significant digits at most). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const power = Math.min(BYTE_UNITS.length - 1, Math.floor(Math.log(bytes) / Math.log(1024)));
  const value = bytes / 1024 ** power;
  return `${value >= 100 || power === 0 ? Math.round(value) : value.toFixed(1)} ${BYTE_UNITS[power]}`;
}

// One formatter for every call (toLocaleString builds a new one each time: a table formats
// thousands of row numbers while scrolling).
const exactCount = new Intl.NumberFormat('en-US');

/** An exact count with thousands separators: 7 · 1,234 · 1,000,000. */
export function formatCount(n: number): string {
  return exactCount.format(n);
}
