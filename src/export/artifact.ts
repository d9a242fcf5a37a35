/**
 * Builds the deployment artifact (worker side): fits the notebook and the model on every row,
 * records the data contract of the input columns the pipeline reads, and packs the fitted states
 * into JSON + a weights blob (src/runtime/format.ts) that benchtop-runtime loads.
 */

import type { Table } from 'apache-arrow';
import { encodedOutputs, planFeatures } from '../analysis/experiment/features';
import { splitColumns } from '../analysis/experiment/folds';
import type { SplitSpec } from '../analysis/experiment/types';
import { EngineError } from '../core/errors';
import { column, logicalType, readLabels, readNumeric } from '../core/frame';
import { npPercentile } from '../core/percentile';
import { createRng } from '../core/rng';
import type { Compute } from '../gpu/device';
import { buildDataset, inferTask, type Task, validateModelParams } from '../models/model';
import { getModel } from '../models/registry';
import { NotebookPlanner } from '../pipeline/plan';
import { getStep } from '../pipeline/registry';
import {
  ARTIFACT_FORMAT,
  ARTIFACT_VERSION,
  type Artifact,
  binOf,
  type FeatureContract,
  fnv1a,
  packWeights,
} from '../runtime/format';

import type { Notebook } from '../spec/notebook';

export const BENCHTOP_VERSION = '0.1.0';
const MAX_CATEGORIES = 1000;

export interface ExportModelSpec {
  notebook: Notebook;
  target: string | null;
  task?: Task;
  /** Model input columns after the notebook; default every numeric/boolean column but the target
   * and the split's group/time column. */
  features?: string[] | null;
  /** The run's split, so its group/time column is left out of the default features. */
  split?: SplitSpec;
  model: { name: string; params: Record<string, unknown> };
  notebookLink?: string | null;
  metrics?: Record<string, number>;
}

export interface FittedPipeline {
  /** The notebook's output on all rows. */
  table: Table;
  task: Task;
  features: string[];
  /** Enabled steps with their state (filters included). */
  steps: { name: string; kind: 'transform' | 'filter'; state: unknown }[];
  modelState: unknown;
  params: Record<string, unknown>;
  classes: string[] | null;
}

export interface FitContext {
  dataKey: string;
  compute: Compute | null;
  signal: AbortSignal;
}

/** The notebook and the model fitted on every row — what gets deployed. */
export async function fitForExport(
  input: Table,
  spec: ExportModelSpec,
  ctx: FitContext,
): Promise<FittedPipeline> {
  const def = getModel(spec.model.name);
  if (!def) throw new EngineError('InvalidArgument', `There is no model called "${spec.model.name}".`);
  const target = spec.target;
  if (target !== null && !input.schema.fields.some((f) => f.name === target)) {
    throw new EngineError('SchemaError', `Target column "${target}" does not exist.`);
  }
  const task = spec.task ?? (target === null ? 'clustering' : inferTask(input, target));
  const params = validateModelParams(def, spec.model.params);
  const out = await new NotebookPlanner().run(
    { table: input, dataKey: ctx.dataKey, steps: spec.notebook.steps, seed: spec.notebook.seed, target },
    { compute: ctx.compute, signal: ctx.signal, progress: () => undefined },
  );
  const failed = out.runs.find((r) => r.status === 'error');
  if (failed) {
    throw new EngineError(
      'InvalidArgument',
      `The notebook step ${failed.step} failed: ${failed.error?.message ?? ''}`,
      {
        hint: 'Fix the step in the notebook (its card shows the error), then export again.',
      },
    );
  }
  // The features a run of this spec reads (analysis/experiment/features): never the target or the
  // split's group/time column; an encoded input column stands for its one-hot outputs.
  const { features } = planFeatures(out.table, {
    target,
    splitColumns: spec.split ? splitColumns(spec.split) : [],
    requested: spec.features,
    encoded: encodedOutputs(out.states),
  });
  const ds = buildDataset(out.table, features, target, task);
  const modelState = await def.fit(ds.X, ds.y, params, {
    rng: createRng(spec.notebook.seed),
    compute: ctx.compute,
    signal: ctx.signal,
    progress: () => undefined,
  });
  const steps = spec.notebook.steps
    .filter((s) => s.enabled && out.states.has(s.id))
    .map((s) => ({ name: s.step, kind: getStep(s.step)!.kind, state: out.states.get(s.id) }));
  return {
    table: out.table,
    task,
    features,
    steps,
    modelState,
    params,
    classes: ds.y.task === 'classification' ? [...ds.y.classes] : null,
  };
}

function stateColumns(state: unknown): string[] | null {
  const cols = (state as { columns?: unknown } | null)?.columns;
  if (!Array.isArray(cols)) return null;
  // Plain names, or per-column records with a `name` (OneHotEncoder, TargetEncoder).
  const names = cols.map((c) => (typeof c === 'string' ? c : (c as { name?: unknown } | null)?.name));
  return names.every((c): c is string => typeof c === 'string') ? names : null;
}

