/** How the error analysis writes its numbers: rates as percents, errors to 3 digits, q-values, cells. */

export function percent(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const p = v * 100;
  return `${p > 0 && p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

export function amount(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return String(Number(v.toPrecision(3)));
}

export function pValue(q: number): string {
  if (!Number.isFinite(q)) return '–';
  if (q < 0.001) return '< 0.001';
  return q.toFixed(3);
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
  return String(v);
}
