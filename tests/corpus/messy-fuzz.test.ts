/**
 * Issue 14 as properties: generated messy tables (tests/support/messy-tables.ts — placeholders in
 * one or two rows, unseen categories per fold, any share missing, constant and all-missing
 * columns, text, identifiers, booleans, dates, rare classes, missing targets) taken through the
 * one-click path the corpus test takes (load → standardPreprocessing), or through a notebook of
 * default steps with their columns left empty, → train one model (LogisticRegression / Ridge) with
 * stratified / plain 5-fold CV and the default features, in-process (workers/engine.node.ts).
 *
 *   1. The run succeeds with finite metrics in every fold, or fails with a named EngineError (never
 *      InternalError) that says what to do; a failing step names the fold, the step and the value
 *      (StepFailureDetail) and offers a one-click fix.
 *   2. Applying the offered fixes (one of a failure's fixes, chosen by the property; at most
 *      MAX_FIXES in a row, never the same failure twice) makes the run succeed.
 *   3. (Few cases: Python is slow.) The exported Python script, run with scikit-learn, gives the
 *      app's metrics.
 *
 * Seeded (FUZZ_SEED to explore another seed, FUZZ_SCALE to run more cases); a failure prints the
 * shrunk MessySpec: keep it as a case in tests/engine/train-messy-regressions.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { ENGINE_ERROR_NAMES, EngineError } from '../../src/core/errors';
import type {
  ExperimentResult,
  NotebookFix,
  SplitSpec,
  StepFailureDetail,
  StepSuggestion,
} from '../../src/protocol/api';
import type { Notebook, StepSpec } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { FUZZ_SEED, runs } from '../support/fuzz';
import {
  applyFix,
  applyNotebookFix,
  type MessySpec,
  type MessyTable,
  messySpecArb,
  messyTable,
  toStep,
} from '../support/messy-tables';
import { HAS_SKLEARN, runPython } from '../support/python-script';

const engine = createNodeEngine();

const MODEL = { classification: 'LogisticRegression', regression: 'Ridge' } as const;
const SPLIT: Record<MessyTable['task'], SplitSpec> = {
  classification: { kind: 'stratified-kfold', k: 5 },
  regression: { kind: 'kfold', k: 5 },
};
const METRICS = { classification: ['accuracy', 'f1_macro'], regression: ['r2', 'mae', 'rmse'] } as const;
/** Fixes applied one after another before giving up (each may reveal the next column's trouble;
 * the same failure twice means a fix did not work). */
const MAX_FIXES = 8;
const SEED = 14;

type Outcome = { ok: ExperimentResult } | { error: EngineError };

function notebook(t: MessyTable, steps: StepSpec[]): Notebook {
  return { version: 1, seed: 7, dataset: null, target: t.target, steps };
}

async function train(datasetId: string, t: MessyTable, steps: StepSpec[]): Promise<Outcome> {
  try {
    const ok = await engine.trainModels(datasetId, {
      notebook: notebook(t, steps),
      target: t.target,
      task: t.task,
      split: SPLIT[t.task],
      models: [{ name: MODEL[t.task], params: {} }],
      seed: SEED,
    });
    return { ok };
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    return { error: e };
  }
}

/**
 * Errors the one-click path may end with, as the data leaves nothing else: a class too rare for
 * stratified 5-fold (named, with what to do), or nothing a model can read (every column left out).
 */
const TERMINAL = [
  // Only when dropping the rare classes would leave fewer than two (otherwise it carries a fix).
  /^Stratified 5-fold needs every class of ".*" in each fold, but /,
  /^There are no numeric feature columns to train on\.$/,
];

type Fix = { kind: 'step'; detail: StepFailureDetail } | { kind: 'notebook'; fix: NotebookFix } | null;

/**
 * What a failure must say: a named error (never InternalError) with a hint; a step failure names
 * the fold, the step and the value and offers a one-click fix; any other error offers a step to
 * add at the start or the end of the notebook (NotebookFix: a missing target, a feature with
 * gaps) or is one of the TERMINAL ones.
 */
