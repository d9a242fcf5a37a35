// @vitest-environment happy-dom
import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { ColumnProfile, JobOptions, QualityOptions, QualityWarning } from '../../src/protocol/api';
import type { Job } from '../../src/state/client';
import { createProfileStore, type ProfileSource } from '../../src/state/profile';

interface Call<T> {
  kind: 'profile' | 'quality';
  datasetId: string;
  options?: QualityOptions;
  job: JobOptions;
  resolve(value: T): void;
  reject(e: unknown): void;
}

const column = (name: string): ColumnProfile => ({
  name,
  type: 'float',
  rows: 3,
  count: 3,
  missing: 0,
  distinct: 3,
  distinctApprox: false,
  dominant: null,
  numeric: null,
  categories: null,
  text: null,
  dates: null,
});

const warning = (id: string): QualityWarning => ({
  id,
  kind: 'missing',
  severity: 'info',
  columns: ['x'],
  message: `${id}.`,
});

/** An engine whose every call waits until the test settles it, and a job runner like the workbench's. */
function fakeEngine() {
  const calls: Call<unknown>[] = [];
  const cancelled: string[] = [];
  const labels: string[] = [];
  let counter = 0;
  // When set, cancel() is recorded but the job still answers, as when the answer was already on its way.
  const late = { answers: false };
  const api = {
    profile: (datasetId: string, job?: JobOptions) =>
      new Promise<ColumnProfile[]>((resolve, reject) => {
        calls.push({
          kind: 'profile',
          datasetId,
          job: job!,
          resolve: resolve as (v: unknown) => void,
          reject,
        });
      }),
    qualityReport: (datasetId: string, options?: QualityOptions, job?: JobOptions) =>
      new Promise<QualityWarning[]>((resolve, reject) => {
        calls.push({
          kind: 'quality',
          datasetId,
          ...(options ? { options } : {}),
          job: job!,
          resolve: resolve as (v: unknown) => void,
          reject,
        });
      }),
  };
  const startJob = <T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T> => {
    counter += 1;
    const id = `job-${counter}`;
    labels.push(label);
    const promise = run({ id });
    return {
      id,
      promise,
      cancel: () => {
        cancelled.push(id);
        if (late.answers) return;
        calls.find((c) => c.job.id === id)?.reject(new EngineError('Cancelled', 'The job was cancelled.'));
      },
    };
  };
  const of = (kind: Call<unknown>['kind']) => calls.filter((c) => c.kind === kind);
  return { api, startJob, calls, cancelled, labels, of, late };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(test: (t: ReturnType<typeof harness>) => Promise<void>) {
  return () =>
    createRoot(async (dispose) => {
      try {
        await test(harness());
      } finally {
        dispose();
      }
    });
}

function harness() {
  const engine = fakeEngine();
  const [source, setSource] = createSignal<ProfileSource | null>({
    id: 'iris',
    name: 'iris.csv',
    revision: 1,
    columns: ['x', 'target'],
  });
  const store = createProfileStore({ api: engine.api, startJob: engine.startJob, source });
  store.follow();
  return { engine, source, setSource, store };
}

describe('createProfileStore', () => {
  it(
    'profiles once per revision, then checks quality from the ready profile',
    setup(async ({ engine, store, source, setSource }) => {
      await settle();
      expect(engine.of('profile')).toHaveLength(1);
      // The report waits for the profile: the engine would otherwise profile twice.
      expect(engine.of('quality')).toHaveLength(0);
      expect(store.profile()?.status).toBe('loading');
      expect(engine.labels[0]).toBe('Profiling iris.csv');

      engine.of('profile')[0]?.resolve([column('x'), column('target')]);
      await settle();
      expect(store.profile()?.status).toBe('ready');
      expect(store.profile()?.value?.map((p) => p.name)).toEqual(['x', 'target']);
      expect(engine.of('quality')).toHaveLength(1);
      expect(engine.of('quality')[0]?.options).toEqual({ target: null, outlierMethod: 'iqr' });
      engine.of('quality')[0]?.resolve([warning('a')]);
      await settle();
      expect(store.report()?.value?.map((w) => w.id)).toEqual(['a']);

      // Same dataset and revision seen again (another dataset in between): nothing is refetched.
      const iris = source();
      setSource({ id: 'wine', name: 'wine.csv', revision: 1, columns: ['y'] });
      await settle();
      expect(engine.of('profile')).toHaveLength(2);
      setSource(iris);
      await settle();
      expect(engine.of('profile')).toHaveLength(2);
      expect(store.report()?.status).toBe('ready');

      // A re-typed column bumps the revision: profile and report are fetched again.
      setSource({ id: 'iris', name: 'iris.csv', revision: 2, columns: ['x', 'target'] });
      await settle();
      expect(engine.of('profile')).toHaveLength(3);
      expect(store.profile()?.status).toBe('loading');
      expect(store.report()).toBeNull();
    }),
  );

  it(
    'refetches only the report when the target or the outlier method changes',
    setup(async ({ engine, store }) => {
      await settle();
      engine.of('profile')[0]?.resolve([column('x'), column('target')]);
      await settle();
      engine.of('quality')[0]?.resolve([warning('a')]);
      await settle();

      store.setTarget('target');
      await settle();
      expect(engine.of('profile')).toHaveLength(1);
      expect(engine.of('quality')).toHaveLength(2);
      expect(engine.of('quality')[1]?.options).toEqual({ target: 'target', outlierMethod: 'iqr' });
      expect(store.report()?.status).toBe('loading');
      engine.of('quality')[1]?.resolve([warning('b')]);
      await settle();
      expect(store.report()?.value?.map((w) => w.id)).toEqual(['b']);

      store.setOutlierMethod('mad');
      await settle();
      expect(engine.of('quality')[2]?.options).toEqual({ target: 'target', outlierMethod: 'mad' });
      expect(engine.of('profile')).toHaveLength(1);

      // Back to a combination already answered: served from the cache.
      store.setOutlierMethod('iqr');
      await settle();
      expect(engine.of('quality')).toHaveLength(3);
      expect(store.report()?.value?.map((w) => w.id)).toEqual(['b']);

      // A target the dataset does not have counts as none.
      store.setTarget('not a column');
      await settle();
      expect(store.target()).toBeNull();
      expect(store.report()?.value?.map((w) => w.id)).toEqual(['a']);
    }),
  );

  it(
    'cancels a superseded report, and a cancelled fetch waits for Try again',
    setup(async ({ engine, store }) => {
      await settle();
      engine.of('profile')[0]?.resolve([column('x'), column('target')]);
      await settle();
      const first = engine.of('quality')[0];
      store.setOutlierMethod('zscore');
      await settle();
      // The user moved on before the IQR report came back: it is cancelled, not left to run.
      expect(engine.cancelled).toEqual([first?.job.id]);
      expect(engine.of('quality')).toHaveLength(2);

      store.cancel();
      await settle();
      expect(engine.cancelled).toHaveLength(2);
      expect(store.report()?.status).toBe('cancelled');
      expect(store.report()?.error?.name).toBe('Cancelled');
      await settle();
      expect(engine.of('quality')).toHaveLength(2);

      store.retry();
      await settle();
      expect(engine.of('quality')).toHaveLength(3);
      engine.of('quality')[2]?.resolve([warning('z')]);
      await settle();
      expect(store.report()?.status).toBe('ready');
      expect(store.report()?.value?.[0]?.id).toBe('z');
    }),
  );

  it(
    'keeps an engine error on screen until Try again; a new revision cancels the old profile',
    setup(async ({ engine, store, setSource }) => {
      await settle();
      engine.of('profile')[0]?.reject(new EngineError('OutOfMemory', 'Not enough memory.'));
      await settle();
      expect(store.profile()?.status).toBe('error');
      expect(store.profile()?.error?.message).toBe('Not enough memory.');
      expect(engine.of('profile')).toHaveLength(1);

      store.retry();
      await settle();
      expect(engine.of('profile')).toHaveLength(2);
      engine.late.answers = true;
      setSource({ id: 'iris', name: 'iris.csv', revision: 2, columns: ['x'] });
      await settle();
      // The revision-1 job is cancelled, and its answer, arriving anyway, is not shown.
      expect(engine.cancelled).toContain(engine.of('profile')[1]?.job.id);
      engine.of('profile')[1]?.resolve([column('stale')]);
      engine.of('profile')[2]?.resolve([column('x')]);
      await settle();
      expect(store.profile()?.value?.map((p) => p.name)).toEqual(['x']);
    }),
  );

  it(
    'remembers which fixes went to the notebook, per dataset',
    setup(async ({ store, setSource }) => {
      expect(store.fixAdded('missing:x')).toBe(false);
      store.markFixAdded('missing:x');
      expect(store.fixAdded('missing:x')).toBe(true);
      setSource({ id: 'other', name: 'other.csv', revision: 1, columns: ['x'] });
      expect(store.fixAdded('missing:x')).toBe(false);
    }),
  );
});
