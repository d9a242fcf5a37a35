/**
 * The rows of each train/test round: the target facts a split needs (stratification, with the
 * bad-target errors up front), the seeded folds for every SplitSpec, and the learning curve's
 * subsampled training rows. Fold making itself lives in src/models/split.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import { column, logicalType, readLabels, readNumeric } from '../../core/frame';
import { createRng, type Rng } from '../../core/rng';
import { missingTarget } from '../../models/model';
import {
  type Fold,
  groupKFold,
  holdout,
  kFold,
  repeatedKFold,
  repeatedStratifiedKFold,
  shuffleInPlace,
  stratifiedKFold,
} from '../../models/split';
import type { SplitSpec, TrainTask } from './types';

const NUMERIC_TARGET_TYPES = new Set(['integer', 'float', 'boolean']);

/** Per-row class codes the split needs (stratification), with the bad-target errors up front. */
export function readTarget(table: Table, target: string | null, task: TrainTask): Int32Array | null {
  if (target === null || task === 'clustering') return null;
  const field = table.schema.fields.find((f) => f.name === target);
  if (!field) throw new EngineError('SchemaError', `Target column "${target}" does not exist.`);
  const type = logicalType(field);
  if (task === 'regression') {
    if (!NUMERIC_TARGET_TYPES.has(type)) {
      throw new EngineError('SchemaError', `Regression needs a numeric target, but "${target}" is ${type}.`, {
        columnName: target,
        hint: 'Choose classification, or pick a numeric target.',
      });
    }
    if (readNumeric(column(table, target)).some(Number.isNaN)) throw missingTarget(target);
    return null;
  }
  const { codes, labels } = readLabels(column(table, target));
  if (codes.includes(-1)) throw missingTarget(target);
  if (labels.length < 2) {
    throw new EngineError(
      'InvalidArgument',
      `The target "${target}" has only one class ("${labels[0] ?? ''}"), so there is nothing to predict.`,
      { columnName: target, hint: 'Pick another target column.' },
    );
  }
  return codes;
}

function groupsOf(table: Table, name: string): Int32Array {
  if (!table.schema.fields.some((f) => f.name === name)) {
    throw new EngineError('SchemaError', `Group column "${name}" does not exist.`);
  }
  const { codes } = readLabels(column(table, name));
  if (codes.includes(-1)) {
    throw new EngineError('SchemaError', `The group column "${name}" has missing values.`, {
      columnName: name,
    });
  }
  return codes;
}

export function makeFolds(table: Table, split: SplitSpec, y: Int32Array | null, rng: Rng): Fold[] {
  const n = table.numRows;
  if (split.kind === 'holdout') {
    const testSize = split.testSize;
    if (split.group) return [holdout(n, { testSize, rng, groups: groupsOf(table, split.group) })];
    if (split.timeColumn) {
      if (!table.schema.fields.some((f) => f.name === split.timeColumn)) {
        throw new EngineError('SchemaError', `Time column "${split.timeColumn}" does not exist.`);
      }
      const time = readNumeric(column(table, split.timeColumn));
      return [holdout(n, { testSize, rng, time })];
    }
    if (split.shuffle === false) {
      return [holdout(n, { testSize, rng, time: Float64Array.from({ length: n }, (_, i) => i) })];
    }
    if (split.stratify) {
      if (!y) throw new EngineError('InvalidArgument', 'Only a classification target can be stratified.');
      return [holdout(n, { testSize, rng, stratify: y })];
    }
    return [holdout(n, { testSize, rng })];
  }
  const k = split.k;
  const repeats = Math.max(1, Math.floor(split.repeats ?? 1));
  if (split.kind === 'group-kfold') {
    if (!split.group) throw new EngineError('InvalidArgument', 'Group k-fold needs a group column.');
    if (repeats > 1)
      throw new EngineError('InvalidArgument', 'Group k-fold cannot be repeated: its folds are fixed.');
    return groupKFold(groupsOf(table, split.group), { nSplits: k });
  }
  if (split.kind === 'stratified-kfold') {
    if (!y) throw new EngineError('InvalidArgument', 'Stratified k-fold needs a classification target.');
    if (repeats > 1) return repeatedStratifiedKFold(y, { nSplits: k, nRepeats: repeats, rng });
    return stratifiedKFold(y, { nSplits: k, shuffle: split.shuffle ?? true, rng });
  }
  if (repeats > 1) return repeatedKFold(n, { nSplits: k, nRepeats: repeats, rng });
  return kFold(n, { nSplits: k, shuffle: split.shuffle ?? true, rng });
}

/** The columns a split reads that must never be features: the group and the time column. */
export function splitColumns(split: SplitSpec): string[] {
  const out: string[] = [];
  if (split.group) out.push(split.group);
  if (split.kind === 'holdout' && split.timeColumn) out.push(split.timeColumn);
  return out;
}

export function checkClassesPerFold(folds: readonly Fold[], classes: number): void {
  const smallest = Math.min(...folds.map((f) => f.test.length));
  if (classes > smallest) {
    throw new EngineError(
      'InvalidArgument',
      `The target has ${classes} classes but a test fold has only ${smallest} rows, so most classes cannot be scored.`,
      { hint: 'Use fewer folds, merge rare classes, or choose regression for a numeric target.' },
    );
  }
}

/** A seed derived from the run's seed and some indices (fold, model), stable and well mixed. */
export function mixSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const p of parts) h = Math.imul(h ^ (p + 0x7f4a7c15), 0x01000193) >>> 0;
  return h;
}

/** The first `fraction` of each fold's training rows in a seeded order (the same rows for every model). */
export function subsample(folds: readonly Fold[], fraction: number, seed: number): Fold[] {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new EngineError('InvalidArgument', `A training fraction must be in (0, 1], got ${fraction}.`);
  }
  return folds.map((fold, f) => {
    const keep = Math.max(2, Math.round(fold.train.length * fraction));
    const order = shuffleInPlace(Int32Array.from(fold.train), createRng(mixSeed(seed, 0x1c, f)));
    return { train: order.subarray(0, keep).sort(), test: fold.test };
  });
}

/** Mean n_test / n_train over the folds (the Nadeau–Bengio correction of the t-test). */
export function testTrainRatio(folds: readonly Fold[]): number {
  return (
    folds.reduce((s, f) => s + f.test.length / Math.max(1, f.train.length), 0) / Math.max(1, folds.length)
  );
}
