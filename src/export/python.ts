/**
 * Generates a pandas + scikit-learn script that reproduces a training run: the same data file in
 * its format, the notebook's steps (each step declares its own code next to its definition,
 * StepDef.python), the model and the cross-validated metrics. The split is embedded — the very
 * rows of each test fold — and so is, per fold, what Benchtop's fold saw: the columns each step
 * resolved and the features the model read. The script scores the same splits as Benchtop rather
 * than an sklearn KFold that would only match in distribution.
 */
import type { Table } from 'apache-arrow';
import { taskFor } from '../analysis/experiment/experiment';
import { prepareFold, splitRun } from '../analysis/experiment/prepare';
import type { TrainTask } from '../analysis/experiment/types';
import { EngineError } from '../core/errors';
import { PY_MAKE, type PyCode, py } from '../pipeline/python';
import { getStep } from '../pipeline/registry';
import { type Params, validateParams } from '../pipeline/step';
import type { StepSpec } from '../spec/notebook';
import { DATA_HELPERS, dataConstants, NEEDS_PYARROW, type PythonSource } from './python-data';
import {
  foldScoring,
  MODEL_MODULES,
  PY_DBSCAN_PREDICT,
  RANDOM_MODELS,
  sklearnModelParams,
} from './python-model';
import type { PythonExportIssue, PythonExportSpec } from './types';

export { type PythonSource, pythonSource } from './python-data';

const isFilter = (s: StepSpec) => getStep(s.step)?.kind === 'filter';

/**
 * What the script cannot reproduce, before anything is fitted: steps without a pandas/sklearn
 * translation, a model without an sklearn class ('unsupported'); random draws that make numbers
 * agree only statistically ('approximate'); a file format pandas needs pyarrow for ('requires').
 */
export function pythonExportIssues(
  spec: Pick<PythonExportSpec, 'notebook' | 'model' | 'target'>,
  source: PythonSource = { format: 'csv' },
): PythonExportIssue[] {
  const issues: PythonExportIssue[] = [];
  for (const s of spec.notebook.steps.filter((x) => x.enabled)) {
    const def = getStep(s.step);
    if (!def?.python) {
      issues.push({
        severity: 'unsupported',
        kind: 'step',
        name: s.step,
        stepId: s.id,
        message: `${s.step} has no pandas / scikit-learn translation yet: the script stops there until it is ported by hand.`,
      });
      continue;
    }
    const caveat = def.python(stepParams(s), { columns: 'columns', target: 'TARGET' }).caveat;
    if (caveat)
      issues.push({
        severity: 'approximate',
        kind: 'step',
        name: s.step,
        stepId: s.id,
        message: `${s.step}: ${caveat}`,
      });
  }
  const model = spec.model.name;
  if (!MODEL_MODULES[model]) {
    issues.push({
      severity: 'unsupported',
      kind: 'model',
      name: model,
      message: `${model} has no scikit-learn class to export to.`,
    });
  } else if (RANDOM_MODELS[model]) {
    issues.push({
      severity: 'approximate',
      kind: 'model',
      name: model,
      message: `${model} ${RANDOM_MODELS[model]} with numpy's generator in the script and Benchtop's own in the app: the metrics agree statistically, not digit for digit.`,
    });
  }
  if (NEEDS_PYARROW.includes(source.format)) {
    issues.push({
      severity: 'requires',
      kind: 'data',
      name: source.format,
      message: `The data came from a ${source.format === 'arrow' ? 'Arrow' : 'Parquet'} file: pandas reads it only with pyarrow or fastparquet installed (pip install pyarrow); without them the script says so and stops.`,
    });
  }
  return issues;
}

/** The step's parameters with its defaults filled in (what its python() reads). */
function stepParams(s: StepSpec): Params {
  return validateParams(getStep(s.step)!, s.params) as Params;
}

/** The names a step's fitted state says it worked on: `columns` (plain names or records with a
 * `name`), or the columns MissingIndicator checked. */
