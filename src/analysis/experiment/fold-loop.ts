/**
 * The one cross-validation loop: for every fold, get its training and test matrices (`prepare`:
 * the notebook fitted on the fold's training rows, or any other per-fold preprocessing), fit
 * every model on the training part and predict the test part. Candidates that can share training
 * passes (`groups`, see batchGroups) are fitted together by their model's `fitBatch`. What is
 * done with each prediction (scores, out-of-fold rows, importance) is the caller's `record`.
 */
import { cooperate } from '../../core/cooperate';
import { throwIfAborted } from '../../core/errors';
import type { AnyModelDef, Matrix, Target } from '../../models/model';
import type { Fold } from '../../models/split';
import type { RunContext } from '../../pipeline/step';

export interface FoldModel {
  label: string;
  def: AnyModelDef;
  params: Record<string, unknown>;
}

/** One fold's model input: rows of the training part and of the test part. */
export interface FoldData {
  Xtr: Matrix;
  ytr: Target;
  Xte: Matrix;
  yte: Target;
}

/** One model fitted on one fold, with its test predictions. */
export interface FoldFit {
  fold: number;
  model: number;
  state: unknown;
  pred: Float64Array;
  /** Class probabilities of the test rows (classifiers with predictProba), else null. */
  proba: Matrix | null;
  /** Training + prediction time (a batch's time shared out evenly). */
  ms: number;
  ctx: RunContext;
  data: FoldData;
}

export interface FoldLoop {
  folds: readonly Fold[];
  models: readonly FoldModel[];
  /** Groups of model indices fitted together by fitBatch (two or more each). */
  groups?: readonly (readonly number[])[];
  /** Ask classifiers for probabilities too. */
  proba: boolean;
  signal: AbortSignal;
  prepare(fold: Fold, f: number): Promise<FoldData>;
  /** The run context of model m in fold f (its seeded rng, progress, iteration metrics). */
  context(f: number, m: number): RunContext;
  /** Called before a batch of grouped models, and before each model that is fitted on its own. */
  starting?(f: number, models: readonly number[]): void;
  record(fit: FoldFit): void | Promise<void>;
}

export async function runFolds(loop: FoldLoop): Promise<void> {
  const { models, signal } = loop;
  const groups = loop.groups ?? [];
  for (const [f, fold] of loop.folds.entries()) {
    await cooperate(signal);
    const data = await loop.prepare(fold, f);
    const ctxs = models.map((_, m) => loop.context(f, m));
    const shared = await fitGroups(loop, f, groups, data, ctxs);
    for (const [m, model] of models.entries()) {
      throwIfAborted(signal);
      const fitted = shared.get(m);
      if (!fitted) loop.starting?.(f, [m]);
      const t0 = Date.now();
      const ctx = ctxs[m]!;
      const state = fitted ? fitted.state : await model.def.fit(data.Xtr, data.ytr, model.params, ctx);
      throwIfAborted(signal);
      const pred = await model.def.predict(data.Xte, state, ctx);
      const proba =
        loop.proba && model.def.predictProba ? await model.def.predictProba(data.Xte, state, ctx) : null;
      const ms = Date.now() - t0 + (fitted?.ms ?? 0);
      await loop.record({ fold: f, model: m, state, pred, proba, ms, ctx, data });
    }
  }
}

/** Grouped candidates, each group in one fitBatch call (its time shared out evenly). */
async function fitGroups(
  loop: FoldLoop,
  f: number,
  groups: readonly (readonly number[])[],
  data: FoldData,
  ctxs: readonly RunContext[],
): Promise<Map<number, { state: unknown; ms: number }>> {
  const shared = new Map<number, { state: unknown; ms: number }>();
  for (const group of groups) {
    throwIfAborted(loop.signal);
    const { def } = loop.models[group[0]!]!;
    loop.starting?.(f, group);
    const t0 = Date.now();
    const states = await def.fitBatch!(
      data.Xtr,
      data.ytr,
      group.map((m) => loop.models[m]!.params),
      group.map((m) => ctxs[m]!),
    );
    const ms = Math.round((Date.now() - t0) / group.length);
    group.forEach((m, i) => {
      shared.set(m, { state: states[i], ms });
    });
  }
  return shared;
}
