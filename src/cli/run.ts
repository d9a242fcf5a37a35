/**
 * `benchtop run <notebook | link> [data]`: the notebook and its training experiment, exactly as the
 * Train tab runs them (the same TrainSpec from the same document, src/protocol/train-spec.ts), on the
 * in-process engine. Metrics on stdout; with --out, every file the Export tab offers per model:
 * the .benchtop artifact, the predictions CSV, the HTML report and the Python script, plus
 * metrics.json with everything the run reported.
 */
import { EngineError } from '../core/errors';
import type { BackendInfo, DatasetInfo, ExperimentResult, ExportSpec, ModelRunResult } from '../protocol/api';
import { DEFAULT_SETTINGS, declaredTask, trainSpecOf } from '../protocol/train-spec';
import { encodeNotebookLink } from '../spec/link';
import type { Notebook } from '../spec/notebook';
import { intOption, parse, positionalCount, stringOption, UsageError } from './args';
import type { CliContext } from './context';
import { fileSlug, outDir, writeOut } from './files';
import { fingerprintWarning, loadData, readNotebookArg } from './inputs';
import { renderReport } from './report';
import { metricsText } from './table';

export const RUN_OPTIONS = {
  out: { type: 'string' },
  target: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface OutputNote {
  model: string;
  kind: 'artifact' | 'predictions' | 'report' | 'python';
  file: string | null;
  /** Why a file was not written (e.g. the Python export has no twin for the model). */
  skipped?: string;
}

/** The run as JSON (stdout with --json, and metrics.json): plain data, stable keys. */
export function runJson(
  e: ExperimentResult,
  context: {
    notebook: Notebook;
    source: string;
    dataset: DatasetInfo;
    backend: BackendInfo;
    outputs: OutputNote[];
  },
) {
  return {
    benchtop: 'run',
    notebook: { source: context.source, title: context.notebook.title ?? null, seed: context.notebook.seed },
    dataset: {
      name: context.dataset.name,
      rows: context.dataset.rows,
      columns: context.dataset.columns.length,
      fingerprint: context.dataset.fingerprint ?? null,
    },
    target: e.target,
    task: e.task,
    features: e.features,
    classes: e.classes,
    split: e.split,
    seed: e.seed,
    rows: e.rows,
    folds: e.folds,
    primary: e.primary,
    backend: context.backend,
    models: e.models.map((m) => ({
      label: m.label,
      name: m.name,
      params: m.params,
      changed: m.changed,
      backend: m.backend,
      fitMs: m.fitMs,
      metrics: m.metrics,
      foldMetrics: m.foldMetrics,
    })),
    comparisons: e.comparisons,
    splitReport: { warnings: e.splitReport.warnings },
    outputs: context.outputs,
  };
}

function backendLine(b: BackendInfo, e: ExperimentResult): string {
  const models = e.models.map((m) => `${m.label} on ${m.backend}`).join(', ');
  return `backend: Node, kernels ${b.kernels}, tfjs ${b.tfjs}${b.fallbacks.length ? ` (${b.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')})` : ''}; ${models}`;
}

export async function runCommand(args: string[], ctx: CliContext): Promise<number> {
  const p = parse(args, RUN_OPTIONS);
  positionalCount(p, 'run', ['notebook | link', 'data file'], 1);
  const seed = intOption(p, 'seed', 0, 4294967295);
  const target = stringOption(p, 'target');
  const { engine, io, progress } = ctx;
  const knownSteps = new Set((await engine.stepCatalog()).map((s) => s.name));
  const input = await readNotebookArg(p.positionals[0]!, io.cwd, knownSteps);
  for (const w of input.warnings) progress.note(`note: ${w}`);
  const notebook: Notebook = {
    ...input.notebook,
    ...(seed !== undefined ? { seed } : {}),
    ...(target !== undefined ? { target: target === '' ? null : target } : {}),
  };
  const out = stringOption(p, 'out');
  const dir = out !== undefined ? await outDir(io.cwd, out) : null;

  const dataset = await loadData(engine, p.positionals[1], notebook, io.cwd, ctx.job(), (text) =>
    progress.note(text),
  );
  progress.note(
    `loaded ${dataset.name}: ${dataset.rows.toLocaleString('en-US')} rows × ${dataset.columns.length} columns`,
  );
  const mismatch = fingerprintWarning(notebook, dataset);
  if (mismatch) progress.note(mismatch);
  if (target && !dataset.columns.some((c) => c.name === target)) {
    throw new UsageError(
      `--target "${target}" is not a column of ${dataset.name} (columns: ${dataset.columns.map((c) => c.name).join(', ')}).`,
    );
  }

  // The notebook on its own first: a failing step is reported by name before any training.
  const ran = await engine.runNotebook(dataset.id, notebook, ctx.job());
  for (const s of ran.steps) {
    if (s.status === 'error') {
      const err = s.error;
      throw new EngineError(
        err?.name ?? 'InternalError',
        `Step ${s.step} (${s.id}) failed: ${err?.message ?? 'no message'}`,
        err?.detail ?? {},
      );
    }
  }
  progress.note(
    `notebook: ${ran.steps.length} step${ran.steps.length === 1 ? '' : 's'}${ran.steps.length ? ` (${ran.steps.map((s) => `${s.step} ${s.status}`).join(', ')})` : ''} → ${ran.output.rows.toLocaleString('en-US')} rows × ${ran.output.columns.length} columns`,
  );

  const settings = notebook.train ?? DEFAULT_SETTINGS;
  const task = declaredTask(notebook, settings) ?? (await engine.inferTask(dataset.id, notebook.target));
  const experiment = await engine.trainModels(dataset.id, trainSpecOf(notebook, settings, task), ctx.job());
  const backend = await engine.backendInfo();
  progress.note(backendLine(backend, experiment));

  const outputs = dir ? await writeOutputs(ctx, dir, notebook, dataset, experiment, backend) : [];
  const json = runJson(experiment, { notebook, source: input.source, dataset, backend, outputs });
  if (dir) {
    const file = await writeOut(dir, 'metrics.json', `${JSON.stringify(json, null, 2)}\n`);
    progress.note(`wrote ${file}`);
  }
  progress.clear();
  io.stdout.write(p.values.json ? `${JSON.stringify(json, null, 2)}\n` : `${metricsText(experiment)}\n`);
  return 0;
}

/** The Export tab's files for every model of the run: each fitted on every row, like "Deploy". */
async function writeOutputs(
  ctx: CliContext,
  dir: string,
  notebook: Notebook,
  dataset: DatasetInfo,
  e: ExperimentResult,
  backend: BackendInfo,
): Promise<OutputNote[]> {
  const { engine, progress } = ctx;
  const link = await encodeNotebookLink(notebook).catch(() => null);
  const notes: OutputNote[] = [];
  const wrote = (model: string, kind: OutputNote['kind'], file: string) => {
    notes.push({ model, kind, file });
    progress.note(`wrote ${file}`);
  };
  for (const run of e.models) {
    const slug = fileSlug(run.label);
    const spec = exportSpec(notebook, e, run, link);
    const deployed = await engine.deployModel(dataset.id, spec, ctx.job());
    wrote(
      run.label,
      'artifact',
      await writeOut(dir, `${slug}.benchtop`, await engine.artifactBundle(deployed.id)),
    );
    wrote(
      run.label,
      'predictions',
      await writeOut(
        dir,
        `${slug}.predictions.csv`,
        await engine.predictionsCsv(deployed.id, dataset.id, ctx.job()),
      ),
    );
    const html = await renderReport({ run, experiment: e, dataset, notebook, notebookLink: link, backend });
    wrote(run.label, 'report', await writeOut(dir, `${slug}.report.html`, html));
    try {
      const { notebookLink: _link, metrics: _metrics, ...rest } = spec;
      const script = await engine.exportPython(dataset.id, {
        ...rest,
        split: e.split,
        seed: e.seed,
        csvFile: csvName(dataset),
      });
      wrote(run.label, 'python', await writeOut(dir, `${slug}.py`, script));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      notes.push({ model: run.label, kind: 'python', file: null, skipped: message });
      progress.note(`note: no Python script for ${run.label}: ${message}`);
    }
    await engine.removeDeployed(deployed.id);
  }
  return notes;
}

/** What the Export tab deploys for a run (state/train.ts deploySpec): the run's target, task, features and parameters. */
function exportSpec(
  notebook: Notebook,
  e: ExperimentResult,
  run: ModelRunResult,
  link: string | null,
): ExportSpec {
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(run.metrics)) metrics[k] = v.mean;
  return {
    notebook,
    target: e.target,
    task: e.task,
    features: [...e.features],
    model: { name: run.name, params: { ...run.changed } },
    notebookLink: link,
    metrics,
  };
}

/** The CSV the Python script reads by default: the data file itself when it is a CSV. */
function csvName(d: DatasetInfo): string {
  if (d.source.kind === 'sample') return `${d.source.sample}.csv`;
  const name = d.source.kind === 'file' ? d.source.name : d.name;
  return /\.csv$/i.test(name) ? name : `${name.replace(/\.[^.]*$/, '')}.csv`;
}
