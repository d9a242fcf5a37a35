/**
 * The Train tab's form: task, split, models and tuning grid. The settings live in the notebook
 * document (`notebook.train`), so a share link reopens the same experiment and every dataset has
 * its own; each edit is written through at once. Derived values stay derived: the task follows
 * the target unless the user picks one, a regression never shows a stratified split, and a model
 * that cannot do the task is swapped for its counterpart (LogisticRegression ↔ LinearRegression,
 * …Classifier ↔ …Regressor) instead of being shown under another model's name.
 */
import { createEffect, on } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type { EngineApi, ModelInfo, TrainParamValue, TrainTask } from '../protocol/api';
import type { Notebook, TrainSettings, TrainSplit } from '../spec/notebook';
import { copy } from './plain';

export interface SettingsClient {
  api: Pick<EngineApi, 'modelCatalog' | 'inferTask'>;
}

export interface SettingsHost {
  /** The dataset the notebook is bound to (the original data, not the notebook's output). */
  datasetId(): string | null;
  notebook(): Notebook;
  /** Writes the experiment settings into the notebook document (undoable, in the link). */
  setTrainSettings(settings: TrainSettings): void;
}

interface SettingsState {
  catalog: ModelInfo[];
  catalogError: string | null;
  inferredTask: TrainTask | null;
  settings: TrainSettings;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  split: { kind: 'stratified-kfold', k: 5 },
  models: [{ name: 'LogisticRegression', params: {} }],
};

/** The model a task starts with when the chosen one cannot do it. */
const TASK_DEFAULT: Record<TrainTask, string> = {
  classification: 'LogisticRegression',
  regression: 'LinearRegression',
  clustering: 'KMeans',
};

/** The split as it applies to `task`: stratifying needs classes, so regression uses plain k-fold. */
export function splitKindFor(kind: TrainSplit['kind'], task: TrainTask | null): TrainSplit['kind'] {
  return kind === 'stratified-kfold' && task !== null && task !== 'classification' ? 'kfold' : kind;
}

export { splitFor } from '../protocol/train-spec';

/** The model that does `task` in place of `name`: its counterpart, else the task's default. */
export function counterpartModel(
  name: string,
  task: TrainTask,
  catalog: readonly ModelInfo[],
): string | null {
  const fits = (n: string) => catalog.some((m) => m.name === n && m.tasks.includes(task));
  if (fits(name)) return name;
  const candidates = [
    task === 'regression'
      ? name.replace(/Classifier$/, 'Regressor')
      : name.replace(/Regressor$/, 'Classifier'),
    TASK_DEFAULT[task],
  ];
  return candidates.find(fits) ?? catalog.find((m) => m.tasks.includes(task))?.name ?? null;
}

export type TrainSettingsStore = ReturnType<typeof createTrainSettings>;

export function createTrainSettings(client: SettingsClient, host: SettingsHost) {
  const [state, setState] = createStore<SettingsState>({
    catalog: [],
    catalogError: null,
    inferredTask: null,
    settings: copy(host.notebook().train ?? DEFAULT_SETTINGS),
  });

  void client.api.modelCatalog().then(
    (catalog) => setState('catalog', catalog),
    (e: unknown) => setState('catalogError', toEngineError(e).message),
  );

  // A link, an undo or another dataset changes notebook.train: the form follows the document.
  createEffect(
    on(
      () => JSON.stringify(host.notebook().train ?? null),
      (json) => {
        const train = (JSON.parse(json) as TrainSettings | null) ?? DEFAULT_SETTINGS;
        if (JSON.stringify(unwrap(state.settings)) !== JSON.stringify(train))
          setState('settings', reconcile(copy(train)));
      },
    ),
  );

  // The task the target suggests, re-asked when the target or the data changes.
  createEffect(
    on(
      () => [host.datasetId(), host.notebook().target] as const,
      ([datasetId, target]) => {
        if (!datasetId) {
          setState('inferredTask', null);
          return;
        }
        client.api.inferTask(datasetId, target).then(
          (task) => {
            if (host.datasetId() === datasetId && host.notebook().target === target)
              setState('inferredTask', task);
          },
          () => setState('inferredTask', null),
        );
      },
    ),
  );

  const task = (): TrainTask | null =>
    state.settings.task ?? (host.notebook().target === null ? 'clustering' : state.inferredTask);

  // Models that cannot do the task are swapped for ones that can (on screen; written on the next edit).
  createEffect(
    on([task, () => state.catalog.length], ([t]) => {
      if (!t || state.catalog.length === 0) return;
      const models = unwrap(state.settings.models);
      const swapped = models.map((m) => {
        const name = counterpartModel(m.name, t, state.catalog);
        return name === null || name === m.name ? m : { name, params: {} };
      });
      const unique = swapped.filter(
        (m, i) => swapped.findIndex((x) => JSON.stringify(x) === JSON.stringify(m)) === i,
      );
      if (JSON.stringify(unique) !== JSON.stringify(models))
        setState('settings', 'models', reconcile(unique));
    }),
  );

  function commit(): void {
    if (JSON.stringify(host.notebook().train ?? null) !== JSON.stringify(unwrap(state.settings))) {
      host.setTrainSettings(copy(unwrap(state.settings)));
    }
  }

  function update(recipe: (s: TrainSettings) => void): void {
    const next = copy(unwrap(state.settings));
    recipe(next);
    setState('settings', reconcile(next));
    commit();
  }

  return {
    state,
    task,
    commit,
    /** The split kind the experiment will use (what the Split field shows). */
    splitKind: (): TrainSplit['kind'] => splitKindFor(state.settings.split.kind, task()),
    modelInfo: (name: string) => state.catalog.find((m) => m.name === name),
    /** Models that fit the current task. */
    modelChoices: (): ModelInfo[] => {
      const t = task();
      return state.catalog.filter((m) => !t || m.tasks.includes(t));
    },
    setTask(t: TrainTask | null): void {
      update((s) => {
        if (t) s.task = t;
        else delete s.task;
      });
    },
    setSplit(patch: Partial<TrainSplit>): void {
      update((s) => {
        s.split = { ...s.split, ...patch };
        for (const [k, v] of Object.entries(s.split)) {
          if (v === undefined || v === null || v === '')
            delete (s.split as unknown as Record<string, unknown>)[k];
        }
      });
    },
    addModel(name: string): void {
      update((s) => {
        s.models.push({ name, params: {} });
      });
    },
    removeModel(index: number): void {
      update((s) => {
        s.models.splice(index, 1);
      });
    },
    setModelName(index: number, name: string): void {
      update((s) => {
        if (s.models[index]) s.models[index] = { name, params: {} };
      });
    },
    /** Sets a parameter; the default value removes it (the notebook keeps only changes). */
    setModelParam(index: number, key: string, value: TrainParamValue): void {
      const info = state.catalog.find((m) => m.name === state.settings.models[index]?.name);
      update((s) => {
        const m = s.models[index];
        if (!m) return;
        if (info && JSON.stringify(info.params[key]?.default) === JSON.stringify(value)) delete m.params[key];
        else m.params[key] = value as never;
      });
    },
    setTuneGrid(model: string, grid: Record<string, TrainParamValue[]>): void {
      update((s) => {
        s.tune = { model, grid: grid as never };
      });
    },
  };
}