function stateColumns(state: unknown): string[] | null {
  const s = state as { columns?: unknown; checked?: unknown } | null;
  const cols = s?.columns ?? s?.checked;
  if (!Array.isArray(cols)) return null;
  const names = cols.map((c) => (typeof c === 'string' ? c : (c as { name?: unknown } | null)?.name));
  return names.every((c): c is string => typeof c === 'string') ? names : null;
}

function columnsOf(
  steps: readonly StepSpec[],
  states: ReadonlyMap<string, unknown>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of steps) {
    const cols = stateColumns(states.get(s.id));
    if (cols) out[s.id] = cols;
  }
  return out;
}

/** One step as indented statements, with its comment, or the stop for a step with no translation. */
function stepBlock(
  s: StepSpec,
  index: number,
  used: { imports: Set<string>; helpers: Set<string> },
): string[] {
  const def = getStep(s.step);
  const head = `# ${index + 1}. ${s.step} (${s.id})`;
  if (!def?.python) {
    return [
      head,
      `# ${s.step} has no pandas / scikit-learn translation yet: port it by hand (Benchtop's`,
      `# src/pipeline/steps/${s.step}.ts is the reference), then remove this line.`,
      `raise NotImplementedError(${py(s.step)})`,
    ];
  }
  const code: PyCode = def.python(stepParams(s), { columns: `columns[${py(s.id)}]`, target: 'TARGET' });
  for (const i of code.imports ?? []) used.imports.add(i);
  for (const h of code.helpers ?? []) used.helpers.add(h);
  return [head, ...(code.caveat ? [`# Note: ${code.caveat}`] : []), ...code.lines];
}

const indent = (lines: readonly string[], by = '    ') =>
  lines.map((l) => (l === '' ? l : by + l)).join('\n');

/** The steps up to the last filter, on every row: transforms fitted on every row, then the filters. */
function filterFunction(
  prefix: readonly StepSpec[],
  used: { imports: Set<string>; helpers: Set<string> },
): string {
  const body: string[] = [];
  prefix.forEach((s, i) => {
    if (isFilter(s)) body.push(...stepBlock(s, i, used));
    else {
      body.push('train, test = df.copy(), df.iloc[:0].copy()');
      body.push(...stepBlock(s, i, used));
      body.push('df = train');
    }
    body.push('');
  });
  return `def filter_rows(data, columns):
    """The notebook's filter steps, on every row before the split, as Benchtop runs them (the steps
    before a filter fitted on every row only to decide the rows it keeps)."""
    df = data
${indent(body)}
    return data.loc[df.index].reset_index(drop=True)
`;
}

interface FoldFacts {
  test: number[];
  train: number[] | null;
  columns: Record<string, string[]>;
  features: string[];
}

async function foldFacts(
  table: Table,
  spec: PythonExportSpec,
  task: TrainTask,
  signal: AbortSignal,
): Promise<{ folds: FoldFacts[]; rows: number; prefixColumns: Record<string, string[]> }> {
  const ctx = { table, dataKey: 'python-export', compute: null, signal };
  const { rows, folds, inputs } = await splitRun(ctx, spec, task);
  const n = rows.base.numRows;
  const out: FoldFacts[] = [];
  for (const [f, fold] of folds.entries()) {
    const prepared = await prepareFold(inputs, fold, f);
    out.push({
      test: Array.from(fold.test),
      train: fold.train.length + fold.test.length === n ? null : Array.from(fold.train),
      columns: columnsOf(rows.steps, prepared.states),
      features: prepared.plan.features,
    });
  }
  return { folds: out, rows: n, prefixColumns: columnsOf(spec.notebook.steps, rows.states) };
}

