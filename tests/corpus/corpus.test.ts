/**
 * The corpus test (issue #14 item 9): real public datasets, messy as they come (see
 * tests/fixtures/corpus/<name>/SOURCE.md), each taken the way a new user would take it through
 * Benchtop, in-process (the Node engine):
 *
 *   load → quality report → apply its fixes → default preprocessing → train two models with
 *   5-fold CV → export each to Python → run the script with scikit-learn → same metrics.
 *
 * Which fixes: every fix the report offers except clipping outliers and dropping one of a
 * collinear pair (modelling choices, not repairs); a fix is skipped when an earlier one dropped
 * its column. Filters go first (as a user reads the report). Default preprocessing is the
 * engine's `standardPreprocessing` for the fixed notebook (sklearn's ColumnTransformer idiom:
 * numbers median-imputed and standardised, categories mode-imputed and one-hot encoded with
 * unknown categories ignored; identifiers, text and dates left out with the reason).
 * Parity tolerances are those of tests/export/python.test.ts: 1 percentage point for accuracy
 * and macro F1, 2 % relative for R², MAE and RMSE.
 *
 * A failure names the dataset, the stage and the error. Needs /usr/bin/python3 with scikit-learn
 * and pandas (Debian's python3-sklearn, python3-pandas), like the Python export test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { QualityWarning, SplitSpec, TrainTask } from '../../src/protocol/api';
import type { Notebook, StepSpec } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { HAS_SKLEARN, PYTHON, pythonHas, runPython } from '../support/python-script';

interface CorpusCase {
  /** Folder and file under tests/fixtures/corpus. */
  name: string;
  file: string;
  target: string;
  task: Exclude<TrainTask, 'clustering'>;
}

const CASES: CorpusCase[] = [
  { name: 'penguins_raw', file: 'penguins_raw.csv', target: 'Species', task: 'classification' },
  { name: 'cars93', file: 'cars93.json', target: 'Price', task: 'regression' },
  { name: 'survey', file: 'survey.ndjson', target: 'Sex', task: 'classification' },
  { name: 'diamonds', file: 'diamonds.parquet', target: 'price', task: 'regression' },
  { name: 'economics', file: 'economics.csv', target: 'unemploy', task: 'regression' },
  { name: 'txhousing', file: 'txhousing.csv', target: 'median', task: 'regression' },
  { name: 'brexit_polls', file: 'brexit_polls.csv', target: 'spread', task: 'regression' },
  { name: 'polls_us_2016', file: 'polls_us_2016.csv', target: 'adjpoll_clinton', task: 'regression' },
  { name: 'tate_text', file: 'tate_text.ndjson', target: 'year', task: 'regression' },
  { name: 'credit_data', file: 'credit_data.csv', target: 'Status', task: 'classification' },
  { name: 'titanic', file: 'titanic.csv', target: 'survived', task: 'classification' },
  { name: 'forbes2000', file: 'forbes2000.csv', target: 'marketvalue', task: 'regression' },
  {
    name: 'breast_cancer_wisconsin',
    file: 'breast_cancer_wisconsin.csv',
    target: 'Class',
    task: 'classification',
  },
  { name: 'ames', file: 'ames.csv', target: 'Sale_Price', task: 'regression' },
  { name: 'attrition', file: 'attrition.json', target: 'Attrition', task: 'classification' },
  { name: 'soybean', file: 'soybean.ndjson', target: 'Class', task: 'classification' },
  { name: 'trump_tweets', file: 'trump_tweets.csv', target: 'source', task: 'classification' },
  { name: 'gapminder', file: 'gapminder.csv', target: 'life_expectancy', task: 'regression' },
  { name: 'olive', file: 'olive.csv', target: 'area', task: 'classification' },
  { name: 'arrests', file: 'arrests.csv', target: 'released', task: 'classification' },
  { name: 'house_votes_84', file: 'house_votes_84.json', target: 'Class', task: 'classification' },
];

const MODELS: Record<CorpusCase['task'], [string, string]> = {
  classification: ['LogisticRegression', 'HistGradientBoostingClassifier'],
  regression: ['Ridge', 'HistGradientBoostingRegressor'],
};
const SPLITS: Record<CorpusCase['task'], SplitSpec> = {
  classification: { kind: 'stratified-kfold', k: 5 },
  regression: { kind: 'kfold', k: 5 },
};
const METRICS: Record<CorpusCase['task'], [string, 'abs' | 'rel'][]> = {
  classification: [
    ['accuracy', 'abs'],
    ['f1_macro', 'abs'],
  ],
  regression: [
    ['r2', 'rel'],
    ['mae', 'rel'],
    ['rmse', 'rel'],
  ],
};
/** Fixes a user would not apply without looking: they change the data's meaning, not repair it. */
const NOT_APPLIED = new Set<QualityWarning['kind']>(['outliers', 'correlated']);
const SEED = 14;

const corpusDir = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

const HAS_PARQUET = pythonHas('pyarrow') || pythonHas('fastparquet');
if (!HAS_SKLEARN)
  console.warn(
    `SKIPPED the corpus test: ${PYTHON} has no scikit-learn and pandas (apt: python3-sklearn python3-pandas).`,
  );

/** An error that says which stage of which dataset failed. */
class StageFailure extends Error {
  constructor(dataset: string, stage: string, cause: unknown) {
    const e = cause as { name?: string; message?: string };
    super(`${dataset}: stage "${stage}" failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(cause)}`);
    this.name = 'StageFailure';
  }
}

const outcomes = new Map<string, string>();

function stageRunner(dataset: string) {
  return async <T>(stage: string, run: () => Promise<T> | T): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      const failure = e instanceof StageFailure ? e : new StageFailure(dataset, stage, e);
      outcomes.set(dataset, failure.message);
      throw failure;
    }
  };
}

