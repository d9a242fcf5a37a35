/**
 * What the Train button sends to the engine, from the notebook document alone: the split the
 * notebook's settings mean for a task, and the whole TrainSpec. Pure (no Solid), so the train
 * store and the `benchtop` command build the very same spec — same link and data, same numbers.
 */

import type { Notebook, TrainSettings } from '../spec/notebook';
import type { SplitSpec, TrainSpec, TrainTask } from './api';

/** The experiment a notebook without training settings gets (the Train tab's starting form). */
export const DEFAULT_SETTINGS: TrainSettings = {
  split: { kind: 'stratified-kfold', k: 5 },
  models: [{ name: 'LogisticRegression', params: {} }],
};

/** The engine's split from the notebook's settings (task decides whether stratifying is possible). */
export function splitFor(settings: TrainSettings, task: TrainTask): SplitSpec {
  const s = settings.split;
  if (s.kind === 'holdout') {
    return {
      kind: 'holdout',
      testSize: s.testSize ?? 0.25,
      ...(s.stratify && task === 'classification' ? { stratify: true } : {}),
      ...(s.shuffle === false ? { shuffle: false } : {}),
      ...(s.group ? { group: s.group } : {}),
      ...(s.timeColumn ? { timeColumn: s.timeColumn } : {}),
    };
  }
  // Stratifying needs classes: regression falls back to plain k-fold.
  const kind = s.kind === 'stratified-kfold' && task !== 'classification' ? 'kfold' : s.kind;
  return {
    kind,
    k: s.k ?? 5,
    ...(s.repeats && s.repeats > 1 ? { repeats: s.repeats } : {}),
    ...(s.shuffle === false ? { shuffle: false } : {}),
    ...(s.group ? { group: s.group } : {}),
  };
}

/** The task the settings name, else none for a notebook without a target, else null: ask the engine. */
export function declaredTask(notebook: Notebook, settings: TrainSettings): TrainTask | null {
  return settings.task ?? (notebook.target === null ? 'clustering' : null);
}

/** The experiment of the notebook's settings, as the Train tab runs it (seed: the notebook's). */
export function trainSpecOf(notebook: Notebook, settings: TrainSettings, task: TrainTask): TrainSpec {
  return {
    notebook,
    target: notebook.target,
    task,
    split: splitFor(settings, task),
    models: settings.models.map((m) => ({ name: m.name, params: { ...m.params } })),
    seed: notebook.seed,
  };
}
