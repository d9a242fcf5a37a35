/**
 * The practitioner's whole loop on real, messy data from the committed corpus
 * (tests/fixtures/corpus; issue 14): read the file → standard tabular preprocessing → 5-fold CV
 * of a linear model and of HistGradientBoosting → the CV metric. Datasets: ames (1,000 × 74,
 * regression of Sale_Price, ~280 one-hot features), attrition (JSON, 1,470 × 31, classification
 * of Attrition), credit_data (3,000 × 14 with missing values, classification of Status).
 *
 * Ours: the Node engine (workers/engine.node.ts, CPU kernels, the compute pool on every core)
 * driven as the app drives it — loadBytes, standardPreprocessing (the one-click), trainModels with
 * both models (kfold for regression, stratified k-fold for classes, seed 14).
 * Native (bench/native.py `realloop`): what a scikit-learn user writes — pandas read_csv /
 * read_json, a ColumnTransformer (SimpleImputer(median) + StandardScaler for the numbers;
 * SimpleImputer(most_frequent) + OneHotEncoder(handle_unknown='ignore') for the categories,
 * 'infrequent_if_exist' with max_categories=20 for the many-valued ones; booleans imputed and
 * encoded with drop='if_binary'), a Pipeline per model and cross_validate — on the SAME columns
 * (the plan our engine reports) and the SAME folds (our fold of every row, PredefinedSplit), both
 * written by the setup to $TMPDIR/benchtop-bench/realloop-<dataset>.json. Dense one-hot output
 * (sparse_output=False): HistGradientBoosting refuses sparse input, so one preprocessor for both
 * models is dense — as the project's Python export writes it.
 *
 * Cases per dataset: the whole loop (timed end to end, reading the file included), and its
 * stages apart — load (file → table / DataFrame), and per model "preprocessing + 5-fold CV" (the
 * notebook / Pipeline fitted per fold, the model, the metric). In the stage rows each of our runs
 * trains on a freshly loaded copy of the dataset (loaded untimed in prepare), so no step cache
 * carries over from the previous run.
 *
 * Quality: the CV mean of the primary metric (R², accuracy). Both sides print it with its
 * difference from ours as the setup measured it, against the corpus test's tolerances: 2 %
 * relative for R², 1 percentage point for accuracy.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../workers/engine';
import { benchPath } from '../data';
import type { BenchCase, BenchImpl, NativeImpl } from '../harness';

type Task = 'regression' | 'classification';

interface Dataset {
  name: string;
  file: string;
  target: string;
  task: Task;
}

const DATASETS: Dataset[] = [
  { name: 'ames', file: 'ames.csv', target: 'Sale_Price', task: 'regression' },
  { name: 'attrition', file: 'attrition.json', target: 'Attrition', task: 'classification' },
  { name: 'credit_data', file: 'credit_data.csv', target: 'Status', task: 'classification' },
];

const MODELS: Record<Task, { linear: string; hgb: string }> = {
  regression: { linear: 'Ridge', hgb: 'HistGradientBoostingRegressor' },
  classification: { linear: 'LogisticRegression', hgb: 'HistGradientBoostingClassifier' },
};
const SEED = 14;
const corpusDir = fileURLToPath(new URL('../../tests/fixtures/corpus/', import.meta.url));

/** What the setup writes for both sides: our column plan, our folds, our metrics. */
interface Plan {
  name: string;
  path: string;
  format: 'csv' | 'json';
  target: string;
  task: Task;
  rows: number;
  columns: number;
  /** The engine's standard preprocessing (the one-click), as steps with explicit columns. */
  steps: { step: string; params: Record<string, unknown>; columns?: string[] }[];
  /** Raw columns the model reads as they are (booleans: no step touches them). */
  passthrough: string[];
  /** The features our first fold's model read. */
  features: number;
  /** Our fold of every row (file order). */
  folds: number[];
  models: { linear: string; hgb: string };
  metric: 'r2' | 'accuracy';
  /** Our CV means (setup run). */
  reference: { linear: number; hgb: number };
}

const planPath = (d: Dataset) => benchPath(`realloop-${d.name}.json`);

