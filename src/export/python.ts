/**
 * Generates a pandas + scikit-learn script that reproduces the notebook, the model and the
 * cross-validated metrics from the same CSV, for teams that deploy in Python. The fold
 * assignment is embedded (the very rows of each test fold), so the script scores the same splits
 * as Benchtop rather than an sklearn KFold that would only match in distribution.
 */
import type { Table } from 'apache-arrow';
import { makeFolds } from '../analysis/experiment/experiment';
import { EngineError } from '../core/errors';
import { column, readLabels } from '../core/frame';
import { createRng } from '../core/rng';
import { DEFAULT_MISSING_MARKERS } from '../core/types';
import { inferTask } from '../models/model';
import { getStep } from '../pipeline/registry';
import { fitForExport } from './artifact';
import type { PythonExportSpec } from './types';

/** Steps whose sklearn class transforms the selected columns in place (same names, same shape). */
const SKLEARN_TWINS: Record<string, string> = {
  StandardScaler: 'sklearn.preprocessing',
  MinMaxScaler: 'sklearn.preprocessing',
  MaxAbsScaler: 'sklearn.preprocessing',
  RobustScaler: 'sklearn.preprocessing',
  PowerTransformer: 'sklearn.preprocessing',
  QuantileTransformer: 'sklearn.preprocessing',
  SimpleImputer: 'sklearn.impute',
  KNNImputer: 'sklearn.impute',
};

const MODELS: Record<string, string> = {
  LinearRegression: 'sklearn.linear_model',
  Ridge: 'sklearn.linear_model',
  Lasso: 'sklearn.linear_model',
  ElasticNet: 'sklearn.linear_model',
  LogisticRegression: 'sklearn.linear_model',
  GaussianNB: 'sklearn.naive_bayes',
  KNeighborsClassifier: 'sklearn.neighbors',
  KNeighborsRegressor: 'sklearn.neighbors',
  DecisionTreeClassifier: 'sklearn.tree',
  DecisionTreeRegressor: 'sklearn.tree',
  RandomForestClassifier: 'sklearn.ensemble',
  RandomForestRegressor: 'sklearn.ensemble',
  HistGradientBoostingClassifier: 'sklearn.ensemble',
  HistGradientBoostingRegressor: 'sklearn.ensemble',
  MLPClassifier: 'sklearn.neural_network',
  MLPRegressor: 'sklearn.neural_network',
};

