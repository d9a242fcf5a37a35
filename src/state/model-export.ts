/**
 * The Export tab's model work: the files of a deployed model (one .benchtop file, or .json + .bin),
 * the Python and Dask scripts of a run, the predictions CSV of a dataset, and scoring new data (drift per
 * column, a preview, the CSV). Everything heavy runs in the worker as a job with progress and
 * cancel; a failure becomes a message on its section and changes nothing else — models and
 * datasets stay as they were.
 */
import { createStore, reconcile } from 'solid-js/store';
import { EngineError } from '../core/errors';
import type {
  DaskExportSpec,
  DatasetInfo,
  EngineApi,
  JobOptions,
  PythonExportIssue,
  PythonExportSpec,
  ScoreReport,
} from '../protocol/api';
import type { Job } from './client';
import type { DeployFailure } from './deploy';
import { failure } from './failure';
import { copy } from './plain';

export interface ModelExportClient {
  api: Pick<
    EngineApi,
    | 'exportPython'
    | 'exportDask'
    | 'predictionsCsv'
    | 'scoreDataset'
    | 'artifactBundle'
    | 'deployedArtifact'
    | 'loadFile'
  > &
    Partial<Pick<EngineApi, 'pythonExportIssues'>>;
}

export interface ModelExportHost {
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  /** Lists a dataset loaded for scoring without selecting it: the notebook stays on its data. */
  adopt(info: DatasetInfo): void;
}

/** The two places a message can show: the Model section and the Score section. */
export type ExportSection = 'model' | 'score';

interface SectionState {
  /** What is running ("Writing the predictions CSV"), for the section's status line. */
  busy: string | null;
  jobId: string | null;
  error: DeployFailure | null;
}

interface ModelExportState {
  model: SectionState;
  score: SectionState & { report: ScoreReport | null };
}

export type ModelExportStore = ReturnType<typeof createModelExportStore>;

/** A file the user picked, reduced to what importing needs (a File satisfies it). */
export interface PickedFile {
  name: string;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * What to hand importArtifact for the picked files: one .benchtop file alone, or a .json with its
 * .bin. Anything else is refused here, with what to pick instead.
 */
export async function artifactFromFiles(
  files: readonly PickedFile[],
): Promise<{ json: string | Uint8Array; weights?: Uint8Array }> {
  const json = files.filter((f) => /\.json$/i.test(f.name));
  const bin = files.filter((f) => /\.bin$/i.test(f.name));
  const other = files.filter((f) => !json.includes(f) && !bin.includes(f));
  if (files.length === 1 && other.length === 1)
    return { json: new Uint8Array(await other[0]!.arrayBuffer()) };
  if (json.length === 1 && bin.length === 1 && other.length === 0) {
    return { json: await json[0]!.text(), weights: new Uint8Array(await bin[0]!.arrayBuffer()) };
  }
  const names = files.map((f) => f.name).join(', ') || 'no file';
  throw new EngineError('InvalidArgument', `Cannot import ${names} as a model.`, {
    hint:
      json.length === 1 && bin.length === 0
        ? 'Pick the .bin weights file together with the .json (select both in the file dialog).'
        : 'Pick one .benchtop file, or one .json file together with its .bin file.',
  });
}

export function createModelExportStore(client: ModelExportClient, host: ModelExportHost) {
  const idle = (): SectionState => ({ busy: null, jobId: null, error: null });
  const [state, setState] = createStore<ModelExportState>({
    model: idle(),
    score: { ...idle(), report: null },
  });
  const jobs: Partial<Record<ExportSection, Job<unknown>>> = {};

  /** Runs one engine call as a job of `section`; resolves to null on failure or cancel (the message is kept). */
  async function run<T>(
    section: ExportSection,
    label: string,
    call: (job: JobOptions) => Promise<T>,
  ): Promise<T | null> {
    jobs[section]?.cancel();
    const job = host.startJob(label, call);
    jobs[section] = job as Job<unknown>;
    setState(section, { busy: label, jobId: job.id, error: null });
    try {
      return await job.promise;
    } catch (e) {
      if (jobs[section] === (job as Job<unknown>)) {
        const err = failure(e);
        setState(
          section,
          'error',
          err.name === 'Cancelled' ? { ...err, message: `${label}: cancelled.` } : err,
        );
      }
      return null;
    } finally {
      if (jobs[section] === (job as Job<unknown>)) {
        delete jobs[section];
        setState(section, { busy: null, jobId: null });
      }
    }
  }

  return {
    state,
    run,
    cancel(section: ExportSection): void {
      jobs[section]?.cancel();
    },
    setError(section: ExportSection, e: unknown): void {
      setState(section, 'error', e === null ? null : failure(e));
    },
    /** Shows a failure that another store reported (a deploy or an import). */
    setFailure(section: ExportSection, f: DeployFailure): void {
      setState(section, 'error', { ...f });
    },
    dismiss(section: ExportSection): void {
      setState(section, 'error', null);
    },
    /** The model as one .benchtop file. */
    bundle: (modelId: string) =>
      run('model', 'Packing the model file', () => client.api.artifactBundle(modelId)),
    /** The model as its JSON document and its weights. */
    files: (modelId: string) =>
      run('model', 'Reading the model artifact', () => client.api.deployedArtifact(modelId)),
    /** What the Python script cannot reproduce exactly, to say before download (none when the
     * engine cannot tell, e.g. a test double without the call). */
    async pythonIssues(
      datasetId: string,
      spec: Pick<PythonExportSpec, 'notebook' | 'model' | 'target'>,
    ): Promise<PythonExportIssue[]> {
      if (!client.api.pythonExportIssues) return [];
      // A plain copy crosses to the worker (the notebook lives in a store).
      return client.api.pythonExportIssues(datasetId, copy(spec)).catch(() => []);
    },
    pythonScript: (datasetId: string, spec: PythonExportSpec) =>
      run('model', 'Writing the Python script', () => client.api.exportPython(datasetId, spec)),
    /** The Dask script; a step or model without a faithful distributed form comes back as the
     * section's message (naming each), and nothing is downloaded. */
    daskScript: (datasetId: string, spec: DaskExportSpec) =>
      run('model', 'Writing the Dask script', () => client.api.exportDask(datasetId, spec)),
    predictionsCsv: (section: ExportSection, modelId: string, dataset: DatasetInfo) =>
      run(section, `Predicting ${dataset.name} for the CSV`, (job) =>
        client.api.predictionsCsv(modelId, dataset.id, job),
      ),
    /** Scores a dataset; the report replaces the previous one only when it succeeds. */
    async score(modelId: string, dataset: DatasetInfo): Promise<ScoreReport | null> {
      const report = await run('score', `Scoring ${dataset.name}`, (job) =>
        client.api.scoreDataset(modelId, dataset.id, job),
      );
      if (report) setState('score', 'report', reconcile(report));
      return report;
    },
    clearReport(): void {
      setState('score', 'report', null);
    },
    /** Loads a file to score, listed with the datasets but not selected. */
    async loadFile(file: File): Promise<DatasetInfo | null> {
      const info = await run('score', `Loading ${file.name}`, (job) =>
        client.api.loadFile(file, file.name, undefined, job),
      );
      if (info) host.adopt(info);
      return info;
    },
  };
}
