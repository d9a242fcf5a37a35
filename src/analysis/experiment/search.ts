/**
 * "Compare baselines" (a sensible default set, 5-fold CV, ranked) and hyper-parameter search
 * (sklearn-style grids, or seeded random draws from ranges). Both are one experiment with many
 * models, so the notebook is fitted once per fold for all candidates.
 */

import { EngineError } from '../../core/errors';
import { createRng } from '../../core/rng';
import { MODELS } from '../../models/registry';
import type { StepParamInfo } from '../../pipeline/types';
import { batchGroups, type ExperimentContext, runExperiment, taskFor } from './experiment';
import type {
  ExperimentResult,
  LearningCurveResult,
  MetricSummary,
  ModelInfo,
  ParamRange,
  TrainParamValue,
  TrainSpec,
  TrainTask,
  TuneCandidate,
  TuneResult,
  TuneSpec,
} from './types';

export const BASELINES: Record<'classification' | 'regression', string[]> = {
  classification: [
    'LogisticRegression',
    'GaussianNB',
    'KNeighborsClassifier',
    'DecisionTreeClassifier',
    'RandomForestClassifier',
    'HistGradientBoostingClassifier',
  ],
  regression: [
    'Ridge',
    'KNeighborsRegressor',
    'DecisionTreeRegressor',
    'RandomForestRegressor',
    'HistGradientBoostingRegressor',
  ],
};

/** Grid or random search: at most this many candidates, so a typo in a grid cannot hang the tab. */
export const MAX_CANDIDATES = 200;

export function modelCatalog(): ModelInfo[] {
  return [...MODELS.values()].map((m) => ({
    name: m.name,
    tasks: [...m.tasks],
    description: m.description,
    params: { ...m.params } as Record<string, StepParamInfo>,
  }));
}

export async function compareBaselines(
  ctx: ExperimentContext,
  spec: {
    notebook: TrainSpec['notebook'];
    target: string;
    task?: TrainTask;
    seed: number;
    features?: string[] | null;
  },
): Promise<ExperimentResult> {
  const task = taskFor(ctx.table, spec);
  if (task === 'clustering') {
    throw new EngineError(
      'InvalidArgument',
      'Baselines need a target column (classification or regression).',
    );
  }
  const result = await runExperiment(ctx, {
    notebook: spec.notebook,
    target: spec.target,
    task,
    features: spec.features ?? null,
    split: { kind: task === 'classification' ? 'stratified-kfold' : 'kfold', k: 5, shuffle: true },
    models: BASELINES[task].filter((name) => MODELS.has(name)).map((name) => ({ name, params: {} })),
    seed: spec.seed,
  });
  const sign = result.higherIsBetter ? -1 : 1;
  result.models.sort(
    (a, b) => sign * ((a.metrics[result.primary]?.mean ?? 0) - (b.metrics[result.primary]?.mean ?? 0)),
  );
  return result;
}

function cartesian(grid: Record<string, TrainParamValue[]>): Record<string, TrainParamValue>[] {
  let out: Record<string, TrainParamValue>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new EngineError('InvalidArgument', `The grid for "${key}" needs at least one value.`);
    }
    out = out.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
    if (out.length > MAX_CANDIDATES) {
      throw new EngineError('InvalidArgument', `The grid has more than ${MAX_CANDIDATES} combinations.`, {
        hint: 'Use fewer values, or a random search.',
      });
    }
  }
  return out;
}

function draw(range: ParamRange, key: string, rng: ReturnType<typeof createRng>): TrainParamValue {
  if (range.type === 'values') {
    if (range.values.length === 0)
      throw new EngineError('InvalidArgument', `"${key}" needs at least one value.`);
    return range.values[rng.int(range.values.length)]!;
  }
  const { low, high } = range;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new EngineError('InvalidArgument', `The range of "${key}" needs low ≤ high, got ${low}…${high}.`);
  }
  if (range.type === 'log-uniform' && !(low > 0)) {
    throw new EngineError('InvalidArgument', `A log-uniform range of "${key}" needs low > 0.`);
  }
  const u = rng.next();
  const v =
    range.type === 'uniform'
      ? low + u * (high - low)
      : Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
  return range.integer ? Math.round(v) : Number(v.toPrecision(6));
}

