import { mapNumericColumns, rescaling, SCALED_COLUMNS_PARAM, scaledColumns } from '../columnwise';
import {
  OUTLIER_PARAMS,
  type OutlierBounds,
  type OutlierParams,
  outlierBounds,
  pyOutlierStep,
} from '../outliers';
import { defineStep } from '../step';

export type OutlierClipperState = OutlierBounds;

const NAME = 'OutlierClipper';

const PY_CLIP = `def clip_outliers(columns, method, t, train, test):
    """OutlierClipper: bounds from the training rows, applied to both parts."""
    for c in columns:
        lo, hi = outlier_bounds(train[c], method, t)
        train[c] = train[c].astype(float).clip(lo, hi)
        test[c] = test[c].astype(float).clip(lo, hi)
    return train, test`;

export default defineStep<OutlierParams, OutlierClipperState>({
  name: NAME,
  kind: 'transform',
  description:
    'Clips outliers of each numeric column to bounds learned from the training rows (IQR fences by default, or z-score, or MAD).',
  category: 'Outliers',
  params: { columns: SCALED_COLUMNS_PARAM, ...OUTLIER_PARAMS },
  ...rescaling(NAME, 'check'),
  missing: 'passes-through',
  async fit(input, params) {
    return outlierBounds(
      input,
      NAME,
      scaledColumns(input, NAME, 'check', params.columns),
      params.method,
      params.threshold,
    );
  },
  async transform(input, state, ctx) {
    return mapNumericColumns(input, NAME, 'check', state.columns, ctx.signal, (v, j) => {
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
  python: (params, at) =>
    pyOutlierStep(
      params,
      PY_CLIP,
      (args) => `train, test = clip_outliers(${at.columns}, ${args}, train, test)`,
    ),
});
