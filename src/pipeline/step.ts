/**
 * The Step contract — scikit-learn's estimator contract, typed. A step declares its parameters
 * (with sklearn's names and defaults), the column types it works on and what it does with missing
 * values; `fit` sees training rows only and returns plain JSON data; `transform` applies that
 * state to any rows. Every registered step is checked by tests/pipeline/conformance.test.ts.
 */
import { EngineError } from '../core/errors';
import type { Frame } from '../core/frame';
import type { Rng } from '../core/rng';
import type { ColumnType } from '../core/types';
import type { Compute } from '../gpu/device';
import { type ParamSchema, paramProblem } from '../spec/params';
import type { PyCode, PyContext } from './python';

export type { Frame };

/** A parameter value as stored in the notebook JSON (same shape as the spec's ParamValue). */
export type ParamValue = string | number | boolean | null | readonly ParamValue[];
export type Params = Record<string, ParamValue>;

/** One iteration of an iterative fit (an lbfgs iteration, an epoch, a boosting round). */
export interface IterationMetrics {
  /** The training loss after this iteration. */
  loss: number;
  /** The score or loss on the model's own validation rows (early stopping), when it has some. */
  validation?: number;
}

export interface RunContext {
  rng: Rng;
  compute: Compute | null;
  signal: AbortSignal;
  progress(fraction: number, note?: string): void;
  /**
   * Per-iteration metrics of iterative models, as typed values (the experiment's loss curves).
   * Called once per iteration, before that iteration's `progress`; absent when nobody listens.
   */
  iteration?(metrics: IterationMetrics): void;
}

/** A parameter's schema: plain data, owned by src/spec so the link decoder checks the same rules. */
export type ParamDef = ParamSchema;

// biome-ignore lint/suspicious/noExplicitAny: the registry holds steps of every parameter/state type
export type AnyStepDef = StepDef<any, any>;

/** The picker's groups, in the order of the work (the catalog lists steps in this order). */
export const STEP_CATEGORIES = [
  'Cleaning',
  'Missing values',
  'Outliers',
  'Scaling',
  'Encoding',
  'Feature extraction',
  'Feature selection',
  'Dimensionality reduction',
] as const;
export type StepCategory = (typeof STEP_CATEGORIES)[number];

export interface StepDef<P extends Params, S> {
  /** scikit-learn's name where one exists. */
  name: string;
  kind: 'transform' | 'filter';
  /** One sentence for the UI. */
  description: string;
  /** Where the step picker lists it. */
  category: StepCategory;
  /** Defaults are sklearn's; drives the form and link validation. */
  params: { [K in keyof P]: ParamDef };
  /** Column types it works on; the default column selection is all such columns. */
  accepts: readonly ColumnType[];
  /**
   * The columns the step works on when its `columns` parameter is null, when that is not simply
   * every column of an accepted type (encoders: the categorical columns; scalers: the numeric
   * columns that are not one-hot outputs). `fit` uses the same rule; the planner calls it to leave
   * the target out.
   */
  defaultColumns?(input: Frame, params: P): string[];
  missing: 'handles' | 'rejects' | 'passes-through';
  /**
   * The step as pandas / scikit-learn code for the Python export (src/export/python.ts). Absent:
   * the export says, before download, that this step cannot be exported.
   */
  python?(params: P, at: PyContext): PyCode;
  /** Sees training rows only. The state is plain JSON data. */
  fit(input: Frame, params: P, ctx: RunContext): Promise<S>;
  transform(input: Frame, state: S, ctx: RunContext): Promise<Frame>;
  /**
   * GPU path of `transform`, when the step has one. The conformance suite runs it against the CPU
   * `transform` (the reference) on a real device and requires the same output.
   */
  gpuTransform?(input: Frame, state: S, ctx: RunContext): Promise<Frame>;
  /**
   * sklearn's fit_transform, for steps whose output on their own training rows must differ from
   * `transform` (TargetEncoder cross-fits so no training row sees its own target). The state is
   * the one `fit` returns; the engine uses this on the training rows when it is present.
   */
  fitTransform?(input: Frame, params: P, ctx: RunContext): Promise<{ state: S; output: Frame }>;
}

/** Identity helper that keeps the literal parameter/state types of a step definition. */
export function defineStep<P extends Params, S>(def: StepDef<P, S>): StepDef<P, S> {
  return def;
}

function invalid(step: string, key: string, message: string): EngineError {
  return new EngineError('InvalidArgument', `${step}: parameter "${key}" ${message}`, { param: key });
}

function validateOne(step: string, key: string, def: ParamDef, v: ParamValue): ParamValue {
  const problem = paramProblem(def, v);
  if (problem) throw invalid(step, key, problem);
  return Array.isArray(v) ? [...v] : v;
}

/** Fills defaults and rejects unknown keys, wrong types and out-of-range values with a clear message. */
export function validateParams<P extends Params, S>(
  def: StepDef<P, S>,
  raw: Readonly<Record<string, unknown>> = {},
): P {
  const out: Params = {};
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(def.params, key)) {
      const known = Object.keys(def.params).join(', ') || 'none';
      throw new EngineError(
        'InvalidArgument',
        `${def.name} has no parameter "${key}" (parameters: ${known}).`,
        {
          param: key,
        },
      );
    }
  }
  for (const [key, pdef] of Object.entries(def.params) as [string, ParamDef][]) {
    const v = Object.hasOwn(raw, key) ? raw[key] : undefined;
    out[key] =
      v === undefined
        ? structuredCloneParam(pdef.default)
        : validateOne(def.name, key, pdef, v as ParamValue);
  }
  return out as P;
}

function structuredCloneParam(v: ParamValue): ParamValue {
  return Array.isArray(v) ? [...v] : v;
}
