import { NUMERIC_TYPES, rebuild, resolveColumns } from '../../core/frame';
import { nanMinMax, nanMoments, requirePresent } from '../../core/stats';
import { NUMERIC_COLUMNS_PARAM, readNumericColumns } from '../columnwise';
import { PY_DROP_UNSELECTED, PY_MAKE, py } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null; threshold: number };
export interface VarianceThresholdState {
  columns: string[];
  variances: number[];
  /** The columns whose training variance is not above the threshold. */
  dropped: string[];
}

const NAME = 'VarianceThreshold';

export default defineStep<Params, VarianceThresholdState>({
  name: NAME,
  kind: 'transform',
  description: 'Removes numeric columns whose variance in the training rows is not above the threshold.',
  category: 'Feature selection',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    threshold: {
      type: 'number',
      default: 0,
      min: 0,
      description: 'Columns with a training variance at or below this are removed.',
    },
  },
  accepts: NUMERIC_TYPES,
  missing: 'passes-through',
  async fit(input, params) {
    const { names, values } = readNumericColumns(input, NAME, 'check', params.columns);
    const variances = values.map((v, j) => {
      const m = nanMoments(v);
      requirePresent(NAME, names[j]!, m.count);
      // As sklearn: with threshold 0 the peak-to-peak range catches constants that rounding made non-zero.
      if (params.threshold === 0) {
        const r = nanMinMax(v);
        return Math.min(m.variance, r.max - r.min);
      }
      return m.variance;
    });
    return {
      columns: names,
      variances,
      dropped: names.filter((_, j) => !(variances[j]! > params.threshold)),
    };
  },
  async transform(input, state) {
    resolveColumns(input, NAME, 'check', NUMERIC_TYPES, state.columns);
    return rebuild(input, NAME, new Map(state.dropped.map((c) => [c, []])));
  },
  python: (params, at) => ({
    imports: ['from sklearn.feature_selection import VarianceThreshold'],
    helpers: [PY_MAKE, PY_DROP_UNSELECTED],
    lines: [
      `train, test = drop_unselected(make(VarianceThreshold, ${py({ threshold: params.threshold })}), ${at.columns}, train, test)`,
    ],
  }),
});
