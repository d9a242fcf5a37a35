/**
 * The workbench state: loaded datasets, the selection, running jobs, notices (errors and
 * cancellations) and the compute backend. Everything heavy goes to the engine worker through the
 * client; this module only keeps the small JSON answers. It takes the client as an argument so
 * tests can pass a fake one.
 */
import { batch, createSignal } from 'solid-js';
import { createStore, produce, type SetStoreFunction } from 'solid-js/store';
import { type EngineError, toEngineError } from '../core/errors';
import type { ColumnType } from '../core/types';
import type {
  BackendInfo,
  DatasetInfo,
  EngineApi,
  ExploreApi,
  JobOptions,
  LoadOptions,
  Progress,
  SampleInfo,
  SyntheticOptions,
} from '../protocol/api';
import type { EngineClient, Job } from './client';

/** A column the user re-typed in the Data tab, with the dataset as it is now. */
export interface ColumnTyped {
  datasetId: string;
  column: string;
  type: ColumnType;
  dateFormat?: string;
  info: DatasetInfo;
}

/** Column types a notebook asked for: the dataset afterwards, and the choices the engine refused. */
export interface ColumnTypesApplied {
  info: DatasetInfo | null;
  failed: { column: string; type: ColumnType; dateFormat?: string; error: EngineError }[];
}

/** The part of the engine client the workbench uses (the real client satisfies it). */
export interface WorkbenchClient {
  api: Pick<
    EngineApi,
    | 'backendInfo'
    | 'samples'
    | 'datasets'
    | 'loadFile'
    | 'loadUrl'
    | 'loadSample'
    | 'generateSynthetic'
    | 'removeDataset'
    | 'setColumnType'
  >;
  start: EngineClient['start'];
  rows: EngineClient['rows'];
}

export interface JobState {
  id: string;
  /** What the job does, for the status bar: "Loading iris.csv". */
  label: string;
  progress: Progress | null;
  startedAt: number;
  cancel(): void;
}

export type NoticeKind = 'error' | 'cancelled';

export interface Notice {
  id: number;
  kind: NoticeKind;
  /** What the user was doing: "Loading broken.csv". */
  action: string;
  error: EngineError;
}

interface WorkbenchStore {
  datasets: DatasetInfo[];
  selectedId: string | null;
  samples: SampleInfo[];
  backend: BackendInfo | null;
  backendError: string | null;
  jobs: JobState[];
  notices: Notice[];
  /** Bumped when a dataset's rows change (e.g. a column is re-typed) so row caches are dropped. */
  revisions: Record<string, number>;
}

export type Workbench = ReturnType<typeof createWorkbench>;

type Origin = { kind: 'file'; file: File } | { kind: 'url'; url: string };