const notebook = (d: Dataset, steps: Plan['steps']) => ({
  version: 1 as const,
  seed: SEED,
  dataset: null,
  target: d.target,
  steps: steps.map((s, i) => ({
    id: `s${i}`,
    step: s.step,
    params: s.params as Record<string, never>,
    enabled: true,
    ...(s.columns ? { columns: s.columns } : {}),
  })),
});

const split = (task: Task) =>
  task === 'regression' ? { kind: 'kfold' as const, k: 5 } : { kind: 'stratified-kfold' as const, k: 5 };

async function engineOf(): Promise<Engine> {
  const { createNodeEngine } = await import('../../workers/engine.node.ts');
  return createNodeEngine();
}

/** The loop as the app runs it, from the file's bytes to the CV metrics. */
async function loop(engine: Engine, d: Dataset, models: string[], datasetId?: string) {
  let id = datasetId;
  if (!id) {
    const bytes = new Uint8Array(readFileSync(`${corpusDir}${d.name}/${d.file}`));
    id = (await engine.loadBytes(bytes, d.file)).id;
  }
  const standard = await engine.standardPreprocessing(id, { target: d.target, notebook: notebook(d, []) });
  const result = await engine.trainModels(id, {
    notebook: notebook(d, standard.steps),
    target: d.target,
    task: d.task,
    split: split(d.task),
    seed: SEED,
    models: models.map((name) => ({ name, params: {} })),
  });
  return { id, standard, result };
}

