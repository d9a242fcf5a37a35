/** Permutation importance on one test fold: how much the primary metric drops per shuffled feature. */
import { throwIfAborted } from '../../core/errors';
import { accuracy, r2 } from '../../models/metrics';
import type { AnyModelDef, Matrix, Target } from '../../models/model';
import { shuffleInPlace } from '../../models/split';
import type { RunContext } from '../../pipeline/step';
import { LOWER_IS_BETTER } from './evaluate';
import type { MetricSummary } from './types';

export async function permutationDrops(
  def: AnyModelDef,
  state: unknown,
  X: Matrix,
  y: Target,
  scores: Record<string, number>,
  metric: string,
  repeats: number,
  ctx: RunContext,
): Promise<number[]> {
  const base = scores[metric]!;
  const drops: number[] = [];
  const n = Math.max(1, Math.min(20, Math.floor(repeats)));
  for (let j = 0; j < X.cols; j++) {
    let total = 0;
    for (let r = 0; r < n; r++) {
      throwIfAborted(ctx.signal);
      const data = X.data.slice();
      const column = Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]!);
      shuffleInPlace(column, ctx.rng);
      for (let i = 0; i < X.rows; i++) data[i * X.cols + j] = column[i]!;
      const shuffled = { data, rows: X.rows, cols: X.cols };
      const pred = await def.predict(shuffled, state, ctx);
      const score =
        y.task === 'classification'
          ? accuracy(y.codes, pred)
          : y.task === 'regression'
            ? r2(y.values, pred)
            : base;
      total += LOWER_IS_BETTER.has(metric) ? score - base : base - score;
    }
    drops.push(total / n);
  }
  return drops;
}

/**
 * Per feature, the drops of the folds whose model read it (a fold's notebook may not produce a
 * column another fold's does, e.g. a category its training rows lack), summarised; largest first.
 */
export function importanceSummary(
  features: readonly string[],
  folds: readonly { features: readonly string[]; drops: readonly number[] }[],
  summary: (values: number[]) => MetricSummary,
): { feature: string; drop: MetricSummary }[] {
  return features
    .map((feature) => {
      const drops = folds.flatMap((f) => {
        const j = f.features.indexOf(feature);
        return j < 0 ? [] : [f.drops[j]!];
      });
      return { feature, drop: summary(drops) };
    })
    .sort((x, y) => y.drop.mean - x.drop.mean);
}
