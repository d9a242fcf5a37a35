// @vitest-environment happy-dom
/**
 * Nothing lost when the worker dies: the client notices (an `error` event from the worker, or
 * restart() from a watchdog/test hook), fails calls in flight instead of hanging, starts a fresh
 * worker, and the recovery puts every dataset back in the same place of the list.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { DatasetInfo, EngineApi, JobOptions } from '../../src/protocol/api';
import { createEngineClient } from '../../src/state/client';
import { createRecovery } from '../../src/state/recovery';
import { createStorage } from '../../src/state/storage';
import { createWorkbench } from '../../src/state/workbench';
import { createFakeClient, datasetInfo } from './fake-client';

/** A Worker stand-in: a MessagePort pair with a comlink-exposed engine on the far side. */
function fakeWorker(engine: Partial<EngineApi>) {
  const { port1, port2 } = new MessageChannel();
  expose(engine, port2 as unknown as Parameters<typeof expose>[1]);
  const errors = new EventTarget();
  let terminated = false;
  const worker = {
    postMessage: (m: unknown, t?: Transferable[]) => port1.postMessage(m, t as never),
    addEventListener: (type: string, l: EventListener) =>
      type === 'error' ? errors.addEventListener(type, l) : port1.addEventListener(type, l as never),
    removeEventListener: (type: string, l: EventListener) =>
      type === 'error' ? errors.removeEventListener(type, l) : port1.removeEventListener(type, l as never),
    start: () => (port1 as MessagePort).start(),
    terminate: () => {
      terminated = true;
      port1.close();
      port2.close();
    },
  };
  return {
    worker: worker as unknown as Worker,
    crash: () =>
      errors.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'boom' })),
    terminated: () => terminated,
  };
}

describe('engine client restarts a dead worker', () => {
  it('fails calls in flight, starts a fresh worker and tells listeners', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const client = createEngineClient(() => {
      const generation = workers.length + 1;
      const w = fakeWorker({
        // The first worker never answers a load: it is about to crash.
        loadSample: () =>
          generation === 1 ? new Promise<DatasetInfo>(() => {}) : Promise.resolve(datasetInfo('iris')),
        datasets: async () => [datasetInfo(`from-worker-${generation}`)],
      });
      workers.push(w);
      return w.worker;
    });
    const restarts: string[] = [];
    let settled = 0;
    client.onRestart((reason) => restarts.push(reason));
    client.onJobSettled(() => {
      settled += 1;
    });

    expect((await client.api.datasets()).map((d) => d.id)).toEqual(['from-worker-1']);
    const job = client.start((j: JobOptions) => client.api.loadSample('iris', j));
    workers[0]!.crash();
    await expect(job.promise).rejects.toMatchObject({
      name: 'InternalError',
      message: expect.stringMatching(/engine stopped while working.*boom.*restarted/),
    });
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated()).toBe(true);
    expect(restarts).toEqual([expect.stringContaining('boom')]);
    expect(settled).toBe(1);

    // The same `client.api` handle now reaches the new worker.
    expect((await client.api.datasets()).map((d) => d.id)).toEqual(['from-worker-2']);
    await expect(
      client.start((j: JobOptions) => client.api.loadSample('iris', j)).promise,
    ).resolves.toMatchObject({
      id: 'iris',
    });
    // An error from the old, replaced worker is not a second crash.
    workers[0]!.crash();
    expect(workers).toHaveLength(2);

    client.restart('killed by a test');
    expect(workers).toHaveLength(3);
    expect(restarts[1]).toBe('killed by a test');
    client.terminate();
  });
});

describe('recovery after a restart', () => {
  it('brings every dataset back in its place and says what could not be', () =>
    createRoot(async (dispose) => {
      const fake = createFakeClient();
      const wb = createWorkbench(fake.client);
      let restart: (reason: string) => void = () => {};
      const stored = (id: string): DatasetInfo => ({
        ...datasetInfo(id),
        fingerprint: `fp-${id}`,
        storage: { kind: 'stored', bytes: 10 },
      });
      const restored: string[] = [];
      const storageClient = {
        api: {
          storedDatasets: async () => [],
          storageEstimate: async () => ({ usage: 1, quota: 100, available: true }),
          deleteStored: async () => {},
          restoreDataset: async (fp: string) => {
            restored.push(fp);
            return { ...stored(`${fp.slice(3)}-new`), name: `${fp.slice(3)}.csv` };
          },
        },
      };
      const storage = createStorage(storageClient, wb, null);
      const recovery = createRecovery(
        {
          api: {
            loadSample: async (name: string) => ({
              ...datasetInfo(`${name}-new`),
              name: 'Iris',
              source: { kind: 'sample', sample: name },
            }),
            generateSynthetic: async () => datasetInfo('never'),
          },
          onRestart: (l) => {
            restart = l;
            return () => {};
          },
          onJobSettled: () => () => {},
        },
        wb,
        storage,
      );

      wb.adopt(stored('a'));
      wb.adopt({ ...datasetInfo('iris'), name: 'Iris', source: { kind: 'sample', sample: 'iris' } });
      wb.adopt({
        ...datasetInfo('big'),
        storage: { kind: 'memory', reason: 'quota', message: 'full' },
      });
      wb.adopt({ ...datasetInfo('a.out'), source: { kind: 'derived', from: 'a' } });
      wb.select('iris');

      restart('test');
      await recovery.idle();

      expect(restored).toEqual(['fp-a']);
      expect(wb.state.datasets.map((d) => d.id)).toEqual(['a-new', 'iris-new']);
      expect(wb.state.selectedId).toBe('iris-new');
      expect(wb.state.jobs).toHaveLength(0);
      expect(recovery.notice()?.lost).toEqual(['big.csv']);
      expect(recovery.notice()?.message).toMatch(
        /^The engine restarted; your stored data was restored\. Not kept in this browser, so open again: big\.csv\. Run the notebook again/,
      );
      dispose();
    }));

  it('says plainly that the data was restored when everything came back', () =>
    createRoot(async (dispose) => {
      const wb = createWorkbench(createFakeClient().client);
      let restart: (reason: string) => void = () => {};
      const storage = createStorage(
        {
          api: {
            storedDatasets: async () => [],
            storageEstimate: async () => ({ usage: null, quota: null, available: true }),
            deleteStored: async () => {},
            restoreDataset: async () => datasetInfo('x'),
          },
        },
        wb,
        null,
      );
      const recovery = createRecovery(
        {
          api: {
            loadSample: async () => datasetInfo('x'),
            generateSynthetic: async (o) => ({
              ...datasetInfo('synthetic-new', o.rows),
              source: { kind: 'synthetic', rows: o.rows, seed: o.seed },
            }),
          },
          onRestart: (l) => {
            restart = l;
            return () => {};
          },
          onJobSettled: () => () => {},
        },
        wb,
        storage,
      );
      wb.adopt({ ...datasetInfo('synthetic', 50), source: { kind: 'synthetic', rows: 50, seed: 7 } });
      restart('test');
      await recovery.idle();
      expect(wb.state.datasets.map((d) => [d.id, d.rows])).toEqual([['synthetic-new', 50]]);
      expect(recovery.notice()?.message).toBe('The engine restarted; your data was restored.');
      dispose();
    }));
});
