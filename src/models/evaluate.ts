/**
 * Cross-validation of one model over given folds: per-fold preprocessing fitted on the training
 * rows only (`prepare`, e.g. the notebook's steps or a scaler), fit, predict, score. Returns the
 * per-fold scores with their mean ± std / 95% CI and the test/train ratio that the corrected
 * t-test (stats.ts) needs to compare two models evaluated on the same folds.
 */
import { cooperate } from '../core/cooperate';
import type { Params, RunContext } from '../pipeline/step';
import { accuracy, r2 } from './metrics';
import { type Matrix, type ModelDef, type Target, takeMatrixRows, takeTarget } from './model';
import type { Fold } from './split';
import { type Summary, summarize } from './stats';

export type Scorer = (y: Target, prediction: Float64Array) => number;

/** Accuracy for classifiers, R² for regressors (sklearn's default `score`). */
export const defaultScorer: Scorer = (y, prediction) => {
  if (y.task === 'classification') return accuracy(y.codes, prediction);
  if (y.task === 'regression') return r2(y.values, prediction);
  throw new Error('Clustering has no default score; pass a scorer (e.g. silhouette).');
};

export interface CrossValidateOptions {
  /** Fits preprocessing on the training rows and applies it to both parts. */
  prepare?: (train: Matrix, test: Matrix) => [Matrix, Matrix] | Promise<[Matrix, Matrix]>;
  scorer?: Scorer;
}

export interface CrossValidation {
  scores: number[];
  summary: Summary;
  /** Mean n_test / n_train over the folds (Nadeau–Bengio's correction). */
  testTrainRatio: number;
}

export async function crossValidate<P extends Params, S>(
  model: ModelDef<P, S>,
  X: Matrix,
  y: Target,
  folds: readonly Fold[],
  params: P,
  ctx: RunContext,
  { prepare, scorer = defaultScorer }: CrossValidateOptions = {},
): Promise<CrossValidation> {
  const scores: number[] = [];
  let ratio = 0;
  for (const [f, fold] of folds.entries()) {
    await cooperate(ctx.signal);
    let train = takeMatrixRows(X, fold.train);
    let test = takeMatrixRows(X, fold.test);
    if (prepare) [train, test] = await prepare(train, test);
    // Each fold draws from its own stream, so one fold's randomness never shifts another's.
    const foldCtx: RunContext = {
      ...ctx,
      rng: ctx.rng.fork(),
      progress: (fraction, note) =>
        ctx.progress((f + fraction) / folds.length, note && `fold ${f + 1}: ${note}`),
    };
    const state = await model.fit(train, takeTarget(y, fold.train), params, foldCtx);
    scores.push(scorer(takeTarget(y, fold.test), await model.predict(test, state, foldCtx)));
    ratio += fold.test.length / fold.train.length;
  }
  return { scores, summary: summarize(scores), testTrainRatio: ratio / folds.length };
}
