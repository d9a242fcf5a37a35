// @vitest-environment happy-dom
/**
 * The notebook panel per dataset and the keyboard: "Apply to…" shows the column check before it
 * copies a notebook to another dataset; "Standard preprocessing" adds the four steps; a step a
 * training fold failed in shows the fold, the value and fix buttons that edit it; Enter in the
 * step search adds its only match; arrow keys move between tabs; Quality switches to the
 * notebook's output.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { standardPreprocessing } from '../../src/pipeline/standard';
import type { ColumnProfile, DatasetInfo, StepInfo } from '../../src/protocol/api';
import { createNotebookStore } from '../../src/state/notebook';
import { createProfileStore } from '../../src/state/profile';
import { stepFailureOf } from '../../src/state/step-failure';
import type { Workbench } from '../../src/state/workbench';
import { WorkbenchContext } from '../../src/ui/context';
import { groupSteps, pickedStep } from '../../src/ui/notebook/categories';
import { NotebookContext } from '../../src/ui/notebook/context';
import { NotebookPanel } from '../../src/ui/notebook/NotebookPanel';
import { QualityPanel } from '../../src/ui/quality/QualityPanel';
import { type TabId, Tabs, tabAfterKey } from '../../src/ui/tabs/Tabs';
import { CATALOG, createNotebookFakes, irisInfo, runResult } from '../state/notebook-fakes';

afterEach(cleanup);

const ENCODER: StepInfo = {
  name: 'OneHotEncoder',
  kind: 'transform',
  description: 'One 0/1 column per category.',
  params: {
    columns: { type: 'columns', default: null, description: 'Columns.' },
    handle_unknown: {
      type: 'enum',
      options: ['error', 'ignore', 'infrequent_if_exist'],
      default: 'error',
      description: 'Unknown categories.',
    },
  },
  accepts: ['categorical'],
  missing: 'handles',
};
const IMPUTER: StepInfo = {
  name: 'SimpleImputer',
  kind: 'transform',
  description: 'Fills missing values.',
  params: {
    columns: { type: 'columns', default: null, description: 'Columns.' },
    strategy: {
      type: 'enum',
      options: ['mean', 'median', 'most_frequent'],
      default: 'mean',
      description: 'How.',
    },
  },
  accepts: ['float', 'categorical'],
  missing: 'handles',
};

function wineInfo(): DatasetInfo {
  return {
    ...irisInfo('wine'),
    name: 'Wine',
    source: { kind: 'sample', sample: 'wine' },
    columns: [{ name: 'alcohol', type: 'float', inferredType: 'float', arrowType: 'Float64', missing: 0 }],
    fingerprint: 'fp-wine',
  };
}

/** The panel over a real notebook store and fake engine, with iris selected. */
async function mountPanel() {
  const fakes = createNotebookFakes();
  fakes.client.api.stepCatalog = async () => [...CATALOG, ENCODER, IMPUTER];
  // The engine's recipe (tests/pipeline/defaults checks it) over the fake dataset's columns.
  fakes.client.api.standardPreprocessing = async (datasetId, options) => {
    const info = fakes.host.state.datasets.find((d) => d.id === datasetId)!;
    const facts = info.columns.map((c) => ({ name: c.name, type: c.type, distinct: 3, missing: c.missing }));
    return standardPreprocessing(facts, info.rows, options?.target ?? null);
  };
  const nb = createRoot(() => createNotebookStore(fakes.client, fakes.host, { debounceMs: 5 }));
  await nb.loadCatalog();
  fakes.addDataset(irisInfo());
  const wb = { state: fakes.host.state, select: fakes.host.select } as unknown as Workbench;
  render(() => (
    <WorkbenchContext.Provider value={wb}>
      <NotebookContext.Provider value={nb}>
        <NotebookPanel />
      </NotebookContext.Provider>
    </WorkbenchContext.Provider>
  ));
  return { nb, fakes };
}

const stepNames = () =>
  [...document.querySelectorAll('.step-list .step-card')].map((li) => li.getAttribute('data-step'));

