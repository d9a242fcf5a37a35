/** Test helpers for src/models: fixtures, matrices from the sample CSVs, a RunContext. */
import { readFileSync } from 'node:fs';
import { createRng } from '../../src/core/rng';
import { type Matrix, matrix } from '../../src/models/model';
import type { RunContext } from '../../src/pipeline/step';

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/sklearn/models/${name}.json`, import.meta.url), 'utf8'),
  ) as T;
}

export function ctx(seed = 0, progress: RunContext['progress'] = () => {}): RunContext {
  return { rng: createRng(seed), compute: null, signal: new AbortController().signal, progress };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  return matrix(rows.length, cols, Float64Array.from(rows.flat()));
}

/** StandardScaler fitted on `train` (ddof 0; zero variance → scale 1, as sklearn), applied to both. */
export function standardize(train: Matrix, test: Matrix): [Matrix, Matrix] {
  const d = train.cols;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < train.rows; i++) for (let j = 0; j < d; j++) mean[j]! += train.data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= train.rows;
  for (let i = 0; i < train.rows; i++)
    for (let j = 0; j < d; j++) scale[j]! += (train.data[i * d + j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(scale[j]! / train.rows);
    scale[j] = s === 0 ? 1 : s;
  }
  const apply = (X: Matrix) =>
    matrix(
      X.rows,
      d,
      Float64Array.from(X.data, (v, k) => (v - mean[k % d]!) / scale[k % d]!),
    );
  return [apply(train), apply(test)];
}
