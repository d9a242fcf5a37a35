/**
 * Nothing lost when the engine dies: after the client starts a fresh worker, every dataset the
 * user had is brought back into it — files and URLs from browser storage, samples and synthetic
 * data regenerated — under the same place in the list, and the user is told what happened.
 * Also keeps the backend label honest: after every job the backend is read again, because the
 * engine may have lost the GPU device and fallen back while the job ran.
 */
import { createSignal } from 'solid-js';
import { toEngineError } from '../core/errors';
import type { DatasetInfo, EngineApi, JobOptions } from '../protocol/api';
import type { EngineClient } from './client';
import type { Storage, StorageWorkbench } from './storage';

export interface RecoveryClient {
  api: Pick<EngineApi, 'loadSample' | 'generateSynthetic'>;
  onRestart: EngineClient['onRestart'];
  onJobSettled: EngineClient['onJobSettled'];
}

export interface RecoveryWorkbench extends StorageWorkbench {
  refreshBackend(): Promise<void>;
  /** Drops a dataset from the list only (the engine no longer has it). */
  forget(id: string): void;
}

export interface RecoveryNotice {
  id: number;
  /** One sentence for the user. */
  message: string;
  /** Datasets that could not be brought back, by name. */
  lost: string[];
}

export function createRecovery(client: RecoveryClient, wb: RecoveryWorkbench, storage: Storage) {
  const [notice, setNotice] = createSignal<RecoveryNotice | null>(null);
  const [restarts, setRestarts] = createSignal(0);
  let running: Promise<void> = Promise.resolve();

  /** The job that rebuilds one dataset in the fresh engine, or null when nothing can. */
  function rebuild(d: DatasetInfo): ((job: JobOptions) => Promise<DatasetInfo>) | null {
    switch (d.source.kind) {
      case 'sample': {
        const name = d.source.sample;
        return (job) => client.api.loadSample(name, job);
      }
      case 'synthetic': {
        const { rows, seed } = d.source;
        return (job) => client.api.generateSynthetic({ rows, seed }, job);
      }
      default:
        return null;
    }
  }

  async function recover(): Promise<void> {
    const before = [...wb.state.datasets];
    const lost: string[] = [];
    let derived = 0;
    for (const d of before) {
      if (d.source.kind === 'derived') {
        // A notebook's output: running the notebook again recomputes it.
        derived += 1;
        wb.forget(d.id);
        continue;
      }
      let info: DatasetInfo | null = null;
      if (d.storage?.kind === 'stored' && d.fingerprint) {
        info = await storage.restore({ fingerprint: d.fingerprint, name: d.name }, d.id);
      } else {
        const run = rebuild(d);
        if (run) {
          const job = wb.startJob(`Restoring ${d.name}`, run);
          info = await job.promise.catch((e: unknown) => {
            wb.report(`Restoring ${d.name}`, toEngineError(e));
            return null;
          });
          if (info) wb.adopt(info, d.id);
        }
      }
      if (!info) {
        lost.push(d.name);
        wb.forget(d.id);
      }
    }
    await Promise.all([wb.refreshBackend(), storage.refresh()]);
    const parts = ['The engine restarted; your data was restored.'];
    if (lost.length > 0) {
      parts[0] = 'The engine restarted; your stored data was restored.';
      parts.push(`Not kept in this browser, so open again: ${lost.join(', ')}.`);
    }
    if (derived > 0) parts.push('Run the notebook again to recompute its output.');
    setNotice({ id: restarts(), message: parts.join(' '), lost });
  }

  client.onRestart(() => {
    setRestarts((n) => n + 1);
    // Restarts in a row queue up: each recovery sees the list the previous one left.
    running = running.then(recover, recover);
  });
  client.onJobSettled(() => {
    void wb.refreshBackend();
    // A load may have stored a dataset (or failed to, for want of space).
    void storage.refresh();
  });

  return {
    notice,
    restarts,
    dismiss: () => setNotice(null),
    /** Settles when every recovery started so far has finished (tests). */
    idle: () => running,
  };
}

export type Recovery = ReturnType<typeof createRecovery>;