let stepCounter = 0;
const step = (name: string, params: StepSpec['params'], columns?: string[]): StepSpec => ({
  id: `c${++stepCounter}`,
  step: name,
  params,
  enabled: true,
  ...(columns && columns.length > 0 ? { columns } : {}),
});

/**
 * The report's fixes as notebook steps, filters first. A fix whose column an earlier fix dropped
 * (or that repeats an earlier fix) is skipped.
 */
export function fixSteps(warnings: readonly QualityWarning[], filterKinds: ReadonlySet<string>): StepSpec[] {
  const dropped = new Set<string>();
  const seen = new Set<string>();
  const filters: StepSpec[] = [];
  const transforms: StepSpec[] = [];
  for (const w of warnings) {
    if (!w.fix || NOT_APPLIED.has(w.kind)) continue;
    const { step: name, params, columns = [] } = w.fix.step;
    const key = JSON.stringify(w.fix.step);
    // A step names its columns in `columns`, or one in `params.column` (CastType).
    const named = typeof params.column === 'string' ? [...columns, params.column] : columns;
    if (seen.has(key) || named.some((c) => dropped.has(c))) continue;
    seen.add(key);
    if (name === 'DropColumns') for (const c of columns) dropped.add(c);
    (filterKinds.has(name) ? filters : transforms).push(step(name, params, columns));
  }
  return [...filters, ...transforms];
}

// Without scikit-learn there is nothing to compare the metrics with (CI installs Debian's).
describe.skipIf(!HAS_SKLEARN)('corpus: real datasets end to end', () => {
  afterAll(() => {
    const lines = CASES.map((c) => `  ${c.name.padEnd(24)} ${outcomes.get(c.name) ?? 'not run'}`);
    console.log(`Corpus outcomes:\n${lines.join('\n')}`);
  });

  for (const c of CASES) {
    it(c.name, { timeout: 900_000 }, async () => {
      const stage = stageRunner(c.name);
      const engine = createNodeEngine();
      const dataFile = join(corpusDir, c.name, c.file);
      const catalog = await engine.stepCatalog();
      const filterKinds = new Set(catalog.filter((s) => s.kind === 'filter').map((s) => s.name));

      const info = await stage('load', () =>
        engine.loadBytes(new Uint8Array(readFileSync(dataFile)), c.file),
      );
      expect(info.rows).toBeGreaterThan(50);
      expect(info.columns.some((col) => col.name === c.target)).toBe(true);

      const warnings = await stage('quality report', () =>
        engine.qualityReport(info.id, { target: c.target }),
      );
      const fixes = fixSteps(warnings, filterKinds);
      const notebook = (steps: StepSpec[]): Notebook => ({
        version: 1,
        seed: SEED,
        dataset: null,
        target: c.target,
        steps,
      });
      const fixed = await stage('quality fixes', async () => {
        const run = await engine.runNotebook(info.id, notebook(fixes));
        const failed = run.steps.find((s) => s.status === 'error');
        if (failed) throw new Error(`step ${failed.step}: ${failed.error?.name}: ${failed.error?.message}`);
        return run.output;
      });

      // The engine's "standard preprocessing" for the fixed notebook's output (what the
      // notebook's one-click button adds).
      const standard = await stage('standard preprocessing', () =>
        engine.standardPreprocessing(info.id, { target: c.target, notebook: notebook(fixes) }),
      );
      expect(fixed.columns.length).toBeGreaterThan(0);
      const steps = [...fixes, ...standard.steps.map((s) => step(s.step, s.params, s.columns))];
      const spec = {
        notebook: notebook(steps),
        target: c.target,
        task: c.task,
        split: SPLITS[c.task],
        seed: SEED,
      };
      const models = MODELS[c.task];
      const trained = await stage('train (5-fold CV)', () =>
        engine.trainModels(info.id, { ...spec, models: models.map((name) => ({ name, params: {} })) }),
      );
      expect(trained.models).toHaveLength(2);

      for (const [k, name] of models.entries()) {
        const script = await stage(`export Python (${name})`, () =>
          engine.exportPython(info.id, { ...spec, model: { name, params: {} }, csvFile: c.file }),
        );
        if (c.file.endsWith('.parquet') && !HAS_PARQUET) {
          // This machine's Python cannot read Parquet (Debian ships neither pyarrow nor
          // fastparquet): the script must say so instead of failing obscurely; metrics cannot be
          // compared here.
          const said = await stage(`run Python (${name})`, async () => {
            try {
              runPython(script, dataFile);
            } catch (e) {
              return String((e as { stderr?: string }).stderr ?? (e as Error).message);
            }
            throw new Error('the script read a Parquet file without pyarrow or fastparquet');
          });
          expect(said).toMatch(/pyarrow|fastparquet/);
          continue;
        }
        const out = await stage(`run Python (${name})`, async () => runPython(script, dataFile));
        await stage(`same metrics (${name})`, async () => {
          expect(out.folds).toHaveLength(5);
          for (const [key, kind] of METRICS[c.task]) {
            const mine = trained.models[k]!.metrics[key]!.mean;
            const theirs = out.metrics[key]!;
            const tolerance = kind === 'abs' ? 0.01 : 0.02 * Math.abs(theirs);
            expect(
              Math.abs(mine - theirs),
              `${name} ${key}: Benchtop ${mine}, scikit-learn ${theirs}`,
            ).toBeLessThanOrEqual(tolerance);
          }
        });
      }
      outcomes.set(
        c.name,
        c.file.endsWith('.parquet') && !HAS_PARQUET
          ? 'passed (no Python Parquet reader: metrics not compared)'
          : 'passed',
      );
    });
  }
});