/** A JSON value as a Python literal (JSON is nearly Python: only true/false/null differ). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `float("${v}")`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
    .join(', ')}}`;
}

function stepCode(name: string, params: Record<string, unknown>, columns: string[]): string {
  const cols = py(columns);
  if (SKLEARN_TWINS[name]) {
    const own = Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'columns'));
    if (name === 'SimpleImputer' && own.strategy !== 'constant') delete own.fill_value;
    return `    fit_columns(${name}, ${py(own)}, ${cols}, train, test)`;
  }
  if (name === 'Log1p')
    return `    for part in (train, test):\n        part[${cols}] = np.log1p(part[${cols}])`;
  if (name === 'DropColumns')
    return `    train.drop(columns=${cols}, inplace=True)\n    test.drop(columns=${cols}, inplace=True)`;
  return `    # ${name} has no scikit-learn twin in this export yet: port it by hand (Benchtop's\n    # src/pipeline/steps/${name}.ts is the reference), then remove this line.\n    raise NotImplementedError("${name}")`;
}

export async function pythonScript(
  table: Table,
  spec: PythonExportSpec,
  signal: AbortSignal,
): Promise<string> {
  const lead = spec.notebook.steps.find((s) => s.enabled && getStep(s.step)?.kind === 'filter');
  if (lead) {
    throw new EngineError(
      'InvalidArgument',
      `The Python export does not reproduce filter steps yet (${lead.step}).`,
      {
        hint: 'Export a notebook without filter steps, or filter the CSV first.',
      },
    );
  }
  const module = MODELS[spec.model.name];
  if (!module)
    throw new EngineError(
      'InvalidArgument',
      `The Python export has no scikit-learn twin for ${spec.model.name}.`,
    );
  const target = spec.target;
  if (target === null) throw new EngineError('InvalidArgument', 'The Python export needs a target column.');
  const task = spec.task ?? inferTask(table, target);
  // Fitted on every row only to learn each step's resolved columns and the model's features.
  const fitted = await fitForExport(table, spec, { dataKey: 'python-export', compute: null, signal });
  const y = task === 'classification' ? readLabels(column(table, target)).codes : null;
  const folds = makeFolds(table, spec.split, y, createRng(spec.seed));
  const n = table.numRows;
  const testFolds = folds.map((f) => Array.from(f.test));
  const complement = folds.every((f) => f.train.length + f.test.length === n);
  const trainFolds = complement ? null : folds.map((f) => Array.from(f.train));
  const steps = spec.notebook.steps.filter((s) => s.enabled);
  const body = steps
    .map((s, k) => {
      const state = fitted.steps[k]?.state as { columns?: string[] } | undefined;
      return `    # ${k + 1}. ${s.step}\n${stepCode(s.step, s.params as Record<string, unknown>, state?.columns ?? [])}`;
    })
    .join('\n');
  const stepImports = [...new Set(steps.map((s) => s.step).filter((s) => SKLEARN_TWINS[s]))]
    .map((s) => `from ${SKLEARN_TWINS[s]} import ${s}`)
    .join('\n');
  const metrics =
    task === 'classification'
      ? `    pred = model.predict(Xte)
    scores = {
        "accuracy": metrics.accuracy_score(yte, pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(yte, pred),
        "f1_macro": metrics.f1_score(yte, pred, average="macro"),
        "f1_weighted": metrics.f1_score(yte, pred, average="weighted"),
        "precision_macro": metrics.precision_score(yte, pred, average="macro", zero_division=0),
        "recall_macro": metrics.recall_score(yte, pred, average="macro"),
    }`
      : `    pred = model.predict(Xte)
    scores = {
        "mae": metrics.mean_absolute_error(yte, pred),
        "rmse": float(np.sqrt(metrics.mean_squared_error(yte, pred))),
        "r2": metrics.r2_score(yte, pred),
    }`;
  return `#!/usr/bin/env python3
"""Reproduces a Benchtop notebook + ${spec.model.name} with pandas and scikit-learn.

Generated by Benchtop. Usage: python3 this_script.py [path/to/${spec.csvFile}]
Prints the mean cross-validated metrics over the same folds Benchtop used, as JSON.
"""
import inspect
import json
import sys

import numpy as np
import pandas as pd
from sklearn import metrics
from ${module} import ${spec.model.name}
${stepImports}

CSV = sys.argv[1] if len(sys.argv) > 1 else ${py(spec.csvFile)}
TARGET = ${py(target)}
FEATURES = ${py(fitted.features)}
MODEL_PARAMS = ${py(spec.model.params)}
SEED = ${spec.seed}
# The rows of each test fold, exactly as Benchtop split them (${JSON.stringify(spec.split)}).
TEST_FOLDS = ${py(testFolds)}
TRAIN_FOLDS = ${trainFolds ? py(trainFolds) : 'None  # each training fold is every row not in its test fold'}


def make(cls, params):
    """Keeps the parameters this scikit-learn version knows, and says which it dropped."""
    known = inspect.signature(cls).parameters
    dropped = sorted(k for k in params if k not in known)
    if dropped:
        print(f"note: {cls.__name__} here has no parameter(s) {dropped}; using its defaults", file=sys.stderr)
    return cls(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in params.items() if k in known})


def fit_columns(cls, params, columns, train, test):
    """Fits on the training rows only and transforms the same columns of both parts in place."""
    if not columns:
        return
    step = make(cls, params).fit(train[columns])
    train[columns] = step.transform(train[columns])
    test[columns] = step.transform(test[columns])


def preprocess(train, test):
${body || '    pass'}
    return train, test


def main():
    df = pd.read_csv(CSV, na_values=${py(DEFAULT_MISSING_MARKERS.filter((m) => m !== ''))}, keep_default_na=True)
    folds = []
    for k, test_rows in enumerate(TEST_FOLDS):
        train_rows = TRAIN_FOLDS[k] if TRAIN_FOLDS else np.setdiff1d(np.arange(len(df)), test_rows)
        train, test = preprocess(df.iloc[train_rows].copy(), df.iloc[test_rows].copy())
        Xtr, Xte = train[FEATURES].to_numpy(dtype=float), test[FEATURES].to_numpy(dtype=float)
        ytr, yte = train[TARGET].to_numpy(), test[TARGET].to_numpy()
        params = dict(MODEL_PARAMS)
        if "random_state" in inspect.signature(${spec.model.name}).parameters:
            params.setdefault("random_state", SEED)
        model = make(${spec.model.name}, params).fit(Xtr, ytr)
${metrics.replace(/^/gm, '    ')}
        folds.append(scores)
    result = {key: float(np.mean([f[key] for f in folds])) for key in folds[0]}
    print(json.dumps({"metrics": result, "folds": folds, "sklearn": __import__("sklearn").__version__}))


if __name__ == "__main__":
    main()
`;
}
