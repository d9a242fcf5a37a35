/**
 * Generates a Python script that runs a notebook and its experiment on Dask distributed: the data
 * as CSV or Parquet partitions, Benchtop's own folds (same seed, same rows), each step fitted per
 * fold with distributed aggregations and applied per partition, every model trained on the
 * cluster (xgboost.dask for boosted trees and forests, scikit-learn's incremental learners over
 * the partitions for the rest), and the app's metrics with their intervals.
 *
 * What has no faithful distributed form is refused by name, with the reason, before anything is
 * written: a script that silently computed something else would report numbers nobody asked for.
 * The models that do run differ from the app's in ways the script's header spells out.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../core/errors';
import { logicalType } from '../core/frame';
import { DEFAULT_MISSING_MARKERS } from '../core/types';
import { inferTask, validateModelParams } from '../models/model';
import { modelForTask } from '../models/registry';
import { parseExpression } from '../pipeline/expr';
import { NotebookPlanner } from '../pipeline/plan';
import { py } from '../pipeline/python';
import { getStep } from '../pipeline/registry';
import { validateParams } from '../pipeline/step';
import type { StepSpec } from '../spec/notebook';
import { BENCHTOP_VERSION } from './artifact';
import { DASK_RUNTIME } from './dask-runtime';
import { type PythonSource, pandasEncoding } from './python-data';
import type { DaskExportSpec } from './types';

/** How each exported step is computed on the cluster (the script's header says it per step). */
export const DASK_STEPS: Record<string, string> = {
  SimpleImputer:
    'the mean, or the value counts, of each fold’s training rows as a distributed aggregation; filled per partition',
  StandardScaler:
    'count, mean and variance of the training rows per partition, combined exactly (Chan et al.); scaled per partition',
  MinMaxScaler: 'minimum and maximum of the training rows as distributed reductions; scaled per partition',
  MaxAbsScaler:
    'largest absolute value of the training rows as a distributed reduction; scaled per partition',
  Log1p: 'log(1 + x) per partition',
  DropColumns: 'columns dropped per partition',
  OneHotEncoder:
    'categories known after dask’s categorize, kept per fold where the training rows have them (distributed value counts), in Benchtop’s order; 0/1 columns written per partition',
};

/** Steps without a faithful distributed form, and why. */
const REFUSED_STEPS: Record<string, string> = {
  RobustScaler: 'its quantiles are only approximate on partitioned data in Dask',
  QuantileTransformer: 'its quantiles are only approximate on partitioned data in Dask',
  KBinsDiscretizer: 'its bin edges are quantiles, only approximate on partitioned data in Dask',
  OutlierClipper: 'its bounds are quantiles, only approximate on partitioned data in Dask',
  PowerTransformer: 'its lambda is fitted by a numerical optimisation over all training rows at once',
  KNNImputer: 'every imputation searches all training rows for neighbours',
  LocalOutlierFactor: 'every score searches all rows for neighbours',
  IsolationForest: 'its trees are grown on samples of all rows in one place',
  TargetEncoder: 'its cross-fitting shuffles the training rows into folds within each fold',
};

export interface DaskModel {
  /** What the script trains instead. */
  runs: string;
  /** How it differs from the app's model, one sentence or two. */
  differs: string;
}