export function candidatesOf(
  spec: Pick<TuneSpec, 'grid' | 'random' | 'seed' | 'params'>,
): Record<string, TrainParamValue>[] {
  const fixed = spec.params ?? {};
  if (spec.grid && spec.random)
    throw new EngineError('InvalidArgument', 'Choose a grid or a random search, not both.');
  if (spec.grid) return cartesian(spec.grid).map((c) => ({ ...fixed, ...c }));
  if (spec.random) {
    const n = Math.floor(spec.random.n);
    if (!(n >= 1 && n <= MAX_CANDIDATES)) {
      throw new EngineError(
        'InvalidArgument',
        `A random search draws 1 to ${MAX_CANDIDATES} candidates, got ${spec.random.n}.`,
      );
    }
    const rng = createRng(spec.seed ^ 0x5eed);
    return Array.from({ length: n }, () => {
      const c: Record<string, TrainParamValue> = { ...fixed };
      for (const [key, range] of Object.entries(spec.random!.ranges)) c[key] = draw(range, key, rng);
      return c;
    });
  }
  throw new EngineError('InvalidArgument', 'A search needs a parameter grid or random ranges.');
}

export async function tuneModel(ctx: ExperimentContext, spec: TuneSpec): Promise<TuneResult> {
  const candidates = candidatesOf(spec);
  // Candidates that can share training passes (a LogisticRegression C grid) are fitted together
  // per fold; the scores are those of one-by-one fits (bit for bit on the CPU).
  const batch = spec.batch ?? true;
  const experiment = await runExperiment(
    ctx,
    { ...spec, models: candidates.map((params) => ({ name: spec.model, params })) },
    { batch },
  );
  const def = MODELS.get(spec.model)!;
  const batched = batch && batchGroups(experiment.models.map((m) => ({ def, params: m.params }))).length > 0;
  const metric = experiment.primary;
  const sign = experiment.higherIsBetter ? -1 : 1;
  const order = experiment.models
    .map((m, index) => ({ m, index, mean: m.metrics[metric]?.mean ?? Number.NaN }))
    .sort((a, b) => sign * ((a.mean || 0) - (b.mean || 0)) || a.index - b.index);
  const ranked: TuneCandidate[] = order.map(({ m, index }, r) => ({
    params: candidates[index]!,
    score: m.metrics[metric]!,
    rank: r + 1,
    fitMs: m.fitMs,
  }));
  // The best candidate as a run of its own: the same folds and fits, so the same numbers.
  const bestModel = { ...order[0]!.m, label: spec.model };
  const best: ExperimentResult = { ...experiment, models: [bestModel], comparisons: [] };
  return {
    model: spec.model,
    metric,
    higherIsBetter: experiment.higherIsBetter,
    candidates: ranked,
    best,
    batched,
  };
}

export const DEFAULT_FRACTIONS = [0.1, 0.25, 0.5, 0.75, 1];

/** Test score against training size: one experiment per fraction of each fold's training rows. */
export async function learningCurve(
  ctx: ExperimentContext,
  spec: TrainSpec & { fractions?: number[] },
): Promise<LearningCurveResult> {
  const fractions = spec.fractions ?? DEFAULT_FRACTIONS;
  if (fractions.length === 0 || fractions.length > 20) {
    throw new EngineError('InvalidArgument', 'A learning curve needs 1 to 20 training fractions.');
  }
  const points: LearningCurveResult['points'] = [];
  let metric = '';
  for (const [i, fraction] of fractions.entries()) {
    const result = await runExperiment(
      {
        ...ctx,
        progress: (p) =>
          ctx.progress({
            ...p,
            fraction: p.fraction === null ? null : (i + p.fraction) / fractions.length,
            phase: `${Math.round(fraction * 100)}% of the training rows · ${p.phase}`,
          }),
      },
      { ...spec, importance: undefined },
      { plots: false, trainFraction: fraction },
    );
    metric = result.primary;
    const scores: Record<string, MetricSummary> = {};
    for (const m of result.models) scores[m.label] = m.metrics[metric]!;
    points.push({ fraction, trainRows: result.splitReport.trainRows, scores });
  }
  return { metric, points };
}
