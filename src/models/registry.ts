/** Every model, by its scikit-learn name: the one list the engine, the UI and the tests read. */

import { EngineError } from '../core/errors';
import { DBSCAN, KMeans } from './cluster';
import { HistGradientBoostingClassifier, HistGradientBoostingRegressor } from './hgb';
import { ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge } from './linear';
import { MLPClassifier, MLPRegressor } from './mlp';
import type { AnyModelDef, Task } from './model';
import { GaussianNB } from './naive-bayes';
import { KNeighborsClassifier, KNeighborsRegressor } from './neighbors';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from './tree';

const ALL: readonly AnyModelDef[] = [
  LinearRegression,
  Ridge,
  Lasso,
  ElasticNet,
  LogisticRegression,
  GaussianNB,
  KNeighborsClassifier,
  KNeighborsRegressor,
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  MLPClassifier,
  MLPRegressor,
  KMeans,
  DBSCAN,
];

function register(models: readonly AnyModelDef[]): ReadonlyMap<string, AnyModelDef> {
  const map = new Map<string, AnyModelDef>();
  for (const m of models) {
    if (map.has(m.name)) throw new Error(`Model "${m.name}" is registered twice.`);
    map.set(m.name, m);
  }
  return map;
}

export const MODELS: ReadonlyMap<string, AnyModelDef> = register(ALL);

export function getModel(name: string): AnyModelDef | undefined {
  return MODELS.get(name);
}

/**
 * The model called `name`, which must do `task`: an InvalidArgument otherwise (with `hint`, when
 * given, for the model that does another task).
 */
export function modelForTask(name: string, task: Task, hint?: string): AnyModelDef {
  const def = getModel(name);
  if (!def) throw new EngineError('InvalidArgument', `There is no model called "${name}".`);
  if (!def.tasks.includes(task)) {
    throw new EngineError(
      'InvalidArgument',
      `${name} does not do ${task}; it does ${def.tasks.join(' and ')}.`,
      hint === undefined ? {} : { hint },
    );
  }
  return def;
}

export function modelsFor(task: Task): AnyModelDef[] {
  return ALL.filter((m) => m.tasks.includes(task));
}