/** Every model the Dask export trains, with what runs on the cluster and how it differs from the app. */
export const DASK_MODELS: Record<string, DaskModel> = {
  HistGradientBoostingClassifier: {
    runs: 'xgboost.dask.DaskXGBClassifier (tree_method="hist", grow_policy="lossguide")',
    differs:
      'xgboost’s trees, not the app’s: its own quantile bins and second-order split gain; min_samples_leaf becomes min_child_weight (the hessian of that many rows when boosting starts); early stopping holds out a seeded share of the training rows and keeps the best round.',
  },
  HistGradientBoostingRegressor: {
    runs: 'xgboost.dask.DaskXGBRegressor (tree_method="hist", grow_policy="lossguide")',
    differs:
      'xgboost’s trees, not the app’s: its own quantile bins; min_samples_leaf becomes min_child_weight (one unit of hessian per row for squared error); early stopping holds out a seeded share of the training rows and keeps the best round.',
  },
  RandomForestClassifier: {
    runs: 'xgboost.dask.DaskXGBRFClassifier (one round of n_estimators parallel trees, hist)',
    differs:
      'trees split on gradient statistics of the log loss, not gini/entropy; bootstrap becomes subsample=0.632 without replacement; max_features becomes colsample_bynode; min_samples_split has no counterpart.',
  },
  RandomForestRegressor: {
    runs: 'xgboost.dask.DaskXGBRFRegressor (one round of n_estimators parallel trees, hist)',
    differs:
      'histogram splits instead of exact ones; bootstrap becomes subsample=0.632 without replacement; max_features becomes colsample_bynode; min_samples_split has no counterpart.',
  },
  LogisticRegression: {
    runs: 'sklearn SGDClassifier(loss="log_loss") with partial_fit over the training partitions',
    differs:
      'the same penalised objective (alpha = 1 / (C · rows)) approached by stochastic gradient descent for a fixed number of passes instead of solved by L-BFGS, and one-vs-rest for more than two classes (the app’s is multinomial): close, not equal.',
  },
  LinearRegression: {
    runs: 'sklearn SGDRegressor(penalty=None) with partial_fit over the training partitions',
    differs:
      'least squares approached by stochastic gradient descent instead of solved exactly: close, not equal.',
  },
  Ridge: {
    runs: 'sklearn SGDRegressor(penalty="l2", alpha = alpha / rows) with partial_fit',
    differs: 'the same objective approached by stochastic gradient descent instead of solved exactly.',
  },
  Lasso: {
    runs: 'sklearn SGDRegressor(penalty="l1") with partial_fit',
    differs:
      'the same objective approached by stochastic gradient descent instead of coordinate descent; coefficients are small rather than exactly zero.',
  },
  ElasticNet: {
    runs: 'sklearn SGDRegressor(penalty="elasticnet") with partial_fit',
    differs: 'the same objective approached by stochastic gradient descent instead of coordinate descent.',
  },
  MLPClassifier: {
    runs: 'sklearn MLPClassifier with partial_fit, one pass over the partitions per epoch',
    differs:
      'runs max_iter epochs (tol and n_iter_no_change do not stop partial_fit); numpy’s initial weights and batches, not the app’s tfjs ones.',
  },
  MLPRegressor: {
    runs: 'sklearn MLPRegressor with partial_fit, one pass over the partitions per epoch',
    differs:
      'runs max_iter epochs (tol and n_iter_no_change do not stop partial_fit); numpy’s initial weights and batches, not the app’s tfjs ones.',
  },
  KMeans: {
    runs: 'sklearn MiniBatchKMeans with partial_fit, each partition one mini-batch per epoch',
    differs:
      'mini-batch updates from one k-means++ start instead of full Lloyd iterations from n_init starts: centres close, not equal.',
  },
  GaussianNB: {
    runs: 'sklearn GaussianNB with partial_fit over the partitions',
    differs:
      'none: the class means and variances are exact, and the variance floor is taken over all training rows.',
  },
};

const REFUSED_MODELS: Record<string, string> = {
  KNeighborsClassifier: 'every prediction searches all training rows',
  KNeighborsRegressor: 'every prediction searches all training rows',
  DecisionTreeClassifier: 'one exact CART tree needs every training row in one place',
  DecisionTreeRegressor: 'one exact CART tree needs every training row in one place',
  DBSCAN: 'its neighbourhoods span all rows',
};

