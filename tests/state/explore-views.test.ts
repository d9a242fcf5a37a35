/**
 * The Explore tab's stores with a stubbed engine whose every call waits until the test answers
 * it: requests follow each panel's settings, superseded answers are dropped and superseded jobs
 * cancelled, answers survive tab switches, colour codes are fetched once and shared, the
 * embedding's job and layouts, and the selected-rows listing.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { ColumnType } from '../../src/core/types';
import type { DatasetInfo, Insight, JobOptions, Progress } from '../../src/protocol/api';
import type { Job } from '../../src/state/client';
import { createExploreStore } from '../../src/state/explore';
import { createExploreViews, defaultSettings, type ExploreViewsApi } from '../../src/state/explore-views';

interface Call {
  method: string;
  args: unknown[];
  job?: JobOptions;
  resolve(value: unknown): void;
  reject(e: unknown): void;
}

function dataset(id: string, columns: [string, ColumnType][]): DatasetInfo {
  return {
    id,
    name: `${id}.csv`,
    source: { kind: 'file', name: `${id}.csv` },
    rows: 4,
    columns: columns.map(([name, type]) => ({
      name,
      type,
      inferredType: type,
      arrowType: 'Float64',
      missing: 0,
    })),
    memoryBytes: 0,
    fileBytes: 0,
    report: { format: 'csv', raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 },
  };
}

const IRIS = dataset('iris', [
  ['sepal', 'float'],
  ['petal', 'float'],
  ['width', 'float'],
  ['species', 'categorical'],
]);
const PEOPLE = dataset('people', [
  ['joined', 'date'],
  ['age', 'integer'],
  ['city', 'categorical'],
]);

/** An engine whose calls wait for the test, and a job runner like the workbench's. */
function fakeEngine() {
  const calls: Call[] = [];
  const cancelled: string[] = [];
  const [progress, setProgress] = createSignal<Record<string, Progress>>({});
  let jobs = 0;
  const deferred =
    (method: string) =>
    (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const last = args.at(-1) as JobOptions | undefined;
        const job = last && typeof last === 'object' && 'id' in last ? last : undefined;
        calls.push({ method, args, ...(job ? { job } : {}), resolve, reject });
      });
  const names = [
    'columnSummary',
    'scatterData',
    'columnsData',
    'correlation',
    'groupedDistribution',
    'missingness',
    'insights',
    'embedding',
    'embeddingFrame',
    'setSelection',
    'selectedRows',
    'selectedTable',
  ] as const;
  const api = Object.fromEntries(names.map((n) => [n, deferred(n)])) as unknown as ExploreViewsApi &
    Parameters<typeof createExploreStore>[0];
  const startJob = <T>(_label: string, run: (job: JobOptions) => Promise<T>): Job<T> => {
    const id = `job-${++jobs}`;
    const promise = run({ id });
    return {
      id,
      promise,
      cancel: () => {
        cancelled.push(id);
        calls.find((c) => c.job?.id === id)?.reject(new EngineError('Cancelled', 'The job was cancelled.'));
      },
    };
  };
  const of = (method: string) => calls.filter((c) => c.method === method);
  return { api, startJob, calls, cancelled, progress, setProgress, of };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function harness() {
  const engine = fakeEngine();
  const [current, setCurrent] = createSignal<DatasetInfo | null>(IRIS);
  const [revisions, setRevisions] = createSignal<Record<string, number>>({});
  const [target, setTarget] = createSignal<string | null>(null);
  const selection = createExploreStore(engine.api);
  const views = createExploreViews(engine.api, selection, {
    startJob: engine.startJob,
    progressOf: (id) => engine.progress()[id] ?? null,
    dataset: current,
    revision: (id) => revisions()[id] ?? 0,
    target,
  });
  return { engine, views, selection, setCurrent, setRevisions, setTarget };
}

