// @vitest-environment happy-dom
/**
 * The Explore tab rendered over its stores with a stubbed engine: the components never call the
 * engine themselves (every call below goes through the stores), the tab-wide "Colour by" reaches
 * the scatter's request, the box plot takes its group colours from the colour column's shared
 * scale, a date column gets a time axis, and a failed request is said in its panel.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { ColumnType } from '../../src/core/types';
import type { DatasetInfo, JobOptions } from '../../src/protocol/api';
import type { Job } from '../../src/state/client';
import { createExploreStore } from '../../src/state/explore';
import { createExploreViews } from '../../src/state/explore-views';
import type { NotebookStore } from '../../src/state/notebook';
import { ExploreTab } from '../../src/ui/explore/ExploreTab';
import { NotebookContext } from '../../src/ui/notebook/context';
import { colourFor, lightTheme, OKABE_ITO } from '../../src/viz';

afterEach(cleanup);

const ROWS = 6;
const DAY = 86_400_000;
const columns: [string, ColumnType][] = [
  ['joined', 'date'],
  ['petal', 'float'],
  ['sepal', 'float'],
  ['species', 'categorical'],
];
const DATASET: DatasetInfo = {
  id: 'flowers',
  name: 'flowers.csv',
  source: { kind: 'file', name: 'flowers.csv' },
  rows: ROWS,
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
/** The worker's colour codes: most frequent first, not in label order. */
const CATEGORIES = ['virginica', 'setosa', 'versicolor'];

function engine() {
  const calls: { method: string; args: unknown[] }[] = [];
  const seen =
    <T,>(method: string, answer: (...args: never[]) => T) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      return answer(...(args as never[]));
    };
  const floats = (lo: number, step: number) => Float32Array.from({ length: ROWS }, (_, i) => lo + i * step);
  const box = (label: string) => ({
    label,
    n: 2,
    q1: Date.UTC(2016, 0) + 100 * DAY,
    median: Date.UTC(2017, 0),
    q3: Date.UTC(2018, 0),
    whiskerLo: Date.UTC(2015, 0),
    whiskerHi: Date.UTC(2020, 0),
    grid: [],
    density: [],
  });
  const api = {
    columnSummary: seen('columnSummary', (_id: string, column: string) => ({
      kind: 'numeric' as const,
      column,
      edges: Float64Array.from([0, 1, 2, 3].map((k) => Date.UTC(2015 + 2 * k, 0))),
      counts: Float64Array.from([2, 3, 1]),
      missing: 0,
    })),
    scatterData: seen('scatterData', (_id: string, spec: { color?: string | null }) => ({
      x: floats(1, 1),
      y: floats(2, 0.5),
      ...(spec.color ? { color: Uint32Array.from([0, 1, 2, 0, 1, 2]), categories: CATEGORIES } : {}),
    })),
    columnsData: seen('columnsData', (_id: string, names: string[]) =>
      names.map((name) => ({ name, values: floats(0, 1) })),
    ),
    correlation: async () => {
      calls.push({ method: 'correlation', args: [] });
      throw new EngineError('SchemaError', 'Correlations need two numeric columns without a constant one.');
    },
    groupedDistribution: seen('groupedDistribution', (_id: string, column: string, by: string | null) => ({
      column,
      by,
      groups: ['setosa', 'versicolor', 'virginica'].map(box),
      groupsLeftOut: 0,
    })),
    missingness: seen('missingness', () => ({
      columns: columns.map(([n]) => n),
      rows: ROWS,
      bitmap: new Uint8Array(ROWS * columns.length),
      totalRows: ROWS,
      patterns: [],
      missingPerColumn: columns.map(() => 0),
    })),
    insights: seen('insights', () => []),
    embedding: seen('embedding', () => ({
      method: 'pca' as const,
      columns: [],
      x: floats(0, 1),
      y: floats(0, 1),
    })),
    embeddingFrame: seen('embeddingFrame', () => null),
    setSelection: seen('setSelection', () => ({ count: ROWS, rows: ROWS, expression: null, mask: null })),
    selectedRows: seen('selectedRows', () => new Uint32Array(0)),
    selectedTable: seen('selectedTable', () => new Uint8Array(0)),
  };
  return { api, calls, of: (m: string) => calls.filter((c) => c.method === m) };
}

