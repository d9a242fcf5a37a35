import { cooperate } from '../../core/cooperate';
import {
  column,
  floatData,
  NUMERIC_TYPES,
  type OutColumn,
  outColumn,
  readNumericView,
  rebuild,
  resolveColumns,
} from '../../core/frame';
import { isConstantFeature, type Moments, nanMoments, requirePresent, safeScale } from '../../core/stats';
import { SCALED_COLUMNS_PARAM, scalableColumns } from '../columnwise';
import { inPlace } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null; with_mean: boolean; with_std: boolean };
export interface StandardScalerState {
  columns: string[];
  with_mean: boolean;
  mean: number[] | null;
  var: number[] | null;
  scale: number[] | null;
  n_samples_seen: number[];
}

export default defineStep<Params, StandardScalerState>({
  name: 'StandardScaler',
  kind: 'transform',
  description: 'Centers each numeric column on its mean and scales it to unit variance.',
  category: 'Scaling',
  params: {
    columns: SCALED_COLUMNS_PARAM,
    with_mean: { type: 'boolean', default: true, description: 'Subtract the mean.' },
    with_std: { type: 'boolean', default: true, description: 'Divide by the standard deviation (ddof=0).' },
  },
  accepts: NUMERIC_TYPES,
  defaultColumns: (input) => scalableColumns(input, 'StandardScaler', 'scale'),
  missing: 'passes-through',
  async fit(input, params, ctx) {
    const names = resolveColumns(
      input,
      'StandardScaler',
      'scale',
      NUMERIC_TYPES,
      params.columns ?? scalableColumns(input, 'StandardScaler', 'scale'),
    );
    const moments: Moments[] = [];
    for (const name of names) {
      // fit only reads: a view of the Arrow buffer where possible, no copy. A turn for cancel
      // before each pass over a column (tens of ms on a million rows).
      await cooperate(ctx.signal);
      const v = readNumericView(column(input, name));
      await cooperate(ctx.signal);
      const m = nanMoments(v);
      requirePresent('StandardScaler', name, m.count);
      moments.push(m);
    }
    const needStats = params.with_mean || params.with_std;
    return {
      columns: names,
      with_mean: params.with_mean,
      mean: needStats ? moments.map((m) => m.mean) : null,
      var: params.with_std ? moments.map((m) => m.variance) : null,
      scale: params.with_std
        ? moments.map((m) => safeScale(Math.sqrt(m.variance), isConstantFeature(m.variance, m.mean, m.count)))
        : null,
      n_samples_seen: moments.map((m) => m.count),
    };
  },
  async transform(input, state, ctx) {
    resolveColumns(input, 'StandardScaler', 'scale', NUMERIC_TYPES, state.columns);
    const replace = new Map<string, OutColumn[]>();
    for (const [j, name] of state.columns.entries()) {
      await cooperate(ctx.signal);
      // One pass from a zero-copy view into the output (no copy to rewrite in place): a third less
      // memory traffic than copy-then-map.
      const v = readNumericView(column(input, name));
      await cooperate(ctx.signal);
      const center = state.with_mean && state.mean ? state.mean[j]! : 0;
      const scale = state.scale ? state.scale[j]! : 1;
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = (v[i]! - center) / scale;
      replace.set(name, [outColumn(name, 'float', floatData(out))]);
    }
    return rebuild(input, 'StandardScaler', replace);
  },
  python: (params, at) =>
    inPlace(
      'sklearn.preprocessing',
      'StandardScaler',
      { with_mean: params.with_mean, with_std: params.with_std },
      at,
    ),
});