/** Runs a test inside a root (solid-primitives' style), disposed at the end. */
function inRoot(test: (h: ReturnType<typeof harness>) => Promise<void>) {
  return () =>
    createRoot(async (dispose) => {
      try {
        await test(harness());
      } finally {
        dispose();
      }
    });
}

/** A child owner, as a panel is: its requests stop when it is disposed. */
function panel(body: () => void): () => void {
  return createRoot((dispose) => {
    body();
    return dispose;
  });
}

const summary = (column: string) => ({ kind: 'numeric', column, edges: [0, 1], counts: [4], missing: 0 });

describe('createExploreViews', () => {
  it('defaults each panel from the dataset: numeric columns, the label-like column for colour', () => {
    const s = defaultSettings(IRIS, null);
    expect(s).toMatchObject({
      column: 'sepal',
      color: 'species',
      scatter: { x: 'sepal', y: 'petal', size: '' },
      splom: ['sepal', 'petal', 'width'],
      grouped: { column: 'sepal', by: 'species' },
    });
    expect(defaultSettings(PEOPLE, 'age').color).toBe('age');
    // A numeric (regression) target colours the points but does not group the boxes.
    expect(defaultSettings(PEOPLE, 'age').grouped).toEqual({ column: 'joined', by: 'city' });
    expect(defaultSettings(PEOPLE, 'city').grouped.by).toBe('city');
    expect(defaultSettings(PEOPLE, 'not a column').color).toBe('');
  });

  it(
    'a panel requests what its settings say, and only the newest answer counts',
    inRoot(async ({ engine, views }) => {
      panel(() => views.distribution.follow());
      await settle();
      expect(engine.of('columnSummary').map((c) => c.args.slice(0, 3))).toEqual([
        ['iris', 'sepal', { bins: 30 }],
      ]);
      expect(views.distribution.loading()).toBe(true);

      views.setColumn('petal');
      views.setBins(12);
      await settle();
      const [first, second, third] = engine.of('columnSummary');
      expect(second!.args.slice(1)).toEqual(['petal', { bins: 30 }]);
      expect(third!.args.slice(1)).toEqual(['petal', { bins: 12 }]);
      // The superseded answers arrive last: dropped.
      third!.resolve(summary('petal'));
      first!.resolve(summary('sepal'));
      second!.resolve({ ...summary('petal'), counts: [99] });
      await settle();
      expect(views.distribution.value()).toMatchObject({ column: 'petal', counts: [4] });
      expect(views.distribution.status()).toBe('ready');
    }),
  );

  it(
    'keeps settings per dataset; a panel shown again costs no request, a new revision refetches',
    inRoot(async ({ engine, views, setCurrent, setRevisions }) => {
      const hide = panel(() => views.distribution.follow());
      await settle();
      views.setColumn('width');
      await settle();
      engine.of('columnSummary').at(-1)!.resolve(summary('width'));
      await settle();
      expect(engine.of('columnSummary')).toHaveLength(2);

      // Another tab and back: the panel is mounted again and shows the answer it had.
      hide();
      panel(() => views.distribution.follow());
      await settle();
      expect(engine.of('columnSummary')).toHaveLength(2);
      expect(views.distribution.value()).toMatchObject({ column: 'width' });

      setCurrent(PEOPLE);
      await settle();
      expect(views.settings()?.column).toBe('joined');
      expect(engine.of('columnSummary').at(-1)!.args.slice(0, 2)).toEqual(['people', 'joined']);
      expect(views.distribution.value()).toBeNull(); // the iris answer is not this dataset's
      expect(views.distribution.latest()).toMatchObject({ column: 'width' }); // but stays drawable

      setCurrent(IRIS);
      await settle();
      expect(views.settings()?.column).toBe('width');
      expect(engine.of('columnSummary').at(-1)!.args.slice(0, 2)).toEqual(['iris', 'width']);

      setRevisions({ iris: 1 });
      await settle();
      expect(engine.of('columnSummary')).toHaveLength(5);
    }),
  );

  it(
    'the histogram and box plot refetch their selected counts when the selection changes; the scatter does not',
    inRoot(async ({ engine, views, selection }) => {
      panel(() => {
        views.distribution.follow();
        views.grouped.follow();
        views.scatter.follow();
      });
      await settle();
      expect(engine.of('scatterData').at(-1)!.args).toEqual([
        'iris',
        { x: 'sepal', y: 'petal', color: 'species', size: null },
      ]);
      const before = { d: engine.of('columnSummary').length, g: engine.of('groupedDistribution').length };
      const brush = selection.setFilter('iris', 'dist:sepal', {
        kind: 'range',
        column: 'sepal',
        range: [0, 1],
      });
      engine
        .of('setSelection')
        .at(-1)!
        .resolve({ count: 2, rows: 4, expression: 'x', mask: new Uint8Array(4) });
      await brush;
      await settle();
      expect(engine.of('columnSummary')).toHaveLength(before.d + 1);
      expect(engine.of('groupedDistribution')).toHaveLength(before.g + 1);
      expect(engine.of('scatterData')).toHaveLength(1);
    }),
  );

  it(
    'cancels a superseded insights job, and one still running when its panel goes away',
    inRoot(async ({ engine, views, setTarget }) => {
      const dispose = panel(() => views.insights.follow());
      await settle();
      expect(engine.of('insights').at(-1)!.args.slice(0, 2)).toEqual(['iris', { target: 'species' }]);
      expect(views.insights.jobId()).toBe('job-1');
      setTarget('petal');
      await settle();
      expect(engine.cancelled).toEqual(['job-1']);
      expect(engine.of('insights').at(-1)!.args[1]).toEqual({ target: 'petal' });
      expect(views.insights.status()).toBe('loading'); // the cancelled job's answer does not count
      dispose();
      expect(engine.cancelled).toEqual(['job-1', 'job-2']);
      // Shown again: asked again (the cancelled request left nothing behind).
      panel(() => views.insights.follow());
      await settle();
      expect(engine.of('insights')).toHaveLength(3);
    }),
  );

  it(
    'reports a failed request as a sentence, and asks again on refetch',
    inRoot(async ({ engine, views }) => {
      panel(() => views.correlation.follow());
      await settle();
      engine.of('correlation')[0]!.reject(new EngineError('SchemaError', 'Needs two numeric columns.'));
      await settle();
      expect(views.correlation.status()).toBe('error');
      expect(views.correlation.error()).toBe('Needs two numeric columns.');
      await settle();
      expect(engine.of('correlation')).toHaveLength(1); // an error is not retried by itself
      views.correlation.refetch();
      expect(engine.of('correlation')).toHaveLength(2);
      expect(views.correlation.loading()).toBe(true);
    }),
  );

  it(
    "fetches a column's colour codes once for every view that colours by it",
    inRoot(async ({ engine, views }) => {
      panel(() => views.followColours(() => views.settings()!.color));
      panel(() => views.followColours(() => views.settings()!.grouped.by));
      await settle();
      const asked = engine.of('scatterData');
      expect(asked).toHaveLength(1);
      expect(asked[0]!.args).toEqual(['iris', { x: 'sepal', y: 'sepal', color: 'species' }]);
      expect(views.coloursPending('species')).toBe(true);
      expect(views.coloursPending('')).toBe(false);
      asked[0]!.resolve({ x: 0, y: 0, color: Uint32Array.from([0, 1, 2, 0]), categories: ['b', 'a', 'c'] });
      await settle();
      expect(views.coloursOf('species')?.categories).toEqual(['b', 'a', 'c']);
      expect(views.coloursPending('species')).toBe(false);
      views.setColor('');
      await settle();
      expect(engine.of('scatterData')).toHaveLength(1);
    }),
  );

  it(
    'opens the panel an insight points at, on its columns',
    inRoot(async ({ views }) => {
      const insight = (chart: Insight['chart']): Insight => ({
        id: 'i',
        kind: 'correlation',
        score: 1,
        text: '',
        chart,
        columns: [],
      });
      expect(views.openInsight(insight({ kind: 'scatter', x: 'width', y: 'sepal' }))).toBe('explore-scatter');
      expect(views.settings()!.scatter).toMatchObject({ x: 'width', y: 'sepal' });
      expect(views.settings()!.color).toBe('species');
      expect(views.openInsight(insight({ kind: 'box', column: 'petal', by: 'species' }))).toBe(
        'explore-grouped',
      );
      expect(views.settings()!.grouped).toEqual({ column: 'petal', by: 'species' });
      expect(views.openInsight(insight({ kind: 'histogram', column: 'width' }))).toBe('explore-distribution');
      expect(views.settings()!.column).toBe('width');
    }),
  );

  it(
    'runs an embedding as a job, animates through its frames, and a new run or another dataset cancels it',
    inRoot(async ({ engine, views, setCurrent }) => {
      panel(() => views.embedding.follow());
      await settle();
      views.setEmbeddingMethod('umap');
      views.embedding.run();
      await settle();
      expect(views.embedding.running()).toBe(true);
      const run = engine.of('embedding')[0]!;
      expect(run.args.slice(0, 2)).toEqual(['iris', { method: 'umap', seed: 0 }]);

      // Progress: the intermediate layout is fetched and shown.
      engine.setProgress({ 'job-1': { fraction: 0.5, phase: 'optimising' } });
      await settle();
      const frame = engine.of('embeddingFrame').at(-1)!;
      expect(frame.args).toEqual(['job-1']);
      frame.resolve({ x: Float32Array.of(1), y: Float32Array.of(2) });
      await settle();
      expect(views.embedding.layout()).toMatchObject({ method: 'umap', final: false });

      // A second run cancels the first; its answer is ignored.
      views.embedding.run();
      expect(engine.cancelled).toContain('job-1');
      const second = engine.of('embedding')[1]!;
      second.resolve({ method: 'umap', columns: [], x: Float32Array.of(3), y: Float32Array.of(4) });
      await settle();
      expect(views.embedding.running()).toBe(false);
      expect(views.embedding.layout()).toMatchObject({ final: true, x: Float32Array.of(3) });
      expect(views.embedding.result()?.method).toBe('umap');

      // Another dataset: a running job of this one is cancelled, and nothing of it is shown.
      views.embedding.run();
      setCurrent(PEOPLE);
      await settle();
      expect(engine.cancelled).toContain('job-3');
      expect(views.embedding.layout()).toBeNull();
      setCurrent(IRIS);
      await settle();
      expect(views.embedding.error()).toBe('The job was cancelled.');
    }),
  );

  it(
    'lists the selected rows again whenever the selection changes',
    inRoot(async ({ engine, selection }) => {
      const list = selection.selectedRows(() => 'iris', 2);
      panel(() => list.follow());
      await settle();
      const bytes = tableToIPC(tableFromArrays({ x: Float64Array.from([5, 6]) }));
      engine.of('selectedRows')[0]!.resolve(Uint32Array.from([3, 7]));
      engine.of('selectedTable')[0]!.resolve(bytes);
      await settle();
      expect(Array.from(list.value()!.ids)).toEqual([3, 7]);
      expect(list.value()!.table.getChild('x')?.toArray()).toEqual(Float64Array.from([5, 6]));
      expect(engine.of('selectedRows')).toHaveLength(1);
      const brush = selection.setFilter('iris', 'x', { kind: 'range', column: 'x', range: [0, 9] });
      engine
        .of('setSelection')
        .at(-1)!
        .resolve({ count: 2, rows: 4, expression: null, mask: new Uint8Array(4) });
      await brush;
      await settle();
      expect(engine.of('selectedRows')).toHaveLength(2);
      expect(engine.of('selectedRows')[1]!.args).toEqual(['iris', 0, 2]);
    }),
  );
});
