/**
 * TargetEncoder (sklearn 1.3 semantics; Debian's sklearn 1.2.1 has no TargetEncoder, so these are
 * property tests against the documented formulas): shrinkage, cross fitting without leakage,
 * unknown categories, binary targets.
 */
import { describe, expect, it } from 'vitest';
import { readNumeric } from '../../src/core/frame';
import { NotebookPlanner } from '../../src/pipeline/plan';
import { getStep } from '../../src/pipeline/registry';
import { type RunContext, validateParams } from '../../src/pipeline/step';
import type { TargetEncoderState } from '../../src/pipeline/steps/TargetEncoder';
import { col, context, fitTransform, table } from './helpers';

const def = getStep('TargetEncoder')!;
const cats = [
  'a',
  'a',
  'a',
  'b',
  'b',
  'c',
  'a',
  'b',
  'a',
  'b',
  'a',
  'b',
  null,
  'a',
  'b',
  'b',
  'a',
  'b',
  'a',
  'b',
];
const ys = [1, 2, 3, 10, 12, 7, 2, 11, 3, 9, 1, 10, 5, 2, 12, 11, 3, 10, 2, 9];
const data = (y = ys) => table(col('cat', 'categorical', cats), col('y', 'float', y));

async function crossFitted(input = data(), raw: Record<string, unknown> = {}, seed = 3) {
  const params = validateParams(def, { target: 'y', ...raw });
  const ctx: RunContext = context(seed);
  return def.fitTransform!(input, params, ctx);
}

describe('TargetEncoder encodings (smooth auto: empirical Bayes)', () => {
  it('matches the formula λ = σ²n / (σ²n + s²), encoding = λ·mean_c + (1 − λ)·ȳ', async () => {
    const { state } = await fitTransform(def, data(), { target: 'y' });
    const s = state as TargetEncoderState;
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const variance = ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length;
    const aYs = ys.filter((_, i) => cats[i] === 'a');
    const aMean = aYs.reduce((x, y) => x + y, 0) / aYs.length;
    const aVar = aYs.reduce((x, y) => x + (y - aMean) ** 2, 0) / aYs.length;
    const lambda = (variance * aYs.length) / (variance * aYs.length + aVar);
    expect(s.target_mean).toBeCloseTo(mean, 12);
    expect(s.columns[0]!.categories).toEqual(['a', 'b', 'c']);
    expect(s.columns[0]!.encodings[0]).toBeCloseTo(lambda * aMean + (1 - lambda) * mean, 12);
    // 'c' has one row (within-category variance 0): λ = 1, its own value.
    expect(s.columns[0]!.encodings[2]).toBeCloseTo(7, 12);
  });

  it('a numeric smooth m shrinks by counts: (Σy + m·ȳ) / (n + m); 0 gives plain means, large m the global mean', async () => {
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const plain = (await fitTransform(def, data(), { target: 'y', smooth: 0 })).state as TargetEncoderState;
    const bYs = ys.filter((_, i) => cats[i] === 'b');
    expect(plain.columns[0]!.encodings[1]).toBeCloseTo(bYs.reduce((a, b) => a + b, 0) / bYs.length, 12);
    const heavy = (await fitTransform(def, data(), { target: 'y', smooth: 1e9 })).state as TargetEncoderState;
    for (const e of heavy.columns[0]!.encodings) expect(e).toBeCloseTo(mean, 6);
    const ten = (await fitTransform(def, data(), { target: 'y', smooth: 10 })).state as TargetEncoderState;
    expect(ten.columns[0]!.encodings[2]).toBeCloseTo((7 + 10 * mean) / 11, 12);
  });

  it('encodes missing as its own category and unseen categories as the target mean', async () => {
    const { state } = await fitTransform(def, data(), { target: 'y' });
    const fresh = table(col('cat', 'categorical', ['zzz', null, 'a']), col('y', 'float', [0, 0, 0]));
    const out = readNumeric((await def.transform(fresh, state, context())).getChild('cat')!);
    const s = state as TargetEncoderState;
    expect(out[0]).toBe(s.target_mean);
    expect(out[1]).toBe(s.columns[0]!.encodings[3]); // missing: the category after a, b, c
    expect(out[2]).toBe(s.columns[0]!.encodings[0]);
  });
});