export function createWorkbench(client: WorkbenchClient) {
  const [state, setState] = createStore<WorkbenchStore>({
    datasets: [],
    selectedId: null,
    samples: [],
    backend: null,
    backendError: null,
    jobs: [],
    notices: [],
    revisions: {},
  });
  // The gallery of ways in is shown on first open and whenever the user asks for it.
  const [galleryOpen, setGalleryOpen] = createSignal(false);
  // Where each file/URL dataset came from, so it can be loaded again with other options. A File is
  // a handle on the user's disk, not a copy, so keeping it costs nothing.
  const origins: Origins = new Map();
  const typedListeners = new Set<(event: ColumnTyped) => void>();

  const selected = () => state.datasets.find((d) => d.id === state.selectedId) ?? null;
  const memoryBytes = () => state.datasets.reduce((sum, d) => sum + d.memoryBytes, 0);

  function upsertDataset(info: DatasetInfo): void {
    setState(produce((s) => upsertIn(s, info)));
  }

  const { notify, dismiss, startJob } = createActivity(client, setState);

  /**
   * Runs one long engine call as a job. On success the new dataset is listed and selected; on
   * failure or cancel the previous datasets and selection are left exactly as they were.
   */
  async function runLoad(
    label: string,
    run: (job: JobOptions) => Promise<DatasetInfo>,
    origin?: Origin,
  ): Promise<DatasetInfo | null> {
    const job = startJob(label, run);
    try {
      const info = await job.promise;
      if (origin) origins.set(info.id, origin);
      batch(() => {
        upsertDataset(info);
        setState('selectedId', info.id);
        setGalleryOpen(false);
      });
      return info;
    } catch (e) {
      const error = toEngineError(e);
      notify(error.name === 'Cancelled' ? 'cancelled' : 'error', label, error);
      return null;
    }
  }

  /** Re-reads the compute backend: a job may have lost the GPU device and fallen back. */
  async function refreshBackend(): Promise<void> {
    try {
      const backend = await client.api.backendInfo();
      batch(() => {
        setState('backend', backend);
        setState('backendError', null);
      });
    } catch {
      // Keep the last known backend; a dead engine is reported by the recovery notice.
    }
  }

  /**
   * Lists a dataset the engine already holds (restored from browser storage, or rebuilt in a
   * restarted engine). With `replaces`, it takes that entry's place in the list and selection.
   */
  function adopt(info: DatasetInfo, replaces?: string): void {
    const origin = replaces === undefined ? undefined : origins.get(replaces);
    if (replaces !== undefined) origins.delete(replaces);
    if (origin) origins.set(info.id, origin);
    setState(produce((s) => adoptIn(s, info, replaces)));
  }

  /** Drops a dataset from the list only: the engine no longer holds it. */
  function forget(id: string): void {
    origins.delete(id);
    setState(
      produce((s) => {
        s.datasets = s.datasets.filter((d) => d.id !== id);
        if (s.selectedId === id) s.selectedId = s.datasets[0]?.id ?? null;
      }),
    );
  }

  async function remove(id: string): Promise<void> {
    try {
      await client.api.removeDataset(id);
    } catch (e) {
      notify('error', 'Removing the dataset', toEngineError(e));
      return;
    }
    origins.delete(id);
    setState(produce((s) => removeFrom(s, id)));
  }

  function select(id: string): void {
    batch(() => {
      setState('selectedId', id);
      setGalleryOpen(false);
    });
  }

  return {
    remove,
    startJob,
    /** Shows an error notice for something that failed outside a job (a bad link, a bad file). */
    report: (action: string, error: EngineError) => notify('error', action, error),
    adopt,
    forget,
    refreshBackend,
    state,
    selected,
    memoryBytes,
    galleryOpen: () => galleryOpen() || state.datasets.length === 0,
    showGallery: (open: boolean) => setGalleryOpen(open),
    revision: (id: string) => state.revisions[id] ?? 0,
    /** First contact with the engine: backend, samples and the datasets it restored. */
    init: () => initialState(client, state, setState, notify),
    dismiss,
    select,
    ...createLoaders(
      client,
      runLoad,
      origins,
      remove,
      (name) => state.samples.find((x) => x.name === name),
      select,
    ),
    /** Re-types a column (with `dateFormat`: reads its text as dates in that format). Resolves to
     * the updated dataset, or to the engine's refusal: a type change shows it as a notice, a date
     * format is refused where it was typed (the caller shows the error next to the field). */
    async setColumnType(
      datasetId: string,
      column: string,
      type: ColumnType,
      dateFormat?: string,
    ): Promise<DatasetInfo | EngineError> {
      try {
        const info =
          dateFormat === undefined
            ? await client.api.setColumnType(datasetId, column, type)
            : await client.api.setColumnType(datasetId, column, type, dateFormat);
        upsertDataset(info);
        const event: ColumnTyped = { datasetId, column, type, info, ...(dateFormat ? { dateFormat } : {}) };
        for (const listener of typedListeners) listener(event);
        return info;
      } catch (e) {
        const error = toEngineError(e);
        if (dateFormat === undefined) notify('error', `Changing the type of "${column}"`, error);
        return error;
      }
    },
    /** Calls `listener` after each column the user re-types (the notebook records it); returns
     * the unsubscribe. */
    onColumnTyped(listener: (event: ColumnTyped) => void): () => void {
      typedListeners.add(listener);
      return () => typedListeners.delete(listener);
    },
    /**
     * Applies a notebook's column types, one after another, without notices: the caller reports
     * the refusals together (notebook-fit.ts). A refused choice leaves its column as it was.
     */
    async applyColumnTypes(
      datasetId: string,
      choices: readonly { column: string; type: ColumnType; dateFormat?: string }[],
    ): Promise<ColumnTypesApplied> {
      let info: DatasetInfo | null = null;
      const failed: ColumnTypesApplied['failed'] = [];
      for (const choice of choices) {
        const { column, type, dateFormat } = choice;
        try {
          info =
            dateFormat === undefined
              ? await client.api.setColumnType(datasetId, column, type)
              : await client.api.setColumnType(datasetId, column, type, dateFormat);
        } catch (e) {
          failed.push({ ...choice, error: toEngineError(e) });
        }
      }
      if (info) upsertDataset(info);
      return { info, failed };
    },
    rows: (datasetId: string, start: number, end: number) => client.rows(datasetId, start, end),
    /** The Explore calls, when the client has them (the real engine client; test fakes may not). */
    explore(): ExploreApi | null {
      const api = client.api as Partial<ExploreApi>;
      return typeof api.setSelection === 'function' ? (api as ExploreApi) : null;
    },
  };
}

