/**
 * Cross-validation of one model on a ready matrix, through the product's fold loop (runFolds):
 * per-fold preprocessing fitted on the training rows only (`prepare`, e.g. a scaler), fit,
 * predict, score. Returns the per-fold scores with their mean ± std / 95% CI and the test/train
 * ratio that the corrected t-test (models/stats) needs to compare two models on the same folds.
 * The experiment (experiment.ts) runs the same loop with the notebook as the preprocessing.
 */
import { accuracy, r2 } from '../../models/metrics';
import { type Matrix, type ModelDef, type Target, takeMatrixRows, takeTarget } from '../../models/model';
import type { Fold } from '../../models/split';
import { type Summary, summarize } from '../../models/stats';
import type { Params, RunContext } from '../../pipeline/step';
import { runFolds } from './fold-loop';
import { testTrainRatio } from './folds';

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
  await runFolds({
    folds,
    models: [{ label: model.name, def: model, params }],
    proba: false,
    signal: ctx.signal,
    async prepare(fold) {
      let Xtr = takeMatrixRows(X, fold.train);
      let Xte = takeMatrixRows(X, fold.test);
      if (prepare) [Xtr, Xte] = await prepare(Xtr, Xte);
      return { Xtr, ytr: takeTarget(y, fold.train), Xte, yte: takeTarget(y, fold.test) };
    },
    // Each fold draws from its own stream, so one fold's randomness never shifts another's.
    context: (f) => ({
      ...ctx,
      rng: ctx.rng.fork(),
      progress: (fraction, note) =>
        ctx.progress((f + fraction) / folds.length, note && `fold ${f + 1}: ${note}`),
    }),
    record({ data, pred }) {
      scores.push(scorer(data.yte, pred));
    },
  });
  return { scores, summary: summarize(scores), testTrainRatio: testTrainRatio(folds) };
}
