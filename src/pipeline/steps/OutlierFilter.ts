import { NUMERIC_TYPES, takeRows } from '../../core/frame';
import { NUMERIC_COLUMNS_PARAM, readNumericColumns } from '../columnwise';
import {
  OUTLIER_PARAMS,
  type OutlierBounds,
  type OutlierParams,
  outlierBounds,
  pyOutlierStep,
} from '../outliers';
import { defineStep } from '../step';

export type OutlierFilterState = OutlierBounds;

const NAME = 'OutlierFilter';

const PY_INLIERS = `def inliers(frame, columns, method, t):
    """OutlierFilter: rows within every column's bounds (missing values are kept)."""
    keep = pd.Series(True, index=frame.index)
    for c in columns:
        lo, hi = outlier_bounds(frame[c], method, t)
        keep &= ~((frame[c] < lo) | (frame[c] > hi))
    return keep`;

export default defineStep<OutlierParams, OutlierFilterState>({
  name: NAME,
  kind: 'filter',
  description:
    'Removes rows with an outlier in any of the numeric columns, by bounds learned from the training rows (IQR fences by default, or z-score, or MAD); missing values are kept.',
  category: 'Outliers',
  params: { columns: NUMERIC_COLUMNS_PARAM, ...OUTLIER_PARAMS },
  accepts: NUMERIC_TYPES,
  missing: 'handles',
  async fit(input, params) {
    return outlierBounds(input, NAME, params.columns, params.method, params.threshold);
  },
  async transform(input, state) {
    const { values } = readNumericColumns(input, NAME, 'check', state.columns);
    const n = input.numRows;
    const keep = new Uint8Array(n).fill(1);
    values.forEach((v, j) => {
      const lo = state.lower[j]!;
      const hi = state.upper[j]!;
      for (let i = 0; i < n; i++) if (v[i]! < lo || v[i]! > hi) keep[i] = 0;
    });
    let kept = 0;
    for (let i = 0; i < n; i++) kept += keep[i]!;
    if (kept === n) return input;
    const indices = new Int32Array(kept);
    for (let i = 0, k = 0; i < n; i++) if (keep[i]) indices[k++] = i;
    return takeRows(input, indices, NAME);
  },
  python: (params, at) =>
    pyOutlierStep(params, PY_INLIERS, (args) => `df = df[inliers(df, ${at.columns}, ${args})]`),
});