/** Where a file/URL dataset came from, so it can be loaded again with other options. */
type Origins = Map<string, Origin>;
type RunLoad = (
  label: string,
  run: (job: JobOptions) => Promise<DatasetInfo>,
  origin?: Origin,
) => Promise<DatasetInfo | null>;

/** The ways data comes in: samples, files, URLs, synthetic rows, and loading a file/URL again. */
function createLoaders(
  client: WorkbenchClient,
  runLoad: RunLoad,
  origins: Origins,
  remove: (id: string) => Promise<void>,
  sample: (name: string) => SampleInfo | undefined,
  select: (id: string) => void,
) {
  return {
    canReload: (id: string) => origins.has(id),
    /**
     * Loads a file or URL dataset again with other options. The new dataset replaces the old one
     * only once it has loaded; on failure or cancel the old one stays.
     */
    async reload(id: string, options: LoadOptions | undefined): Promise<DatasetInfo | null> {
      const origin = origins.get(id);
      if (!origin) return null;
      const info =
        origin.kind === 'file'
          ? await runLoad(
              `Reloading ${origin.file.name}`,
              (job) => client.api.loadFile(origin.file, origin.file.name, options, job),
              origin,
            )
          : await runLoad(
              `Reloading ${origin.url}`,
              (job) => client.api.loadUrl(origin.url, options, job),
              origin,
            );
      if (!info) return null;
      await remove(id);
      select(info.id);
      return info;
    },
    loadSample(name: string) {
      const title = sample(name)?.title ?? name;
      return runLoad(`Loading sample ${title}`, (job) => client.api.loadSample(name, job));
    },
    async loadFiles(files: readonly File[], options?: LoadOptions): Promise<(DatasetInfo | null)[]> {
      const results: (DatasetInfo | null)[] = [];
      // One at a time: each file gets its own job, progress and error, and memory peaks stay low.
      for (const file of files) {
        const origin: Origin = { kind: 'file', file };
        results.push(
          await runLoad(
            `Loading ${file.name}`,
            (job) => client.api.loadFile(file, file.name, options, job),
            origin,
          ),
        );
      }
      return results;
    },
    async loadUrl(url: string, options?: LoadOptions): Promise<DatasetInfo | null> {
      return runLoad(`Loading ${url}`, (job) => client.api.loadUrl(url, options, job), { kind: 'url', url });
    },
    generateSynthetic(options: SyntheticOptions) {
      return runLoad(`Generating ${options.rows.toLocaleString('en-US')} synthetic rows`, (job) =>
        client.api.generateSynthetic(options, job),
      );
    },
  };
}

