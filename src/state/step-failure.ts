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
  /** Remove the failing step (its default column choice found nothing to work on). */
  remove?: true;
}

/** A step to add at the start or the end of the notebook, for a training error no step caused
 * (the engine's NotebookFix: keep the rows with a target; fill a feature's gaps). */
export interface NotebookFix {
  label: string;
  step: FixStep;
  at: 'start' | 'end';
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

function stepOf(v: unknown): FixStep | null {
  if (!isRecord(v) || typeof v.step !== 'string') return null;
  const params = paramsOf(v.params ?? {});
  if (!params) return null;
  const columns = Array.isArray(v.columns)
    ? v.columns.filter((c): c is string => typeof c === 'string')
    : undefined;
  return { step: v.step, params, ...(columns ? { columns } : {}) };
}

/**
 * One fix, in the engine's shape (`kind` 'set-params' with params, 'insert-step' with the step,
 * 'remove-step') or this module's own ({ params, insert }); null when malformed.
 */
function fixOf(v: unknown): StepFix | null {
  if (!isRecord(v) || typeof v.label !== 'string' || v.label.length === 0) return null;
  const fix: StepFix = { label: v.label.slice(0, 120) };
  if (v.kind === 'remove-step') return { ...fix, remove: true };
  const params = v.params === undefined ? undefined : paramsOf(v.params);
  if (params === null) return null;
  if (params) fix.params = params;
  const inserted = v.kind === 'insert-step' ? v.step : v.insert;
  if (inserted !== undefined) {
    const step = stepOf(inserted);
    if (!step) return null;
    fix.insert = step;
  }
  return fix.params || fix.insert ? fix : null;
}

/** The step an error's detail offers to add at the start or end of the notebook, or null. */
export function notebookFixOf(detail: Record<string, unknown> | undefined): NotebookFix | null {
  const v = detail?.fix;
  if (!isRecord(v) || typeof v.label !== 'string' || v.label.length === 0) return null;
  if (v.at !== 'start' && v.at !== 'end') return null;
  const step = stepOf(v);
  return step ? { label: v.label.slice(0, 120), step, at: v.at } : null;
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

/**
 * The failure a step's error in the notebook's own run (all rows, outside training) describes.
 * That run reports the error as the step threw it, so its detail names no step: the card that
 * shows it supplies the step, and the fixes the error carries become the same buttons as in Train.
 */
export function runStepFailureOf(
  stepId: string,
  step: string,
  error: { message: string; detail?: Record<string, unknown> },
): StepFailure | null {
  return stepFailureOf({ message: error.message, detail: { ...error.detail, stepId, step } });
}
