// @vitest-environment happy-dom
import { createRoot } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datasetRefFor } from '../../src/state/dataset-ref';
import { createNotebookStore, stepKeys } from '../../src/state/notebook';
import { createNotebookFakes, irisInfo, runResult } from './notebook-fakes';

type Fakes = ReturnType<typeof createNotebookFakes>;
type Store = ReturnType<typeof createNotebookStore>;

/** A store over a fake engine with iris selected and the catalog loaded. */
function withStore(test: (nb: Store, fakes: Fakes) => Promise<void>) {
  return () =>
    createRoot(async (dispose) => {
      const fakes = createNotebookFakes();
      const nb = createNotebookStore(fakes.client, fakes.host, { debounceMs: 300 });
      try {
        await nb.loadCatalog();
        fakes.addDataset(irisInfo());
        await vi.advanceTimersByTimeAsync(0);
        await test(nb, fakes);
      } finally {
        nb.dispose();
        dispose();
      }
    });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const ids = (nb: Store) => nb.state.notebook.steps.map((s) => s.id);
const names = (nb: Store) => nb.state.notebook.steps.map((s) => s.step);

describe('notebook store', () => {
  it(
    'binds to the selected dataset with a reference and fingerprint, never data',
    withStore(async (nb) => {
      expect(nb.state.datasetId).toBe('iris');
      expect(nb.state.notebook.dataset).toEqual({ kind: 'sample', sample: 'iris', fingerprint: 'fp-iris' });
      expect(datasetRefFor({ ...irisInfo(), source: { kind: 'derived', from: 'iris' } })).toBeNull();
    }),
  );

  it(
    'adds steps with default params and short unique ids; removes and reorders them',
    withStore(async (nb) => {
      expect(nb.addStep('NoSuchStep')).toBeNull();
      const a = nb.addStep('StandardScaler');
      const b = nb.addStep('PCA');
      const c = nb.addStep('StandardScaler');
      expect([a, b, c]).toEqual(['s1', 's2', 's3']);
      expect(nb.state.notebook.steps[0]).toEqual({
        id: 's1',
        step: 'StandardScaler',
        params: {},
        enabled: true,
      });
      nb.moveStep('s3', 0);
      expect(ids(nb)).toEqual(['s3', 's1', 's2']);
      nb.moveStep('s3', 99);
      expect(ids(nb)).toEqual(['s1', 's2', 's3']);
      nb.removeStep('s2');
      expect(ids(nb)).toEqual(['s1', 's3']);
      // An id is never reused while a higher one exists.
      expect(nb.addStep('PCA')).toBe('s4');
    }),
  );

  it(
    'keeps only parameters that differ from the defaults, and columns in the spec',
    withStore(async (nb) => {
      const id = nb.addStep('StandardScaler') as string;
      nb.setParam(id, 'with_mean', false);
      expect(nb.state.notebook.steps[0]?.params).toEqual({ with_mean: false });
      nb.setParam(id, 'with_mean', true);
      expect(nb.state.notebook.steps[0]?.params).toEqual({});
      nb.setParam(id, 'not_a_param', 1);
      expect(nb.state.notebook.steps[0]?.params).toEqual({});
      nb.setColumns(id, ['x']);
      expect(nb.state.notebook.steps[0]?.columns).toEqual(['x']);
      nb.setColumns(id, []);
      expect(nb.state.notebook.steps[0]).not.toHaveProperty('columns');
      nb.setEnabled(id, false);
      expect(nb.state.notebook.steps[0]?.enabled).toBe(false);
      nb.setTarget('target');
      nb.setSeed(42);
      nb.setSeed(-1);
      expect(nb.state.notebook.target).toBe('target');
      expect(nb.state.notebook.seed).toBe(42);
    }),
  );

  it(
    'undoes and redoes each change; a burst of edits to one field is one undo step',
    withStore(async (nb) => {
      nb.addStep('StandardScaler');
      nb.addStep('PCA');
      nb.setParam('s2', 'n_components', 1);
      nb.setParam('s2', 'n_components', 2);
      nb.setParam('s2', 'n_components', 3);
      nb.moveStep('s2', 0);
      expect(names(nb)).toEqual(['PCA', 'StandardScaler']);
      nb.undo();
      expect(names(nb)).toEqual(['StandardScaler', 'PCA']);
      expect(nb.state.notebook.steps[1]?.params).toEqual({ n_components: 3 });
      nb.undo();
      expect(nb.state.notebook.steps[1]?.params).toEqual({});
      nb.undo();
      expect(names(nb)).toEqual(['StandardScaler']);
      expect(nb.canRedo()).toBe(true);
      nb.redo();
      nb.redo();
      expect(nb.state.notebook.steps[1]?.params).toEqual({ n_components: 3 });
      // A new change after undo drops the redo branch.
      nb.undo();
      nb.removeStep('s1');
      expect(nb.canRedo()).toBe(false);
      expect(names(nb)).toEqual(['PCA']);
      // The dataset binding is not part of undo.
      expect(nb.state.notebook.dataset?.kind).toBe('sample');
    }),
  );

  it(
    'runs once after edits settle, and keeps the runs per step for the cards',
    withStore(async (nb, fakes) => {
      nb.addStep('StandardScaler');
      await vi.advanceTimersByTimeAsync(100);
      nb.addStep('PCA');
      await vi.advanceTimersByTimeAsync(299);
      expect(fakes.runs).toHaveLength(0);
      expect(nb.stepStatus('s1')).toBe('running');
      await vi.advanceTimersByTimeAsync(1);
      expect(fakes.runs).toHaveLength(1);
      const run = fakes.runs[0]!;
      expect(run.datasetId).toBe('iris');
      expect(run.notebook.steps.map((s) => s.step)).toEqual(['StandardScaler', 'PCA']);
      run.resolve(runResult('iris', run.notebook));
      await vi.advanceTimersByTimeAsync(0);
      expect(nb.stepStatus('s1')).toBe('ok');
      expect(nb.state.runs.s2?.diff?.rowsAfter).toBe(150);
      expect(nb.state.output?.id).toBe('iris.out');
      expect(nb.exportSource()?.id).toBe('iris.out');
      // Editing the second step makes it stale, not the first.
      nb.setParam('s2', 'n_components', 1);
      expect(nb.stepStatus('s1')).toBe('ok');
      expect(nb.stepStatus('s2')).toBe('running');
    }),
  );

  it(
    'cancels a run superseded by a newer edit and ignores its answer',
    withStore(async (nb, fakes) => {
      nb.addStep('StandardScaler');
      await vi.advanceTimersByTimeAsync(300);
      expect(fakes.runs).toHaveLength(1);
      const first = fakes.runs[0]!;
      nb.addStep('PCA');
      expect(fakes.cancelled).toEqual([first.job.id]);
      await vi.advanceTimersByTimeAsync(300);
      expect(fakes.runs).toHaveLength(2);
      const second = fakes.runs[1]!;
      second.resolve(runResult('iris', second.notebook));
      await vi.advanceTimersByTimeAsync(0);
      expect(Object.keys(nb.state.runs)).toEqual(['s1', 's2']);
      expect(nb.state.runError).toBeNull();
      expect(nb.state.runJobId).toBeNull();
    }),
  );

  it(
    'reports a failed run without losing the notebook',
    withStore(async (nb, fakes) => {
      nb.addStep('StandardScaler');
      await vi.advanceTimersByTimeAsync(300);
      const { EngineError } = await import('../../src/core/errors');
      fakes.runs[0]?.reject(new EngineError('OutOfMemory', 'Not enough memory.', { hint: 'Close tabs.' }));
      await vi.advanceTimersByTimeAsync(0);
      expect(nb.state.runError?.message).toBe('Not enough memory.');
      expect(names(nb)).toEqual(['StandardScaler']);
      expect(nb.stepStatus('s1')).toBe('stale');
    }),
  );

  it(
    'warns when a file notebook meets a file with other data',
    withStore(async (nb, fakes) => {
      nb.addStep('StandardScaler');
      nb.replace({
        version: 1,
        seed: 0,
        target: null,
        dataset: { kind: 'file', name: 'data.csv', fingerprint: 'fp-old', rows: 10 },
        steps: [{ id: 's1', step: 'StandardScaler', params: {}, enabled: true }],
      });
      expect(nb.state.pending).toEqual({ kind: 'file', name: 'data.csv', fingerprint: 'fp-old', rows: 10 });
      expect(nb.state.datasetId).toBeNull();
      fakes.addDataset({
        ...irisInfo('data'),
        name: 'data.csv',
        source: { kind: 'file', name: 'data.csv' },
        fingerprint: 'fp-new',
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(nb.state.datasetId).toBe('data');
      expect(nb.state.pending).toBeNull();
      expect(nb.state.warning).toContain('data.csv (10 rows)');
      expect(nb.state.warning).toContain('different data');
    }),
  );

  it('keys a step by itself and everything before it', () => {
    const base = {
      version: 1 as const,
      seed: 0,
      target: null,
      dataset: null,
      steps: [
        { id: 'a', step: 'X', params: {}, enabled: true },
        { id: 'b', step: 'Y', params: {}, enabled: true },
      ],
    };
    const before = stepKeys(base);
    const after = stepKeys({ ...base, steps: [base.steps[0]!, { ...base.steps[1]!, params: { k: 1 } }] });
    expect(after.a).toBe(before.a);
    expect(after.b).not.toBe(before.b);
    expect(stepKeys({ ...base, seed: 1 }).a).not.toBe(before.a);
  });
});