function mount() {
  const e = engine();
  const { views, store } = createRoot(() => {
    const store = createExploreStore(e.api as never);
    const views = createExploreViews(e.api as never, store, {
      startJob: <T,>(_label: string, run: (job: JobOptions) => Promise<T>): Job<T> => ({
        id: 'job-1',
        promise: run({ id: 'job-1' }),
        cancel: () => undefined,
      }),
      progressOf: () => null,
      dataset: () => DATASET,
      revision: () => 0,
      target: () => null,
    });
    return { views, store };
  });
  render(() => (
    <NotebookContext.Provider value={{} as NotebookStore}>
      <ExploreTab views={views} store={store} dataset={DATASET} />
    </NotebookContext.Provider>
  ));
  return { ...e, views };
}

describe('ExploreTab', () => {
  it('renders every panel from the stores; "Colour by" reaches the scatter request', async () => {
    const { of } = mount();
    await waitFor(() =>
      expect(screen.getByTestId('explore-distribution').querySelector('svg')).not.toBeNull(),
    );
    // Defaults: the first numeric column (a date), coloured by the label-like column.
    expect((screen.getByTestId('explore-column') as HTMLSelectElement).value).toBe('joined');
    expect((screen.getByTestId('explore-colour') as HTMLSelectElement).value).toBe('species');
    await waitFor(() =>
      expect(of('scatterData').some((c) => (c.args[1] as { x: string }).x === 'joined')).toBe(true),
    );

    fireEvent.change(screen.getByTestId('explore-colour'), { target: { value: 'petal' } });
    await waitFor(() =>
      expect(of('scatterData').map((c) => c.args[1])).toContainEqual({
        x: 'joined',
        y: 'petal',
        color: 'petal',
        size: null,
      }),
    );
  });

  it('draws the date column on a time axis, in the histogram and the box plot', async () => {
    mount();
    const dist = await screen.findByTestId('explore-distribution');
    await waitFor(() => expect(dist.querySelectorAll('.axis-x .tick text').length).toBeGreaterThan(1));
    const ticks = [...dist.querySelectorAll('.axis-x .tick text')].map((t) => t.textContent);
    expect(ticks.every((t) => /^20\d\d$/.test(t ?? ''))).toBe(true);
    const grouped = screen.getByTestId('explore-grouped');
    await waitFor(() => expect(grouped.querySelectorAll('.box')).toHaveLength(3));
    const yTicks = [...grouped.querySelectorAll('.axis-y .tick text')].map((t) => t.textContent);
    expect(yTicks.every((t) => /^20\d\d$/.test(t ?? ''))).toBe(true);
  });

  it("colours the box plot's groups with the colour column's shared scale", async () => {
    const { of } = mount();
    const grouped = await screen.findByTestId('explore-grouped');
    // The codes of "species" are fetched once for every view colouring by it.
    await waitFor(() =>
      expect(
        of('scatterData').filter((c) => (c.args[1] as { color?: string }).color === 'species').length,
      ).toBe(
        2, // the colour cache's and the scatter plot's own
      ),
    );
    const scale = colourFor('species', CATEGORIES);
    await waitFor(() => {
      const fills = [...grouped.querySelectorAll('.box rect')].map((r) => r.getAttribute('fill'));
      expect(fills).toEqual(['setosa', 'versicolor', 'virginica'].map((l) => scale.color(l, lightTheme)));
    });
    expect(scale.color('setosa', lightTheme)).toBe(OKABE_ITO[0]);
  });

  it('says in its panel what went wrong with a request', async () => {
    mount();
    const panel = await screen.findByTestId('explore-correlation');
    await waitFor(() =>
      expect(panel.querySelector('[role="alert"]')?.textContent).toBe(
        'Correlations need two numeric columns without a constant one.',
      ),
    );
  });
});
