import { nanMinMax, requirePresent, safeScale } from '../../core/stats';
import { mapNumericColumns, readScaledColumns, rescaling, SCALED_COLUMNS_PARAM } from '../columnwise';
import { inPlaceAs } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null; feature_range: [number, number]; clip: boolean };
export interface MinMaxScalerState {
  columns: string[];
  feature_range: [number, number];
  clip: boolean;
  data_min: number[];
  data_max: number[];
  scale: number[];
  min: number[];
}

export default defineStep<Params, MinMaxScalerState>({
  name: 'MinMaxScaler',
  kind: 'transform',
  description: 'Scales each numeric column linearly so that its training range maps onto feature_range.',
  category: 'Scaling',
  params: {
    columns: SCALED_COLUMNS_PARAM,
    feature_range: {
      type: 'range',
      default: [0, 1],
      description: 'The range [low, high] the training data is mapped to.',
    },
    clip: {
      type: 'boolean',
      default: false,
      description: 'Clip transformed values of new rows to feature_range.',
    },
  },
  ...rescaling('MinMaxScaler', 'scale'),
  missing: 'passes-through',
  async fit(input, params) {
    const { names, values } = readScaledColumns(input, 'MinMaxScaler', 'scale', params.columns);
    const [lo, hi] = params.feature_range;
    const data_min: number[] = [];
    const data_max: number[] = [];
    const scale: number[] = [];
    const min: number[] = [];
    values.forEach((v, j) => {
      const r = nanMinMax(v);
      requirePresent('MinMaxScaler', names[j]!, r.count);
      const s = (hi - lo) / safeScale(r.max - r.min);
      data_min.push(r.min);
      data_max.push(r.max);
      scale.push(s);
      min.push(lo - r.min * s);
    });
    return { columns: names, feature_range: [lo, hi], clip: params.clip, data_min, data_max, scale, min };
  },
  async transform(input, state, ctx) {
    const [lo, hi] = state.feature_range;
    return mapNumericColumns(input, 'MinMaxScaler', 'scale', state.columns, ctx.signal, (v, j) => {
      const s = state.scale[j]!;
      const m = state.min[j]!;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]! * s + m;
        v[i] = state.clip ? Math.min(Math.max(x, lo), hi) : x;
      }
      return v;
    });
  },
  python: inPlaceAs<Params>('sklearn.preprocessing', 'MinMaxScaler', ['feature_range', 'clip']),
});
