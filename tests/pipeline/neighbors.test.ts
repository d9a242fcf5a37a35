/**
 * The neighbour-based steps: KNNImputer against scikit-learn 1.2.1 on wine with a fixed pattern
 * of holes (every row, 1e-5 relative), and properties of the exact k-nearest search they share.
 * (LocalOutlierFactor's sklearn parity is in parity.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNumeric } from '../../src/core/frame';
import { createRng } from '../../src/core/rng';
import { exactSquared, forEachDistanceBlock, kNearest } from '../../src/pipeline/neighbors';
import { getStep } from '../../src/pipeline/registry';
import { col, context, fitTransform, table } from './helpers';

interface KnnFixture {
  generator: { sklearn: string };
  columns: string[];
  input: (number | null)[][];
  cases: { step: string; params: Record<string, unknown>; output: number[][] }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn/steps/extra/knn_imputer.json', import.meta.url), 'utf8'),
) as KnnFixture;

describe('KNNImputer parity with scikit-learn on wine with holes', () => {
  const input = table(
    ...fixture.columns.map((name, j) =>
      col(
        name,
        'float',
        fixture.input.map((r) => r[j]!),
      ),
    ),
  );
  for (const c of fixture.cases) {
    it(`${JSON.stringify(c.params)} (sklearn ${fixture.generator.sklearn})`, async () => {
      const { output } = await fitTransform(getStep('KNNImputer')!, input, c.params);
      const bad: string[] = [];
      fixture.columns.forEach((name, j) => {
        const v = readNumeric(output.getChild(name)!);
        c.output.forEach((row, i) => {
          const e = row[j]!;
          if (!(Math.abs(v[i]! - e) <= 1e-5 * Math.abs(e) + 1e-9)) bad.push(`${name}[${i}]: ${v[i]} ≠ ${e}`);
        });
      });
      expect(bad).toEqual([]);
    });
  }
});

describe('exact k-nearest search', () => {
  it('orders by distance, breaks ties by the lower index, puts unshared rows last', async () => {
    const refs = Float64Array.of(0, 0, 3, 0, 1, 0, Number.NaN, 5, 1, 0, Number.NaN, Number.NaN);
    const queries = Float64Array.of(0, Number.NaN);
    const seen: number[][] = [];
    await forEachDistanceBlock(context(), queries, refs, 2, (block) => {
      const near = kNearest(
        block,
        0,
        6,
        6,
        () => true,
        (j) => exactSquared(queries, 0, refs, j * 2, 2),
      );
      seen.push(near.index);
      // nan_euclidean: one shared coordinate of two scales the squared distance by 2.
      expect(near.squared.slice(0, 4)).toEqual([0, 2, 2, 18]);
    });
    expect(seen).toEqual([[0, 2, 4, 1, 3, 5]]);
  });

  it('equals a full sort of every eligible reference (seeded blocks with ties, NaN, ±0, ∞; with and without error bounds)', () => {
    // The oracle: what kNearest did before it kept a bounded heap — measure every candidate, sort
    // all of them (NaN last, then distance, then index), take k.
    const bySort = (
      approx: Float64Array,
      slack: Float64Array | null,
      row: number,
      r: number,
      k: number,
      eligible: (j: number) => boolean,
      exact: (j: number) => number,
    ) => {
      let threshold = Number.POSITIVE_INFINITY;
      if (slack) {
        const upper: number[] = [];
        for (let j = 0; j < r; j++) {
          if (eligible(j) && !Number.isNaN(approx[row + j]!)) upper.push(approx[row + j]! + slack[row + j]!);
        }
        upper.sort((x, y) => x - y);
        if (upper.length >= k) threshold = upper[k - 1]!;
      }
      const measured: { j: number; dist: number }[] = [];
      for (let j = 0; j < r; j++) {
        if (!eligible(j)) continue;
        const a = approx[row + j]!;
        if (!slack) measured.push({ j, dist: a });
        else if (Number.isNaN(a) || a - slack[row + j]! <= threshold) measured.push({ j, dist: exact(j) });
      }
      measured.sort((a, b) => {
        const an = Number.isNaN(a.dist);
        const bn = Number.isNaN(b.dist);
        if (an || bn) return an === bn ? a.j - b.j : an ? 1 : -1;
        return a.dist - b.dist || a.j - b.j;
      });
      const chosen = measured.slice(0, k);
      return { index: chosen.map((m) => m.j), squared: chosen.map((m) => m.dist) };
    };
    const rng = createRng(123);
    let compared = 0;
    for (let t = 0; t < 800; t++) {
      const r = 1 + Math.floor(rng.next() * 120);
      const k = 1 + Math.floor(rng.next() * (t % 5 === 0 ? r + 3 : 8));
      const kind = t % 4;
      const exactValues = Float64Array.from({ length: r }, () => {
        const u = rng.next();
        if (kind === 1) return Math.floor(u * 4); // many ties
        if (kind === 2 && u < 0.4) return Number.NaN;
        if (kind === 3) return u < 0.2 ? 0 : u < 0.3 ? -0 : u < 0.4 ? Number.POSITIVE_INFINITY : u * 3;
        return u * 10;
      });
      const slack =
        t % 2 === 0
          ? null
          : Float64Array.from({ length: r }, () => 0.01 + rng.next() * (kind === 1 ? 2 : 0.05));
      const approx = slack
        ? Float64Array.from(exactValues, (v) => (Number.isNaN(v) ? v : v + (rng.next() - 0.5) * 0.01))
        : exactValues;
      const allowed = Array.from({ length: r }, () => rng.next() < 0.8);
      const eligible = (j: number) => allowed[j]!;
      const exact = (j: number) => exactValues[j]!;
      const got = kNearest({ start: 0, rows: 1, approx, slack }, 0, k, r, eligible, exact);
      const want = bySort(approx, slack, 0, r, k, eligible, exact);
      expect(got.index, `case ${t}`).toEqual(want.index);
      expect(
        got.squared.map((v) => (Object.is(v, -0) ? '-0' : v)),
        `case ${t}`,
      ).toEqual(want.squared.map((v) => (Object.is(v, -0) ? '-0' : v)));
      compared++;
    }
    expect(compared).toBe(800);
  });

  it('KNNImputer yields to a cancel sent while it searches', async () => {
    // 20k donors and 2k receivers: seconds of search. The abort comes from a timer, which only
    // runs if the step gives the event loop a turn before it is done.
    const rng = createRng(5);
    const n = 20_000;
    const values = (missing: number) =>
      Array.from({ length: n }, (_, i) => (i < 2_000 && i % 2 === missing ? null : rng.normal()));
    const train = table(
      col('a', 'float', values(0)),
      col('b', 'float', values(1)),
      col('c', 'float', values(2)),
    );
    const def = getStep('KNNImputer')!;
    const state = await def.fit(train, { columns: null, n_neighbors: 5, weights: 'uniform' }, context());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    await expect(
      def.transform(train, state, { ...context(), signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'Cancelled',
    });
  });

  it('KNNImputer uses the column mean when no donor shares a coordinate, and drops empty columns', async () => {
    const train = table(
      col('a', 'float', [1, 2, null, 4]),
      col('b', 'float', [null, null, 7, null]),
      col('c', 'float', [null, null, null, null]),
    );
    const def = getStep('KNNImputer')!;
    const { output } = await fitTransform(def, train, { n_neighbors: 2 });
    expect(output.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    // Row 2 has only b, and no donor of a has b: a's mean (7/3). Rows 0, 1, 3 have only a, and
    // b's one donor (row 2) has no a: b's mean (7).
    expect(Array.from(readNumeric(output.getChild('a')!))).toEqual([1, 2, 7 / 3, 4]);
    expect(Array.from(readNumeric(output.getChild('b')!))).toEqual([7, 7, 7, 7]);
  });
});

describe('LocalOutlierFactor', () => {
  it('scores a far row as an outlier and new rows against the training rows only', async () => {
    const xs = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 10];
    const train = table(col('x', 'float', xs));
    const def = getStep('LocalOutlierFactor')!;
    const { state, output } = await fitTransform(def, train, { n_neighbors: 3 });
    const flags = Array.from(readNumeric(output.getChild('outlier')!));
    expect(flags).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const scores = readNumeric(output.getChild('lof_score')!);
    expect(Array.from(scores)).toEqual(
      (state as { negative_outlier_factor: number[] }).negative_outlier_factor,
    );
    const fresh = await def.transform(table(col('x', 'float', [0.45, 50])), state, context());
    expect(Array.from(readNumeric(fresh.getChild('outlier')!))).toEqual([0, 1]);
  });
});