/** Runs our loop once and writes the plan; the `list` process (bench/run.ts) always refreshes it. */
async function makePlan(d: Dataset): Promise<Plan> {
  const path = planPath(d);
  if (process.env.BENCH_MODE !== 'list' && existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const engine = await engineOf();
  const models = MODELS[d.task];
  const { id, standard, result } = await loop(engine, d, [models.linear, models.hgb]);
  const info = (await engine.datasets()).find((x) => x.id === id)!;
  const touched = new Set(standard.steps.flatMap((s) => s.columns ?? []));
  const raw = new Set(info.columns.map((c) => c.name));
  const features = result.featurePlan?.features ?? result.features;
  const oof = result.models[0]!.oof;
  const folds = new Array<number>(info.rows).fill(-1);
  for (const [i, row] of oof.rows.entries()) folds[row] = oof.fold[i]!;
  const plan: Plan = {
    name: d.name,
    path: `${corpusDir}${d.name}/${d.file}`,
    format: d.file.endsWith('.json') ? 'json' : 'csv',
    target: d.target,
    task: d.task,
    rows: info.rows,
    columns: info.columns.length,
    steps: standard.steps.map((s) => ({
      step: s.step,
      params: s.params,
      ...(s.columns ? { columns: s.columns } : {}),
    })),
    passthrough: features.filter((f) => raw.has(f) && !touched.has(f)),
    features: features.length,
    folds,
    models,
    metric: result.primary === 'r2' ? 'r2' : 'accuracy',
    reference: {
      linear: result.models[0]!.metrics[result.primary]!.mean,
      hgb: result.models[1]!.metrics[result.primary]!.mean,
    },
  };
  writeFileSync(`${path}.part`, JSON.stringify(plan));
  renameSync(`${path}.part`, path);
  return plan;
}

/** "R² 0.7458 (Δ 0.0000 ≤ 0.0149 ✓)" against the setup's reference (the corpus test's tolerance). */
export function agreement(metric: Plan['metric'], value: number, reference: number): string {
  const tolerance = metric === 'r2' ? 0.02 * Math.abs(reference) : 0.01;
  const delta = Math.abs(value - reference);
  const label = metric === 'r2' ? 'R²' : 'accuracy';
  return `${label} ${value.toFixed(4)} (Δ ${delta.toFixed(4)} ≤ ${tolerance.toFixed(4)} ${delta <= tolerance ? '✓' : '✗'})`;
}

const threads = () => `${process.env.BENCHTOP_THREADS ?? availableParallelism()} threads`;

type Metrics = Partial<Record<'linear' | 'hgb', number>>;

function metricsQuality(plan: Plan, m: Metrics): string {
  const parts: string[] = [];
  for (const which of ['linear', 'hgb'] as const) {
    const v = m[which];
    if (v !== undefined)
      parts.push(`${plan.models[which]}: ${agreement(plan.metric, v, plan.reference[which])}`);
  }
  return parts.join('; ');
}

function datasetCases(d: Dataset): BenchCase<Plan>[] {
  const setup = () => makePlan(d);
  const models = MODELS[d.task];
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const native = (stage: string) => (): NativeImpl[] => [
    {
      name:
        stage === 'load'
          ? `pandas ${d.file.endsWith('.json') ? 'read_json' : 'read_csv'}`
          : 'scikit-learn (pandas, ColumnTransformer, Pipeline, cross_validate; default threads)',
      task: 'realloop',
      args: { plan: planPath(d), stage },
    },
  ];
  const metricsOf = (result: Awaited<ReturnType<typeof loop>>['result'], names: string[]): Metrics => {
    const out: Metrics = {};
    for (const [k, name] of names.entries()) {
      const which = name === models.linear ? 'linear' : 'hgb';
      out[which] = result.models[k]!.metrics[result.primary]!.mean;
    }
    return out;
  };
  /** A stage row of ours: one freshly loaded copy of the dataset per run (no cache carried over). */
  const cvImpl = (which: 'linear' | 'hgb'): BenchImpl<Plan, { engine: Engine; ids: string[] }> => ({
    name: `benchtop notebook + ${models[which]} (Node engine, ${threads()})`,
    ours: true,
    async prepare() {
      const engine = await engineOf();
      const bytes = new Uint8Array(readFileSync(`${corpusDir}${d.name}/${d.file}`));
      const ids: string[] = [];
      for (let r = 0; r < runs; r++) ids.push((await engine.loadBytes(bytes, d.file)).id);
      return { engine, ids };
    },
    async run(p) {
      const { result } = await loop(p.engine, d, [models[which]], p.ids.shift());
      return metricsOf(result, [models[which]]);
    },
    quality: (plan, m) => metricsQuality(plan, m as Metrics),
  });
  const shape = (plan: Plan) => `${plan.rows.toLocaleString('en')} × ${plan.columns}`;
  return [
    {
      name: `realloop ${d.name} — whole loop (load, standard preprocessing, 5-fold CV of ${models.linear} and ${models.hgb})`,
      setup,
      impls: [
        {
          name: `benchtop (Node engine, ${threads()})`,
          ours: true,
          prepare: () => engineOf(),
          async run(engine: Engine) {
            const { result } = await loop(engine, d, [models.linear, models.hgb]);
            return metricsOf(result, [models.linear, models.hgb]);
          },
          quality: (plan, m) =>
            `${shape(plan)}, ${plan.features} features; ${metricsQuality(plan, m as Metrics)}`,
        },
      ],
      native: native('all'),
    },
    {
      name: `realloop ${d.name} — load ${d.file}`,
      setup,
      impls: [
        {
          name: 'benchtop loadBytes (Node engine)',
          ours: true,
          prepare: () => engineOf(),
          async run(engine: Engine) {
            const bytes = new Uint8Array(readFileSync(`${corpusDir}${d.name}/${d.file}`));
            return engine.loadBytes(bytes, d.file);
          },
          quality: (_plan, info) => {
            const i = info as { rows: number; columns: unknown[] };
            return `${i.rows.toLocaleString('en')} rows × ${i.columns.length} columns`;
          },
        },
      ],
      native: native('load'),
    },
    {
      name: `realloop ${d.name} — preprocessing + 5-fold CV of ${models.linear}`,
      setup,
      impls: [cvImpl('linear')],
      native: native('linear'),
    },
    {
      name: `realloop ${d.name} — preprocessing + 5-fold CV of ${models.hgb}`,
      setup,
      impls: [cvImpl('hgb')],
      native: native('hgb'),
    },
  ];
}

export function realloopCases(): BenchCase<Plan>[] {
  return DATASETS.flatMap(datasetCases);
}
