/**
 * createEngine(): the EngineApi on top of src/data (readers, samples, synthetic data) and src/gpu
 * (compute backends and kernels). It owns every Arrow table; the UI only ever receives windows of
 * rows (Arrow IPC bytes) and small JSON summaries. It runs in the module worker
 * (engine.worker.ts) and in-process in Node (engine.node.ts) — the same code, so the same tests.
 */
import { type Data, DataType, type Table, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import { DeployedModels } from '../src/analysis/deploy/deployed';
import {
  compareRuns,
  type ExperimentContext,
  runExperiment,
  taskFor,
} from '../src/analysis/experiment/experiment';
import { featurePlanFor } from '../src/analysis/experiment/prepare';
import { compareBaselines, learningCurve, modelCatalog, tuneModel } from '../src/analysis/experiment/search';
import type { EmbedFn } from '../src/analysis/explore/embedding';
import { createExploreSession } from '../src/analysis/explore/session';
import { counterfactual, partialDependence } from '../src/analysis/inspect/inspect';
import { profileTable } from '../src/analysis/profile/profile';
import type { ColumnProfile } from '../src/analysis/profile/types';
import { qualityReport } from '../src/analysis/quality/quality';
import { predictionsCsv, scoreDataset } from '../src/analysis/score/score';
import { analyzeErrors, errorRows } from '../src/analysis/slices/slices';
import { ownBytes } from '../src/core/buffers';
import { EngineError, throwIfAborted, toEngineError } from '../src/core/errors';
import { type ColumnType, isColumnType, TYPE_METADATA_KEY } from '../src/core/types';
import { buildArtifact } from '../src/export/artifact';
import { pythonExportIssues, pythonScript, pythonSource } from '../src/export/python';
import { type Compute, initCompute } from '../src/gpu/device';
import { colStatsAll } from '../src/gpu/kernels/colstats/colstats';
import { INFERRED_METADATA_KEY } from '../src/io/build';
import { castColumn } from '../src/io/cast';
import { fingerprintBytes, fingerprintOf } from '../src/io/fingerprint';
import { type DatasetStore, isQuotaError, type StoredEntry } from '../src/io/opfs';
import { readTableWithReport } from '../src/io/read';
import { SAMPLES, sampleFile } from '../src/io/samples';
import { syntheticTableAsync } from '../src/io/synthetic';
import { writeTable } from '../src/io/write';
import { NotebookPlanner } from '../src/pipeline/plan';
import { stepCatalog } from '../src/pipeline/registry';
import { columnFacts, standardPreprocessing } from '../src/pipeline/standard';
import type {
  BackendInfo,
  ColumnInfo,
  ColumnStats,
  DatasetInfo,
  DatasetSource,
  DatasetStorage,
  EngineApi,
  ExportSpec,
  JobOptions,
  LoadOptions,
  LoadReport,
  Progress,
  SampleInfo,
  StepInfo,
  SyntheticOptions,
} from '../src/protocol/api';
import { packBundle, unpackBundle } from '../src/runtime/bundle';

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

interface Dataset {
  info: DatasetInfo;
  table: Table;
  inferred: Map<string, ColumnType>;
  /** Bumped whenever the table changes in place (a column re-typed), invalidating notebook caches. */
  version: number;
  profile?: { version: number; columns: ColumnProfile[] };
  planner?: NotebookPlanner;
  /** Column types of the copy in browser storage; the user's later changes are kept as overrides. */
  storedTypes?: Map<string, ColumnType>;
}

/** Chrome caps a single ArrayBuffer at a few GiB, and the parsed table needs room too. */
const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
const PROGRESS_INTERVAL_MS = 100;

export function createEngine(env: EngineEnv): Engine {
  const datasets = new Map<string, Dataset>();
  const deployed = new DeployedModels();
  const jobs = new Map<string, AbortController>();
  let nextId = 1;
  let computePromise: Promise<Compute> | undefined;
  const maxFileBytes = env.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // Explore: linked selection and last embedding per dataset. t-SNE/UMAP load on first use.
  const explore = createExploreSession({
    embed: async () => (await import('../src/models/embedding/embed')).embed as EmbedFn,
  });

  const compute = (): Promise<Compute> => {
    computePromise ??= (env.initCompute ?? (() => initCompute()))();
    return computePromise;
  };

  /** Runs `work` as a cancellable job reporting throttled progress. */
  async function runJob<T>(
    job: JobOptions | undefined,
    work: (signal: AbortSignal, progress: (p: Progress) => void) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    if (job) jobs.set(job.id, controller);
    let last = 0;
    const progress = (p: Progress): void => {
      const now = Date.now();
      if (!job?.onProgress || (now - last < PROGRESS_INTERVAL_MS && p.fraction !== 1)) return;
      last = now;
      void Promise.resolve(job.onProgress(p)).catch(() => undefined);
    };
    try {
      return await work(controller.signal, progress);
    } catch (e) {
      if (controller.signal.aborted) throw new EngineError('Cancelled', 'The job was cancelled.');
      throw toEngineError(e);
    } finally {
      if (job) {
        jobs.delete(job.id);
        job.release?.();
      }
    }
  }

  /** The notebook and a model fitted on every row of a dataset, as an artifact (JSON + weights). */
  async function fitArtifact(
    datasetId: string,
    spec: ExportSpec,
    signal: AbortSignal,
    progress: (p: Progress) => void,
  ): Promise<{ json: string; weights: Uint8Array }> {
    const ds = get(datasetId);
    const c = await compute();
    progress({ phase: 'Fitting the notebook and the model on every row', fraction: null });
    return buildArtifact(ds.table, spec, {
      dataKey: `${datasetId}@${ds.version}`,
      compute: c,
      signal,
      backend: c.info().kernels,
    });
  }

  function get(id: string): Dataset {
    const ds = datasets.get(id);
    if (!ds) throw new EngineError('NotFound', `No dataset with id "${id}" is loaded.`);
    return ds;
  }

  function addDataset(
    table: Table,
    name: string,
    source: DatasetSource,
    fileBytes: number,
    report: LoadReport,
    fingerprint: string,
    id = `${env.idPrefix ?? 'ds'}${nextId++}`,
  ) {
    if (table.numCols === 0) {
      throw new EngineError('SchemaError', `"${name}" has no columns.`, { file: name });
    }
    const inferred = new Map<string, ColumnType>();
    for (const f of table.schema.fields) {
      // A type forced at load time keeps what inference would have chosen in the field metadata.
      const guess = f.metadata.get(INFERRED_METADATA_KEY);
      inferred.set(f.name, isColumnType(guess) ? guess : columnTypeOf(table, f.name));
    }
    const ds: Dataset = {
      table,
      inferred,
      version: 0,
      info: { ...datasetInfo(id, name, source, table, fileBytes, report, inferred), fingerprint },
    };
    datasets.set(id, ds);
    return ds.info;
  }

  async function loadBytesAs(
    bytes: Uint8Array,
    fileName: string,
    source: DatasetSource,
    options: LoadOptions | undefined,
    signal: AbortSignal,
    progress: (p: Progress) => void,
  ): Promise<DatasetInfo> {
    const { table, report } = await readTableWithReport(bytes, fileName, {
      ...options,
      signal,
      onProgress: progress,
    });
    throwIfAborted(signal);
    const info = addDataset(
      table,
      options?.name ?? fileName,
      source,
      bytes.byteLength,
      report,
      fingerprintBytes(bytes),
    );
    return keep(get(info.id), progress);
  }

  function setStorage(ds: Dataset, storage: DatasetStorage): DatasetInfo {
    ds.info = { ...ds.info, storage };
    return ds.info;
  }

  function typeOverrides(ds: Dataset): Record<string, ColumnType> {
    const out: Record<string, ColumnType> = {};
    for (const c of ds.info.columns) if (ds.storedTypes?.get(c.name) !== c.type) out[c.name] = c.type;
    return out;
  }

  /**
   * Keeps a copy of a file/URL dataset in browser storage so a reload (or a restarted worker) gets
   * it back without the user picking the file again. Samples and synthetic data are rebuilt
   * instead. A full disk is not an error: the dataset works in memory and says why it is not kept.
   */
  async function keep(ds: Dataset, progress: (p: Progress) => void): Promise<DatasetInfo> {
    const { info } = ds;
    if (info.source.kind === 'sample' || info.source.kind === 'synthetic') {
      return setStorage(ds, { kind: 'regenerated' });
    }
    if (info.source.kind !== 'file' && info.source.kind !== 'url') return info;
    if (!env.store || !info.fingerprint) {
      return setStorage(ds, {
        kind: 'memory',
        reason: 'unavailable',
        message: `This browser offers no storage for files here (a private window?), so "${info.name}" is kept in memory for this session only.`,
      });
    }
    progress({ phase: 'Keeping a copy in this browser', fraction: null });
    let size = 0;
    try {
      const ipc = tableToIPC(ds.table, 'file');
      size = ipc.byteLength;
      const entry: Omit<StoredEntry, 'bytes' | 'storedAt'> = {
        fingerprint: info.fingerprint,
        name: info.name,
        source: info.source,
        rows: info.rows,
        columns: info.columns.length,
        fileBytes: info.fileBytes,
        report: info.report,
        columnTypes: {},
      };
      const stored = await env.store.put(entry, ipc);
      ds.storedTypes = new Map(info.columns.map((c) => [c.name, c.type]));
      return setStorage(ds, { kind: 'stored', bytes: stored.bytes });
    } catch (e) {
      if (isQuotaError(e)) {
        const est = await env.store.estimate().catch(() => null);
        const room =
          est?.quota != null && est.usage != null
            ? ` (${formatBytes(est.usage)} of ${formatBytes(est.quota)} used)`
            : '';
        return setStorage(ds, {
          kind: 'memory',
          reason: 'quota',
          message: `Browser storage is full${room}: "${info.name}" (${formatBytes(size)}) could not be kept for next time. It works for this session; delete stored datasets under Storage to make room.`,
        });
      }
      return setStorage(ds, {
        kind: 'memory',
        reason: 'error',
        message: `"${info.name}" could not be kept in this browser (${e instanceof Error ? e.message : String(e)}); it works for this session only.`,
      });
    }
  }

  /** Re-types one column in place; the caller decides what to report. */
  function retype(ds: Dataset, column: string, type: ColumnType): DatasetInfo {
    const { table, failed } = castColumn(ds.table, column, type);
    ds.table = table;
    ds.version += 1;
    const warnings = ds.info.report.warnings.filter((w) => !w.startsWith(`Column "${column}": `));
    if (failed > 0) {
      warnings.push(
        `Column "${column}": ${failed.toLocaleString('en-US')} values could not be read as ${type} and are now missing.`,
      );
    }
    ds.info = {
      ...datasetInfo(
        ds.info.id,
        ds.info.name,
        ds.info.source,
        table,
        ds.info.fileBytes,
        { ...ds.info.report, warnings },
        ds.inferred,
      ),
      ...(ds.info.fingerprint ? { fingerprint: ds.info.fingerprint } : {}),
      ...(ds.info.storage ? { storage: ds.info.storage } : {}),
    };
    return ds.info;
  }

  async function trainContext(
    datasetId: string,
    signal: AbortSignal,
    progress: (p: Progress) => void,
  ): Promise<ExperimentContext> {
    const ds = get(datasetId);
    if (ds.info.source.kind === 'derived') {
      throw new EngineError(
        'InvalidArgument',
        'Train on the original dataset: the notebook runs inside each fold.',
      );
    }
    return {
      table: ds.table,
      datasetId,
      dataKey: `${datasetId}@${ds.version}`,
      compute: await compute(),
      signal,
      progress,
    };
  }

  async function profileOf(ds: Dataset, signal: AbortSignal, progress: (p: Progress) => void) {
    if (ds.profile && ds.profile.version === ds.version) return ds.profile.columns;
    const columns = await profileTable(ds.table, await compute(), {
      signal,
      onProgress: progress,
    });
    ds.profile = { version: ds.version, columns };
    return columns;
  }

  const engine: Engine = {
    async backendInfo(): Promise<BackendInfo> {
      return (await compute()).info();
    },

    async samples(): Promise<SampleInfo[]> {
      return SAMPLES.map((s) => ({ ...s }));
    },

    async datasets(): Promise<DatasetInfo[]> {
      return [...datasets.values()].map((d) => d.info);
    },

    loadFile(file, fileName, options, job) {
      return runJob(job, async (signal, progress) => {
        if (file.size === 0) {
          throw new EngineError('EmptyFile', `"${fileName}" is empty (0 bytes).`, {
            file: fileName,
            hint: 'Check that you picked the right file and that it finished downloading.',
          });
        }
        checkSize(file.size, fileName, maxFileBytes);
        const bytes = await readBlob(file, signal, (done) =>
          progress({ phase: 'Reading file', fraction: done / file.size, done, total: file.size }),
        );
        return loadBytesAs(bytes, fileName, { kind: 'file', name: fileName }, options, signal, progress);
      });
    },

    loadBytes(bytes, fileName, options, job) {
      return runJob(job, (signal, progress) => {
        checkSize(bytes.byteLength, fileName, maxFileBytes);
        return loadBytesAs(bytes, fileName, { kind: 'file', name: fileName }, options, signal, progress);
      });
    },

    loadUrl(url, options, job) {
      return runJob(job, async (signal, progress) => {
        const parsed = parseUserUrl(url);
        const fileName = decodeURIComponent(
          parsed.pathname.split('/').filter(Boolean).pop() ?? parsed.hostname,
        );
        const bytes = await fetchUrl(parsed, signal, maxFileBytes, (done, total) =>
          progress({
            phase: 'Downloading',
            fraction: total ? done / total : null,
            done,
            ...(total ? { total } : {}),
          }),
        );
        return loadBytesAs(bytes, fileName, { kind: 'url', url: parsed.href }, options, signal, progress);
      });
    },

    loadSample(name, job) {
      return runJob(job, async (signal, progress) => {
        const file = sampleFile(name);
        const info = SAMPLES.find((s) => s.name === name);
        progress({ phase: 'Fetching sample', fraction: null });
        const bytes = await env.fetchSample(file, signal);
        return loadBytesAs(
          bytes,
          file,
          { kind: 'sample', sample: name },
          { name: info?.title ?? name },
          signal,
          progress,
        );
      });
    },

    generateSynthetic(options: SyntheticOptions, job) {
      return runJob(job, async (signal, progress) => {
        if (!Number.isInteger(options.rows) || options.rows < 1 || options.rows > 50_000_000) {
          throw new EngineError(
            'InvalidArgument',
            `Rows must be a whole number from 1 to 50,000,000, not ${options.rows}.`,
          );
        }
        const started = Date.now();
        const table = await syntheticTableAsync(
          options,
          (fraction) => progress({ phase: 'Generating', fraction }),
          signal,
        );
        const report: LoadReport = {
          format: 'arrow',
          raggedRows: [],
          raggedCount: 0,
          warnings: [],
          parseMs: Date.now() - started,
        };
        const name = `Synthetic ${options.rows.toLocaleString('en-US')} rows (seed ${options.seed})`;
        const fingerprint = fingerprintOf([
          'synthetic',
          1,
          options.rows,
          options.seed,
          options.columns ?? 'default',
        ]);
        const info = addDataset(
          table,
          name,
          { kind: 'synthetic', rows: options.rows, seed: options.seed },
          0,
          report,
          fingerprint,
        );
        return setStorage(get(info.id), { kind: 'regenerated' });
      });
    },

    async removeDataset(id) {
      const { info } = get(id);
      datasets.delete(id);
      datasets.delete(`${id}.out`);
      explore.forget(id);
      // Removing a dataset means the user is done with it: its stored copy goes too, unless another
      // loaded dataset (the same file loaded twice, or a reload with other options) still uses it.
      const fp = info.fingerprint;
      if (env.store && fp && info.storage?.kind === 'stored') {
        const stillUsed = [...datasets.values()].some((d) => d.info.fingerprint === fp);
        if (!stillUsed) await env.store.delete(fp).catch(() => false);
      }
    },

    async rows(datasetId, start, end) {
      const { table } = get(datasetId);
      const from = clampInt(start, 0, table.numRows);
      const to = clampInt(end, from, table.numRows);
      const bytes = tableToIPC(table.slice(from, to), 'stream');
      // The buffer is transferred, so it must be ours alone.
      return transferable(ownBytes(bytes));
    },

    async setColumnType(datasetId, column, type) {
      const ds = get(datasetId);
      if (!isColumnType(type))
        throw new EngineError('InvalidArgument', `"${String(type)}" is not a column type.`);
      if (!ds.table.schema.fields.some((f) => f.name === column)) {
        throw new EngineError('NotFound', `Column "${column}" is not in "${ds.info.name}".`);
      }
      const info = retype(ds, column, type);
      if (info.storage?.kind === 'stored' && info.fingerprint && env.store) {
        // The stored copy keeps its types; the user's choice is re-applied when it is restored.
        await env.store.update(info.fingerprint, { columnTypes: typeOverrides(ds) }).catch(() => false);
      }
      return info;
    },

    columnStats(datasetId, job) {
      return runJob(job, async (signal, progress) => {
        const { table, info } = get(datasetId);
        const c = await compute();
        const numeric = info.columns.filter((col) => col.type === 'integer' || col.type === 'float');
        progress({ phase: 'Column statistics', fraction: 0 });
        const arrays = numeric.map((col) => toFloat64(table.getChild(col.name)!));
        throwIfAborted(signal);
        const stats = await colStatsAll(c, arrays, { signal });
        progress({ phase: 'Column statistics', fraction: 1 });
        const byName = new Map(numeric.map((col, i) => [col.name, stats[i]!]));
        return info.columns.map((col): ColumnStats => {
          const s = byName.get(col.name);
          if (!s) {
            return {
              name: col.name,
              type: col.type,
              count: info.rows - col.missing,
              missing: col.missing,
              mean: null,
              variance: null,
              min: null,
              max: null,
            };
          }
          const missing = info.rows - s.count;
          // Sample variance (ddof = 1), as pandas' describe() reports it.
          const variance = s.count > 1 ? s.m2 / (s.count - 1) : null;
          return {
            name: col.name,
            type: col.type,
            count: s.count,
            missing,
            mean: s.count > 0 ? s.mean : null,
            variance,
            min: s.count > 0 ? s.min : null,
            max: s.count > 0 ? s.max : null,
          };
        });
      });
    },

    profile(datasetId, job) {
      return runJob(job, (signal, progress) => profileOf(get(datasetId), signal, progress));
    },

    qualityReport(datasetId, options, job) {
      return runJob(job, async (signal, progress) => {
        const ds = get(datasetId);
        const profiles = await profileOf(ds, signal, progress);
        progress({ phase: 'Checking quality', fraction: null });
        if (options?.target && !ds.table.schema.fields.some((f) => f.name === options.target)) {
          throw new EngineError(
            'NotFound',
            `The target column "${options.target}" is not in "${ds.info.name}".`,
          );
        }
        return qualityReport(ds.table, profiles, options ?? {});
      });
    },

    async stepCatalog(): Promise<StepInfo[]> {
      return stepCatalog();
    },

    async standardPreprocessing(datasetId, options) {
      const { table } = get(datasetId);
      return standardPreprocessing(columnFacts(table), table.numRows, options?.target ?? null);
    },

    runNotebook(datasetId, notebook, job) {
      return runJob(job, async (signal, progress) => {
        const ds = get(datasetId);
        if (ds.info.source.kind === 'derived') {
          throw new EngineError(
            'InvalidArgument',
            'Run the notebook on the original dataset, not on its output.',
          );
        }
        ds.planner ??= new NotebookPlanner();
        const c = await compute();
        const { table, runs } = await ds.planner.run(
          {
            table: ds.table,
            dataKey: `${datasetId}@${ds.version}`,
            steps: notebook.steps,
            seed: notebook.seed,
            target: notebook.target,
          },
          {
            compute: c,
            signal,
            progress: (fraction: number, note: string) => progress({ phase: note, fraction }),
          },
        );
        const outId = `${datasetId}.out`;
        const report: LoadReport = {
          format: 'arrow',
          raggedRows: [],
          raggedCount: 0,
          warnings: [],
          parseMs: 0,
        };
        const output =
          table === ds.table && datasets.has(outId)
            ? get(outId).info
            : addDataset(
                table,
                `${ds.info.name} → notebook`,
                { kind: 'derived', from: datasetId },
                0,
                report,
                `${ds.info.fingerprint ?? datasetId}+nb`,
                outId,
              );
        return { output, steps: runs };
      });
    },

    // ── Training (issue 6): src/analysis/experiment does the work; these only bind a dataset and a job. ──
    async modelCatalog() {
      return modelCatalog();
    },

    async inferTask(datasetId, target) {
      return taskFor(get(datasetId).table, { target });
    },

    featurePlan(datasetId, spec, job) {
      return runJob(job, async (signal, progress) =>
        featurePlanFor(await trainContext(datasetId, signal, progress), spec),
      );
    },

    trainModels(datasetId, spec, job) {
      return runJob(job, async (signal, progress) =>
        runExperiment(await trainContext(datasetId, signal, progress), spec),
      );
    },

    compareBaselines(datasetId, spec, job) {
      return runJob(job, async (signal, progress) =>
        compareBaselines(await trainContext(datasetId, signal, progress), spec),
      );
    },

    learningCurve(datasetId, spec, job) {
      return runJob(job, async (signal, progress) =>
        learningCurve(await trainContext(datasetId, signal, progress), spec),
      );
    },

    async compareRuns(a, b, options) {
      return compareRuns(a, b, options);
    },

    errorAnalysis(datasetId, spec, job) {
      return runJob(job, async (signal, progress) =>
        analyzeErrors(await trainContext(datasetId, signal, progress), spec),
      );
    },

    async errorRows(datasetId, spec, query) {
      const ctx = await trainContext(datasetId, new AbortController().signal, () => undefined);
      return transferable(await errorRows(ctx, spec, query));
    },

    tuneModel(datasetId, spec, job) {
      return runJob(job, async (signal, progress) =>
        tuneModel(await trainContext(datasetId, signal, progress), spec),
      );
    },
    // ── end Training ──

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
    // ── end Export ──

    // ── Prototype and scoring (issue 7): src/deploy holds the models; benchtop-runtime predicts. ──
    deployModel(datasetId, spec, job) {
      return runJob(job, async (signal, progress) => {
        const { json, weights } = await fitArtifact(datasetId, spec, signal, progress);
        return deployed.add(json, weights, 'fitted', get(datasetId).table, datasetId);
      });
    },

    async importArtifact(json, weights) {
      if (json instanceof Uint8Array && weights === undefined) {
        const bundle = unpackBundle(json);
        return deployed.add(bundle.json, bundle.weights.slice(), 'imported', null, null);
      }
      if (typeof json !== 'string' || !(weights instanceof Uint8Array)) {
        throw new EngineError(
          'InvalidArgument',
          'importArtifact takes the JSON text and the weights bytes, or the bytes of one .benchtop file.',
        );
      }
      return deployed.add(json, weights, 'imported', null, null);
    },

    async deployedModels() {
      return deployed.list();
    },

    async removeDeployed(modelId) {
      deployed.remove(modelId);
    },

    async deployedArtifact(modelId) {
      const m = deployed.get(modelId);
      return { json: m.json, weights: transferable(m.weights.slice()) };
    },

    predictRows(modelId, rows) {
      return runJob(undefined, async () => {
        if (!Array.isArray(rows))
          throw new EngineError('InvalidArgument', 'predictRows takes an array of rows.');
        return deployed.get(modelId).predictor.predict(rows);
      });
    },

    async artifactBundle(modelId) {
      const m = deployed.get(modelId);
      return transferable(packBundle(m.json, m.weights));
    },

    scoreDataset(modelId, datasetId, job) {
      return runJob(job, async (signal, progress) => {
        const model = deployed.get(modelId);
        const ds = get(datasetId);
        const context = { signal, progress, datasetName: ds.info.name };
        return scoreDataset(model, ds.table, { modelId, datasetId }, context);
      });
    },

    predictionsCsv(modelId, datasetId, job) {
      return runJob(job, async (signal, progress) => {
        const model = deployed.get(modelId);
        const ds = get(datasetId);
        return transferable(
          await predictionsCsv(model, ds.table, { signal, progress, datasetName: ds.info.name }),
        );
      });
    },

    partialDependence(modelId, datasetId, feature, options, job) {
      return runJob(job, async (signal, progress) => {
        const { predictor } = deployed.get(modelId);
        const { table } = get(datasetId);
        progress({ phase: `Partial dependence of ${feature}`, fraction: 0 });
        return partialDependence(predictor, table, feature, options ?? {}, {
          compute: await compute(),
          signal,
          progress: (fraction, note) => progress({ phase: note, fraction }),
        });
      });
    },

    counterfactual(modelId, row, options, job) {
      return runJob(job, async (signal, progress) => {
        const { predictor } = deployed.get(modelId);
        return counterfactual(predictor, row, options ?? {}, {
          compute: await compute(),
          signal,
          progress: (fraction, note) => progress({ phase: note, fraction }),
        });
      });
    },
    // ── end Prototype ──

    exportDataset(datasetId, format, job) {
      return runJob(job, async (signal, progress) => {
        const { table } = get(datasetId);
        if (format !== 'csv' && format !== 'arrow' && format !== 'parquet') {
          throw new EngineError(
            'InvalidArgument',
            `Cannot export as "${String(format)}": choose csv, arrow or parquet.`,
          );
        }
        progress({ phase: `Writing ${format.toUpperCase()}`, fraction: null });
        const bytes = await writeTable(table, format, signal);
        return transferable(ownBytes(bytes));
      });
    },

    async storedDatasets() {
      if (!env.store) return [];
      return (await env.store.list()).map((e) => ({
        fingerprint: e.fingerprint,
        name: e.name,
        source: e.source,
        rows: e.rows,
        columns: e.columns,
        bytes: e.bytes,
        storedAt: e.storedAt,
      }));
    },

    restoreDataset(fingerprint, job) {
      return runJob(job, async (signal, progress) => {
        const loaded = [...datasets.values()].find(
          (d) => d.info.fingerprint === fingerprint && d.info.storage?.kind === 'stored',
        );
        if (loaded) return loaded.info;
        progress({ phase: 'Reading from browser storage', fraction: null });
        const found = env.store ? await env.store.read(fingerprint) : null;
        if (!found) {
          throw new EngineError('NotFound', 'That dataset is no longer stored in this browser.', {
            hint: 'Open the file again.',
          });
        }
        throwIfAborted(signal);
        const { entry, ipc } = found;
        const info = addDataset(
          tableFromIPC(ipc),
          entry.name,
          entry.source,
          entry.fileBytes ?? 0,
          entry.report,
          entry.fingerprint,
        );
        const ds = get(info.id);
        ds.storedTypes = new Map(info.columns.map((c) => [c.name, c.type]));
        for (const [column, type] of Object.entries(entry.columnTypes)) {
          if (isColumnType(type) && ds.table.schema.fields.some((f) => f.name === column)) {
            retype(ds, column, type);
          }
        }
        progress({ phase: 'Reading from browser storage', fraction: 1 });
        return setStorage(ds, { kind: 'stored', bytes: entry.bytes });
      });
    },

    async deleteStored(fingerprint) {
      if (!env.store) return;
      await env.store.delete(fingerprint);
      for (const d of datasets.values()) {
        if (d.info.fingerprint === fingerprint && d.info.storage?.kind === 'stored') {
          setStorage(d, {
            kind: 'memory',
            reason: 'error',
            message: `The stored copy of "${d.info.name}" was deleted; it stays loaded for this session.`,
          });
        }
      }
    },

    async storageEstimate() {
      if (!env.store) return { usage: null, quota: null, available: false };
      const e = await env.store.estimate().catch(() => ({ usage: null, quota: null }));
      return { ...e, available: true };
    },

    // ── Explore (issue 5): each delegates to src/analysis/explore ──
    async setSelection(datasetId, selection) {
      return transferable(explore.setSelection(datasetId, get(datasetId).table, selection));
    },
    async selectedRows(datasetId, offset, limit) {
      return transferable(explore.selectedRows(datasetId, get(datasetId).table, offset, limit));
    },
    async selectedTable(datasetId, offset, limit) {
      return transferable(explore.selectedTable(datasetId, get(datasetId).table, offset, limit));
    },
    async columnSummary(datasetId, column, options) {
      return transferable(explore.columnSummary(datasetId, get(datasetId).table, column, options));
    },
    async scatterData(datasetId, spec) {
      return transferable(explore.scatterData(get(datasetId).table, spec));
    },
    async columnsData(datasetId, columns) {
      return transferable(explore.columnsData(get(datasetId).table, columns));
    },
    async correlation(datasetId, options) {
      return transferable(explore.correlation(get(datasetId).table, options));
    },
    async groupedDistribution(datasetId, column, by) {
      return transferable(explore.groupedDistribution(datasetId, get(datasetId).table, column, by));
    },
    async missingness(datasetId) {
      return transferable(explore.missingness(get(datasetId).table));
    },
    insights(datasetId, options, job) {
      return runJob(job, async (signal, progress) => {
        const ds = get(datasetId);
        const profiles = await profileOf(ds, signal, progress);
        const warnings = qualityReport(ds.table, profiles, { target: options?.target ?? null });
        progress({ phase: 'Looking for insights', fraction: null });
        return explore.insights(datasetId, ds.table, { profiles, warnings, target: options?.target ?? null });
      });
    },
    embedding(datasetId, options, job) {
      return runJob(job, async (signal, progress) =>
        transferable(
          await explore.embedding(datasetId, get(datasetId).table, options, {
            ...(job ? { jobId: job.id } : {}),
            compute: await compute(),
            signal,
            progress: (fraction) => progress({ phase: `Embedding (${options.method})`, fraction }),
          }),
        ),
      );
    },
    async embeddingFrame(jobId) {
      return transferable(explore.embeddingFrame(jobId));
    },
    // ── end Explore ──

    async cancel(jobId) {
      jobs.get(jobId)?.abort();
    },

    table(datasetId) {
      return get(datasetId).table;
    },

    compute,
  };
  return engine;
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

function checkSize(size: number, fileName: string, max: number): void {
  if (size > max) {
    throw new EngineError(
      'OutOfMemory',
      `"${fileName}" is ${formatBytes(size)}, more than this tab can hold in memory (${formatBytes(max)}).`,
      {
        file: fileName,
        size,
        hint: 'Split the file, or convert it to Parquet, which is several times smaller.',
      },
    );
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Reads a Blob in chunks into one buffer, so that progress shows and cancel works mid-read. */
async function readBlob(
  blob: Blob,
  signal: AbortSignal,
  onBytes: (done: number) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(blob.size);
  const reader = blob.stream().getReader();
  let offset = 0;
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, offset);
      offset += value.byteLength;
      onBytes(offset);
    }
  } finally {
    reader.releaseLock();
  }
  return offset === out.byteLength ? out : out.subarray(0, offset);
}

function parseUserUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new EngineError('InvalidArgument', `"${url}" is not a valid URL.`, {
      hint: 'Enter a full address starting with https://',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new EngineError(
      'InvalidArgument',
      `Only http and https URLs can be loaded, not "${parsed.protocol}".`,
    );
  }
  return parsed;
}

async function fetchUrl(
  url: URL,
  signal: AbortSignal,
  max: number,
  onBytes: (done: number, total: number | null) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    if (signal.aborted) throw new EngineError('Cancelled', 'The job was cancelled.');
    throw new EngineError('NetworkError', `Could not download ${url.href}: ${(e as Error).message}.`, {
      file: url.href,
      hint: 'Check the address and your connection. The server must allow cross-origin requests (CORS); if it does not, download the file and open it from disk.',
    });
  }
  if (!response.ok) {
    throw new EngineError(
      'NetworkError',
      `Downloading ${url.href} failed: HTTP ${response.status} ${response.statusText}.`,
      {
        file: url.href,
        status: response.status,
        hint: 'Check that the address is right and the file is public.',
      },
    );
  }
  const total = Number(response.headers.get('content-length')) || null;
  if (total !== null) checkSize(total, url.href, max);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let done = 0;
  const reader = response.body.getReader();
  for (;;) {
    throwIfAborted(signal);
    const r = await reader.read();
    if (r.done) break;
    chunks.push(r.value);
    done += r.value.byteLength;
    checkSize(done, url.href, max);
    onBytes(done, total);
  }
  const out = new Uint8Array(done);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

export function columnTypeOf(table: Table, name: string): ColumnType {
  const field = table.schema.fields.find((f) => f.name === name);
  const meta = field?.metadata.get(TYPE_METADATA_KEY);
  if (isColumnType(meta)) return meta;
  const t = field?.type;
  if (!t) return 'text';
  if (DataType.isInt(t)) return 'integer';
  if (DataType.isFloat(t) || DataType.isDecimal(t)) return 'float';
  if (DataType.isBool(t)) return 'boolean';
  if (DataType.isDate(t)) return 'date';
  if (DataType.isTimestamp(t)) return 'datetime';
  if (DataType.isDictionary(t)) return 'categorical';
  return 'text';
}

function tableBytes(table: Table): number {
  let total = 0;
  const dictionaries = new Set<Vector>();
  const visit = (d: Data): void => {
    total += d.byteLength;
    if (d.dictionary && !dictionaries.has(d.dictionary)) {
      dictionaries.add(d.dictionary);
      total += d.dictionary.byteLength;
    }
  };
  for (const batch of table.batches) for (const child of batch.data.children) visit(child);
  return total;
}

function datasetInfo(
  id: string,
  name: string,
  source: DatasetSource,
  table: Table,
  fileBytes: number,
  report: LoadReport,
  inferred: Map<string, ColumnType>,
): DatasetInfo {
  const columns: ColumnInfo[] = table.schema.fields.map((f) => {
    const type = columnTypeOf(table, f.name);
    return {
      name: f.name,
      type,
      inferredType: inferred.get(f.name) ?? type,
      arrowType: String(f.type),
      missing: table.getChild(f.name)?.nullCount ?? 0,
    };
  });
  return {
    id,
    name,
    source,
    rows: table.numRows,
    columns,
    memoryBytes: tableBytes(table),
    fileBytes,
    report,
  };
}

/** A numeric Arrow column as float64 with nulls as NaN: the kernels' input. */
function toFloat64(vector: Vector): Float64Array {
  const out = new Float64Array(vector.length);
  let offset = 0;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number | bigint>;
    const n = data.length;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < n; i++) {
      const j = data.offset + i;
      const valid = !bitmap || (bitmap[j >> 3]! & (1 << (j & 7))) !== 0;
      out[offset + i] = valid ? Number(values[j]) : Number.NaN;
    }
    offset += n;
  }
  return out;
}
