/**
 * SelectKBest beyond the parity fixtures: mutual_info_classif against scikit-learn's scores (which
 * move with its random tie-breaking noise, so the test allows the spread sklearn shows across seeds
 * plus 0.02), and the selection rules.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getStep } from '../../src/pipeline/registry';
import type { SelectKBestState } from '../../src/pipeline/steps/SelectKBest';
import { col, fitTransform, loadSample, table } from './helpers';

interface Fixture {
  generator: { sklearn: string };
  datasets: { dataset: string; columns: string[]; scores: number[][] }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn/steps/extra/mutual_info.json', import.meta.url), 'utf8'),
) as Fixture;

describe(`mutual_info_classif like scikit-learn ${fixture.generator.sklearn}`, () => {
  for (const ds of fixture.datasets) {
    it(`${ds.dataset}: each score within sklearn's spread across seeds ± 0.02`, async () => {
      const { state } = await fitTransform(getStep('SelectKBest')!, loadSample(ds.dataset), {
        target: 'target',
        score_func: 'mutual_info_classif',
        columns: ds.columns,
        k: 3,
      });
      const ours = (state as SelectKBestState).scores;
      const bad: string[] = [];
      ds.columns.forEach((name, j) => {
        const runs = ds.scores.map((r) => r[j]!);
        const lo = Math.min(...runs) - 0.02;
        const hi = Math.max(...runs) + 0.02;
        if (!(ours[j]! >= lo && ours[j]! <= hi)) bad.push(`${name}: ${ours[j]} not in [${lo}, ${hi}]`);
      });
      expect(bad).toEqual([]);
    });
  }
});

describe('SelectKBest', () => {
  const t = table(
    col('noise', 'float', [0.3, -1, 0.5, 0.1, -0.2, 0.7, 0.05, -0.4]),
    col('signal', 'float', [1, 1.1, 0.9, 1.2, 5, 5.1, 4.9, 5.2]),
    col('half', 'float', [0, 1, 0, 1, 2, 2.5, 1.5, 2]),
    col('label', 'categorical', ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b']),
  );

  it('keeps the best-scoring columns in their order, leaves the target, drops the rest', async () => {
    const { state, output } = await fitTransform(getStep('SelectKBest')!, t, { target: 'label', k: 2 });
    expect((state as SelectKBestState).selected).toEqual(['signal', 'half']);
    expect(output.schema.fields.map((f) => f.name)).toEqual(['signal', 'half', 'label']);
  });

  it('k larger than the candidates keeps them all', async () => {
    const { output } = await fitTransform(getStep('SelectKBest')!, t, { target: 'label', k: 10 });
    expect(output.numCols).toBe(4);
  });

  it('asks for a target, and refuses a text target for f_regression', async () => {
    await expect(fitTransform(getStep('SelectKBest')!, t, {})).rejects.toThrow(/needs a target/);
    await expect(
      fitTransform(getStep('SelectKBest')!, t, { target: 'label', score_func: 'f_regression' }),
    ).rejects.toThrow(/numeric target/);
    await expect(fitTransform(getStep('SelectKBest')!, t, { target: 'nope' })).rejects.toThrow(/"nope"/);
  });
});
