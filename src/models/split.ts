/**
 * Choosing the training data: hold-out splits and cross-validation folds as row indices. Every
 * random choice draws from the given `Rng`, so a notebook seed reproduces the folds.
 * StratifiedKFold follows scikit-learn's allocation, so without shuffling its folds are
 * scikit-learn's folds (tests/models/split.test.ts checks them against a fixture).
 */

import { EngineError } from '../core/errors';
import type { Rng } from '../core/rng';

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Fisher–Yates in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

function sortedInts(values: Iterable<number>): Int32Array {
  return Int32Array.from(values).sort();
}

/** Folds from a per-row fold number: fold f tests the rows marked f and trains on the rest. */
function foldsFrom(testFold: Int32Array, k: number): Fold[] {
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    testFold.forEach((g, i) => {
      (g === f ? test : train).push(i);
    });
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return folds;
}

function checkSplits(nSplits: number, n: number, what: string): void {
  if (!Number.isInteger(nSplits) || nSplits < 2) {
    throw new EngineError('InvalidArgument', `Cross-validation needs at least 2 folds, got ${nSplits}.`);
  }
  if (nSplits > n) {
    throw new EngineError('InvalidArgument', `Cannot make ${nSplits} folds from ${n} ${what}.`, {
      hint: 'Use fewer folds.',
    });
  }
}

export interface KFoldOptions {
  nSplits?: number;
  shuffle?: boolean;
  rng?: Rng;
}

/** sklearn's KFold: consecutive blocks (of shuffled indices when `shuffle`), the first n % k one longer. */
export function kFold(n: number, { nSplits = 5, shuffle = false, rng }: KFoldOptions = {}): Fold[] {
  checkSplits(nSplits, n, 'rows');
  const order = range(n);
  if (shuffle) shuffleInPlace(order, requireRng(rng));
  const testFold = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < nSplits; f++) {
    const size = Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0);
    for (let i = start; i < start + size; i++) testFold[order[i]!] = f;
    start += size;
  }
  return foldsFrom(testFold, nSplits);
}

function requireRng(rng: Rng | undefined): Rng {
  if (!rng) throw new EngineError('InternalError', 'A shuffled split needs a seeded Rng.');
  return rng;
}

/** Classes numbered by first appearance, as sklearn's StratifiedKFold encodes them. */
function encodeByFirstAppearance(y: ArrayLike<number>): { codes: Int32Array; counts: number[] } {
  const index = new Map<number, number>();
  const counts: number[] = [];
  const codes = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    let c = index.get(y[i]!);
    if (c === undefined) {
      c = counts.length;
      index.set(y[i]!, c);
      counts.push(0);
    }
    counts[c]!++;
    codes[i] = c;
  }
  return { codes, counts };
}

/**
 * sklearn's StratifiedKFold: sort the rows by class, deal them round-robin to the folds to get
 * each fold's per-class allocation, then give each class's rows (in row order, or shuffled) their
 * folds. Errors when a class has fewer rows than folds would make some folds miss it entirely —
 * sklearn only warns; we stop, because per-fold metrics over missing classes mislead.
 */
export function stratifiedKFold(
  y: ArrayLike<number>,
  { nSplits = 5, shuffle = false, rng }: KFoldOptions = {},
): Fold[] {
  const n = y.length;
  checkSplits(nSplits, n, 'rows');
  const { codes, counts } = encodeByFirstAppearance(y);
  const smallest = Math.min(...counts);
  if (smallest < nSplits) {
    throw new EngineError(
      'InvalidArgument',
      `A class has only ${smallest} rows, fewer than the ${nSplits} folds, so some folds would not contain it.`,
      { hint: 'Use fewer folds, or merge rare classes.' },
    );
  }
  const k = counts.length;
  // y_order = sorted codes; allocation[f][c] = count of class c among y_order[f::nSplits].
  const allocation = Array.from({ length: nSplits }, () => new Array<number>(k).fill(0));
  let pos = 0;
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < counts[c]!; r++, pos++) allocation[pos % nSplits]![c]!++;
  }
  const testFold = new Int32Array(n);
  for (let c = 0; c < k; c++) {
    const folds: number[] = [];
    for (let f = 0; f < nSplits; f++) for (let r = 0; r < allocation[f]![c]!; r++) folds.push(f);
    const assigned = Int32Array.from(folds);
    if (shuffle) shuffleInPlace(assigned, requireRng(rng));
    let next = 0;
    for (let i = 0; i < n; i++) if (codes[i] === c) testFold[i] = assigned[next++]!;
  }
  return foldsFrom(testFold, nSplits);
}

/** sklearn's GroupKFold: groups by decreasing size, each to the currently lightest fold. */
export function groupKFold(groups: ArrayLike<number | string>, { nSplits = 5 } = {}): Fold[] {
  const sizes = new Map<number | string, number>();
  for (let i = 0; i < groups.length; i++) sizes.set(groups[i]!, (sizes.get(groups[i]!) ?? 0) + 1);
  checkSplits(nSplits, sizes.size, 'groups');
  const byDecreasingSize = [...sizes.entries()].sort((a, b) => b[1] - a[1]);
  const weight = new Array<number>(nSplits).fill(0);
  const foldOf = new Map<number | string, number>();
  for (const [g, size] of byDecreasingSize) {
    let lightest = 0;
    for (let f = 1; f < nSplits; f++) if (weight[f]! < weight[lightest]!) lightest = f;
    weight[lightest]! += size;
    foldOf.set(g, lightest);
  }
  return foldsFrom(
    Int32Array.from({ length: groups.length }, (_, i) => foldOf.get(groups[i]!)!),
    nSplits,
  );
}

