/**
 * The files the Export tab offers for a run or a model, each a download: the model (.benchtop, or
 * .json + .bin), the Python and Dask scripts, a dataset's predictions CSV and the HTML report.
 * Every failure is shown in the section that asked (store.setFailure/setError), never thrown.
 */
import { unwrap } from 'solid-js/store';
import type { DatasetInfo, DeployedModelInfo, ExperimentResult } from '../../protocol/api';
import { runReportHtml } from '../../report/report';
import type { ExportSection, ModelExportStore } from '../../state/model-export';
import type { NotebookStore } from '../../state/notebook';
import { copy } from '../../state/plain';
import type { TrainRun, TrainStore } from '../../state/train';
import { shareUrl } from '../../state/url-sync';
import type { Workbench } from '../../state/workbench';
import { download } from './download';
import { fileSafe, isFailure, type ModelChoices } from './model-choice';

/** The deployed model of a choice, or null with the message shown in `section`. */
export async function resolveChoice(
  store: ModelExportStore,
  choices: ModelChoices,
  choice: string,
  section: ExportSection,
): Promise<DeployedModelInfo | null> {
  store.dismiss(section);
  const info = await choices.resolve(choice);
  if (!isFailure(info)) return info;
  store.setFailure(section, info);
  return null;
}

/** Every row of `d` with the model's prediction, as "<data>-predictions-<model>.csv". */
export async function downloadPredictions(
  store: ModelExportStore,
  section: ExportSection,
  info: DeployedModelInfo | null,
  d: DatasetInfo,
  modelFileName: () => string,
): Promise<void> {
  const bytes = info && (await store.predictionsCsv(section, info.id, d));
  if (bytes) {
    download(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/csv' }),
      `${fileSafe(d.name)}-predictions-${modelFileName()}.csv`,
    );
  }
}

/** What the Model section's downloads read, as accessors: the current choice when each step runs. */
export interface ModelFilesContext {
  store: ModelExportStore;
  choices: ModelChoices;
  train: TrainStore | undefined;
  nb: NotebookStore;
  wb: Workbench;
  choice: () => string;
  run: () => TrainRun | null;
  experiment: () => ExperimentResult | null;
  dataset: () => DatasetInfo | null;
}

const fileName = (ctx: ModelFilesContext) => ctx.choices.fileName(ctx.choice());
const resolved = (ctx: ModelFilesContext) => resolveChoice(ctx.store, ctx.choices, ctx.choice(), 'model');

export async function downloadBundle(ctx: ModelFilesContext): Promise<void> {
  const info = await resolved(ctx);
  const bytes = info && (await ctx.store.bundle(info.id));
  if (bytes) download(new Blob([bytes as Uint8Array<ArrayBuffer>]), `${fileName(ctx)}.benchtop`);
}

export async function downloadFiles(ctx: ModelFilesContext): Promise<void> {
  const info = await resolved(ctx);
  const files = info && (await ctx.store.files(info.id));
  if (!files) return;
  const name = fileName(ctx);
  download(new Blob([files.json], { type: 'application/json' }), `${name}.json`);
  download(new Blob([files.weights as Uint8Array<ArrayBuffer>]), `${name}.bin`);
}

/** The file a script reads by default: the dataset's own CSV, else the CSV the Data section exports. */
function csvFile(d: DatasetInfo): string {
  const source = d.source;
  if (source.kind === 'sample') return `${source.sample}.csv`;
  if (source.kind === 'file' && /\.csv$/i.test(source.name)) return source.name;
  return `${fileSafe(source.kind === 'file' ? source.name : d.name, 'data')}.csv`;
}

/** The run, its experiment, its deploy spec and the dataset, when a script can be written. */
function scriptInputs(ctx: ModelFilesContext) {
  const r = ctx.run();
  const e = ctx.experiment();
  const spec = r && ctx.train?.deploySpec(r.id);
  const d = ctx.dataset();
  return r && e && spec && d ? { e, spec, d } : null;
}

export async function downloadPython(ctx: ModelFilesContext): Promise<void> {
  const inputs = scriptInputs(ctx);
  if (!inputs) return;
  const { e, spec, d } = inputs;
  const { notebookLink: _link, metrics: _metrics, ...rest } = spec;
  ctx.store.dismiss('model');
  // The split is part of a store: a plain copy crosses to the worker.
  const split = copy(e.split);
  const script = await ctx.store.pythonScript(d.id, { ...rest, split, seed: e.seed, csvFile: csvFile(d) });
  if (script) download(new Blob([script], { type: 'text/x-python' }), `${fileName(ctx)}.py`);
}

export async function downloadDask(ctx: ModelFilesContext): Promise<void> {
  const inputs = scriptInputs(ctx);
  if (!inputs) return;
  const { e, spec, d } = inputs;
  ctx.store.dismiss('model');
  // Plain copies cross to the worker; the columns each step reads are resolved on this dataset.
  const { split, model } = copy({ split: e.split, model: spec.model });
  const script = await ctx.store.daskScript(d.id, {
    notebook: spec.notebook,
    target: spec.target,
    ...(spec.task ? { task: spec.task } : {}),
    models: [model],
    split,
    seed: e.seed,
    dataFile: csvFile(d),
  });
  if (script) download(new Blob([script], { type: 'text/x-python' }), `${fileName(ctx)}-dask.py`);
}

export async function downloadModelPredictions(ctx: ModelFilesContext): Promise<void> {
  const d = ctx.dataset();
  if (!d) return;
  const info = await resolved(ctx);
  await downloadPredictions(ctx.store, 'model', info, d, () => fileName(ctx));
}

/** One HTML file that opens offline: the run's metrics, charts and parameters. */
export async function downloadReport(ctx: ModelFilesContext): Promise<void> {
  const r = ctx.run();
  const e = ctx.experiment();
  if (!r || !e) return;
  ctx.store.dismiss('model');
  const notebook = structuredClone(unwrap(ctx.nb.state.notebook));
  let link: string | null = null;
  try {
    link = await shareUrl(notebook, location.href);
  } catch {
    link = null;
  }
  try {
    const html = runReportHtml({
      run: r.model,
      experiment: e,
      dataset: ctx.dataset(),
      notebook,
      notebookLink: link,
      backend: ctx.wb.state.backend,
      importance: ctx.train?.state.importance[r.id] ?? null,
      createdAt: new Date(),
    });
    download(new Blob([html], { type: 'text/html' }), `${fileName(ctx)}-report.html`);
  } catch (err) {
    ctx.store.setError('model', err);
  }
}