/** Lists a dataset (or replaces the entry with its id) and bumps its revision. */
function upsertIn(s: WorkbenchStore, info: DatasetInfo): void {
  const index = s.datasets.findIndex((d) => d.id === info.id);
  if (index >= 0) s.datasets[index] = info;
  else s.datasets.push(info);
  s.revisions[info.id] = (s.revisions[info.id] ?? 0) + 1;
}

/** upsertIn, or with `replaces` taking that entry's place in the list and the selection. */
function adoptIn(s: WorkbenchStore, info: DatasetInfo, replaces: string | undefined): void {
  const index = replaces === undefined ? -1 : s.datasets.findIndex((d) => d.id === replaces);
  const existing = s.datasets.findIndex((d) => d.id === info.id);
  if (index >= 0) {
    s.datasets[index] = info;
    if (existing >= 0 && existing !== index) s.datasets.splice(existing, 1);
    s.revisions[info.id] = (s.revisions[info.id] ?? 0) + 1;
  } else upsertIn(s, info);
  if (s.selectedId === replaces || s.selectedId === null) s.selectedId = info.id;
}

/** Drops a dataset; the selection moves to its neighbour. */
function removeFrom(s: WorkbenchStore, id: string): void {
  const index = s.datasets.findIndex((d) => d.id === id);
  if (index < 0) return;
  s.datasets.splice(index, 1);
  if (s.selectedId === id) s.selectedId = s.datasets[Math.min(index, s.datasets.length - 1)]?.id ?? null;
}

/** Jobs (status bar: progress, cancel) and notices (errors, cancellations) of the workbench. */
function createActivity(client: WorkbenchClient, setState: SetStoreFunction<WorkbenchStore>) {
  let noticeCounter = 0;
  function notify(kind: NoticeKind, action: string, error: EngineError): void {
    noticeCounter += 1;
    const notice: Notice = { id: noticeCounter, kind, action, error };
    setState('notices', (list) => [...list, notice]);
  }

  function dismiss(id: number): void {
    setState('notices', (list) => list.filter((n) => n.id !== id));
  }

  /** Starts a long engine call as a job the status bar shows (progress, cancel) until it settles. */
  function startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T> {
    const job = client.start(run, (progress) => {
      setState('jobs', (j) => j.id === job.id, 'progress', { ...progress });
    });
    setState('jobs', (list) => [
      ...list,
      { id: job.id, label, progress: null, startedAt: Date.now(), cancel: () => job.cancel() },
    ]);
    const settled = () => setState('jobs', (list) => list.filter((j) => j.id !== job.id));
    job.promise.then(settled, settled);
    return job;
  }

  return { notify, dismiss, startJob };
}

/** Reads the backend, the samples and the datasets the engine restored into the store. */
async function initialState(
  client: WorkbenchClient,
  state: WorkbenchStore,
  setState: SetStoreFunction<WorkbenchStore>,
  notify: (kind: NoticeKind, action: string, error: EngineError) => void,
): Promise<void> {
  const [backend, samples, datasets] = await Promise.allSettled([
    client.api.backendInfo(),
    client.api.samples(),
    client.api.datasets(),
  ]);
  batch(() => {
    if (backend.status === 'fulfilled') setState('backend', backend.value);
    else setState('backendError', toEngineError(backend.reason).message);
    if (samples.status === 'fulfilled') setState('samples', samples.value);
    else notify('error', 'Listing the sample datasets', toEngineError(samples.reason));
    if (datasets.status === 'fulfilled' && datasets.value.length > 0) {
      for (const d of datasets.value) setState(produce((s) => upsertIn(s, d)));
      if (!state.selectedId) setState('selectedId', datasets.value[0]?.id ?? null);
    }
  });
}