export interface RepeatedOptions {
  nSplits?: number;
  nRepeats?: number;
  rng: Rng;
}

/** RepeatedKFold: nRepeats shuffled KFolds, each from its own forked stream. */
export function repeatedKFold(n: number, { nSplits = 5, nRepeats = 10, rng }: RepeatedOptions): Fold[] {
  const out: Fold[] = [];
  for (let r = 0; r < nRepeats; r++) out.push(...kFold(n, { nSplits, shuffle: true, rng: rng.fork() }));
  return out;
}

export function repeatedStratifiedKFold(
  y: ArrayLike<number>,
  { nSplits = 5, nRepeats = 10, rng }: RepeatedOptions,
): Fold[] {
  const out: Fold[] = [];
  for (let r = 0; r < nRepeats; r++) {
    out.push(...stratifiedKFold(y, { nSplits, shuffle: true, rng: rng.fork() }));
  }
  return out;
}

export interface HoldoutOptions {
  /** Fraction of rows (0 < f < 1) for the test set. Default 0.25, as sklearn's train_test_split. */
  testSize?: number;
  rng: Rng;
  /** Class codes: keep the class proportions in both parts. */
  stratify?: ArrayLike<number>;
  /** Group labels: a group lands wholly in train or wholly in test (GroupShuffleSplit). */
  groups?: ArrayLike<number | string>;
  /** Time values (or any order key): the latest rows form the test set; no shuffling. */
  time?: ArrayLike<number>;
}

function testCount(n: number, testSize: number): number {
  if (!(testSize > 0 && testSize < 1)) {
    throw new EngineError('InvalidArgument', `The test fraction must be between 0 and 1, got ${testSize}.`);
  }
  const nTest = Math.ceil(testSize * n);
  if (nTest < 1 || n - nTest < 1) {
    throw new EngineError('InvalidArgument', `Cannot split ${n} rows into a train and a test part.`);
  }
  return nTest;
}

/** One hold-out split; exactly one of stratify/groups/time may be given. */
export function holdout(n: number, options: HoldoutOptions): Fold {
  const { testSize = 0.25, rng, stratify, groups, time } = options;
  if ([stratify, groups, time].filter((o) => o !== undefined).length > 1) {
    throw new EngineError('InvalidArgument', 'Choose one of stratified, grouped or time-ordered splitting.');
  }
  const nTest = testCount(n, testSize);
  const isTest = new Uint8Array(n);
  if (time) {
    const order = range(n).sort((a, b) => time[a]! - time[b]! || a - b);
    for (let i = n - nTest; i < n; i++) isTest[order[i]!] = 1;
  } else if (groups) {
    const distinct = [...new Set(Array.from({ length: n }, (_, i) => groups[i]!))];
    if (distinct.length < 2)
      throw new EngineError('InvalidArgument', 'A group split needs at least two groups.');
    const order = shuffleInPlace(range(distinct.length), rng);
    // Whole groups go to test until it holds about testSize of the groups (sklearn counts groups).
    const nTestGroups = Math.min(distinct.length - 1, Math.max(1, Math.ceil(testSize * distinct.length)));
    const testGroups = new Set(Array.from(order.subarray(0, nTestGroups), (k) => distinct[k]));
    for (let i = 0; i < n; i++) if (testGroups.has(groups[i]!)) isTest[i] = 1;
  } else if (stratify) {
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const c = stratify[i]!;
      if (!byClass.has(c)) byClass.set(c, []);
      byClass.get(c)!.push(i);
    }
    for (const [, rows] of byClass) {
      if (rows.length < 2) {
        throw new EngineError(
          'InvalidArgument',
          'A class has only one row, so a stratified split cannot place it on both sides.',
        );
      }
    }
    // Largest remainder: per-class shares that add up to nTest exactly.
    const classes = [...byClass.entries()];
    const shares = classes.map(([, rows]) => (rows.length * nTest) / n);
    const take = shares.map(Math.floor);
    let left = nTest - take.reduce((s, t) => s + t, 0);
    const byRemainder = shares
      .map((s, k) => [s - Math.floor(s), k] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, k] of byRemainder) {
      if (left === 0) break;
      take[k]!++;
      left--;
    }
    classes.forEach(([, rows], k) => {
      const perm = shuffleInPlace(Int32Array.from(rows), rng);
      for (let r = 0; r < take[k]!; r++) isTest[perm[r]!] = 1;
    });
  } else {
    const perm = shuffleInPlace(range(n), rng);
    for (let r = 0; r < nTest; r++) isTest[perm[r]!] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? test : train).push(i);
  return { train: sortedInts(train), test: sortedInts(test) };
}
