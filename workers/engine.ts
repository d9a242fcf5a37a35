/**
 * createEngine(): the EngineApi as a facade. Each call binds its arguments to a dataset, a deployed
 * model or a job and forwards to the module that does the work — the dataset catalog and storage
 * policy (./datasets), file/URL reading (./ingest), jobs with progress and cancel (./jobs), and the
 * layers in src/ (io, analysis, export). It owns no logic of its own. It runs in the module worker
 * (engine.worker.ts) and in-process in Node (engine.node.ts): the same code, so the same tests.
 */
import { type Table, tableToIPC } from 'apache-arrow';
import { DeployedModels } from '../src/analysis/deploy/deployed';
import { compareRuns, runExperiment, taskFor } from '../src/analysis/experiment/experiment';
import { featurePlanFor, standardPreprocessingAfter } from '../src/analysis/experiment/prepare';
import { compareBaselines, learningCurve, modelCatalog, tuneModel } from '../src/analysis/experiment/search';
import type { EmbedFn } from '../src/analysis/explore/embedding';
import { createExploreSession } from '../src/analysis/explore/session';
import { counterfactual } from '../src/analysis/inspect/counterfactual';
import { partialDependence } from '../src/analysis/inspect/partial-dependence';
import { columnStats } from '../src/analysis/profile/column-stats';
import { qualityReport } from '../src/analysis/quality/quality';
import { predictionsCsv, scoreDataset } from '../src/analysis/score/score';
import { analyzeErrors, errorRows } from '../src/analysis/slices/slices';
import { ownBytes } from '../src/core/buffers';
import { EngineError } from '../src/core/errors';
import type { Progress } from '../src/core/job';
import { daskScript } from '../src/export/dask';
import { pythonExportIssues, pythonScript, pythonSource } from '../src/export/python';
import { type Compute, initCompute } from '../src/gpu/device';
import type { DatasetStore } from '../src/io/opfs';
import { SAMPLES, sampleFile } from '../src/io/samples';
import type { LoadOptions } from '../src/io/types';
import { writeTable } from '../src/io/write';
import { stepCatalog } from '../src/pipeline/registry';
import type { EngineApi } from '../src/protocol/api';
import { packBundle } from '../src/runtime/bundle';
import { withArgumentChecks } from './arguments';
import { createContexts } from './contexts';
import { createCatalog } from './datasets';
import { exploreApi } from './explore';
import { checkSize, DEFAULT_MAX_FILE_BYTES, downloadUrl, readFileBytes } from './ingest';
import { createJobRunner } from './jobs';
import { createKeeper } from './kept';

export interface EngineEnv {
  /** Bytes of a file under public/samples (fetch in the browser, the file system in Node). */
  fetchSample(file: string, signal: AbortSignal): Promise<Uint8Array>;
  /** Picks the compute backends; defaults to initCompute() (WebGPU when present, else CPU). */
  initCompute?: () => Promise<Compute>;
  /** Largest file accepted, in bytes. Beyond it loading stops with OutOfMemory before reading. */
  maxFileBytes?: number;
  /** Where file and URL datasets are kept between sessions (OPFS in the browser); none: memory only. */
  store?: DatasetStore | null;
  /** Start of dataset ids ('ds' → ds1, ds2…). A restarted worker uses a new prefix so that ids
   * held by the UI from the dead worker never name a different dataset in the new one. */
  idPrefix?: string;
}

/** Engine-only calls that are not part of the UI protocol (configuration, test hooks). */
export interface Engine extends EngineApi {
  /** The table itself, for in-process callers (tests, scripts). Never crosses to the UI. */
  table(datasetId: string): Table;
  compute(): Promise<Compute>;
}

