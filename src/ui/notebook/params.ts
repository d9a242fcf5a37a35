/**
 * Reading form inputs into parameter values, checked against the step's schema. A value that does
 * not pass stays in the field with a message and is never sent to the engine.
 */
import type { ColumnType } from '../../core/types';
import type { ColumnInfo, StepParamInfo } from '../../protocol/api';
import type { ParamValue } from '../../spec/notebook';

export type ParamInput = { ok: true; value: ParamValue } | { ok: false; message: string };

type NumberInfo = Extract<StepParamInfo, { type: 'number' | 'integer' }>;
type RangeInfo = Extract<StepParamInfo, { type: 'range' }>;
type StringInfo = Extract<StepParamInfo, { type: 'string' }>;

function bounds(value: number, info: { min?: number; max?: number }): string | null {
  if (info.min !== undefined && value < info.min) return `Must be at least ${info.min}.`;
  if (info.max !== undefined && value > info.max) return `Must be at most ${info.max}.`;
  return null;
}

export function parseNumberInput(info: NumberInfo, text: string): ParamInput {
  const trimmed = text.trim();
  if (trimmed === '') {
    return info.default === null ? { ok: true, value: null } : { ok: false, message: 'Enter a number.' };
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: 'Enter a number.' };
  if (info.type === 'integer' && !Number.isInteger(value))
    return { ok: false, message: 'Enter a whole number.' };
  const outside = bounds(value, info);
  return outside ? { ok: false, message: outside } : { ok: true, value };
}

export function parseRangeInput(info: RangeInfo, low: string, high: string): ParamInput {
  const lo = Number(low.trim());
  const hi = Number(high.trim());
  if (low.trim() === '' || high.trim() === '' || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    return { ok: false, message: 'Enter two numbers.' };
  }
  if (!(lo < hi)) return { ok: false, message: 'The low end must be below the high end.' };
  const outside = bounds(lo, info) ?? bounds(hi, info);
  return outside ? { ok: false, message: outside } : { ok: true, value: [lo, hi] };
}

export function parseStringInput(info: StringInfo, text: string): ParamInput {
  const max = info.maxLength ?? 1000;
  if (text.length > max) return { ok: false, message: `At most ${max} characters.` };
  return { ok: true, value: text };
}

/** The dataset's columns a step can take, in table order. */
export function columnChoices(columns: readonly ColumnInfo[], accepts: readonly ColumnType[]): string[] {
  return columns.filter((c) => accepts.includes(c.type)).map((c) => c.name);
}

/** How a value shows in a field: '' for null. */
export function fieldText(value: ParamValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
