/**
 * The fold loop through its matrix entry point (crossValidate): per-fold scores, a CI, fold
 * progress, the test/train ratio of the corrected t-test, and the typed per-iteration loss that
 * experiments draw their curves from (no progress text parsed back).
 */
import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/analysis/experiment/cross-validate';
import { createRng } from '../../src/core/rng';
import { LogisticRegression } from '../../src/models/linear';
import { type Matrix, validateModelParams } from '../../src/models/model';
import { GaussianNB } from '../../src/models/naive-bayes';
import { stratifiedKFold } from '../../src/models/split';
import { correctedTTest, verdict } from '../../src/models/stats';
import type { IterationMetrics } from '../../src/pipeline/step';
import { ctx } from '../models/helpers';

/** The same blobs as tests/models/models.test.ts. */
function blobs(n: number, seed: number) {
  const rng = createRng(seed);
  const data = new Float64Array(n * 3);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    codes[i] = c;
    for (let j = 0; j < 3; j++) data[i * 3 + j] = rng.normal() + (j === c ? 3 : 0);
  }
  return {
    X: { data, rows: n, cols: 3 } as Matrix,
    cls: { task: 'classification', codes, classes: ['a', 'b', 'c'] } as const,
  };
}

const { X, cls } = blobs(90, 1);

describe('crossValidate', () => {
  it('scores every fold, summarises with a CI, and reports fold progress and the test/train ratio', async () => {
    const folds = stratifiedKFold(cls.codes, { nSplits: 5 });
    const notes: string[] = [];
    const cv = await crossValidate(GaussianNB, X, cls, folds, validateModelParams(GaussianNB), {
      ...ctx(0, (_f, note) => notes.push(note ?? '')),
    });
    expect(cv.scores).toHaveLength(5);
    expect(cv.summary.ciLow).toBeLessThanOrEqual(cv.summary.mean);
    expect(cv.summary.mean).toBeGreaterThan(0.85);
    expect(cv.testTrainRatio).toBeCloseTo(18 / 72, 12);
    const lr = await crossValidate(
      LogisticRegression,
      X,
      cls,
      folds,
      validateModelParams(LogisticRegression),
      {
        ...ctx(0, (_f, note) => notes.push(note ?? '')),
      },
    );
    expect(notes.some((n) => /^fold 5: iteration \d+/.test(n))).toBe(true);
    expect(
      verdict('LogisticRegression', 'GaussianNB', correctedTTest(lr.scores, cv.scores, cv.testTrainRatio)),
    ).toMatch(
      /^(No significant difference between LogisticRegression and GaussianNB|\w+ is better than \w+) \((p = 0\.\d{3}|p < 0\.001), corrected t-test\)\.$/,
    );
  });
});

describe('iteration metrics', () => {
  it('reach the run context as numbers, one per lbfgs iteration, before its progress note', async () => {
    const events: (IterationMetrics | string)[] = [];
    await LogisticRegression.fit(X, cls, validateModelParams(LogisticRegression), {
      ...ctx(0, (_f, note) => events.push(note ?? '')),
      iteration: (m) => events.push(m),
    });
    const metrics = events.filter((e): e is IterationMetrics => typeof e !== 'string');
    expect(metrics.length).toBeGreaterThan(3);
    expect(metrics.at(-1)!.loss).toBeLessThan(metrics[0]!.loss);
    // Each typed value precedes the note of the same iteration, and is that note's loss.
    const first = events.findIndex((e) => typeof e !== 'string');
    expect(events[first + 1]).toMatch(/^iteration 1: loss /);
    expect(Number((events[first + 1] as string).split('loss ')[1])).toBeCloseTo(metrics[0]!.loss, 5);
  });
});
