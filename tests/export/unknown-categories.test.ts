/**
 * Scoring with a deployed model whose OneHotEncoder meets a category its training rows did not
 * have: handle_unknown 'ignore' and 'infrequent_if_exist' score the row (all zeros / the
 * infrequent column) and flag the drift; 'error' refuses it with the value named.
 */
import { describe, expect, it } from 'vitest';
import type { ExportSpec } from '../../src/protocol/api';
import { createNodeEngine } from '../../workers/engine.node';
import { messyCsv } from '../engine/train-messy-data';

function spec(handle_unknown: string): ExportSpec {
  return {
    notebook: {
      version: 1,
      seed: 0,
      dataset: null,
      target: 'survived',
      steps: [
        { id: 'imp', step: 'SimpleImputer', params: {}, enabled: true },
        { id: 'ohe', step: 'OneHotEncoder', params: { handle_unknown }, enabled: true },
      ],
    },
    target: 'survived',
    model: { name: 'LogisticRegression', params: {} },
  };
}

const row = { age: 30, fare: 40, Sex: 'unknown-sex', Embarked: 'S' };

describe('deployed OneHotEncoder and unseen categories', () => {
  it.each(['ignore', 'infrequent_if_exist'])(
    'handle_unknown=%s scores the row and flags the drift',
    async (mode) => {
      const engine = createNodeEngine();
      const ds = await engine.loadBytes(new TextEncoder().encode(messyCsv()), 'passengers.csv');
      const model = await engine.deployModel(ds.id, spec(mode));
      const res = await engine.predictRows(model.id, [row, { ...row, Sex: 'male' }]);
      // survived (yes/no) loads as a boolean: its classes are False and True.
      expect(res.classes).toEqual(['False', 'True']);
      expect(res.predictions.every((p) => p === 'False' || p === 'True')).toBe(true);
      expect(res.drift).toContainEqual(
        expect.objectContaining({ row: 0, column: 'Sex', issue: 'unseen-category' }),
      );
    },
  );

  it("handle_unknown='error' names the unseen value", async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadBytes(new TextEncoder().encode(messyCsv()), 'passengers.csv');
    const model = await engine.deployModel(ds.id, spec('error'));
    const err = await engine.predictRows(model.id, [row]).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/unknown category "unknown-sex" in column "Sex"/);
  });
});
