import { NUMERIC_TYPES, rebuild } from '../../core/frame';
import { NUMERIC_COLUMNS_PARAM, readNumericColumns } from '../columnwise';
import { py } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null; threshold: number };
export interface CorrelationFilterState {
  columns: string[];
  dropped: string[];
  /** For each dropped column, the kept column it correlates with and |r|. */
  reasons: { column: string; correlated_with: string; abs_r: number }[];
}

const NAME = 'CorrelationFilter';

/** Pearson r over the rows where both are present (pandas' DataFrame.corr); NaN when undefined. */
export function pairwiseCorrelation(a: Float64Array, b: Float64Array): number {
  let n = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) continue;
    n++;
    ma += a[i]!;
    mb += b[i]!;
  }
  if (n < 2) return Number.NaN;
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) continue;
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

const PY_CORRELATION_FILTER = `def correlation_filter(columns, threshold, train, test):
    """CorrelationFilter: left to right, a column goes when |Pearson r| (pairwise complete, on the
    training rows) with an earlier column that stays is above the threshold."""
    r = train[columns].astype(float).corr().abs()
    dropped = []
    for j, b in enumerate(columns):
        for a in columns[:j]:
            if a not in dropped and r.loc[a, b] > threshold:
                dropped.append(b)
                break
    return train.drop(columns=dropped), test.drop(columns=dropped)`;

export default defineStep<Params, CorrelationFilterState>({
  name: NAME,
  kind: 'transform',
  description:
    'Drops the later column of each pair of numeric columns whose Pearson correlation exceeds 0.95 in absolute value.',
  category: 'Feature selection',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    threshold: {
      type: 'number',
      default: 0.95,
      min: 0,
      max: 1,
      description: 'Absolute correlation above which the later column of a pair is dropped.',
    },
  },
  accepts: NUMERIC_TYPES,
  missing: 'handles',
  async fit(input, params) {
    const { names, values } = readNumericColumns(input, NAME, 'compare', params.columns);
    const dropped = new Set<number>();
    const reasons: CorrelationFilterState['reasons'] = [];
    // Left to right: a column goes when it is too close to an earlier column that stays.
    for (let j = 1; j < names.length; j++) {
      for (let i = 0; i < j; i++) {
        if (dropped.has(i)) continue;
        const r = Math.abs(pairwiseCorrelation(values[i]!, values[j]!));
        if (r > params.threshold) {
          dropped.add(j);
          reasons.push({ column: names[j]!, correlated_with: names[i]!, abs_r: r });
          break;
        }
      }
    }
    return { columns: names, dropped: names.filter((_, j) => dropped.has(j)), reasons };
  },
  async transform(input, state) {
    readNumericColumns(input, NAME, 'compare', state.columns);
    return rebuild(input, NAME, new Map(state.dropped.map((c) => [c, []])));
  },
  python: (params, at) => ({
    helpers: [PY_CORRELATION_FILTER],
    lines: [`train, test = correlation_filter(${at.columns}, ${py(params.threshold)}, train, test)`],
  }),
});
