import { floatData, NUMERIC_TYPES, type OutColumn, outColumn, rebuild } from '../../core/frame';
import { safeScale } from '../../core/stats';
import { NUMERIC_COLUMNS_PARAM, readCompleteColumns } from '../columnwise';
import { inPlaceAs } from '../python';
import { defineStep } from '../step';

type Norm = 'l1' | 'l2' | 'max';
type Params = { columns: string[] | null; norm: Norm };
export interface NormalizerState {
  columns: string[];
  norm: Norm;
}

export default defineStep<Params, NormalizerState>({
  name: 'Normalizer',
  kind: 'transform',
  description: 'Scales each row (over the selected columns) to unit norm.',
  category: 'Scaling',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    norm: {
      type: 'enum',
      options: ['l1', 'l2', 'max'],
      default: 'l2',
      description: 'The norm each row is divided by.',
    },
  },
  accepts: NUMERIC_TYPES,
  missing: 'rejects',
  async fit(input, params) {
    const { names } = readCompleteColumns(input, 'Normalizer', 'normalize', params.columns);
    return { columns: names, norm: params.norm };
  },
  async transform(input, state) {
    const { names, values } = readCompleteColumns(input, 'Normalizer', 'normalize', state.columns);
    const n = input.numRows;
    const norms = new Float64Array(n);
    for (const v of values) {
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (state.norm === 'l1') norms[i]! += Math.abs(x);
        else if (state.norm === 'l2') norms[i]! += x * x;
        else norms[i] = Math.max(norms[i]!, Math.abs(x));
      }
    }
    for (let i = 0; i < n; i++) norms[i] = safeScale(state.norm === 'l2' ? Math.sqrt(norms[i]!) : norms[i]!);
    const replace = new Map<string, OutColumn[]>();
    for (const [j, v] of values.entries()) {
      for (let i = 0; i < n; i++) v[i] = v[i]! / norms[i]!;
      replace.set(names[j]!, [outColumn(names[j]!, 'float', floatData(v))]);
    }
    return rebuild(input, 'Normalizer', replace);
  },
  python: inPlaceAs<Params>('sklearn.preprocessing', 'Normalizer', ['norm']),
});
