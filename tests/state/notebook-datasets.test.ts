// @vitest-environment happy-dom
/**
 * One notebook per dataset: loading a second dataset starts it with its own notebook and leaves
 * the first one's steps, undo history and last run alone; selecting switches back; a notebook is
 * applied to another dataset only on request, after the column check; autosave files every
 * dataset's notebook and an older build's single notebook migrates to the dataset it named.
 */
import { createRoot } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetInfo } from '../../src/protocol/api';
import type { Notebook } from '../../src/spec/notebook';
import { createMemoryStore } from '../../src/state/autosave';
import { createNotebookStore } from '../../src/state/notebook';
import { BOOK_KEY, LEGACY_KEY, readSavedBook, type SavedBook } from '../../src/state/notebook-book';
import { notebookFit } from '../../src/state/notebook-fit';
import { restoreAutosave } from '../../src/state/notebook-session';
import { notebookFixOf, stepFailureOf } from '../../src/state/step-failure';
import { CATALOG, createNotebookFakes, irisInfo, runResult } from './notebook-fakes';

type Fakes = ReturnType<typeof createNotebookFakes>;
type Store = ReturnType<typeof createNotebookStore>;

function wineInfo(id = 'wine'): DatasetInfo {
  return {
    ...irisInfo(id),
    name: 'Wine',
    source: { kind: 'sample', sample: 'wine' },
    rows: 178,
    columns: [
      { name: 'alcohol', type: 'float', inferredType: 'float', arrowType: 'Float64', missing: 0 },
      { name: 'target', type: 'integer', inferredType: 'integer', arrowType: 'Int64', missing: 0 },
    ],
    fingerprint: 'fp-wine',
  };
}

function withStore(test: (nb: Store, fakes: Fakes) => Promise<void>) {
  return () =>
    createRoot(async (dispose) => {
      const fakes = createNotebookFakes();
      const nb = createNotebookStore(fakes.client, fakes.host, { debounceMs: 10 });
      try {
        await nb.loadCatalog();
        await test(nb, fakes);
      } finally {
        nb.dispose();
        dispose();
      }
    });
}