/** The notebook's enabled steps, models and split that have no faithful Dask form, each with why. */
export function daskRefusals(spec: Pick<DaskExportSpec, 'notebook' | 'models' | 'split'>): string[] {
  const out: string[] = [];
  let transformed = false;
  for (const s of spec.notebook.steps.filter((x) => x.enabled)) {
    const def = getStep(s.step);
    if (def?.kind === 'filter') {
      if (s.step !== 'FilterRows') out.push(`${s.step} (only FilterRows is exported to Dask so far)`);
      else if (transformed)
        out.push(`${s.step} after a transform (training needs filters first, as in the app)`);
      continue;
    }
    transformed = true;
    if (s.step === 'SimpleImputer' && s.params.strategy === 'median') {
      out.push(
        'SimpleImputer(strategy="median") (the median of a partitioned column is only approximate in Dask)',
      );
      continue;
    }
    if (!DASK_STEPS[s.step]) out.push(`${s.step} (${REFUSED_STEPS[s.step] ?? 'no Dask form yet'})`);
  }
  for (const m of spec.models) {
    if (!DASK_MODELS[m.name]) {
      out.push(`${m.name} (${REFUSED_MODELS[m.name] ?? 'no distributed form'})`);
    } else if (m.name.startsWith('MLP') && m.params.early_stopping === true) {
      out.push(`${m.name}(early_stopping=true) (partial_fit has no early stopping)`);
    } else if (m.name === 'MLPClassifier' && m.params.class_weight != null) {
      out.push('MLPClassifier(class_weight) (scikit-learn’s MLPClassifier has no class weights)');
    }
  }
  const split = spec.split;
  if (split.kind === 'group-kfold' || (split.kind === 'holdout' && (split.group || split.timeColumn))) {
    out.push(
      `the ${split.kind === 'group-kfold' ? 'group k-fold' : split.group ? 'grouped hold-out' : 'time-ordered hold-out'} split (not exported to Dask yet)`,
    );
  }
  return out;
}

/** The columns a step names itself (its card's selection, else its `columns` parameter), or null. */
function namedColumns(s: StepSpec): string[] | null {
  if (s.columns && s.columns.length > 0) return [...s.columns];
  const own = s.params.columns;
  return Array.isArray(own) ? own.map(String) : null;
}

/** The columns a step resolved when it ran on this data (the `columns` of its fitted state). */
function resolvedColumns(state: unknown): string[] | null {
  const own = (state as { columns?: unknown } | null)?.columns;
  if (!Array.isArray(own)) return null;
  const names = own.map((c) => (typeof c === 'string' ? c : (c as { name?: unknown } | null)?.name));
  return names.every((n): n is string => typeof n === 'string') ? names : null;
}

