/**
 * The Quality tab's state: the column profile and the data-quality report of the dataset on
 * screen, fetched from the engine as jobs (the status bar shows their progress and can cancel
 * them). Answers are cached per dataset revision — the workbench bumps it when a column is
 * re-typed — so switching tabs or datasets back and forth costs nothing; the report is cached
 * per (revision, outlier method, target) as well, so a new target refetches the report only.
 *
 * The store keeps no effects of its own: `follow()` is called by the panel that shows the data,
 * so nothing is profiled until someone looks, and the fetching stops with the panel.
 */
import { createEffect, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import { type EngineError, toEngineError } from '../core/errors';
import type { ColumnProfile, EngineApi, JobOptions, OutlierMethod, QualityWarning } from '../protocol/api';
import type { Job } from './client';

/** The engine calls this store makes (the real client's `api` satisfies it). */
export type ProfileApi = Pick<EngineApi, 'profile' | 'qualityReport'>;

/** Starts a job the status bar shows; the workbench's `startJob`. */
export type StartJob = <T>(label: string, run: (job: JobOptions) => Promise<T>) => Job<T>;

/** The dataset to profile, as the workbench knows it. */
export interface ProfileSource {
  id: string;
  name: string;
  /** The workbench's revision of the dataset: a new one means the data changed. */
  revision: number;
  columns: readonly string[];
}

export type FetchStatus = 'loading' | 'ready' | 'error' | 'cancelled';

export interface Fetched<T> {
  status: FetchStatus;
  value?: T;
  error?: EngineError;
  /** The running job while loading, for its progress in the panel. */
  jobId?: string;
}

/** The outlier rule the report uses unless the user picks another (the engine's default too). */
export const DEFAULT_OUTLIER_METHOD: OutlierMethod = 'iqr';

export interface ProfileStoreOptions {
  api: ProfileApi;
  startJob: StartJob;
  source: () => ProfileSource | null;
  /**
   * The notebook's output for the dataset on screen (null when its notebook has no steps or has
   * not run): the Quality tab can show it instead of the raw data.
   */
  output?: () => ProfileSource | null;
  /**
   * Where the target column lives. The notebook owns it once it exists; until then (and in
   * tests) the store keeps its own.
   */
  target?: { get: () => string | null; set: (column: string | null) => void };
}

interface Cache {
  profiles: Record<string, Fetched<ColumnProfile[]>>;
  reports: Record<string, Fetched<QualityWarning[]>>;
  /** Fixes the user sent to the notebook, by `datasetId:warningId`. */
  added: Record<string, true>;
}

export type ProfileStore = ReturnType<typeof createProfileStore>;

/** Which data the Quality tab shows: as loaded, or after the notebook's steps. */
export type ProfileView = 'raw' | 'notebook';

const profileKey = (s: ProfileSource) => `${s.id}@${s.revision}`;
const reportKey = (s: ProfileSource, method: OutlierMethod, target: string | null) =>
  `${profileKey(s)}|${method}|${target ?? ''}`;
const belongsTo = (key: string, s: ProfileSource) => key.startsWith(`${s.id}@`);

export function createProfileStore(options: ProfileStoreOptions) {
  const [cache, setCache] = createStore<Cache>({ profiles: {}, reports: {}, added: {} });
  const [ownTarget, setOwnTarget] = createSignal<string | null>(null);
  const targetGet = options.target?.get ?? ownTarget;
  const targetSet = options.target?.set ?? setOwnTarget;
  const [outlierMethod, setOutlierMethod] = createSignal<OutlierMethod>(DEFAULT_OUTLIER_METHOD);
  const [view, setView] = createSignal<ProfileView>('raw');
  const output = () => options.output?.() ?? null;
  /** The data on screen: the notebook's output when that view is chosen and exists, else the raw data. */
  const source = (): ProfileSource | null => (view() === 'notebook' && output()) || options.source();
  // Jobs still running, by cache key, so a superseded one can be cancelled.
  const running = new Map<string, Job<unknown>>();

  /** The chosen target if the dataset on screen has that column; a stale choice counts as none. */
  const target = () => {
    const s = source();
    const t = targetGet();
    return s && t !== null && s.columns.includes(t) ? t : null;
  };

  function run<T>(
    table: 'profiles' | 'reports',
    key: string,
    label: string,
    call: (job: JobOptions) => Promise<T>,
  ): void {
    const job = options.startJob(label, call);
    running.set(key, job as Job<unknown>);
    const set = (entry: Fetched<T>) => {
      running.delete(key);
      // The entry was dropped (newer revision, superseded report) while the job ran: forget it.
      if (cache[table][key]?.jobId !== job.id) return;
      (setCache as (t: string, k: string, v: Fetched<T>) => void)(table, key, entry);
    };
    (setCache as (t: string, k: string, v: Fetched<T>) => void)(table, key, {
      status: 'loading',
      jobId: job.id,
    });
    job.promise.then(
      (value) => set({ status: 'ready', value }),
      (e) => {
        const error = toEngineError(e);
        set({ status: error.name === 'Cancelled' ? 'cancelled' : 'error', error });
      },
    );
  }

  function drop(table: 'profiles' | 'reports', key: string): void {
    running.get(key)?.cancel();
    running.delete(key);
    setCache(table, key, undefined as never);
  }

  /** Drops what was fetched for older revisions of the dataset (their data no longer exists). */
  function dropStale(s: ProfileSource): void {
    const current = profileKey(s);
    for (const key of Object.keys(cache.profiles))
      if (belongsTo(key, s) && key !== current) drop('profiles', key);
    for (const key of Object.keys(cache.reports))
      if (belongsTo(key, s) && !key.startsWith(`${current}|`)) drop('reports', key);
  }

  function requestProfile(s: ProfileSource): void {
    const key = profileKey(s);
    if (cache.profiles[key]) return;
    dropStale(s);
    run('profiles', key, `Profiling ${s.name}`, (job) => options.api.profile(s.id, job));
  }

  function requestReport(s: ProfileSource, method: OutlierMethod, t: string | null): void {
    const key = reportKey(s, method, t);
    if (cache.reports[key]) return;
    // Only the report on screen is worth computing: a report for a target or method the user
    // already moved away from is cancelled rather than left to hold up the worker.
    for (const [other, entry] of Object.entries(cache.reports))
      if (entry?.status === 'loading' && belongsTo(other, s)) drop('reports', other);
    run('reports', key, `Checking the quality of ${s.name}`, (job) =>
      options.api.qualityReport(s.id, { target: t, outlierMethod: method }, job),
    );
  }

  const profile = (): Fetched<ColumnProfile[]> | null => {
    const s = source();
    return s ? (cache.profiles[profileKey(s)] ?? null) : null;
  };
  const report = (): Fetched<QualityWarning[]> | null => {
    const s = source();
    return s ? (cache.reports[reportKey(s, outlierMethod(), target())] ?? null) : null;
  };

  return {
    profile,
    report,
    target,
    /** Which data is on screen; 'notebook' falls back to the raw data while there is no output. */
    view: (): ProfileView => (view() === 'notebook' && output() ? 'notebook' : 'raw'),
    setView,
    /** Whether the notebook has an output to show. */
    hasOutput: () => output() !== null,
    setTarget: (column: string | null) => targetSet(column),
    outlierMethod,
    setOutlierMethod,

    /**
     * Fetches what the dataset on screen needs, now and whenever the dataset, its revision, the
     * target or the outlier method change. Call it inside the component (or root) that shows the
     * result; it stops when that owner is disposed. The report waits for the profile because the
     * engine computes it from the profile, and two concurrent calls would profile twice.
     */
    follow(): void {
      createEffect(() => {
        const s = source();
        if (!s) return;
        requestProfile(s);
        if (cache.profiles[profileKey(s)]?.status === 'ready') requestReport(s, outlierMethod(), target());
      });
    },

    /** Cancels the profile and report jobs of the dataset on screen. */
    cancel(): void {
      const s = source();
      if (!s) return;
      for (const [key, job] of running) if (belongsTo(key, s)) job.cancel();
    },

    /** Fetches again after a cancel or an error (a successful answer is kept). */
    retry(): void {
      const s = source();
      if (!s) return;
      const p = cache.profiles[profileKey(s)];
      if (p && p.status !== 'ready' && p.status !== 'loading')
        setCache('profiles', profileKey(s), undefined as never);
      const rKey = reportKey(s, outlierMethod(), target());
      const r = cache.reports[rKey];
      if (r && r.status !== 'ready' && r.status !== 'loading') setCache('reports', rKey, undefined as never);
      // follow()'s effect sees the entries go and requests them again.
    },

    /** Whether the fix of `warningId` was sent to the notebook for the dataset on screen. */
    fixAdded(warningId: string): boolean {
      const s = source();
      return s ? cache.added[`${s.id}:${warningId}`] === true : false;
    },
    markFixAdded(warningId: string): void {
      const s = source();
      if (s) setCache('added', `${s.id}:${warningId}`, true);
    },
  };
}
