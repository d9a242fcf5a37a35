// @vitest-environment happy-dom
/**
 * Evaluate's Errors section over the real engine in-process: after training, the section shows
 * the summary, the slices with their intervals and the worst rows; clicking a slice picks its rows
 * (as many as the slice's size) and selects them in the explore store; clicking a confusion cell
 * picks that cell's rows; a pick can be saved as a named slice.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { initCompute } from '../../src/gpu/device';
import type { JobOptions } from '../../src/protocol/api';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import { createErrorAnalysisStore } from '../../src/state/error-analysis';
import { createExploreStore } from '../../src/state/explore';
import { createTrainStore } from '../../src/state/train';
import { EvaluatePanel } from '../../src/ui/evaluate/EvaluatePanel';
import { createEngine } from '../../workers/engine';

afterEach(cleanup);

describe('Errors section', { timeout: 60_000 }, () => {
  it('lists slices and worst rows; a slice or a confusion cell selects its rows; a pick becomes a slice', async () => {
    // The Node engine, built here: happy-dom's URL cannot make the file URL engine.node.ts uses.
    const engine = createEngine({
      fetchSample: async (file) => new Uint8Array(readFileSync(resolve('public/samples', file))),
      initCompute: () => initCompute({ webgpu: false, tfjs: false }),
    });
    const ds = await engine.loadSample('iris');
    const notebook: Notebook = { ...emptyNotebook(), target: 'target' };
    let n = 0;
    const startJob = <T,>(_label: string, run: (job: JobOptions) => Promise<T>) => {
      const id = `ui${++n}`;
      return { id, promise: run({ id }), cancel: () => {} };
    };
    const opened: string[] = [];
    const { store, errors, explore } = createRoot(() => {
      const store = createTrainStore(
        { api: engine },
        {
          startJob,
          jobProgress: () => null,
          datasetId: () => ds.id,
          notebook: () => notebook,
          setTarget: () => {},
          setTrainSettings: () => {},
        },
      );
      return {
        store,
        errors: createErrorAnalysisStore({ api: engine }, { startJob, notebook: () => notebook }, store),
        explore: createExploreStore(engine),
      };
    });
    await waitFor(() => expect(store.state.inferredTask).toBe('classification'));
    await store.train()!.promise;
    render(() => (
      <EvaluatePanel
        store={store}
        errors={{
          errors,
          explore: { api: engine, store: explore },
          onOpen: (tab, id) => opened.push(`${tab}:${id}`),
        }}
      />
    ));

    await waitFor(() => expect(screen.getByTestId('errors-summary').textContent).toMatch(/misclassified/));
    expect(screen.getByTestId('errors-summary').textContent).toMatch(
      /^\d+ of 150 out-of-fold rows misclassified: error rate [\d.]+% \[[\d.]+%, [\d.]+%\]\. \d+ slices tested \(at least 20 rows each\): \d+ significantly worse/,
    );
    const first = screen.getByTestId('error-slices').querySelector('tbody tr[data-slice="0"]')!;
    expect(first.querySelector('svg.ci-bar')).not.toBeNull();
    const size = Number(first.querySelector('[data-testid="slice-size"]')!.textContent);
    const worst = screen.getByTestId('worst-rows').querySelectorAll('tbody tr');
    expect(worst.length).toBeGreaterThan(0);
    expect(screen.getByTestId('worst-rows').textContent).toContain('p(predicted)');

    fireEvent.click(first.querySelector('[data-testid="slice-button"]')!);
    await waitFor(() => expect(screen.getByTestId('errors-picked-count').textContent).toBe(String(size)));
    await waitFor(() => expect(explore.state.count).toBe(size));
    expect(first.classList.contains('selected')).toBe(true);
    await waitFor(() =>
      expect(screen.getByTestId('selected-rows').querySelectorAll('tbody tr')).toHaveLength(size),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Open in Explore' }));
    expect(opened).toEqual([`explore:${ds.id}`]);

    // A confusion cell (true virginica, predicted virginica): its count from the matrix.
    const cm = store.runById(store.state.selected)!.model.plots.confusion!.matrix;
    const cell = document.querySelector('[data-chart="confusion"] .cell[data-true="2"][data-pred="2"]')!;
    fireEvent.click(cell);
    await waitFor(() =>
      expect(screen.getByTestId('errors-picked').textContent).toMatch(
        /^true virginica, predicted virginica:/,
      ),
    );
    expect(screen.getByTestId('errors-picked-count').textContent).toBe(String(cm[2]![2]));
    await waitFor(() => expect(explore.state.count).toBe(cm[2]![2]));
    await waitFor(() =>
      expect(
        document.querySelector('[data-chart="confusion"] .cell.selected')?.getAttribute('data-true'),
      ).toBe('2'),
    );

    fireEvent.click(screen.getByTestId('save-error-slice'));
    expect(explore.state.slices.map((s) => [s.name, s.count])).toEqual([
      ['true virginica, predicted virginica', cm[2]![2]],
    ]);
  });
});
