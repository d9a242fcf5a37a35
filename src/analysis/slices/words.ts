/** Slices in words: conditions as text and one sentence per slice for the Errors panel. */
import type { ColumnType } from '../../core/types';
import type { Scored } from './stats';
import type { SliceCondition } from './types';

export function formatNumber(v: number, type: ColumnType): string {
  if (type === 'date' || type === 'datetime') {
    const iso = new Date(v).toISOString();
    return type === 'date' || iso.endsWith('T00:00:00.000Z')
      ? iso.slice(0, 10)
      : iso.slice(0, 16).replace('T', ' ');
  }
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

export function describeCondition(c: SliceCondition, type: ColumnType = 'float'): string {
  switch (c.kind) {
    case 'range':
      if (c.low === null && c.high === null) return `${c.column} is present`;
      if (c.low === null) return `${c.column} ≤ ${formatNumber(c.high!, type)}`;
      if (c.high === null) return `${c.column} > ${formatNumber(c.low, type)}`;
      return `${formatNumber(c.low, type)} < ${c.column} ≤ ${formatNumber(c.high, type)}`;
    case 'equals':
      return `${c.column} = ${formatNumber(c.value, type)}`;
    case 'category':
      return `${c.column} = ${c.value}`;
    case 'missing':
      return `${c.column} is missing`;
  }
}

function percent(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const p = v * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : p.toFixed(0)}%`;
}

function amount(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return String(Number(v.toPrecision(3)));
}

export function sentence(task: 'classification' | 'regression', description: string, s: Scored): string {
  const f = task === 'classification' ? percent : amount;
  const metric = task === 'classification' ? 'error' : 'MAE';
  return `${description}: ${metric} ${f(s.value)} [${f(s.ci.low)}, ${f(s.ci.high)}], ${s.size} rows, vs ${f(s.rest)} elsewhere`;
}