export async function pythonScript(
  table: Table,
  spec: PythonExportSpec,
  signal: AbortSignal,
  source: PythonSource = { format: 'csv' },
): Promise<string> {
  const model = spec.model.name;
  const module = MODEL_MODULES[model];
  if (!module)
    throw new EngineError('InvalidArgument', `The Python export has no scikit-learn twin for ${model}.`);
  const task = taskFor(table, spec);
  const { folds, rows, prefixColumns } = await foldFacts(table, spec, task, signal);
  const steps = spec.notebook.steps.filter((s) => s.enabled);
  const last = steps.findLastIndex(isFilter);
  const used = { imports: new Set<string>(), helpers: new Set<string>([PY_MAKE, ...DATA_HELPERS]) };
  if (model === 'DBSCAN') used.helpers.add(PY_DBSCAN_PREDICT);
  const filters = last >= 0 ? filterFunction(steps.slice(0, last + 1), used) : null;
  const transforms = steps.filter((s) => !isFilter(s));
  const body = transforms.flatMap((s) => [...stepBlock(s, steps.indexOf(s), used), '']);
  const foldLines = folds.map((f) => `    ${py(f)},`).join('\n');
  return `#!/usr/bin/env python3
"""Reproduces a Benchtop run: the notebook + ${model} with pandas and scikit-learn.

Generated by Benchtop. Usage: python3 this_script.py [path/to/${spec.csvFile}]
Prints the mean cross-validated metrics over the same folds Benchtop used, as JSON. With
BENCHTOP_DUMP=file.json it also writes each fold's features and the first fold's model input.
"""
import inspect
import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn import metrics
from ${module} import ${model}
${[...used.imports].sort().join('\n')}

${dataConstants(table, source, spec.csvFile)}
TARGET = ${py(spec.target)}
MODEL = ${model}
MODEL_PARAMS = ${py(sklearnModelParams(spec.model.params))}
SEED = ${spec.seed}
# Rows left after the notebook's filter steps (the folds index these rows).
ROWS = ${rows}
# The columns each step worked on when fitted on every row (the filter steps' pass).
ALL_ROWS_COLUMNS = ${py(prefixColumns)}
# Per fold, exactly as Benchtop ran it (${JSON.stringify(spec.split)}): the test rows, the training
# rows (None: every other row), the columns each step worked on, and the features the model read.
FOLDS = [
${foldLines}
]


${[...used.helpers].join('\n\n\n')}


${filters ? `${filters}\n\n` : ''}def preprocess(train, test, columns):
    """The notebook's other steps, fitted on the fold's training rows only."""
${indent(body) || '    pass'}
    return train, test


def main():
    df = apply_types(read_data(DATA))
${filters ? '    df = filter_rows(df, ALL_ROWS_COLUMNS)\n' : ''}    if len(df) != ROWS:
        sys.exit(f"The filters kept {len(df)} rows, Benchtop kept {ROWS}: is this the file Benchtop loaded?")
    folds, dump = [], {"features": [], "Xtr": None, "Xte": None}
    for fold in FOLDS:
        train_rows = fold["train"] if fold["train"] is not None else np.setdiff1d(np.arange(len(df)), fold["test"])
        train, test = preprocess(df.iloc[train_rows].copy(), df.iloc[fold["test"]].copy(), fold["columns"])
        features = fold["features"]
        absent = [c for c in features if c not in train.columns]
        if absent:
            sys.exit(f"This fold's notebook did not make the feature(s) {absent} Benchtop's did.")
        Xtr, Xte = train[features].to_numpy(dtype=float), test[features].to_numpy(dtype=float)
        ytr, yte = (train[TARGET].to_numpy(), test[TARGET].to_numpy()) if TARGET else (None, None)
        dump["features"].append(features)
        if dump["Xtr"] is None:
            dump["Xtr"], dump["Xte"] = [[None if v != v else v for v in row] for row in Xtr.tolist()], [
                [None if v != v else v for v in row] for row in Xte.tolist()]
${foldScoring(task)}
        folds.append(scores)
    if os.environ.get("BENCHTOP_DUMP"):
        with open(os.environ["BENCHTOP_DUMP"], "w") as f:
            json.dump(dump, f)
    result = {key: float(np.nanmean([f[key] for f in folds])) for key in folds[0]}
    print(json.dumps({"metrics": result, "folds": folds, "rows": len(df), "sklearn": __import__("sklearn").__version__}))


if __name__ == "__main__":
    main()
`;
}
