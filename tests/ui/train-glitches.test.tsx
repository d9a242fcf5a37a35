// @vitest-environment happy-dom
/**
 * The Train tab over a fake engine: what the model will read (and the one-click fix for dropped
 * columns), model descriptions and the split that follow the task, grid fields that enable the
 * search as they are typed, a fold failure whose fixes edit the notebook step, and runs filed per
 * dataset.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { tableFromArrays } from 'apache-arrow';
import { createRoot } from 'solid-js';
import { createStore } from 'solid-js/store';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { buildDataset } from '../../src/models/model';
import type {
  ColumnInfo,
  ExperimentResult,
  FixStep,
  ModelInfo,
  StandardPreprocessing,
  TrainTask,
} from '../../src/protocol/api';
import { emptyNotebook, type Notebook, type TrainSettings } from '../../src/spec/notebook';
import { describePlan, enginePreprocessing } from '../../src/state/features';
import type { StepFailure, StepFix } from '../../src/state/step-failure';
import { createTrainStore } from '../../src/state/train';
import { counterpartModel } from '../../src/state/train-settings';
import { TrainPanel } from '../../src/ui/train/TrainPanel';
import { irisInfo } from '../state/notebook-fakes';

afterEach(cleanup);

const C = { type: 'number', default: 1, min: 0, description: 'Inverse regularisation.' } as const;
const CATALOG: ModelInfo[] = [
  {
    name: 'LogisticRegression',
    tasks: ['classification'],
    description: 'Multinomial logistic regression.',
    params: { C },
  },
  { name: 'LinearRegression', tasks: ['regression'], description: 'Ordinary least squares.', params: {} },
  { name: 'DecisionTreeClassifier', tasks: ['classification'], description: 'A tree.', params: {} },
  { name: 'DecisionTreeRegressor', tasks: ['regression'], description: 'A regression tree.', params: {} },
  { name: 'KMeans', tasks: ['clustering'], description: 'k-means.', params: {} },
];

const col = (name: string, type: ColumnInfo['type']): ColumnInfo => ({
  name,
  type,
  inferredType: type,
  arrowType: '',
  missing: 0,
});
const COLUMNS = [
  col('age', 'float'),
  col('fare', 'float'),
  col('sex', 'categorical'),
  col('survived', 'integer'),
];
const TASKS: Record<string, TrainTask> = { survived: 'classification', fare: 'regression' };

function setup(train: (spec: unknown) => Promise<ExperimentResult> = () => new Promise(() => {})) {
  const [host, setHost] = createStore({
    notebook: { ...emptyNotebook(), target: 'survived' } as Notebook,
    key: 'sample:a',
  });
  const marked: (StepFailure | null)[] = [];
  const fixed: { stepId: string; fix: StepFix }[] = [];
  const added: { step: FixStep; at: 'start' | 'end' }[] = [];
  let n = 0;
  const store = createRoot(() =>
    createTrainStore(
      {
        api: {
          modelCatalog: async () => CATALOG,
          inferTask: async (_id, target) => (target ? (TASKS[target] ?? 'classification') : 'clustering'),
          trainModels: async (_id, spec) => train(spec),
          compareBaselines: () => new Promise(() => {}),
          tuneModel: () => new Promise(() => {}),
          compareRuns: () => new Promise(() => {}),
          learningCurve: () => new Promise(() => {}),
          // The engine's answer for COLUMNS with target "survived".
          featurePlan: async () => ({
            features: ['age', 'fare'],
            dropped: [
              { column: 'survived', reason: 'target', message: 'The target.' },
              {
                column: 'sex',
                reason: 'categorical',
                message: '"sex" is categorical and not encoded.',
                fix: { step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: ['sex'] },
              },
            ],
            missing: [],
          }),
        },
      },
      {
        startJob: (_label, run) => {
          const id = `j${++n}`;
          return { id, promise: run({ id }), cancel: () => {} };
        },
        jobProgress: () => null,
        datasetId: () => 'ds-1',
        datasetKey: () => host.key,
        notebook: () => host.notebook,
        setTarget: (column) => setHost('notebook', 'target', column),
        setTrainSettings: (settings: TrainSettings) => setHost('notebook', 'train', settings),
        columns: () => COLUMNS,
        markStepFailure: (f) => marked.push(f),
        applyStepFix: (stepId, fix) => fixed.push({ stepId, fix }),
        addStepAt: (step, at) => added.push({ step, at }),
      },
    ),
  );
  const dataset = { ...irisInfo('ds-1'), columns: COLUMNS };
  return { store, host, setHost, marked, fixed, added, dataset };
}

function experiment(id: string): ExperimentResult {
  return {
    id,
    datasetId: 'ds-1',
    target: 'survived',
    task: 'classification',
    seed: 0,
    rows: 4,
    folds: 5,
    split: { kind: 'stratified-kfold', k: 5 },
    features: ['age', 'fare'],
    primary: 'accuracy',
    higherIsBetter: true,
    testTrainRatio: 0.25,
    models: [],
    comparisons: [],
  } as unknown as ExperimentResult;
}

describe('what the model will read', () => {
  it('lists features, what is left out, and dropped columns with their fix (from the engine plan)', () => {
    const fix = (step: string, column: string, params = {}) => ({ step, params, columns: [column] });
    const plan = describePlan(
      {
        features: ['age', 'fare'],
        dropped: [
          { column: 'survived', reason: 'target', message: '' },
          { column: 'g', reason: 'split', message: '' },
          {
            column: 'sex',
            reason: 'categorical',
            message: '',
            fix: fix('OneHotEncoder', 'sex', { handle_unknown: 'ignore' }),
          },
          { column: 'when', reason: 'date', message: '', fix: fix('DateParts', 'when') },
          { column: 'note', reason: 'text', message: '', fix: fix('TextFeatures', 'note') },
          { column: 'title', reason: 'text', message: '', fix: fix('TextFeatures', 'title') },
          { column: 'name', reason: 'text', message: '', fix: fix('DropColumns', 'name') },
        ],
        missing: [],
      },
      [
        ...COLUMNS,
        col('when', 'date'),
        col('note', 'text'),
        col('title', 'text'),
        col('name', 'text'),
        col('g', 'integer'),
      ],
      { kind: 'group-kfold', k: 3, group: 'g' },
    );
    expect(plan.features).toEqual([
      { name: 'age', type: 'float' },
      { name: 'fare', type: 'float' },
    ]);
    expect(plan.excluded).toEqual([
      { name: 'survived', role: 'target' },
      { name: 'g', role: 'group' },
    ]);
    expect(plan.dropped.map((d) => [d.name, d.type])).toEqual([
      ['sex', 'categorical'],
      ['when', 'date'],
      ['note', 'text'],
      ['title', 'text'],
      ['name', 'text'],
    ]);
    expect(plan.fixes.map((f) => [f.label, f.reason, f.steps[0]?.columns])).toEqual([
      ['Add OneHotEncoder', '1 categorical column is not encoded', ['sex']],
      ['Add DateParts', '1 date column is not split into numbers', ['when']],
      ['Add TextFeatures', '2 text columns are free text', ['note', 'title']],
      ['Drop the identifiers', '1 identifier column would only be memorised', ['name']],
    ]);
  });

  it('standard preprocessing: asks the engine for the notebook output, target left alone', async () => {
    const notebook = { ...emptyNotebook(), target: 'survived' };
    const recipe: StandardPreprocessing = {
      steps: [
        { step: 'SimpleImputer', params: { strategy: 'median' }, columns: ['age', 'fare'] },
        { step: 'StandardScaler', params: {}, columns: ['age', 'fare'] },
      ],
      left: [{ column: 'survived', reason: 'target', message: 'The target.' }],
    };
    const asked: unknown[] = [];
    const source = enginePreprocessing({
      standardPreprocessing: async (id, options) => {
        asked.push([id, options]);
        return recipe;
      },
    });
    expect(await source({ datasetId: 'ds-1', notebook, target: 'survived' })).toEqual(recipe.steps);
    expect(asked).toEqual([['ds-1', { target: 'survived', notebook }]]);
  });

  it('shows the list in the Train tab; the fix button adds the encoder to the notebook', async () => {
    const { store, host, dataset } = setup();
    const added: FixStep[][] = [];
    render(() => (
      <TrainPanel
        store={store}
        dataset={dataset}
        target={host.notebook.target}
        onAddSteps={(s) => added.push(s)}
      />
    ));
    const list = await screen.findByTestId('feature-list');
    expect(list.textContent).toContain('2 features: age, fare');
    expect(list.textContent).toContain('survived (target) left out');
    expect(screen.getByTestId('feature-dropped').textContent).toContain('sex (categorical)');
    fireEvent.click(screen.getByRole('button', { name: 'Add OneHotEncoder' }));
    expect(added).toEqual([
      [{ step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: ['sex'] }],
    ]);
  });
});

describe('the form follows the task', () => {
  it('a regression target swaps the models and their descriptions, and never shows a stratified split', async () => {
    const { store, host, setHost, dataset } = setup();
    render(() => <TrainPanel store={store} dataset={dataset} target={host.notebook.target} />);
    await waitFor(() => expect(store.task()).toBe('classification'));
    const model = () => document.querySelector('.train-model') as HTMLElement;
    await waitFor(() =>
      expect(model().querySelector('summary')?.textContent).toBe('Multinomial logistic regression.'),
    );
    store.addModel('DecisionTreeClassifier');
    expect((screen.getByTestId('train-split') as HTMLSelectElement).value).toBe('stratified-kfold');

    setHost('notebook', 'target', 'fare');
    await waitFor(() => expect(store.task()).toBe('regression'));
    await waitFor(() =>
      expect(store.state.settings.models.map((m) => m.name)).toEqual([
        'LinearRegression',
        'DecisionTreeRegressor',
      ]),
    );
    expect(model().querySelector('summary')?.textContent).toBe('Ordinary least squares.');
    expect((model().querySelector('select') as HTMLSelectElement).value).toBe('LinearRegression');
    const split = screen.getByTestId('train-split') as HTMLSelectElement;
    expect(split.value).toBe('kfold');
    expect((split.querySelector('option[value="stratified-kfold"]') as HTMLOptionElement).disabled).toBe(
      true,
    );
    // The document keeps the user's choice; it is the display and the run that follow the task.
    expect(store.splitKind()).toBe('kfold');
    expect(counterpartModel('GaussianNB', 'regression', CATALOG)).toBe('LinearRegression');
    expect(counterpartModel('DecisionTreeRegressor', 'classification', CATALOG)).toBe(
      'DecisionTreeClassifier',
    );
  });

  it('the grid search is enabled as values are typed, without leaving the field', async () => {
    const { store, host, dataset } = setup();
    render(() => <TrainPanel store={store} dataset={dataset} target={host.notebook.target} />);
    const field = (await waitFor(() => {
      const f = document.querySelector('[data-tune-param="C"]');
      expect(f).not.toBeNull();
      return f;
    })) as HTMLInputElement;
    const button = screen.getByTestId('tune-button') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    field.value = '0.1,';
    fireEvent.input(field);
    expect(field.value).toBe('0.1,');
    field.value = '0.1, 1';
    fireEvent.input(field);
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe('Search 2 combinations');
    expect(host.notebook.train?.tune).toEqual({ model: 'LogisticRegression', grid: { C: [0.1, 1] } });
    field.value = '0.1, x';
    fireEvent.input(field);
    expect(button.disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toBe('"x" is not a number.');
    expect(field.value).toBe('0.1, x');
  });
});

describe('a step that fails in a fold', () => {
  it('marks the step in the notebook and offers its fixes in the Train tab', async () => {
    const error = new EngineError('InvalidArgument', 'OneHotEncoder met an unknown category "." in fold 3.', {
      fold: 2,
      stepId: 's2',
      step: 'OneHotEncoder',
      value: '.',
      fixes: [
        { label: 'Ignore unknown categories', params: { handle_unknown: 'ignore' } },
        { label: "Treat '.' as missing", insert: { step: 'ReplaceValues', params: { value: '.' } } },
      ],
    });
    const { store, host, marked, fixed, dataset } = setup(() => Promise.reject(error));
    render(() => <TrainPanel store={store} dataset={dataset} target={host.notebook.target} />);
    await waitFor(() => expect(store.task()).toBe('classification'));
    fireEvent.click(screen.getByTestId('train-button'));
    const box = await screen.findByTestId('train-error');
    expect(box.textContent).toContain('unknown category');
    expect(marked.at(-1)?.stepId).toBe('s2');
    expect(marked.at(-1)?.fold).toBe(2);
    fireEvent.click(screen.getByRole('button', { name: 'Ignore unknown categories' }));
    expect(fixed).toEqual([
      { stepId: 's2', fix: { label: 'Ignore unknown categories', params: { handle_unknown: 'ignore' } } },
    ]);
    expect(screen.queryByTestId('train-error')).toBeNull();
  });
});

describe('an error no step caused', () => {
  it('offers the step the engine names (detail.fix) and adds it where it says', async () => {
    const error = new EngineError('SchemaError', 'The target "survived" has missing values (3 rows).', {
      columnName: 'survived',
      hint: 'Drop the 3 rows with a missing target before training (FilterRows, first in the notebook).',
      fix: {
        step: 'FilterRows',
        params: { expression: '`survived` is not missing' },
        label: 'Drop the 3 rows where "survived" is missing',
        at: 'start',
      },
    });
    const { store, host, added, dataset } = setup(() => Promise.reject(error));
    render(() => <TrainPanel store={store} dataset={dataset} target={host.notebook.target} />);
    await waitFor(() => expect(store.task()).toBe('classification'));
    fireEvent.click(screen.getByTestId('train-button'));
    await screen.findByTestId('train-error');
    fireEvent.click(screen.getByRole('button', { name: 'Drop the 3 rows where "survived" is missing' }));
    expect(added).toEqual([
      { step: { step: 'FilterRows', params: { expression: '`survived` is not missing' } }, at: 'start' },
    ]);
    expect(screen.queryByTestId('train-error')).toBeNull();
  });

  it('features with gaps are named together and imputed at the end of the notebook', async () => {
    const t = tableFromArrays({
      listings: Float64Array.from([1, Number.NaN, 3, 4]),
      inventory: Float64Array.from([Number.NaN, 2, 3, 4]),
      sales: Float64Array.from([1, 2, 3, 4]),
      survived: Int32Array.from([0, 1, 0, 1]),
    });
    const error = (() => {
      try {
        buildDataset(t, ['listings', 'inventory', 'sales'], 'survived', 'classification');
      } catch (e) {
        return e;
      }
      throw new Error('expected buildDataset to fail');
    })();
    const { store, host, added, dataset } = setup(() => Promise.reject(error));
    render(() => <TrainPanel store={store} dataset={dataset} target={host.notebook.target} />);
    await waitFor(() => expect(store.task()).toBe('classification'));
    fireEvent.click(screen.getByTestId('train-button'));
    const box = await screen.findByTestId('train-error');
    expect(box.textContent).toContain('2 features have missing values: "listings" (1), "inventory" (1)');
    fireEvent.click(screen.getByRole('button', { name: /Fill these 2 columns with the median/ }));
    expect(added).toEqual([
      {
        step: { step: 'SimpleImputer', params: { strategy: 'median' }, columns: ['listings', 'inventory'] },
        at: 'end',
      },
    ]);
  });
});

describe('runs per dataset', () => {
  it('shows each dataset only its own runs, and files a run under the dataset it started on', async () => {
    let finish: (e: ExperimentResult) => void = () => {};
    const { store, setHost } = setup(() => new Promise((resolve) => (finish = resolve)));
    await waitFor(() => expect(store.task()).toBe('classification'));
    store.train();
    // The user moves to another dataset while it trains: the result still belongs to the first.
    setHost('key', 'sample:b');
    finish(experiment('e1'));
    await waitFor(() => expect(store.running()).toBe(false));
    expect(store.state.experiments).toHaveLength(0);
    setHost('key', 'sample:a');
    expect(store.state.experiments.map((e) => e.id)).toEqual(['e1']);
  });

  it('selects the best run on the primary metric, not the first model listed', async () => {
    const scored = (primary: string, higherIsBetter: boolean, scores: [string, number][]) =>
      ({
        ...experiment('e9'),
        primary,
        higherIsBetter,
        models: scores.map(([label, mean]) => ({ label, metrics: { [primary]: { mean, std: 0, n: 5 } } })),
      }) as unknown as ExperimentResult;
    let finish: (e: ExperimentResult) => void = () => {};
    const { store } = setup(() => new Promise((resolve) => (finish = resolve)));
    await waitFor(() => expect(store.task()).toBe('classification'));
    store.train();
    // diamonds: LinearRegression listed first, Ridge better.
    finish(
      scored('r2', true, [
        ['LinearRegression', 0.883],
        ['Ridge', 0.907],
      ]),
    );
    await waitFor(() => expect(store.state.selected).toBe('e9/Ridge'));
    expect(store.state.compareWith).toBe('e9/LinearRegression');
    store.train();
    finish({
      ...scored('log_loss', false, [
        ['A', 0.5],
        ['B', 0.3],
        ['C', 0.4],
      ]),
      id: 'e10',
    } as ExperimentResult);
    await waitFor(() => expect(store.state.selected).toBe('e10/B'));
    expect(store.state.compareWith).toBe('e10/C');
  });

  it('Evaluate has a run of the dataset on screen selected after a switch of dataset (no blank pickers)', async () => {
    const withModels = (id: string) =>
      ({
        ...experiment(id),
        models: [{ label: `${id}-best` }, { label: `${id}-second` }],
      }) as unknown as ExperimentResult;
    let finish: (e: ExperimentResult) => void = () => {};
    const { store, setHost } = setup(() => new Promise((resolve) => (finish = resolve)));
    await waitFor(() => expect(store.task()).toBe('classification'));
    store.train();
    finish(withModels('e1'));
    await waitFor(() => expect(store.running()).toBe(false));
    setHost('key', 'sample:b');
    store.train();
    finish(withModels('e2'));
    await waitFor(() => expect(store.state.selected).toBe('e2/e2-best'));
    // Back on the first dataset, the selection was the second's: its own newest best run instead.
    setHost('key', 'sample:a');
    await waitFor(() => expect(store.state.selected).toBe('e1/e1-best'));
    expect(store.state.compareWith).toBe('e1/e1-second');
    // A removed selection falls back to what is left.
    store.removeRun('e1/e1-best');
    await waitFor(() => expect(store.state.selected).toBe('e1/e1-second'));
  });
});