/** The input columns the deployed pipeline reads, each with its type, range/categories and missing policy. */
export function dataContract(input: Table, fitted: FittedPipeline, target: string | null): FeatureContract[] {
  const inputNames = input.schema.fields.map((f) => f.name).filter((n) => n !== target);
  const required = new Set(fitted.features.filter((f) => inputNames.includes(f)));
  const imputed = new Set<string>();
  const handled = new Set<string>();
  for (const s of fitted.steps) {
    if (s.kind === 'filter') continue;
    const cols = stateColumns(s.state);
    // A step whose state does not name its columns may read any of them: require them all.
    for (const c of cols ?? inputNames) if (inputNames.includes(c)) required.add(c);
    const def = getStep(s.name)!;
    if (cols && def.missing === 'handles')
      for (const c of cols) (/Imputer$/.test(s.name) ? imputed : handled).add(c);
  }
  return inputNames
    .filter((n) => required.has(n))
    .map((name) => {
      const type = logicalType(input.schema.fields.find((f) => f.name === name)!);
      const f: FeatureContract = {
        name,
        type,
        // Missing values in the training rows that the pipeline fitted through are handled too.
        missing: imputed.has(name)
          ? 'imputed'
          : handled.has(name) || column(input, name).nullCount > 0
            ? 'allowed'
            : 'rejected',
      };
      if (type === 'integer' || type === 'float') {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (const v of readNumeric(column(input, name))) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (lo <= hi)
          Object.assign(f, { min: lo, max: hi, distribution: numericDistribution(column(input, name)) });
      } else if (type === 'categorical' || type === 'text' || type === 'boolean') {
        const { labels, codes } = readLabels(column(input, name));
        if (labels.length <= MAX_CATEGORIES) {
          f.categories = [...labels].sort();
          f.distribution = categoryDistribution(codes, labels, f.categories);
        }
      }
      return f;
    });
}

/** Shares stored with 6 significant digits: PSI needs no more, and the JSON stays small. */
const share = (count: number, total: number) => (total > 0 ? Number((count / total).toPrecision(6)) : 0);

/** Training deciles as bin cuts, and the share of training values in each bin (see FeatureContract). */
function numericDistribution(vector: Parameters<typeof readNumeric>[0]): FeatureContract['distribution'] {
  const sorted = readNumeric(vector)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const cuts: number[] = [];
  for (let q = 10; q < 100; q += 10) {
    const c = npPercentile(sorted, q);
    if (cuts.length === 0 || c > cuts[cuts.length - 1]!) cuts.push(c);
  }
  const counts = new Float64Array(cuts.length + 1);
  for (const v of sorted) counts[binOf(cuts, v)]! += 1;
  return { cuts, shares: Array.from(counts, (c) => share(c, sorted.length)) };
}

function categoryDistribution(
  codes: Int32Array,
  labels: readonly string[],
  categories: readonly string[],
): FeatureContract['distribution'] {
  const counts = new Float64Array(labels.length);
  let total = 0;
  for (const c of codes) {
    if (c < 0) continue;
    counts[c]! += 1;
    total += 1;
  }
  const byLabel = new Map(labels.map((l, k) => [l, counts[k]!]));
  return { shares: categories.map((c) => share(byLabel.get(c) ?? 0, total)) };
}

export async function buildArtifact(
  input: Table,
  spec: ExportModelSpec,
  ctx: FitContext & { backend: string; now?: Date },
): Promise<{ artifact: Artifact; json: string; weights: Uint8Array; fitted: FittedPipeline }> {
  const fitted = await fitForExport(input, spec, ctx);
  const target = spec.target;
  const targetField = target === null ? null : input.schema.fields.find((f) => f.name === target)!;
  const body = {
    steps: fitted.steps.filter((s) => s.kind !== 'filter').map((s) => ({ name: s.name, state: s.state })),
    model: fitted.modelState,
  };
  const { json: packed, weights } = packWeights(body);
  const p = packed as { steps: Artifact['steps']; model: unknown };
  const artifact: Artifact = {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    createdAt: (ctx.now ?? new Date()).toISOString(),
    benchtopVersion: BENCHTOP_VERSION,
    notebookLink: spec.notebookLink ?? null,
    ...(spec.metrics ? { metrics: spec.metrics } : {}),
    backend: ctx.backend,
    contract: {
      features: dataContract(input, fitted, target),
      target:
        targetField === null
          ? null
          : {
              name: targetField.name,
              type: logicalType(targetField),
              ...(fitted.classes ? { classes: fitted.classes } : {}),
            },
    },
    steps: p.steps,
    trainingOnlySteps: fitted.steps.filter((s) => s.kind === 'filter').map((s) => s.name),
    model: { name: spec.model.name, params: fitted.params, state: p.model, features: fitted.features },
    task: fitted.task,
    weights: { bytes: weights.byteLength, fnv1a: fnv1a(weights) },
  };
  return { artifact, json: JSON.stringify(artifact), weights, fitted };
}