/** Lets the debounced run start and answers it as the engine would. */
async function settleRun(fakes: Fakes): Promise<void> {
  await vi.advanceTimersByTimeAsync(10);
  const run = fakes.runs.at(-1);
  run?.resolve(runResult(run.datasetId, run.notebook));
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const names = (nb: Store) => nb.state.notebook.steps.map((s) => s.step);

describe('one notebook per dataset', () => {
  it(
    'starts a second dataset with its own notebook and keeps the first one intact',
    withStore(async (nb, fakes) => {
      fakes.addDataset(irisInfo());
      nb.setTarget('target');
      nb.addStep('StandardScaler');
      await settleRun(fakes);
      expect(nb.stepStatus('s1')).toBe('ok');
      expect(nb.state.output?.id).toBe('iris.out');

      fakes.addDataset(wineInfo());
      await vi.advanceTimersByTimeAsync(20);
      expect(nb.state.datasetId).toBe('wine');
      expect(nb.state.notebook.steps).toEqual([]);
      expect(nb.state.notebook.target).toBeNull();
      expect(nb.state.notebook.dataset).toEqual({ kind: 'sample', sample: 'wine', fingerprint: 'fp-wine' });
      expect(nb.state.output).toBeNull();
      expect(nb.canUndo()).toBe(false);
      // Nothing of iris's notebook ran on wine.
      expect(fakes.runs.filter((r) => r.datasetId === 'wine')).toHaveLength(0);
      expect(nb.datasetKey()).toBe('sample:wine');

      nb.addStep('PCA');
      await settleRun(fakes);
      const runsBefore = fakes.runs.length;
      fakes.setState('selectedId', 'iris');
      await vi.advanceTimersByTimeAsync(20);
      expect(nb.state.datasetId).toBe('iris');
      expect(names(nb)).toEqual(['StandardScaler']);
      expect(nb.state.notebook.target).toBe('target');
      // Its last run is still current: shown at once, not run again.
      expect(nb.stepStatus('s1')).toBe('ok');
      expect(nb.state.output?.id).toBe('iris.out');
      expect(fakes.runs).toHaveLength(runsBefore);
      // Undo is per dataset: it undoes iris's own edits.
      nb.undo();
      expect(names(nb)).toEqual([]);
      expect(nb.state.notebook.target).toBe('target');
      fakes.setState('selectedId', 'wine');
      await vi.advanceTimersByTimeAsync(20);
      expect(names(nb)).toEqual(['PCA']);
    }),
  );

  it(
    'files each dataset\u2019s notebook for autosave and brings it back when the data is loaded again',
    withStore(async (nb, fakes) => {
      fakes.addDataset(irisInfo());
      nb.addStep('StandardScaler');
      fakes.addDataset(wineInfo());
      nb.setSeed(3);
      const saved = nb.persisted();
      expect(saved.active).toBe('sample:wine');
      expect(
        saved.notebooks.map((n) => [n.dataset?.kind === 'sample' && n.dataset.sample, n.steps.length]),
      ).toEqual([
        ['iris', 1],
        ['wine', 0],
      ]);
      // The same sample loaded again (a new engine id, e.g. after a restart) gets its notebook back.
      fakes.addDataset(irisInfo('iris-2'));
      await vi.advanceTimersByTimeAsync(0);
      expect(names(nb)).toEqual(['StandardScaler']);
    }),
  );

  it(
    'applies a notebook to another dataset only on request, after checking its columns',
    withStore(async (nb, fakes) => {
      fakes.addDataset(irisInfo());
      fakes.addDataset(wineInfo(), false);
      nb.setTarget('target');
      const id = nb.addStep('StandardScaler') as string;
      nb.setColumns(id, ['x']);
      const fit = nb.fitOn('wine');
      expect(fit?.missing).toEqual([{ column: 'x', usedBy: ['step 1 (StandardScaler)'] }]);
      expect(fit?.retyped).toEqual([{ column: 'target', from: 'categorical', to: 'integer' }]);
      expect(fit?.message).toContain('Wine has no column "x" (step 1 (StandardScaler))');

      expect(nb.applyTo('wine')).not.toBeNull();
      // The panel then selects the dataset it applied the notebook to (no rebinding follows).
      fakes.setState('selectedId', 'wine');
      await vi.advanceTimersByTimeAsync(0);
      expect(nb.state.datasetId).toBe('wine');
      expect(names(nb)).toEqual(['StandardScaler']);
      expect(nb.state.notebook.dataset?.kind === 'sample' && nb.state.notebook.dataset.sample).toBe('wine');
      expect(nb.state.warning).toContain('has no column "x"');
      // Undo on wine returns wine to its own (empty) notebook; iris keeps its own throughout.
      nb.undo();
      expect(names(nb)).toEqual([]);
      fakes.setState('selectedId', 'iris');
      await vi.advanceTimersByTimeAsync(0);
      expect(names(nb)).toEqual(['StandardScaler']);
      expect(nb.state.notebook.steps[0]?.columns).toEqual(['x']);
    }),
  );

  it(
    'keeps a link for data that is not loaded waiting, and applies it to another dataset on request',
    withStore(async (nb, fakes) => {
      fakes.addDataset(irisInfo());
      nb.addStep('PCA');
      const link: Notebook = {
        version: 1,
        seed: 5,
        target: null,
        dataset: { kind: 'file', name: 'other.csv', rows: 10 },
        steps: [{ id: 's1', step: 'StandardScaler', params: {}, enabled: true }],
      };
      expect(nb.replace(link)).toBeNull();
      expect(nb.state.datasetId).toBeNull();
      expect(nb.state.pending).toEqual(link.dataset);
      expect(names(nb)).toEqual(['StandardScaler']);
      // Showing iris again shows iris's notebook; the link keeps waiting.
      fakes.setState('selectedId', null);
      fakes.setState('selectedId', 'iris');
      await vi.advanceTimersByTimeAsync(0);
      expect(names(nb)).toEqual(['PCA']);
      expect(nb.state.pending).toEqual(link.dataset);
      expect(nb.persisted().incoming?.seed).toBe(5);
      nb.applyTo('iris', 'incoming');
      expect(names(nb)).toEqual(['StandardScaler']);
      expect(nb.state.notebook.seed).toBe(5);
      expect(nb.state.pending).toBeNull();
      nb.undo();
      expect(names(nb)).toEqual(['PCA']);
    }),
  );

  it(
    'a link waiting for a file files itself under that file once it is restored (no "open that file" for a loaded file)',
    withStore(async (nb, fakes) => {
      // A reload: the link in the URL opens before the stored files are back, iris first.
      fakes.addDataset(irisInfo());
      nb.addStep('PCA');
      const credit: DatasetInfo = {
        ...irisInfo('credit'),
        name: 'credit_data.csv',
        source: { kind: 'file', name: 'credit_data.csv' },
        fingerprint: 'fp-credit',
      };
      const link: Notebook = {
        version: 1,
        seed: 5,
        target: null,
        dataset: { kind: 'file', name: 'credit_data.csv', fingerprint: 'fp-credit', rows: 150 },
        steps: [{ id: 's1', step: 'StandardScaler', params: {}, enabled: true }],
      };
      fakes.setState('selectedId', null);
      expect(nb.replace(link)).toBeNull();
      fakes.setState('selectedId', 'iris');
      await vi.advanceTimersByTimeAsync(0);
      expect(nb.state.pending).toEqual(link.dataset);
      // credit_data.csv comes back from storage without being selected.
      fakes.addDataset(credit, false);
      await vi.advanceTimersByTimeAsync(0);
      expect(nb.state.pending).toBeNull();
      expect(nb.persisted().incoming).toBeNull();
      expect(names(nb)).toEqual(['PCA']); // iris keeps its own
      fakes.setState('selectedId', 'credit');
      await vi.advanceTimersByTimeAsync(0);
      expect(names(nb)).toEqual(['StandardScaler']);
      expect(nb.state.notebook.seed).toBe(5);
    }),
  );

  it(
    'marks the step a training fold failed in, and a fix edits that step and clears the mark',
    withStore(async (nb, fakes) => {
      fakes.addDataset(irisInfo());
      const id = nb.addStep('StandardScaler') as string;
      const failure = stepFailureOf({
        message: 'unknown category "." in fold 3',
        detail: {
          fold: 2,
          stepId: id,
          step: 'StandardScaler',
          value: '.',
          fixes: [
            { label: 'Do not centre', params: { with_mean: false } },
            { label: 'bad', params: { 'no-good': 1 } },
            { label: 'Add PCA first', insert: { step: 'PCA', params: { n_components: 1 } } },
          ],
        },
      });
      expect(failure?.fixes.map((f) => f.label)).toEqual(['Do not centre', 'Add PCA first']);
      nb.markStepFailure(failure);
      expect(nb.stepFailure(id)?.value).toBe('.');
      nb.applyFix(id, failure!.fixes[0]!);
      expect(nb.state.notebook.steps[0]?.params).toEqual({ with_mean: false });
      expect(nb.stepFailure(id)).toBeNull();
      nb.markStepFailure(failure);
      nb.applyFix(id, failure!.fixes[1]!);
      expect(names(nb)).toEqual(['PCA', 'StandardScaler']);
      expect(nb.state.notebook.steps[0]?.params).toEqual({ n_components: 1 });
      nb.undo();
      expect(names(nb)).toEqual(['StandardScaler']);
    }),
  );

  it(
    'reads the fixes as the engine sends them (insert-step, remove-step) and the notebook fix of an error',
    withStore(async (nb, fakes) => {
      fakes.addDataset(irisInfo());
      const id = nb.addStep('StandardScaler') as string;
      // What StepFailureDetail.fixes and EngineError detail.fix look like on the wire.
      const detail = {
        fold: 0,
        stepId: id,
        step: 'OneHotEncoder',
        value: '.',
        fixes: [
          {
            kind: 'set-params',
            label: 'Ignore unknown categories',
            stepId: id,
            params: { handle_unknown: 'ignore' },
          },
          {
            kind: 'insert-step',
            label: 'Project first',
            beforeStepId: id,
            step: { step: 'PCA', params: { n_components: 1 }, columns: ['x'] },
          },
          { kind: 'remove-step', label: 'Remove OneHotEncoder', stepId: id },
        ],
        fix: {
          step: 'FilterRows',
          params: { expression: '`y` is not missing' },
          label: 'Drop the rows',
          at: 'start',
        },
      };
      const failure = stepFailureOf({ message: 'failed', detail });
      expect(failure?.fixes).toEqual([
        { label: 'Ignore unknown categories', params: { handle_unknown: 'ignore' } },
        {
          label: 'Project first',
          insert: { step: 'PCA', params: { n_components: 1 }, columns: ['x'] },
        },
        { label: 'Remove OneHotEncoder', remove: true },
      ]);
      expect(notebookFixOf(detail)).toEqual({
        label: 'Drop the rows',
        step: { step: 'FilterRows', params: { expression: '`y` is not missing' } },
        at: 'start',
      });
      expect(notebookFixOf({ fix: { ...detail.fix, at: 'middle' } })).toBeNull();
      nb.applyFix(id, failure!.fixes[1]!);
      expect(names(nb)).toEqual(['PCA', 'StandardScaler']);
      nb.applyFix(id, failure!.fixes[2]!);
      expect(names(nb)).toEqual(['PCA']);
    }),
  );
});

describe('saved notebooks', () => {
  it('reads this build\u2019s record and migrates the legacy single notebook; drops bad entries', () => {
    const iris: Notebook = {
      version: 1,
      seed: 0,
      target: 'target',
      dataset: { kind: 'sample', sample: 'iris' },
      steps: [],
    };
    expect(readSavedBook({ notebook: iris })).toEqual({
      version: 2,
      notebooks: [iris],
      active: 'sample:iris',
      incoming: null,
    });
    const record = {
      version: 2,
      notebooks: [iris, { ...iris, steps: [{ id: '<x>' }] }, { ...iris, dataset: null }],
      active: 'sample:iris',
      incoming: 'nonsense',
    };
    expect(readSavedBook(record)?.notebooks).toEqual([iris]);
    expect(readSavedBook(record)?.incoming).toBeNull();
    expect(readSavedBook('text')).toBeNull();
    expect(readSavedBook({ version: 3 })).toBeNull();
  });

  it(
    'restores every dataset\u2019s notebook and shows the one that was on screen',
    withStore(async (nb, fakes) => {
      const storage = createMemoryStore();
      const wine: Notebook = {
        version: 1,
        seed: 2,
        target: 'target',
        dataset: { kind: 'sample', sample: 'wine' },
        steps: [{ id: 's1', step: 'PCA', params: {}, enabled: true }],
      };
      const iris: Notebook = { ...wine, seed: 1, dataset: { kind: 'sample', sample: 'iris' }, steps: [] };
      const record: SavedBook = {
        version: 2,
        notebooks: [iris, wine],
        active: 'sample:wine',
        incoming: null,
      };
      await storage.save(BOOK_KEY, record);
      await storage.save(LEGACY_KEY, { notebook: { ...iris, seed: 99 } });
      fakes.host.loadSample = async (name: string) => {
        fakes.loads.push(`sample:${name}`);
        fakes.addDataset(name === 'wine' ? wineInfo() : irisInfo());
        return null;
      };
      expect(await restoreAutosave(storage, nb, fakes.host)).toBe(true);
      await vi.advanceTimersByTimeAsync(0);
      expect(fakes.loads).toEqual(['sample:wine']);
      expect(nb.state.notebook.seed).toBe(2);
      expect(names(nb)).toEqual(['PCA']);
      // Iris's own notebook (not the legacy record, which this build's record supersedes).
      await fakes.host.loadSample('iris');
      await vi.advanceTimersByTimeAsync(0);
      expect(nb.state.notebook.seed).toBe(1);
      expect(nb.state.notebook.target).toBe('target');
    }),
  );

  it('checks the fit of a link on a file with other data without a source: names absent columns', () => {
    const nb: Notebook = {
      version: 1,
      seed: 0,
      target: 'y',
      dataset: { kind: 'file', name: 'a.csv', fingerprint: 'one' },
      steps: [{ id: 's1', step: 'StandardScaler', params: {}, enabled: true, columns: ['x', 'z'] }],
      train: { split: { kind: 'group-kfold', k: 3, group: 'g' }, models: [] },
    };
    const info = {
      ...irisInfo('a'),
      name: 'a.csv',
      source: { kind: 'file' as const, name: 'a.csv' },
      fingerprint: 'two',
    };
    const fit = notebookFit(nb, info, { catalog: CATALOG });
    expect(fit.otherData).toBe(true);
    expect(fit.missing.map((m) => m.column)).toEqual(['y', 'z', 'g']);
    expect(fit.message).toMatch(/holds different data.*unless an earlier step makes it/);
    // What the user must do is said per use: steps' columns to pick, target and groups left empty.
    expect(fit.message).toContain('Pick other columns in those steps, or remove them.');
    expect(fit.message).toContain(
      "On this data, the target and the split's groups are left empty: pick again.",
    );
    const targetOnly = notebookFit({ ...nb, steps: [], train: undefined }, info).message ?? '';
    expect(targetOnly).toContain('On this data, the target is left empty: pick again.');
    expect(targetOnly).not.toContain('Pick other columns');
    expect(
      notebookFit({ ...nb, target: 'target', steps: [], train: undefined }, { ...info, fingerprint: 'one' })
        .message,
    ).toBeNull();
  });
});
