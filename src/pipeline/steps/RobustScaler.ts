import { npPercentile } from '../../core/percentile';
import { requirePresent, safeScale, sortedPresent } from '../../core/stats';
import { mapNumericColumns, readScaledColumns, rescaling, SCALED_COLUMNS_PARAM } from '../columnwise';
import { inPlaceAs } from '../python';
import { defineStep } from '../step';

type Params = {
  columns: string[] | null;
  with_centering: boolean;
  with_scaling: boolean;
  quantile_range: [number, number];
};
export interface RobustScalerState {
  columns: string[];
  center: number[] | null;
  scale: number[] | null;
}

export default defineStep<Params, RobustScalerState>({
  name: 'RobustScaler',
  kind: 'transform',
  description:
    'Centers each numeric column on its median and scales it by its interquartile range, so outliers matter less.',
  category: 'Scaling',
  params: {
    columns: SCALED_COLUMNS_PARAM,
    with_centering: { type: 'boolean', default: true, description: 'Subtract the median.' },
    with_scaling: { type: 'boolean', default: true, description: 'Divide by the quantile range.' },
    quantile_range: {
      type: 'range',
      default: [25, 75],
      min: 0,
      max: 100,
      description: 'Percentiles [low, high] whose difference is the scale.',
    },
  },
  ...rescaling('RobustScaler', 'scale'),
  missing: 'passes-through',
  async fit(input, params) {
    const { names, values } = readScaledColumns(input, 'RobustScaler', 'scale', params.columns);
    const [qlo, qhi] = params.quantile_range;
    const center: number[] = [];
    const scale: number[] = [];
    values.forEach((v, j) => {
      const sorted = sortedPresent(v);
      requirePresent('RobustScaler', names[j]!, sorted.length);
      center.push(npPercentile(sorted, 50));
      scale.push(safeScale(npPercentile(sorted, qhi) - npPercentile(sorted, qlo)));
    });
    return {
      columns: names,
      center: params.with_centering ? center : null,
      scale: params.with_scaling ? scale : null,
    };
  },
  async transform(input, state, ctx) {
    return mapNumericColumns(input, 'RobustScaler', 'scale', state.columns, ctx.signal, (v, j) => {
      const c = state.center ? state.center[j]! : 0;
      const s = state.scale ? state.scale[j]! : 1;
      for (let i = 0; i < v.length; i++) v[i] = (v[i]! - c) / s;
      return v;
    });
  },
  python: inPlaceAs<Params>('sklearn.preprocessing', 'RobustScaler', [
    'with_centering',
    'with_scaling',
    'quantile_range',
  ]),
});
