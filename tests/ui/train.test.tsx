// @vitest-environment happy-dom
/**
 * The Train and Evaluate panels over a store backed by the real engine in-process: the form
 * edits the settings, Train fills the runs table with metrics and CIs, a bad parameter stays in
 * its field with a message, the grid parser refuses bad values, and Evaluate shows the verdict.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { createStore } from 'solid-js/store';
import { afterEach, describe, expect, it } from 'vitest';
import { initCompute } from '../../src/gpu/device';
import type { JobOptions, Progress } from '../../src/protocol/api';
import { ci, meanStd, num, remaining } from '../../src/report/format';
import { emptyNotebook, type Notebook, type TrainSettings } from '../../src/spec/notebook';
import { createTrainStore } from '../../src/state/train';
import { EvaluatePanel } from '../../src/ui/evaluate/EvaluatePanel';
import { distinctTitles } from '../../src/ui/format';
import { TrainPanel } from '../../src/ui/train/TrainPanel';
import { parseGridValues, scoreByParam } from '../../src/ui/train/TunePanel';
import { createEngine } from '../../workers/engine';

afterEach(cleanup);

async function setup() {
  // The Node engine, built here: happy-dom's URL cannot make the file URL engine.node.ts uses.
  const engine = createEngine({
    fetchSample: async (file) => new Uint8Array(readFileSync(resolve('public/samples', file))),
    initCompute: () => initCompute({ webgpu: false, tfjs: false }),
  });
  const ds = await engine.loadSample('iris');
  const [host, setHost] = createStore({
    notebook: { ...emptyNotebook(), target: 'target' } as Notebook,
    progress: {} as Record<string, Progress>,
  });
  let n = 0;
  const store = createRoot(() =>
    createTrainStore(
      { api: engine },
      {
        startJob<T>(_label: string, run: (job: JobOptions) => Promise<T>) {
          const id = `ui${++n}`;
          return {
            id,
            promise: run({ id, onProgress: (p) => setHost('progress', id, { ...p }) }),
            cancel: () => {},
          };
        },
        jobProgress: (id) => host.progress[id] ?? null,
        datasetId: () => ds.id,
        notebook: () => host.notebook,
        setTarget: (column) => setHost('notebook', 'target', column),
        setTrainSettings: (settings: TrainSettings) => setHost('notebook', 'train', settings),
      },
    ),
  );
  await waitFor(() => expect(store.state.catalog.length).toBeGreaterThan(0));
  await waitFor(() => expect(store.state.inferredTask).toBe('classification'));
  return { ds, host, store };
}

describe('Train panel', { timeout: 60_000 }, () => {
  it('edits the settings, trains, and lists the runs with metrics and CIs; Evaluate gives the verdict', async () => {
    const { ds, host, store } = await setup();
    render(() => <TrainPanel store={store} dataset={ds} target={host.notebook.target} />);
    expect((screen.getByTestId('train-task') as HTMLSelectElement).options[0]!.textContent).toBe(
      'inferred: classification',
    );
    fireEvent.change(screen.getByTestId('add-model'), { target: { value: 'GaussianNB' } });
    expect(store.state.settings.models.map((m) => m.name)).toEqual(['LogisticRegression', 'GaussianNB']);
    fireEvent.input(screen.getByTestId('train-folds'), { target: { value: '3' } });
    expect(store.state.settings.split.k).toBe(3);
    fireEvent.click(screen.getByTestId('train-button'));
    await waitFor(
      () => expect(screen.getByTestId('runs-table').querySelectorAll('tbody tr')).toHaveLength(2),
      {
        timeout: 20_000,
      },
    );
    const acc = screen
      .getByTestId('runs-table')
      .querySelector('tr[data-run="GaussianNB"] td[data-metric="accuracy"]');
    expect(acc?.textContent).toMatch(/^0\.\d{3} ± 0\.\d{3} ?\[0\.\d{3}, [01]\.\d{3}\]$/);
    expect(screen.getByTestId('train-verdicts').textContent).toMatch(
      /LogisticRegression.*GaussianNB|GaussianNB.*LogisticRegression/,
    );
    expect(host.notebook.train?.split).toEqual({ kind: 'stratified-kfold', k: 3 });
    cleanup();
    render(() => <EvaluatePanel store={store} />);
    await waitFor(() => expect(screen.getByTestId('eval-verdict').textContent).toMatch(/corrected t-test/));
    expect(screen.getByTestId('eval-metrics').querySelector('tr[data-metric="log_loss"]')).not.toBeNull();
    expect(document.querySelector('[data-chart="confusion"] svg .cell')).not.toBeNull();
  });

  it('keeps a bad parameter in its field with a message and does not store it', async () => {
    const { ds, host, store } = await setup();
    render(() => <TrainPanel store={store} dataset={ds} target={host.notebook.target} />);
    const c = document.querySelector('#model-0-C') as HTMLInputElement;
    fireEvent.input(c, { target: { value: '-1' } });
    expect(screen.getByRole('alert').textContent).toMatch(/at least|positive|Must/);
    expect(store.state.settings.models[0]!.params).toEqual({});
    fireEvent.input(c, { target: { value: '10' } });
    expect(store.state.settings.models[0]!.params).toEqual({ C: 10 });
  });
});

describe('train formatting and grids', () => {
  it('parses grids against the schema', () => {
    const C = { type: 'number', default: 1, min: 0, description: '' } as const;
    expect(parseGridValues(C, '0.1, 1, 10')).toEqual([0.1, 1, 10]);
    expect(parseGridValues(C, '1, x')).toBe('"x" is not a number.');
    expect(parseGridValues(C, '-1')).toBe('-1 is below 0.');
    const kind = { type: 'enum', options: ['a', 'b'], default: 'a', description: '' } as const;
    expect(parseGridValues(kind, 'a, c')).toBe('"c" is not one of a, b.');
  });
  it('charts the best score per parameter value, clips bounded CIs, estimates time left', () => {
    const s = (mean: number) => ({ mean, std: 0, n: 5, ciLow: mean - 0.125, ciHigh: mean + 0.125 });
    const candidates = [
      { params: { C: 1, tol: 1 }, score: s(0.75), rank: 2, fitMs: 1 },
      { params: { C: 1, tol: 2 }, score: s(0.875), rank: 1, fitMs: 1 },
      { params: { C: 0.1, tol: 1 }, score: s(0.5), rank: 3, fitMs: 1 },
    ];
    expect(scoreByParam(candidates, 'C', true)).toEqual({
      x: [0.1, 1],
      y: [0.5, 0.875],
      low: [0.375, 0.75],
      high: [0.625, 1],
    });
    expect(ci(s(0.9375), 'accuracy')).toBe('[0.813, 1.000]');
    expect(ci(s(0.9375), 'log_loss')).toBe('[0.813, 1.063]');
    expect(remaining(0.25, 0, 1000)).toBe(3000);
    expect(remaining(0.01, 0, 1000)).toBeNull();
  });

  it('titles two runs that read alike apart by when they finished; a unique title stays as it is', () => {
    const runs = [
      { t: 'LogisticRegression · defaults', at: Date.UTC(2026, 11, 7, 22, 41, 7) },
      { t: 'LogisticRegression · defaults', at: Date.UTC(2026, 11, 7, 22, 55, 30) },
      { t: 'RandomForestClassifier · defaults', at: Date.UTC(2026, 11, 7, 22, 55, 30) },
    ];
    const titles = distinctTitles(
      runs,
      (r) => r.t,
      (r) => r.at,
    );
    const [a, b, c] = runs.map((r) => titles.get(r)!);
    expect(a).toMatch(/^LogisticRegression · defaults · \d\d:\d\d:07$/);
    expect(b).toMatch(/^LogisticRegression · defaults · \d\d:\d\d:30$/);
    expect(a).not.toBe(b);
    expect(c).toBe('RandomForestClassifier · defaults');
  });

  it('writes metrics on prices in one style: no "3.48e+4 ± 424.382" next to "7613.485 ± 563.125"', () => {
    const m = (mean: number, std: number) => ({ mean, std, n: 5, ciLow: mean - std, ciHigh: mean + std });
    expect(meanStd(m(34812.4, 424.382))).toBe('34,812 ± 424');
    expect(meanStd(m(7613.485, 563.125))).toBe('7,613 ± 563');
    expect(ci(m(34812.4, 424.382), 'rmse')).toBe('[34,388, 35,237]');
    expect(meanStd(m(0.9263, 0.0091))).toBe('0.926 ± 0.009');
    expect(meanStd(m(747.6, 48.804))).toBe('747.6 ± 48.8'); // diamonds' MAE
    expect(meanStd(m(1318.2, 343.1))).toBe('1,318 ± 343');
    expect(num(2.5e12)).toBe('2.50e+12');
  });
});
