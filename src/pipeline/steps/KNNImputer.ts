import { cooperate } from '../../core/cooperate';
import { column, floatData, NUMERIC_TYPES, type OutColumn, outColumn, rebuild } from '../../core/frame';
import { nanMoments } from '../../core/stats';
import { NUMERIC_COLUMNS_PARAM, readNumericColumnsCooperatively } from '../columnwise';
import { exactSquared, forEachDistanceBlock, kNearest } from '../neighbors';
import { inPlace } from '../python';
import { defineStep } from '../step';

type Weights = 'uniform' | 'distance';
type Params = { columns: string[] | null; n_neighbors: number; weights: Weights };
export interface KNNImputerState {
  columns: string[];
  n_neighbors: number;
  weights: Weights;
  /** The training rows, row-major, null where missing (the donors). */
  rows: (number | null)[];
  /** Per column, the mean of its present training values (null: none, the column is dropped). */
  means: (number | null)[];
}

const NAME = 'KNNImputer';
/** Rows (or values) converted between two turns for cancel (a power of two). */
const SLICE = 1 << 16;

/** sklearn's _calc_impute for one receiver: the (weighted) mean of its donors' values. */
function impute(values: number[], squared: number[], weights: Weights): number {
  if (weights === 'uniform') return values.reduce((s, v) => s + v, 0) / values.length;
  const dist = squared.map(Math.sqrt);
  // Donors at distance 0 take all the weight; missing distances weigh nothing.
  const zero = dist.some((x) => x === 0);
  const w = dist.map((x) => (zero ? (x === 0 ? 1 : 0) : Number.isNaN(x) ? 0 : 1 / x));
  const total = w.reduce((s, v) => s + v, 0);
  return values.reduce((s, v, m) => s + v * w[m]!, 0) / total;
}

export default defineStep<Params, KNNImputerState>({
  name: NAME,
  kind: 'transform',
  description:
    'Fills each missing value with the mean of that column over the 5 nearest training rows (nan_euclidean distance), as scikit-learn’s KNNImputer.',
  category: 'Missing values',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    n_neighbors: {
      type: 'integer',
      default: 5,
      min: 1,
      max: 1000,
      description: 'Neighbours averaged per missing value.',
    },
    weights: {
      type: 'enum',
      options: ['uniform', 'distance'],
      default: 'uniform',
      description: "'uniform': plain mean of the neighbours; 'distance': weighted by inverse distance.",
    },
  },
  accepts: NUMERIC_TYPES,
  missing: 'handles',
  async fit(input, params, ctx) {
    const { names, values } = await readNumericColumnsCooperatively(
      input,
      NAME,
      'impute',
      params.columns,
      ctx.signal,
    );
    const means: (number | null)[] = [];
    for (const v of values) {
      await cooperate(ctx.signal);
      const m = nanMoments(v);
      means.push(m.count > 0 ? m.mean : null);
    }
    // Row-major straight from the columns (no full-size intermediate), a turn for cancel between
    // slices of rows: on a million rows this plain-JSON array is seconds of allocation.
    const n = values[0]?.length ?? 0;
    const rows: (number | null)[] = [];
    for (let i = 0; i < n; i++) {
      if ((i & (SLICE - 1)) === 0) await cooperate(ctx.signal);
      for (const column of values) {
        const v = column[i]!;
        rows.push(Number.isNaN(v) ? null : v);
      }
    }
    return { columns: names, n_neighbors: params.n_neighbors, weights: params.weights, rows, means };
  },
  async transform(input, state, ctx) {
    const { values } = await readNumericColumnsCooperatively(
      input,
      NAME,
      'impute',
      state.columns,
      ctx.signal,
    );
    const d = state.columns.length;
    const n = input.numRows;
    const refs = new Float64Array(state.rows.length);
    for (let i = 0; i < refs.length; i++) {
      if ((i & (SLICE - 1)) === 0) await cooperate(ctx.signal);
      const v = state.rows[i]!;
      refs[i] = v === null ? Number.NaN : v;
    }
    const r = refs.length / Math.max(d, 1);
    const valid = state.means.map((m) => m !== null);
    // The rows with a value to fill, in order.
    const holes = new Uint8Array(n);
    for (const [j, v] of values.entries()) {
      if (!valid[j]) continue;
      await cooperate(ctx.signal);
      for (let i = 0; i < n; i++) if (Number.isNaN(v[i]!)) holes[i] = 1;
    }
    const receivers: number[] = [];
    for (let i = 0; i < n; i++) if (holes[i]) receivers.push(i);
    if (receivers.length > 0) {
      const queries = new Float64Array(receivers.length * d);
      receivers.forEach((row, q) => {
        for (let j = 0; j < d; j++) queries[q * d + j] = values[j]![row]!;
      });
      // Writes go to `filled`, so later receivers still see the original (missing) values.
      const filled = values.map((v) => v.slice());
      await forEachDistanceBlock(ctx, queries, refs, d, (block) => {
        for (let i = 0; i < block.rows; i++) {
          const q = block.start + i;
          const row = receivers[q]!;
          for (let j = 0; j < d; j++) {
            if (!valid[j] || !Number.isNaN(values[j]![row]!)) continue;
            const near = kNearest(
              block,
              i,
              state.n_neighbors,
              r,
              (t) => !Number.isNaN(refs[t * d + j]!),
              (t) => exactSquared(queries, q * d, refs, t * d, d),
            );
            // No donor shares a coordinate with this row: sklearn falls back to the column mean.
            filled[j]![row] = near.squared.every(Number.isNaN)
              ? state.means[j]!
              : impute(
                  near.index.map((t) => refs[t * d + j]!),
                  near.squared,
                  state.weights,
                );
          }
        }
      });
      values.splice(0, d, ...filled);
    }
    const replace = new Map<string, OutColumn[]>();
    state.columns.forEach((name, j) => {
      column(input, name);
      // Columns with no training value are dropped, as sklearn does.
      replace.set(name, valid[j] ? [outColumn(name, 'float', floatData(values[j]!))] : []);
    });
    return rebuild(input, NAME, replace);
  },
  python: (params, at) =>
    inPlace('sklearn.impute', 'KNNImputer', { n_neighbors: params.n_neighbors, weights: params.weights }, at),
});
