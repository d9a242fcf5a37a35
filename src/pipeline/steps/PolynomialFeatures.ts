import { EngineError } from '../../core/errors';
import { NUMERIC_TYPES } from '../../core/frame';
import { NUMERIC_COLUMNS_PARAM, readNumericColumns } from '../columnwise';
import { replaceColumns } from '../projection';
import { replacing, sklearnParams } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null; degree: number; interaction_only: boolean; include_bias: boolean };
export interface PolynomialFeaturesState {
  columns: string[];
  /** Per output column, the input indices multiplied (empty = the bias column "1"). */
  terms: number[][];
  names: string[];
}

const NAME = 'PolynomialFeatures';
/** More output columns than this is a mistake, not a feature set. */
export const MAX_POLYNOMIAL_OUTPUTS = 5000;

/** sklearn's term order: by degree, then lexicographic combinations (with replacement unless interaction_only). */
function terms(d: number, degree: number, interactionOnly: boolean, includeBias: boolean): number[][] {
  const out: number[][] = includeBias ? [[]] : [];
  const extend = (prefix: number[], from: number, left: number) => {
    if (left === 0) {
      out.push(prefix);
      return;
    }
    for (let j = from; j < d; j++) {
      extend([...prefix, j], interactionOnly ? j + 1 : j, left - 1);
      if (out.length > MAX_POLYNOMIAL_OUTPUTS) return;
    }
  };
  for (let deg = 1; deg <= degree; deg++) extend([], 0, deg);
  return out;
}

/** sklearn's get_feature_names_out: "a", "a^2", "a b". */
function termName(term: readonly number[], names: readonly string[]): string {
  if (term.length === 0) return '1';
  const parts: string[] = [];
  for (let i = 0; i < term.length; ) {
    let j = i;
    while (j < term.length && term[j] === term[i]) j++;
    parts.push(j - i === 1 ? names[term[i]!]! : `${names[term[i]!]}^${j - i}`);
    i = j;
  }
  return parts.join(' ');
}

export default defineStep<Params, PolynomialFeaturesState>({
  name: NAME,
  kind: 'transform',
  description:
    'Replaces the numeric columns by all their products up to a degree (a, b, a^2, a b, b^2…), in scikit-learn’s order and names.',
  category: 'Feature extraction',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    degree: {
      type: 'integer',
      default: 2,
      min: 1,
      max: 6,
      description: 'Highest total degree of a product.',
    },
    interaction_only: {
      type: 'boolean',
      default: false,
      description: 'Only products of distinct columns (no a^2).',
    },
    include_bias: { type: 'boolean', default: true, description: 'Add the constant column "1".' },
  },
  accepts: NUMERIC_TYPES,
  missing: 'passes-through',
  async fit(input, params) {
    const { names } = readNumericColumns(input, NAME, 'expand', params.columns);
    const t = terms(names.length, params.degree, params.interaction_only, params.include_bias);
    if (t.length > MAX_POLYNOMIAL_OUTPUTS) {
      throw new EngineError(
        'SchemaError',
        `${NAME} would create more than ${MAX_POLYNOMIAL_OUTPUTS} columns from ${names.length} columns at degree ${params.degree}.`,
        { hint: 'Select fewer columns or lower the degree.' },
      );
    }
    return { columns: names, terms: t, names: t.map((term) => termName(term, names)) };
  },
  async transform(input, state) {
    const { values } = readNumericColumns(input, NAME, 'expand', state.columns);
    const n = input.numRows;
    const outputs = state.terms.map((term, k) => {
      const v = new Float64Array(n).fill(1);
      for (const j of term) {
        const col = values[j]!;
        for (let i = 0; i < n; i++) v[i]! *= col[i]!;
      }
      return { name: state.names[k]!, values: v };
    });
    return replaceColumns(input, NAME, state.columns, outputs);
  },
  python: (params, at) =>
    replacing(
      'sklearn.preprocessing',
      'PolynomialFeatures',
      sklearnParams(params, ['degree', 'interaction_only', 'include_bias']),
      at,
    ),
});