describe('notebook panel', () => {
  it('applies the notebook to another dataset after showing the column check', async () => {
    const { nb, fakes } = await mountPanel();
    fakes.addDataset(wineInfo(), false);
    const id = nb.addStep('StandardScaler') as string;
    nb.setColumns(id, ['x']);
    fireEvent.click(screen.getByRole('button', { name: 'Apply to…' }));
    const dialog = screen.getByRole('dialog', { name: 'Apply this notebook to another dataset' });
    expect(screen.getByTestId('apply-check').textContent).toContain('Wine has no column "x"');
    fireEvent.click(dialog.querySelector('button.primary') as HTMLButtonElement);
    await waitFor(() => expect(fakes.host.state.selectedId).toBe('wine'));
    expect(nb.state.datasetId).toBe('wine');
    expect(stepNames()).toEqual(['StandardScaler']);
    expect(screen.getByRole('status').textContent).toContain('has no column "x"');
    // Iris keeps its own.
    fakes.setState('selectedId', 'iris');
    await waitFor(() => expect(nb.state.datasetId).toBe('iris'));
    expect(nb.state.notebook.steps[0]?.columns).toEqual(['x']);
  });

  it('adds standard preprocessing in one click (one undo)', async () => {
    const { nb } = await mountPanel();
    nb.setTarget('target');
    fireEvent.click(screen.getByRole('button', { name: 'Standard preprocessing' }));
    // Iris's columns: x (float) and target; StandardScaler and SimpleImputer are in this catalog.
    await waitFor(() => expect(stepNames()).toEqual(['SimpleImputer', 'StandardScaler']));
    expect(nb.state.notebook.steps.map((s) => [s.params, s.columns])).toEqual([
      [{ strategy: 'median' }, ['x']],
      [{}, ['x']],
    ]);
    nb.undo();
    expect(nb.state.notebook.steps).toEqual([]);
  });

  it('marks a step a fold failed in and its fix buttons edit the step', async () => {
    const { nb } = await mountPanel();
    const id = nb.addSteps([{ step: 'OneHotEncoder', params: {}, columns: ['target'] }])[0] as string;
    nb.markStepFailure(
      stepFailureOf({
        message: 'Unknown category "." in fold 3.',
        detail: {
          fold: 2,
          stepId: id,
          step: 'OneHotEncoder',
          value: '.',
          fixes: [{ label: 'Ignore unknown categories', params: { handle_unknown: 'ignore' } }],
        },
      }),
    );
    const card = document.querySelector(`li[data-step-id="${id}"]`) as HTMLElement;
    await waitFor(() => expect(card.classList.contains('failed')).toBe(true));
    expect(screen.getByTestId('step-failure').textContent).toContain(
      'Training failed here in fold 3 on the value “.”',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Ignore unknown categories' }));
    expect(nb.state.notebook.steps[0]?.params).toEqual({ handle_unknown: 'ignore' });
    expect(screen.queryByTestId('step-failure')).toBeNull();
    expect(card.classList.contains('failed')).toBe(false);
  });

  it("shows the fixes of a step's error in the notebook's own run, and they edit the step", async () => {
    const { nb, fakes } = await mountPanel();
    const [scaler, imputer] = nb.addSteps([
      { step: 'StandardScaler', params: {}, columns: ['x'] },
      { step: 'SimpleImputer', params: {}, columns: ['gone'] },
    ]) as [string, string];
    // The run reports the step's error as the step threw it: its detail names no step.
    const failRun = async (count: number) => {
      await waitFor(() => expect(fakes.runs.length).toBe(count));
      const run = fakes.runs[count - 1]!;
      const result = runResult(run.datasetId, run.notebook);
      result.steps[1] = {
        id: imputer,
        step: 'SimpleImputer',
        status: 'error',
        ms: 1,
        error: {
          name: 'SchemaError',
          message: 'SimpleImputer has no column left: an earlier step dropped "gone".',
          detail: {
            columnName: 'gone',
            fixes: [
              {
                kind: 'set-params',
                label: 'Use the most frequent value',
                params: { strategy: 'most_frequent' },
              },
              { kind: 'remove-step', label: 'Remove SimpleImputer (its columns are gone)' },
            ],
          },
        },
      };
      run.resolve(result);
      await waitFor(() => expect(card().getAttribute('data-status')).toBe('error'));
    };
    const card = () => document.querySelector(`li[data-step-id="${imputer}"]`) as HTMLElement;
    await failRun(1);
    expect(card().textContent).toContain('has no column left');
    // Not a training failure: these buttons come from the run on all rows.
    expect(screen.queryByTestId('step-failure')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Use the most frequent value' }));
    expect(nb.state.notebook.steps[1]?.params).toEqual({ strategy: 'most_frequent' });
    await failRun(2);
    fireEvent.click(screen.getByRole('button', { name: 'Remove SimpleImputer (its columns are gone)' }));
    expect(nb.state.notebook.steps.map((s) => s.id)).toEqual([scaler]);
  });

  it('Enter in the step search adds the step it names or its only match', async () => {
    await mountPanel();
    fireEvent.click(screen.getByRole('button', { name: '+ Add step' }));
    const search = screen.getByRole('searchbox', { name: 'Search steps' }) as HTMLInputElement;
    fireEvent.input(search, { target: { value: 'scal' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(stepNames()).toEqual(['StandardScaler']);
    expect(screen.queryByRole('dialog', { name: 'Add a step' })).toBeNull();
    // Several matches and none named exactly: Enter does nothing.
    const groups = groupSteps([...CATALOG, ENCODER], 'e');
    expect(pickedStep(groups, 'e')).toBeNull();
    expect(pickedStep(groups, 'pca')?.name).toBe('PCA');
  });
});

describe('tabs', () => {
  it('move with Left/Right (wrapping), Home and End, with one tab stop', () => {
    expect(tabAfterKey('ArrowRight', 'export')).toBe('data');
    expect(tabAfterKey('ArrowLeft', 'data')).toBe('export');
    expect(tabAfterKey('Enter', 'data')).toBeNull();
    const [tab, setTab] = createSignal<TabId>('data');
    render(() => <Tabs active={tab()} onSelect={setTab} />);
    const data = screen.getByRole('tab', { name: 'Data' });
    data.focus();
    fireEvent.keyDown(data, { key: 'ArrowRight' });
    expect(tab()).toBe('quality');
    expect(document.activeElement?.id).toBe('tab-quality');
    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    expect(tab()).toBe('export');
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    expect(tab()).toBe('data');
    expect(screen.getAllByRole('tab').map((t) => t.getAttribute('tabindex'))).toEqual([
      '0',
      '-1',
      '-1',
      '-1',
      '-1',
      '-1',
      '-1',
    ]);
  });
});

describe('quality after the notebook', () => {
  it('switches the report to the notebook output and back', async () => {
    const profiled: string[] = [];
    const profile = (name: string): ColumnProfile[] => [
      {
        name,
        type: 'float',
        rows: 150,
        count: 150,
        missing: 0,
        distinct: 3,
        distinctApprox: false,
        dominant: null,
        numeric: null,
        categories: null,
        text: null,
        dates: null,
      },
    ];
    const source = { id: 'iris', name: 'Iris', revision: 1, columns: ['x'] };
    const out = { id: 'iris.out', name: 'Iris after the notebook', revision: 3, columns: ['x_scaled'] };
    const store = createProfileStore({
      api: {
        profile: async (id) => {
          profiled.push(id);
          return profile(id === 'iris' ? 'x' : 'x_scaled');
        },
        qualityReport: async () => [],
      },
      startJob: (_label, run) => ({ id: 'j', promise: run({ id: 'j' }), cancel: () => {} }),
      source: () => source,
      output: () => out,
    });
    const output = { ...irisInfo('iris.out'), source: { kind: 'derived' as const, from: 'iris' } };
    render(() => <QualityPanel dataset={irisInfo()} output={output} store={store} />);
    await waitFor(() => expect(profiled).toEqual(['iris']));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Quality of Iris flowers');
    fireEvent.click(screen.getByRole('button', { name: 'After notebook' }));
    await waitFor(() => expect(profiled).toEqual(['iris', 'iris.out']));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(
      'Quality of Iris flowers after the notebook',
    );
    expect(screen.getByRole('button', { name: 'After notebook' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Raw data' }));
    expect(store.view()).toBe('raw');
  });
});
