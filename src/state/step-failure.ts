/**
 * A step that failed inside one cross-validation fold, as the engine reports it: an EngineError
 * whose detail names the fold, the step (id and name), the value that broke it and the fixes it
 * offers, e.g. `{ label: "Ignore unknown categories", params: { handle_unknown: 'ignore' } }`.
 * The detail crosses the worker boundary as plain data, so it is read defensively here: anything
 * of the wrong shape is dropped, and an error without a step id is not a step failure.
 */
import type { FixStep } from '../protocol/api';
import type { ParamValue } from '../spec/notebook';

export interface StepFix {
  /** The button's text: "Ignore unknown categories". */
  label: string;
  /** Parameters to set on the failing step. */
  params?: Record<string, ParamValue>;
  /** A step to insert just before the failing one (e.g. "treat '.' as missing"). */
  insert?: FixStep;
  /** For a fix no step failed for: where the step goes in the notebook (default: the end). */
  at?: 'start' | 'end';
}

export interface StepFailure {
  /** 0-based fold, or null when the step failed outside the folds. */
  fold: number | null;
  stepId: string;
  step: string;
  /** The offending value as text ("." for an unknown category), when the engine knows it. */
  value: string | null;
  message: string;
  fixes: StepFix[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isParamValue(v: unknown): v is ParamValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  return Array.isArray(v) && v.length <= 1000 && v.every(isParamValue);
}

function paramsOf(v: unknown): Record<string, ParamValue> | null {
  if (!isRecord(v)) return null;
  const out: Record<string, ParamValue> = {};
  for (const [k, value] of Object.entries(v)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(k) || !isParamValue(value)) return null;
    out[k] = value;
  }
  return out;
}

function fixOf(v: unknown): StepFix | null {
  if (!isRecord(v) || typeof v.label !== 'string' || v.label.length === 0) return null;
  const fix: StepFix = { label: v.label.slice(0, 120) };
  const params = v.params === undefined ? undefined : paramsOf(v.params);
  if (params === null) return null;
  if (params) fix.params = params;
  // The engine sends a step to insert as `{ kind: 'insert-step', step: { step, params, columns } }`
  // (pipeline/types StepFix); `insert` is the same suggestion under its UI name. Reading only
  // `insert` dropped every "Treat '…' as missing" button the error text promised.
  const suggestion = isRecord(v.insert)
    ? v.insert
    : v.kind === 'insert-step' && isRecord(v.step)
      ? v.step
      : null;
  if (suggestion && typeof suggestion.step === 'string') {
    const insertParams = paramsOf(suggestion.params ?? {});
    if (!insertParams) return null;
    const columns = Array.isArray(suggestion.columns)
      ? suggestion.columns.filter((c): c is string => typeof c === 'string')
      : undefined;
    fix.insert = { step: suggestion.step, params: insertParams, ...(columns ? { columns } : {}) };
  }
  if (v.at === 'start' || v.at === 'end') fix.at = v.at;
  return fix.params || fix.insert ? fix : null;
}

/**
 * The fixes of an error that names no step but offers steps to add (a target with missing values:
 * "Drop the rows where … is missing"); only fixes that insert a step are kept.
 */
export function notebookFixesOf(error: { detail?: Record<string, unknown> }): StepFix[] {
  const d = error.detail;
  if (!d || (typeof d.stepId === 'string' && d.stepId !== '') || !Array.isArray(d.fixes)) return [];
  return d.fixes.map(fixOf).filter((f): f is StepFix => f !== null && f.insert !== undefined);
}

/** The step failure an engine error describes, or null when it names no step. */
export function stepFailureOf(error: {
  message: string;
  detail?: Record<string, unknown>;
}): StepFailure | null {
  const d = error.detail;
  if (!d || typeof d.stepId !== 'string' || d.stepId === '') return null;
  const fold = typeof d.fold === 'number' && Number.isInteger(d.fold) && d.fold >= 0 ? d.fold : null;
  const value = d.value === undefined || d.value === null ? null : String(d.value).slice(0, 200);
  const fixes = Array.isArray(d.fixes) ? d.fixes.map(fixOf).filter((f): f is StepFix => f !== null) : [];
  return {
    fold,
    stepId: d.stepId,
    step: typeof d.step === 'string' ? d.step : '',
    value,
    message: error.message,
    fixes,
  };
}