export function createEngine(env: EngineEnv): Engine {
  let computePromise: Promise<Compute> | undefined;
  const compute = (): Promise<Compute> => {
    computePromise ??= (env.initCompute ?? (() => initCompute()))();
    return computePromise;
  };
  const catalog = createCatalog({ store: env.store ?? null, idPrefix: env.idPrefix ?? 'ds', compute });
  const get = catalog.get;
  const deployed = new DeployedModels();
  // Deployed models and named slices are kept in browser storage with the datasets.
  const kept = createKeeper(env.store ?? null, deployed, catalog);
  /** A deployed model, once the models of an earlier engine are back. */
  const model = async (modelId: string) => {
    await kept.ready;
    return deployed.get(modelId);
  };
  const jobs = createJobRunner();
  const runJob = jobs.run;
  const maxFileBytes = env.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  /** A file's bytes (opened or dropped, or sent as bytes) into a new dataset named after it. */
  const loadAsFile = (
    bytes: Uint8Array,
    fileName: string,
    options: LoadOptions | undefined,
    signal: AbortSignal,
    progress: (p: Progress) => void,
  ) => catalog.loadBytes(bytes, fileName, { kind: 'file', name: fileName }, options, signal, progress);
  // Explore: linked selection and last embedding per dataset. t-SNE/UMAP load on first use.
  const explore = createExploreSession({
    embed: async () => (await import('../src/models/embedding/embed')).embed as EmbedFn,
  });
  const tableOf = (datasetId: string): Table => get(datasetId).table;

  const { fitArtifact, trainContext, inspectContext } = createContexts(get, compute);

  const engine: Engine = {
    async backendInfo() {
      return (await compute()).info();
    },
    async samples() {
      return SAMPLES.map((s) => ({ ...s }));
    },
    async datasets() {
      return catalog.list();
    },

    // ── Loading: bytes from ./ingest, parsing and keeping in ./datasets ──
    loadFile(file, fileName, options, job) {
      return runJob(job, async (signal, progress) => {
        const bytes = await readFileBytes(file, fileName, maxFileBytes, signal, progress);
        return loadAsFile(bytes, fileName, options, signal, progress);
      });
    },
    loadBytes(bytes, fileName, options, job) {
      return runJob(job, (signal, progress) => {
        checkSize(bytes.byteLength, fileName, maxFileBytes);
        return loadAsFile(bytes, fileName, options, signal, progress);
      });
    },
    loadUrl(url, options, job) {
      return runJob(job, async (signal, progress) => {
        const { bytes, fileName, href } = await downloadUrl(url, maxFileBytes, signal, progress);
        return catalog.loadBytes(bytes, fileName, { kind: 'url', url: href }, options, signal, progress);
      });
    },
    loadSample(name, job) {
      return runJob(job, async (signal, progress) => {
        const file = sampleFile(name);
        const title = SAMPLES.find((s) => s.name === name)?.title ?? name;
        progress({ phase: 'Fetching sample', fraction: null });
        const bytes = await env.fetchSample(file, signal);
        const source = { kind: 'sample', sample: name } as const;
        return catalog.loadBytes(bytes, file, source, { name: title }, signal, progress);
      });
    },
    generateSynthetic(options, job) {
      return runJob(job, (signal, progress) => catalog.addSynthetic(options, signal, progress));
    },
    async removeDataset(id) {
      await catalog.remove(id);
      explore.forget(id);
    },

    // ── Data ──
    async rows(datasetId, start, end) {
      const table = tableOf(datasetId);
      const from = clampInt(start, 0, table.numRows);
      const to = clampInt(end, from, table.numRows);
      return transferable(ownBytes(tableToIPC(table.slice(from, to), 'stream')));
    },
    async setColumnType(datasetId, column, type, dateFormat) {
      return catalog.setColumnType(datasetId, column, type, dateFormat);
    },
    columnStats(datasetId, job) {
      return runJob(job, async (signal, progress) => {
        const { table, info } = get(datasetId);
        return columnStats(table, info.columns, await compute(), signal, progress);
      });
    },
    profile(datasetId, job) {
      return runJob(job, (signal, progress) => catalog.profileOf(get(datasetId), signal, progress));
    },
    qualityReport(datasetId, options, job) {
      return runJob(job, async (signal, progress) => {
        const ds = get(datasetId);
        const profiles = await catalog.profileOf(ds, signal, progress);
        progress({ phase: 'Checking quality', fraction: null });
        if (options?.target && !ds.table.schema.fields.some((f) => f.name === options.target)) {
          throw new EngineError(
            'NotFound',
            `The target column "${options.target}" is not in "${ds.info.name}".`,
          );
        }
        return qualityReport(ds.table, profiles, options ?? {}, signal);
      });
    },
    async stepCatalog() {
      return stepCatalog();
    },

    standardPreprocessing(datasetId, options, job) {
      return runJob(job, async (signal) => {
        const ds = get(datasetId);
        const ctx = {
          table: ds.table,
          dataKey: `${datasetId}@${ds.version}`,
          compute: await compute(),
          signal,
        };
        return standardPreprocessingAfter(ctx, options?.notebook ?? null, options?.target ?? null);
      });
    },
    runNotebook(datasetId, notebook, job) {
      return runJob(job, (signal, progress) => catalog.runNotebook(datasetId, notebook, signal, progress));
    },

    // ── Training (issue 6): src/analysis/experiment does the work; these only bind a dataset and a job. ──
    async modelCatalog() {
      return modelCatalog();
    },
    async inferTask(datasetId, target) {
      return taskFor(tableOf(datasetId), { target });
    },

    featurePlan(datasetId, spec, job) {
      return runJob(job, async (s, p) => featurePlanFor(await trainContext(datasetId, s, p), spec));
    },

    trainModels(datasetId, spec, job) {
      return runJob(job, async (s, p) => runExperiment(await trainContext(datasetId, s, p), spec));
    },
    compareBaselines(datasetId, spec, job) {
      return runJob(job, async (s, p) => compareBaselines(await trainContext(datasetId, s, p), spec));
    },
    learningCurve(datasetId, spec, job) {
      return runJob(job, async (s, p) => learningCurve(await trainContext(datasetId, s, p), spec));
    },
    async compareRuns(a, b, options) {
      return compareRuns(a, b, options);
    },
    errorAnalysis(datasetId, spec, job) {
      return runJob(job, async (s, p) => analyzeErrors(await trainContext(datasetId, s, p), spec));
    },
    async errorRows(datasetId, spec, query) {
      const ctx = await trainContext(datasetId, new AbortController().signal, () => undefined);
      return transferable(await errorRows(ctx, spec, query));
    },
    tuneModel(datasetId, spec, job) {
      return runJob(job, async (s, p) => tuneModel(await trainContext(datasetId, s, p), spec));
    },

    // ── Export for deployment (issue 7): src/export does the work. ──
    exportArtifact(datasetId, spec, job) {
      return runJob(job, async (signal, progress) => {
        const { json, weights } = await fitArtifact(datasetId, spec, signal, progress);
        return { json, weights: transferable(weights) };
      });
    },
    exportPython(datasetId, spec) {
      return runJob(undefined, async (signal) => {
        const ds = get(datasetId);
        return pythonScript(ds.table, spec, signal, pythonSource(ds.info.report));
      });
    },
    async pythonExportIssues(datasetId, spec) {
      return pythonExportIssues(spec, pythonSource(get(datasetId).info.report));
    },
    exportDask(datasetId, spec) {
      return runJob(undefined, async (signal) =>
        daskScript(tableOf(datasetId), spec, signal, pythonSource(get(datasetId).info.report)),
      );
    },
    exportDataset(datasetId, format, job) {
      return runJob(job, async (signal, progress) => {
        progress({ phase: `Writing ${String(format).toUpperCase()}`, fraction: null });
        return transferable(ownBytes(await writeTable(tableOf(datasetId), format, signal)));
      });
    },

    // ── Prototype and scoring (issue 7): src/analysis/deploy holds the models; benchtop-runtime predicts. ──
    deployModel(datasetId, spec, job) {
      return runJob(job, async (signal, progress) => {
        const { json, weights } = await fitArtifact(datasetId, spec, signal, progress);
        await kept.ready;
        const info = deployed.add(json, weights, 'fitted', tableOf(datasetId), datasetId);
        await kept.modelAdded(info);
        return info;
      });
    },
    async importArtifact(json, weights) {
      await kept.ready;
      const info = deployed.import(json, weights);
      await kept.modelAdded(info);
      return info;
    },
    async deployedModels() {
      await kept.ready;
      return kept.list();
    },
    async removeDeployed(modelId) {
      await kept.ready;
      deployed.remove(modelId);
      await kept.modelRemoved(modelId);
    },
    async deployedArtifact(modelId) {
      const m = await model(modelId);
      return { json: m.json, weights: transferable(m.weights.slice()) };
    },
    predictRows(modelId, rows) {
      return runJob(undefined, async () => {
        await kept.ready;
        return deployed.predictRows(modelId, rows);
      });
    },
    async artifactBundle(modelId) {
      const m = await model(modelId);
      return transferable(packBundle(m.json, m.weights));
    },
    scoreDataset(modelId, datasetId, job) {
      return runJob(job, async (signal, progress) => {
        const { table, info } = get(datasetId);
        const context = { signal, progress, datasetName: info.name };
        return scoreDataset(await model(modelId), table, { modelId, datasetId }, context);
      });
    },
    predictionsCsv(modelId, datasetId, job) {
      return runJob(job, async (signal, progress) => {
        const { table, info } = get(datasetId);
        const context = { signal, progress, datasetName: info.name };
        return transferable(await predictionsCsv(await model(modelId), table, context));
      });
    },
    partialDependence(modelId, datasetId, feature, options, job) {
      return runJob(job, async (signal, progress) => {
        const { predictor } = await model(modelId);
        progress({ phase: `Partial dependence of ${feature}`, fraction: 0 });
        const context = await inspectContext(signal, progress);
        return partialDependence(predictor, tableOf(datasetId), feature, options ?? {}, context);
      });
    },
    counterfactual(modelId, row, options, job) {
      return runJob(job, async (signal, progress) => {
        const { predictor } = await model(modelId);
        return counterfactual(predictor, row, options ?? {}, await inspectContext(signal, progress));
      });
    },

    // ── Browser storage: ./datasets keeps the policy ──
    storedDatasets() {
      return catalog.stored();
    },
    restoreDataset(fingerprint, job) {
      return runJob(job, (signal, progress) => catalog.restore(fingerprint, signal, progress));
    },
    deleteStored(fingerprint) {
      return catalog.deleteStored(fingerprint);
    },
    storageEstimate() {
      return catalog.storageEstimate();
    },

    // ── Explore (issue 5): ./explore forwards to src/analysis/explore ──
    ...exploreApi({ explore, catalog, runJob, compute, slices: kept, transfer: (v) => transferable(v) }),

    async cancel(jobId) {
      jobs.cancel(jobId);
    },
    table: tableOf,
    compute,
  };
  return withArgumentChecks(engine);
}

/** Marks a result's whole-buffer typed arrays for transfer when it crosses comlink (the worker
 * sets it: workers/engine.worker.ts); a no-op in-process. */
let transferable = <T>(value: T): T => value;
export function setTransfer(fn: <T>(value: T) => T): void {
  transferable = fn;
}

function clampInt(v: number, lo: number, hi: number): number {
  const n = Number.isFinite(v) ? Math.trunc(v) : lo;
  return Math.min(hi, Math.max(lo, n));
}
