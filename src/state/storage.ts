/**
 * What is kept in this browser, for the storage panel: the datasets the engine stored (OPFS), the
 * origin's usage and quota, and whether the browser promised not to evict them (persistent
 * storage). Also brings stored datasets back at start-up, so a reload needs no re-picking.
 */
import { batch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { type EngineError, toEngineError } from '../core/errors';
import type { DatasetInfo, EngineApi, JobOptions, StorageEstimate, StoredDatasetInfo } from '../protocol/api';
import type { Job } from './client';

export interface StorageClient {
  api: Pick<EngineApi, 'storedDatasets' | 'restoreDataset' | 'deleteStored' | 'storageEstimate'>;
}

/** The part of the workbench this module needs (the real workbench satisfies it). */
export interface StorageWorkbench {
  state: { datasets: readonly DatasetInfo[] };
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  /** Lists a dataset the engine already holds, in place of `replaces` when given. */
  adopt(info: DatasetInfo, replaces?: string): void;
  report(action: string, error: EngineError): void;
}

/** The browser's StorageManager calls that only the page (not the worker) may make. */
export interface PersistApi {
  persisted(): Promise<boolean>;
  persist(): Promise<boolean>;
}

interface StorageState {
  stored: StoredDatasetInfo[];
  estimate: StorageEstimate | null;
  /** null: unknown (not asked yet, or the browser has no such API). */
  persisted: boolean | null;
  /** Set when the user asked for persistent storage and the browser said no. */
  persistRefused: boolean;
}

export type Storage = ReturnType<typeof createStorage>;

function browserPersistApi(): PersistApi | null {
  const s = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return s && typeof s.persist === 'function' && typeof s.persisted === 'function'
    ? { persisted: () => s.persisted(), persist: () => s.persist() }
    : null;
}

export function createStorage(
  client: StorageClient,
  wb: StorageWorkbench,
  persistApi: PersistApi | null = browserPersistApi(),
) {
  const [state, setState] = createStore<StorageState>({
    stored: [],
    estimate: null,
    persisted: null,
    persistRefused: false,
  });

  async function refresh(): Promise<void> {
    const [stored, estimate, persisted] = await Promise.allSettled([
      client.api.storedDatasets(),
      client.api.storageEstimate(),
      persistApi?.persisted() ?? Promise.resolve(null),
    ]);
    batch(() => {
      if (stored.status === 'fulfilled') setState('stored', stored.value);
      if (estimate.status === 'fulfilled') setState('estimate', estimate.value);
      if (persisted.status === 'fulfilled') setState('persisted', persisted.value);
    });
  }

  /** Loads one stored dataset back into the engine and lists it (in place of `replaces`). */
  async function restore(stored: Pick<StoredDatasetInfo, 'fingerprint' | 'name'>, replaces?: string) {
    const label = `Restoring ${stored.name}`;
    const job = wb.startJob(label, (j) => client.api.restoreDataset(stored.fingerprint, j));
    try {
      const info = await job.promise;
      wb.adopt(info, replaces);
      return info;
    } catch (e) {
      wb.report(label, toEngineError(e));
      return null;
    }
  }

  /** Brings back every stored dataset that is not loaded yet (at start-up). One at a time, so
   * memory peaks stay low and the status bar shows each. */
  async function restoreAll(): Promise<DatasetInfo[]> {
    await refresh();
    const restored: DatasetInfo[] = [];
    for (const s of state.stored) {
      if (wb.state.datasets.some((d) => d.fingerprint === s.fingerprint)) continue;
      const info = await restore(s);
      if (info) restored.push(info);
    }
    return restored;
  }

  async function remove(fingerprint: string): Promise<void> {
    try {
      await client.api.deleteStored(fingerprint);
    } catch (e) {
      wb.report('Deleting the stored dataset', toEngineError(e));
    }
    await refresh();
  }

  async function requestPersistence(): Promise<boolean> {
    if (!persistApi) return false;
    const granted = await persistApi.persist().catch(() => false);
    batch(() => {
      setState('persisted', granted);
      setState('persistRefused', !granted);
    });
    return granted;
  }

  return {
    state,
    refresh,
    restore,
    restoreAll,
    remove,
    requestPersistence,
    canPersist: () => persistApi !== null,
    usedBytes: () => state.stored.reduce((sum, s) => sum + s.bytes, 0),
  };
}
