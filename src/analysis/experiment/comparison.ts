/**
 * Pairs of models scored on the same folds: the corrected resampled t-test on the per-fold
 * primary metric, or McNemar on the predictions of a classification hold-out.
 */
import { EngineError } from '../../core/errors';
import type { Fold } from '../../models/split';
import { correctedTTest, mcnemar, verdict } from '../../models/stats';
import { testTrainRatio } from './folds';
import type { CompareOptions, ModelRunResult, PairComparison, RunScores, TrainTask } from './types';

type Test = ReturnType<typeof correctedTTest>;

function pair(a: string, b: string, metric: string, test: Test, higherIsBetter: boolean): PairComparison {
  return {
    a,
    b,
    metric,
    test: test.test,
    statistic: test.statistic,
    pValue: test.pValue,
    difference: test.difference,
    significant: test.pValue < 0.05 && test.difference !== 0,
    verdict: verdict(a, b, test, 0.05, higherIsBetter),
  };
}

/** Every pair of an experiment's models; `testPreds[m]` are model m's predictions on a hold-out. */
export function compareModels(
  results: readonly ModelRunResult[],
  testPreds: readonly (readonly Float64Array[])[],
  folds: readonly Fold[],
  primary: string,
  higherIsBetter: boolean,
  task: TrainTask,
  truthAll: Float64Array | null,
): PairComparison[] {
  const out: PairComparison[] = [];
  const ratio = testTrainRatio(folds);
  for (let i = 0; i < results.length; i++) {
    for (let j = i + 1; j < results.length; j++) {
      const A = results[i]!;
      const B = results[j]!;
      let test: Test | null = null;
      if (folds.length > 1) {
        const sa = A.foldMetrics[primary] ?? [];
        const sb = B.foldMetrics[primary] ?? [];
        if (sa.every(Number.isFinite) && sb.every(Number.isFinite)) test = correctedTTest(sa, sb, ratio);
      } else if (task === 'classification' && truthAll) {
        const rows = folds[0]!.test;
        test = mcnemar(
          Float64Array.from(rows, (r) => truthAll[r]!),
          testPreds[i]![0]!,
          testPreds[j]![0]!,
        );
      }
      if (test) out.push(pair(A.label, B.label, primary, test, higherIsBetter));
    }
  }
  return out;
}

/** Two runs on the same folds: corrected t-test across folds, or McNemar on a hold-out. */
export function compareRuns(a: RunScores, b: RunScores, options: CompareOptions): PairComparison {
  let test: Test;
  if (a.scores.length >= 2 && a.scores.length === b.scores.length) {
    test = correctedTTest(a.scores, b.scores, options.testTrainRatio);
  } else if (a.truth && a.predicted && b.predicted && a.predicted.length === b.predicted.length) {
    test = mcnemar(a.truth, a.predicted, b.predicted);
  } else {
    throw new EngineError(
      'InvalidArgument',
      'These runs were not scored on the same folds, so they cannot be compared.',
      { hint: 'Train both models with the same split and seed (or in one experiment).' },
    );
  }
  return pair(a.label, b.label, options.metric, test, options.higherIsBetter);
}
