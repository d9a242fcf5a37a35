import { NUMERIC_TYPES } from '../../core/frame';
import { mapNumericColumns, SCALED_COLUMNS_PARAM, scalableColumns } from '../columnwise';
import { OUTLIER_PARAMS, type OutlierBounds, type OutlierMethod, outlierBounds } from '../outliers';
import { defineStep } from '../step';

type Params = { columns: string[] | null; method: OutlierMethod; threshold: number | null };
export type OutlierClipperState = OutlierBounds;

const NAME = 'OutlierClipper';

export default defineStep<Params, OutlierClipperState>({
  name: NAME,
  kind: 'transform',
  description:
    'Clips outliers of each numeric column to bounds learned from the training rows (IQR fences by default, or z-score, or MAD).',
  category: 'Outliers',
  params: { columns: SCALED_COLUMNS_PARAM, ...OUTLIER_PARAMS },
  accepts: NUMERIC_TYPES,
  defaultColumns: (input) => scalableColumns(input, NAME, 'check'),
  missing: 'passes-through',
  async fit(input, params) {
    return outlierBounds(
      input,
      NAME,
      params.columns ?? scalableColumns(input, NAME, 'check'),
      params.method,
      params.threshold,
    );
  },
  async transform(input, state) {
    return mapNumericColumns(input, NAME, 'check', state.columns, (v, j) => {
      const lo = state.lower[j]!;
      const hi = state.upper[j]!;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (x < lo) v[i] = lo;
        else if (x > hi) v[i] = hi;
      }
      return v;
    });
  },
});