function checkError(e: EngineError, steps: readonly StepSpec[]): Fix {
  expect(ENGINE_ERROR_NAMES).toContain(e.name);
  expect(e.name, e.message).not.toBe('InternalError');
  expect(e.message, 'an internal message').not.toMatch(/undefined|NaN|TypeError|\[object/);
  expect(typeof e.detail.hint, `no hint: ${e.message}`).toBe('string');
  const detail = e.detail as { kind?: string; fix?: NotebookFix; fold?: number | null };
  if (detail.kind !== 'step-failed') {
    if (typeof detail.fold === 'number') expect(e.message).toContain(`fold ${detail.fold + 1} of 5`);
    if (detail.fix) return { kind: 'notebook', fix: detail.fix };
    expect(
      TERMINAL.some((re) => re.test(e.message)),
      `${e.name} without a one-click fix: ${e.message}`,
    ).toBe(true);
    return null;
  }
  const d = e.detail as unknown as StepFailureDetail;
  const s = steps.find((x) => x.id === d.stepId);
  expect(s?.step, `the failed step ${d.stepId} is not in the notebook`).toBe(d.step);
  expect(e.message).toContain(d.step);
  if (d.fold !== null) expect(e.message).toContain(`fold ${d.fold + 1} of ${d.folds}`);
  if (d.value !== undefined && d.value !== null) expect(e.message).toContain(d.value);
  expect(d.fixes.length, `no one-click fix: ${e.message}`).toBeGreaterThan(0);
  return { kind: 'step', detail: d };
}

function checkMetrics(run: ExperimentResult, t: MessyTable): void {
  const model = run.models[0]!;
  for (const key of METRICS[t.task]) {
    const folds = model.foldMetrics[key];
    expect(folds, key).toHaveLength(5);
    for (const v of folds!) expect(Number.isFinite(v), `${key} = ${v}`).toBe(true);
  }
}

const errorsSeen = new Map<string, number>();
const tally = (key: string) => errorsSeen.set(key, (errorsSeen.get(key) ?? 0) + 1);

/**
 * The notebook the run starts from: the one-click standard preprocessing; default steps added
 * with their columns left empty (each picks its columns by type); or the same recipe as standard
 * preprocessing with every column of a type named explicitly, as a user picks them (mostly-missing
 * and constant columns included).
 */
const NOTEBOOKS = {
  standard: null,
  explicit: null,
  enriched: null,
  defaults: ['SimpleImputer', 'OneHotEncoder', 'StandardScaler'],
  ordinal: ['SimpleImputer', 'OrdinalEncoder', 'StandardScaler'],
  marked: ['MarkMissing', 'SimpleImputer', 'OneHotEncoder', 'StandardScaler'],
} as const;
type Start = keyof typeof NOTEBOOKS;
const startArb = fc.constantFrom<Start>(
  'standard',
  'standard',
  'enriched',
  'explicit',
  'defaults',
  'ordinal',
  'marked',
);

async function startingSteps(start: Start, datasetId: string, t: MessyTable): Promise<StepSpec[]> {
  const names = NOTEBOOKS[start];
  if (names) return names.map((step, i) => toStep({ step, params: {} }, `d${i}`));
  if (start === 'explicit') {
    const info = (await engine.datasets()).find((d) => d.id === datasetId)!;
    const of = (...types: string[]) =>
      info.columns.filter((c) => c.name !== t.target && types.includes(c.type)).map((c) => c.name);
    const numbers = of('integer', 'float');
    const categories = of('categorical');
    const steps: StepSuggestion[] = [];
    if (numbers.length > 0)
      steps.push(
        { step: 'SimpleImputer', params: { strategy: 'median' }, columns: numbers },
        { step: 'StandardScaler', params: {}, columns: numbers },
      );
    if (categories.length > 0)
      steps.push(
        { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: categories },
        { step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: categories },
      );
    return steps.map((s, i) => toStep(s, `e${i}`));
  }
  const standard = await engine.standardPreprocessing(datasetId, { target: t.target });
  const steps = standard.steps.map((s, i) => toStep(s, `s${i}`));
  if (start === 'standard') return steps;
  // Enriched: first the steps standard preprocessing names for what it leaves out (DateParts,
  // TextFeatures, MissingIndicator), as the Train tab's buttons add them, then standard
  // preprocessing of what they produce.
  const extra = standard.left.flatMap((l, i) => (l.fix ? [toStep(l.fix, `x${i}`)] : []));
  const nb = notebook(t, extra);
  const after = await engine.standardPreprocessing(datasetId, { target: t.target, notebook: nb });
  return [...extra, ...after.steps.map((s, i) => toStep(s, `s${i}`))];
}

interface Finished {
  table: MessyTable;
  datasetId: string;
  steps: StepSpec[];
  /** The successful run, or null when the data ended in a TERMINAL error. */
  run: ExperimentResult | null;
}

/**
 * Properties 1 and 2 for one loaded table: the run, then the run after each offered fix (the
 * `pick`-th of a failure's fixes, so every fix gets exercised), until it succeeds.
 */
async function runWithFixes(t: MessyTable, datasetId: string, start: Start, pick: number): Promise<Finished> {
  let steps = await startingSteps(start, datasetId, t);
  const seen: string[] = [];
  for (let round = 0; ; round++) {
    const outcome = await train(datasetId, t, steps);
    if ('ok' in outcome) {
      checkMetrics(outcome.ok, t);
      tally(`${start}: ${round === 0 ? 'ok' : `ok after ${round} fix(es)`}`);
      return { table: t, datasetId, steps, run: outcome.ok };
    }
    const { message } = outcome.error;
    expect(seen, `the fix did not help: ${message}`).not.toContain(message);
    seen.push(message);
    const fix = checkError(outcome.error, steps);
    tally(`${start}: ${outcome.error.name}: ${message.replace(/"[^"]*"|\d+/g, '…')}`);
    if (!fix) return { table: t, datasetId, steps, run: null };
    expect(round, `still failing after ${MAX_FIXES} fixes: ${message}`).toBeLessThan(MAX_FIXES);
    const id = `fix${round}`;
    if (fix.kind === 'step') {
      const offered = fix.detail.fixes;
      steps = applyFix(steps, offered[(pick + round) % offered.length]!, id);
    } else {
      steps = applyNotebookFix(steps, fix.fix, id);
    }
  }
}

async function withTable<T>(
  spec: MessySpec,
  use: (t: MessyTable, datasetId: string) => Promise<T>,
): Promise<T> {
  const t = messyTable(spec);
  const info = await engine.loadBytes(t.bytes, t.fileName);
  try {
    return await use(t, info.id);
  } finally {
    await engine.removeDataset(info.id);
  }
}

/** Parity tolerances of the corpus test: 1 percentage point for accuracy and macro F1, 2 %
 * relative for R², MAE and RMSE. */
function sameMetrics(run: ExperimentResult, t: MessyTable, theirs: Record<string, number>): void {
  for (const key of METRICS[t.task]) {
    const mine = run.models[0]!.metrics[key]!.mean;
    const tolerance = t.task === 'classification' ? 0.01 : 0.02 * Math.abs(theirs[key]!);
    expect(
      Math.abs(mine - theirs[key]!),
      `${key}: Benchtop ${mine}, scikit-learn ${theirs[key]}`,
    ).toBeLessThanOrEqual(tolerance);
  }
}

/**
 * Tables for the Python comparison also get one complete continuous column. Without one, rows
 * share a handful of one-hot inputs and two classes can be exactly as likely for them: then the
 * last bits of each library's optimiser decide the prediction (seen: 2 of 30 rows flipped), which
 * says nothing about the export.
 */
const pythonSpecArb = messySpecArb.map((spec) => ({
  ...spec,
  columns: [...spec.columns, { kind: 'number' as const, exponent: 0, integer: false, missing: 0 }],
}));

describe('messy tables through the one-click path', { timeout: 600_000 }, () => {
  afterAll(() => {
    const lines = [...errorsSeen]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `  ${String(v).padStart(4)}  ${k}`);
    console.log(`Outcomes:\n${lines.join('\n')}`);
  });

  it('train succeeds with finite metrics, or fails naming fold, step and value with a fix that works', async () => {
    await fc.assert(
      fc.asyncProperty(messySpecArb, startArb, fc.nat(), (spec, start, pick) =>
        withTable(spec, (t, id) => runWithFixes(t, id, start, pick)).then(() => undefined),
      ),
      { seed: FUZZ_SEED, numRuns: runs(400) },
    );
  });

  // The script runs with Debian's scikit-learn and pandas; without them there is nothing to
  // compare the metrics with (CI installs python3-sklearn and python3-pandas).
  it.skipIf(!HAS_SKLEARN)('the exported Python script reproduces the metrics of the fixed run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-messy-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    await fc.assert(
      fc.asyncProperty(pythonSpecArb, startArb, fc.nat(), (spec, start, pick) =>
        withTable(spec, async (t, id) => {
          const { steps, run } = await runWithFixes(t, id, start, pick);
          if (!run) return;
          const script = await engine.exportPython(id, {
            notebook: notebook(t, steps),
            target: t.target,
            model: { name: MODEL[t.task], params: {} },
            split: SPLIT[t.task],
            seed: SEED,
            csvFile: t.fileName,
          });
          const file = join(dir, t.fileName);
          writeFileSync(file, t.bytes);
          const out = runPython(script, file);
          expect(out.folds).toHaveLength(5);
          sameMetrics(run, t, out.metrics);
        }),
      ),
      { seed: FUZZ_SEED, numRuns: runs(10) },
    );
  });
});
