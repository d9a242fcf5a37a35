import { requirePresent, safeScale } from '../../core/stats';
import { mapNumericColumns, readScaledColumns, rescaling, SCALED_COLUMNS_PARAM } from '../columnwise';
import { inPlaceAs } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null };
export interface MaxAbsScalerState {
  columns: string[];
  max_abs: number[];
  scale: number[];
}

export default defineStep<Params, MaxAbsScalerState>({
  name: 'MaxAbsScaler',
  kind: 'transform',
  description: 'Divides each numeric column by its largest absolute value, keeping zeros at zero.',
  category: 'Scaling',
  params: { columns: SCALED_COLUMNS_PARAM },
  ...rescaling('MaxAbsScaler', 'scale'),
  missing: 'passes-through',
  async fit(input, params) {
    const { names, values } = readScaledColumns(input, 'MaxAbsScaler', 'scale', params.columns);
    const max_abs = values.map((v, j) => {
      let m = 0;
      let count = 0;
      for (let i = 0; i < v.length; i++) {
        const x = Math.abs(v[i]!);
        if (!Number.isNaN(x)) {
          count++;
          if (x > m) m = x;
        }
      }
      requirePresent('MaxAbsScaler', names[j]!, count);
      return m;
    });
    return { columns: names, max_abs, scale: max_abs.map((m) => safeScale(m)) };
  },
  async transform(input, state, ctx) {
    return mapNumericColumns(input, 'MaxAbsScaler', 'scale', state.columns, ctx.signal, (v, j) => {
      const s = state.scale[j]!;
      for (let i = 0; i < v.length; i++) v[i] = v[i]! / s;
      return v;
    });
  },
  python: inPlaceAs<Params>('sklearn.preprocessing', 'MaxAbsScaler', []),
});
