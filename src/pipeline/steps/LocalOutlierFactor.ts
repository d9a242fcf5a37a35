import { NUMERIC_TYPES } from '../../core/frame';
import { NUMERIC_COLUMNS_PARAM, readCompleteColumns } from '../columnwise';
import { exactSquared, forEachDistanceBlock, kNearest } from '../neighbors';
import { contaminationParam, outlierOffset, withOutlierColumns } from '../outliers';
import { rowMajor } from '../projection';
import { PY_MAKE, py } from '../python';
import { defineStep, type RunContext } from '../step';

type Params = { columns: string[] | null; n_neighbors: number; contamination: number | null };
export interface LocalOutlierFactorState {
  columns: string[];
  n_neighbors: number;
  /** The training rows, row-major (the reference set of every score). */
  rows: number[];
  /** Per training row: the distance to its k-th neighbour and its local reachability density. */
  k_distance: number[];
  lrd: number[];
  /** sklearn's offset_: scores below it are outliers (-1.5 for contamination 'auto'). */
  offset: number;
  /** sklearn's negative_outlier_factor_ of the training rows. */
  negative_outlier_factor: number[];
}

const NAME = 'LocalOutlierFactor';

/**
 * The k nearest training rows of each query row, leaving a row out of its own neighbours as
 * sklearn's kneighbors() does on the training set. When transforming, a row at distance 0 from a
 * training row is taken to be that row (so training rows get exactly their negative_outlier_factor_);
 * a new row that duplicates a training row is scored as that row.
 */
async function neighbours(
  ctx: RunContext,
  queries: Float64Array,
  refs: Float64Array,
  d: number,
  k: number,
  training: boolean,
) {
  const r = refs.length / d;
  const index: number[][] = [];
  const dist: number[][] = [];
  await forEachDistanceBlock(ctx, queries, refs, d, (block) => {
    for (let i = 0; i < block.rows; i++) {
      const q = (block.start + i) * d;
      const near = kNearest(
        block,
        i,
        k + 1,
        r,
        () => true,
        (j) => exactSquared(queries, q, refs, j * d, d),
      );
      // Fitting: query i is training row i. Otherwise a zero-distance neighbour stands for it.
      let skip = training ? near.index.indexOf(block.start + i) : near.squared[0] === 0 ? 0 : -1;
      if (training && skip < 0) skip = 0; // sklearn drops the first when self is crowded out by duplicates
      const keep = (_: number, m: number) => (skip < 0 ? m < k : m !== skip);
      index.push(near.index.filter(keep));
      dist.push(near.squared.filter(keep).map(Math.sqrt));
    }
  });
  return { index, dist };
}

/** sklearn's _local_reachability_density: 1 / (mean reach-distance + 1e-10). */
function lrdOf(index: number[], dist: number[], kDistance: ArrayLike<number>): number {
  let sum = 0;
  for (let m = 0; m < index.length; m++) sum += Math.max(dist[m]!, kDistance[index[m]!]!);
  return 1 / (sum / index.length + 1e-10);
}

function scores(
  index: number[][],
  dist: number[][],
  kDistance: ArrayLike<number>,
  lrd: ArrayLike<number>,
): number[] {
  return index.map((idx, i) => {
    const own = lrdOf(idx, dist[i]!, kDistance);
    let sum = 0;
    for (const j of idx) sum += lrd[j]! / own;
    return -sum / idx.length;
  });
}

const PY_LOF = `def local_outlier_factor(params, columns, train, test):
    """LocalOutlierFactor: lof_score is negative_outlier_factor_ on the training rows and
    score_samples on new rows (novelty=True); outlier is a score below offset_."""
    n = min(params["n_neighbors"], len(train) - 1)
    lof = make(LocalOutlierFactor, {**params, "n_neighbors": n, "novelty": True}).fit(train[columns])
    train["lof_score"] = lof.negative_outlier_factor_
    scores = lof.score_samples(test[columns]) if len(test) else np.zeros(0)
    test["lof_score"] = scores
    for part in (train, test):
        part["outlier"] = part["lof_score"] < lof.offset_
    return train, test`;

export default defineStep<Params, LocalOutlierFactorState>({
  name: NAME,
  kind: 'transform',
  description:
    'Scores each row by its local density against its nearest training rows (LOF, k = 20) and adds the columns lof_score (sklearn’s negative_outlier_factor_) and outlier.',
  category: 'Outliers',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    n_neighbors: {
      type: 'integer',
      default: 20,
      min: 1,
      max: 1000,
      description: 'Neighbours that define the local density.',
    },
    contamination: contaminationParam(-1.5),
  },
  accepts: NUMERIC_TYPES,
  missing: 'rejects',
  async fit(input, params, ctx) {
    const { names, values } = readCompleteColumns(input, NAME, 'score', params.columns, { minRows: 2 });
    const n = input.numRows;
    const k = Math.min(params.n_neighbors, n - 1);
    const d = names.length;
    const rows = rowMajor(values);
    const { index, dist } = await neighbours(ctx, rows, rows, d, k, true);
    const kDistance = dist.map((row) => row[k - 1]!);
    const lrd = index.map((idx, i) => lrdOf(idx, dist[i]!, kDistance));
    const nof = scores(index, dist, kDistance, lrd);
    const offset = outlierOffset(() => nof, params.contamination, -1.5);
    return {
      columns: names,
      n_neighbors: k,
      rows: Array.from(rows),
      k_distance: kDistance,
      lrd,
      offset,
      negative_outlier_factor: nof,
    };
  },
  async transform(input, state, ctx) {
    const { values } = readCompleteColumns(input, NAME, 'score', state.columns);
    const d = state.columns.length;
    const refs = Float64Array.from(state.rows);
    const { index, dist } = await neighbours(ctx, rowMajor(values), refs, d, state.n_neighbors, false);
    const s = Float64Array.from(scores(index, dist, state.k_distance, state.lrd));
    return withOutlierColumns(input, NAME, 'lof_score', s, state.offset);
  },
  python: (params, at) => ({
    imports: ['from sklearn.neighbors import LocalOutlierFactor'],
    helpers: [PY_MAKE, PY_LOF],
    lines: [
      `train, test = local_outlier_factor(${py({
        n_neighbors: params.n_neighbors,
        contamination: params.contamination ?? 'auto',
      })}, ${at.columns}, train, test)`,
    ],
  }),
});
