import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import * as Sp from '../../src/models/split';
import { fixture } from './helpers';

const fx = fixture<Record<string, number[]>>('splits');

function foldIds(folds: Sp.Fold[], n: number): number[] {
  const ids = new Array<number>(n).fill(-1);
  folds.forEach((f, k) => {
    for (const i of f.test) ids[i] = k;
  });
  return ids;
}

function partitions(folds: Sp.Fold[], n: number) {
  for (const f of folds) {
    expect(f.train.length + f.test.length).toBe(n);
    const all = new Set([...f.train, ...f.test]);
    expect(all.size).toBe(n);
  }
}

describe('cross-validation folds', () => {
  it('KFold and StratifiedKFold (unshuffled) equal scikit-learn', () => {
    expect(foldIds(Sp.kFold(23, { nSplits: 5 }), 23)).toEqual(fx.kfold_23_5);
    expect(foldIds(Sp.stratifiedKFold(fx.y!, { nSplits: 5 }), fx.y!.length)).toEqual(fx.stratified_5);
    expect(foldIds(Sp.stratifiedKFold(fx.y!, { nSplits: 3 }), fx.y!.length)).toEqual(fx.stratified_3);
  });

  it('GroupKFold equals scikit-learn and never splits a group', () => {
    const folds = Sp.groupKFold(fx.groups!, { nSplits: 3 });
    expect(foldIds(folds, fx.groups!.length)).toEqual(fx.group_3);
  });

  it('shuffled folds are seeded, partition the rows and keep class balance', () => {
    const a = Sp.stratifiedKFold(fx.y!, { nSplits: 5, shuffle: true, rng: createRng(1) });
    const b = Sp.stratifiedKFold(fx.y!, { nSplits: 5, shuffle: true, rng: createRng(1) });
    const c = Sp.stratifiedKFold(fx.y!, { nSplits: 5, shuffle: true, rng: createRng(2) });
    expect(foldIds(a, 25)).toEqual(foldIds(b, 25));
    expect(foldIds(a, 25)).not.toEqual(foldIds(c, 25));
    partitions(a, 25);
    // Same per-fold class counts as the unshuffled allocation.
    const counts = (folds: Sp.Fold[]) =>
      folds.map((f) => [0, 1, 2].map((k) => [...f.test].filter((i) => fx.y![i] === k).length));
    expect(counts(a)).toEqual(counts(Sp.stratifiedKFold(fx.y!, { nSplits: 5 })));
    const k = Sp.kFold(23, { nSplits: 4, shuffle: true, rng: createRng(3) });
    partitions(k, 23);
    expect(k.map((f) => f.test.length)).toEqual([6, 6, 6, 5]);
  });

  it('repeated CV gives nRepeats × nSplits different folds', () => {
    const r = Sp.repeatedStratifiedKFold(fx.y!, { nSplits: 5, nRepeats: 3, rng: createRng(0) });
    expect(r).toHaveLength(15);
    expect(foldIds(r.slice(0, 5), 25)).not.toEqual(foldIds(r.slice(5, 10), 25));
    expect(Sp.repeatedKFold(30, { nSplits: 3, nRepeats: 2, rng: createRng(0) })).toHaveLength(6);
  });

  it('more folds than rows of a class is a clear error', () => {
    expect(() => Sp.stratifiedKFold([0, 0, 0, 1, 1, 1, 1, 1, 1], { nSplits: 5 })).toThrow(
      /A class has only 3 rows, fewer than the 5 folds/,
    );
    expect(() => Sp.kFold(3, { nSplits: 5 })).toThrow(/Cannot make 5 folds from 3 rows/);
  });
});

describe('hold-out splits', () => {
  const rng = () => createRng(7);
  it('random: 25% test by default, seeded', () => {
    const s = Sp.holdout(100, { rng: rng() });
    expect(s.test.length).toBe(25);
    expect(s.train.length).toBe(75);
    expect([...Sp.holdout(100, { rng: rng() }).test]).toEqual([...s.test]);
  });
  it('stratified keeps the proportions', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const s = Sp.holdout(100, { rng: rng(), testSize: 0.2, stratify: y });
    expect([...s.test].filter((i) => y[i] === 1).length).toBe(4);
    expect(s.test.length).toBe(20);
  });
  it('group-aware keeps groups whole', () => {
    const groups = Array.from({ length: 60 }, (_, i) => Math.floor(i / 6));
    const s = Sp.holdout(60, { rng: rng(), groups, testSize: 0.3 });
    const testGroups = new Set([...s.test].map((i) => groups[i]));
    for (const i of s.train) expect(testGroups.has(groups[i]!)).toBe(false);
    expect(testGroups.size).toBe(3);
  });
  it('time-ordered tests on the latest rows', () => {
    const time = [5, 1, 9, 3, 7, 2, 8, 4, 6, 0];
    const s = Sp.holdout(10, { rng: rng(), time, testSize: 0.3 });
    expect([...s.test].map((i) => time[i]).sort()).toEqual([7, 8, 9]);
  });
});