describe('TargetEncoder cross fitting (fitTransform on the training rows)', () => {
  it("no leakage: a row's encoded value does not depend on its own target", async () => {
    const base = readNumeric((await crossFitted()).output.getChild('cat')!);
    for (const i of [0, 4, 9]) {
      const changed = [...ys];
      changed[i] = 1000;
      const out = readNumeric((await crossFitted(data(changed))).output.getChild('cat')!);
      expect(out[i], `row ${i}`).toBe(base[i]);
      // …while the plain fit + transform does move with it (that would be the leak).
      const leaky = readNumeric(
        (await fitTransform(def, data(changed), { target: 'y' })).output.getChild('cat')!,
      );
      const before = readNumeric((await fitTransform(def, data(), { target: 'y' })).output.getChild('cat')!);
      expect(leaky[i]).not.toBe(before[i]);
    }
  });

  it('each fold is encoded from the other folds: values differ from the full-data encoding, seeded', async () => {
    const a = await crossFitted();
    const b = await crossFitted();
    const other = await crossFitted(data(), {}, 4);
    const va = Array.from(readNumeric(a.output.getChild('cat')!));
    expect(Array.from(readNumeric(b.output.getChild('cat')!))).toEqual(va);
    expect(Array.from(readNumeric(other.output.getChild('cat')!))).not.toEqual(va);
    const full = Array.from(readNumeric((await def.transform(data(), a.state, context())).getChild('cat')!));
    expect(va).not.toEqual(full);
    // 'c' appears once: in its fold's training part it is unseen, so it gets that part's mean.
    expect(va[5]).not.toBeCloseTo(7, 3);
  });
});

describe('TargetEncoder inside a CV fold (the planner with trainRows)', () => {
  // Every row its own category: fitted and applied to the same rows, each row's encoding would be
  // its own target (a perfect leak); cross-fitted, a training row never sees it.
  const n = 40;
  const ids = Array.from({ length: n }, (_, i) => `id${i}`);
  const y = Array.from({ length: n }, (_, i) => i + ((i * i) % 7) / 10);
  const input = () => table(col('id', 'categorical', ids), col('y', 'float', y));
  const trainRows = Int32Array.from({ length: 30 }, (_, i) => i);
  const steps = [
    { id: 'te', step: 'TargetEncoder', params: { target: 'y', columns: ['id'] }, enabled: true },
  ];

  it("a training row's encoding never equals its own target, and test rows use the training fit", async () => {
    const planner = new NotebookPlanner();
    const options = { compute: null, signal: new AbortController().signal, progress: () => undefined };
    const out = await planner.run(
      { table: input(), dataKey: 'te', steps, seed: 1, target: 'y', trainRows },
      options,
    );
    expect(out.runs[0]!.status).toBe('ok');
    const encoded = readNumeric(out.table.getChild('id')!);
    // Training rows: cross-fitted, so an id seen only in its own row falls back to its fold's mean.
    for (const i of trainRows) expect(encoded[i]).not.toBeCloseTo(y[i]!, 6);
    const trainMean = Array.from(trainRows, (i) => y[i]!).reduce((a, b) => a + b, 0) / trainRows.length;
    // Test rows: categories the training rows never had → the training target mean (no test target used).
    for (let i = 30; i < n; i++) expect(encoded[i]).toBeCloseTo(trainMean, 12);
    // The state is the one fitted on the training rows alone.
    const state = out.states.get('te') as TargetEncoderState;
    expect(state.target_mean).toBeCloseTo(trainMean, 12);
    expect(state.columns[0]!.categories).toHaveLength(30);
  });
});

describe('TargetEncoder targets', () => {
  it('a two-class target is encoded as the share of the second class', async () => {
    const labels = ys.map((y) => (y > 5 ? 'yes' : 'no'));
    const t = table(col('cat', 'categorical', cats), col('label', 'categorical', labels));
    const { state } = await fitTransform(def, t, { target: 'label', smooth: 0 });
    const s = state as TargetEncoderState;
    expect(s.target_type).toBe('binary');
    expect(s.classes).toEqual(['no', 'yes']);
    const bShare =
      labels.filter((l, i) => cats[i] === 'b' && l === 'yes').length / cats.filter((c) => c === 'b').length;
    expect(s.columns[0]!.encodings[1]).toBeCloseTo(bShare, 12);
  });

  it('refuses a multiclass target and encoding the target itself', async () => {
    const t = table(col('cat', 'categorical', ['a', 'b', 'c']), col('k', 'categorical', ['x', 'y', 'z']));
    await expect(fitTransform(def, t, { target: 'k', columns: ['cat'] })).rejects.toThrow(/3 classes/);
    await expect(fitTransform(def, data(), { target: 'y', columns: ['cat', 'y'] })).rejects.toThrow();
  });
});