export async function daskScript(
  table: Table,
  spec: DaskExportSpec,
  signal: AbortSignal,
  /** How the loaded sample was read: CSV partitions are read with its delimiter, decimal mark and encoding. */
  source: PythonSource = { format: 'csv' },
): Promise<string> {
  if (spec.models.length === 0) throw new EngineError('InvalidArgument', 'The Dask export needs a model.');
  const refused = daskRefusals(spec);
  if (refused.length > 0) {
    throw new EngineError('InvalidArgument', `The Dask export cannot reproduce ${refused.join('; ')}.`, {
      refused,
      hint: 'Remove or replace these in the notebook (or pick another model), then export again; nothing is approximated silently.',
    });
  }
  const target = spec.target;
  if (target !== null && !table.schema.fields.some((f) => f.name === target)) {
    throw new EngineError('SchemaError', `Target column "${target}" does not exist.`);
  }
  const task = spec.task ?? (target === null ? 'clustering' : inferTask(table, target));
  const models = spec.models.map((m) => {
    const def = modelForTask(m.name, task);
    return { name: m.name, params: validateModelParams(def, m.params as Record<string, unknown>) };
  });
  const steps = spec.notebook.steps.filter((s) => s.enabled);
  // The notebook must run on this data as it does in the app: its errors are reported now.
  const ran = await new NotebookPlanner().run(
    { table, dataKey: 'dask-export', steps, seed: spec.notebook.seed, target },
    { compute: null, signal, progress: () => undefined },
  );
  const failed = ran.runs.find((r) => r.status === 'error');
  if (failed) {
    throw new EngineError(
      'InvalidArgument',
      `The notebook step ${failed.step} failed: ${failed.error?.message ?? ''}`,
    );
  }
  const filters = steps
    .filter((s) => getStep(s.step)?.kind === 'filter')
    .map((s) => parseExpression(String(s.params.expression ?? '')));
  const transforms = steps
    .filter((s) => getStep(s.step)?.kind !== 'filter')
    .map((s) => {
      const def = getStep(s.step)!;
      const { columns: _own, ...params } = validateParams(def, s.params) as Record<string, unknown>;
      // A step's default columns are its own rule (pipeline/plan.ts defaultColumns: an imputer's
      // mean takes the numbers, scalers skip one-hot outputs): the columns it resolved here.
      const columns = namedColumns(s) ?? resolvedColumns(ran.states.get(s.id));
      return { name: s.step, id: s.id, params, columns, accepts: [...def.accepts] };
    });
  const columns = Object.fromEntries(table.schema.fields.map((f) => [f.name, logicalType(f)]));
  const labels = new Map<string, number>();
  const header = models.map((m) => {
    const count = (labels.get(m.name) ?? 0) + 1;
    labels.set(m.name, count);
    const d = DASK_MODELS[m.name]!;
    return `  ${count > 1 ? `${m.name} #${count}` : m.name} → ${d.runs}.\n    Differs: ${d.differs}`;
  });
  const needs = ['dask', 'distributed', 'pandas', 'numpy', 'scipy', 'scikit-learn'];
  if (models.some((m) => /Forest|Boosting/.test(m.name))) needs.push('xgboost');
  const stepLines = steps.map(
    (s, k) =>
      `  ${k + 1}. ${s.step}: ${s.step === 'FilterRows' ? `${JSON.stringify(String(s.params.expression))} — a filter on every partition, before the split` : DASK_STEPS[s.step]}.`,
  );
  return `#!/usr/bin/env python3
"""Runs a Benchtop notebook and its experiment on Dask distributed (${models.map((m) => m.name).join(', ')}).

Generated by Benchtop ${BENCHTOP_VERSION}. Usage:
  python3 this_script.py [DATA ...] [--scheduler ADDRESS] [--workers N] [--blocksize 64MB] [--epochs N]
DATA: CSV or Parquet files, globs or folders: one dataset in partitions, rows in file-name order
(default ${spec.dataFile}). Without --scheduler it starts a LocalCluster of --workers processes.
Prints, as JSON, every model's metrics over Benchtop's own folds (the same rows in each fold as
the app for the same seed), mean ± std with the 95% t-interval, like the app's run.

Models (trained on the cluster):
${header.join('\n')}

Steps (fitted on each fold's training rows, applied to every partition):
${stepLines.length > 0 ? stepLines.join('\n') : '  (none)'}

Needs ${needs.join(', ')}; Parquet input also needs pyarrow.
"""

DATA_FILE = ${py(spec.dataFile)}
TARGET = ${py(target)}
TASK = ${py(task)}
# Benchtop's type of every column of the data (the script reads them so).
COLUMNS = ${py(columns)}
NA_VALUES = ${py(DEFAULT_MISSING_MARKERS.filter((m) => m !== ''))}
# CSV partitions as Benchtop read the loaded file: delimiter, decimal mark, encoding.
CSV_SEP = ${py(source.format === 'csv' ? (source.delimiter ?? ',') : ',')}
CSV_DECIMAL = ${py(source.format === 'csv' ? (source.decimal ?? '.') : '.')}
CSV_ENCODING = ${py(source.format === 'csv' ? pandasEncoding(source) : 'utf-8')}
SEED = ${spec.seed}
SPLIT = ${py(spec.split)}
EXCLUDE = []
# The leading FilterRows conditions, parsed (src/pipeline/expr.ts); applied to every partition.
FILTERS = ${py(filters)}
TRANSFORMS = ${py(transforms)}
MODELS = ${py(models)}

${DASK_RUNTIME}`;
}
