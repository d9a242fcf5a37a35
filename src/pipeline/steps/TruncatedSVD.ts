import { EngineError } from '../../core/errors';
import { NUMERIC_TYPES } from '../../core/frame';
import { flipSigns, randomizedSvd } from '../../core/linalg';
import { nanMoments } from '../../core/stats';
import { NUMERIC_COLUMNS_PARAM, readCompleteColumns } from '../columnwise';
import { project, replaceColumns, rowMajor } from '../projection';
import { replacing, sklearnParams } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null; n_components: number; n_iter: number; n_oversamples: number };
export interface TruncatedSVDState {
  columns: string[];
  /** k×d right singular vectors (sklearn's components_), signs as sklearn's svd_flip. */
  components: number[][];
  explained_variance: number[];
  explained_variance_ratio: number[];
  singular_values: number[];
}

const NAME = 'TruncatedSVD';

export default defineStep<Params, TruncatedSVDState>({
  name: NAME,
  kind: 'transform',
  description:
    'Projects the numeric columns (not centred) on their leading singular vectors by seeded randomized SVD, as scikit-learn’s TruncatedSVD.',
  category: 'Dimensionality reduction',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    n_components: { type: 'integer', default: 2, min: 1, description: 'Output columns (truncatedsvd0, …).' },
    n_iter: {
      type: 'integer',
      default: 5,
      min: 0,
      max: 100,
      description: 'Power iterations of the randomized SVD.',
    },
    n_oversamples: {
      type: 'integer',
      default: 10,
      min: 0,
      max: 1000,
      description: 'Extra random directions sampled beyond n_components.',
    },
  },
  accepts: NUMERIC_TYPES,
  missing: 'rejects',
  async fit(input, params, ctx) {
    const { names, values } = readCompleteColumns(input, NAME, 'project', params.columns);
    const n = input.numRows;
    const d = names.length;
    const k = params.n_components;
    // sklearn requires n_components < n_features for the randomized algorithm.
    if (k >= d || k > n) {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: n_components=${k} must be less than the number of columns (${d}) and at most the rows (${n}).`,
        { param: 'n_components' },
      );
    }
    const svd = randomizedSvd(rowMajor(values), n, d, k, ctx.rng, params.n_iter, params.n_oversamples);
    const rows = () => Array.from({ length: k }, (_, c) => Array.from(svd.vt.subarray(c * d, (c + 1) * d)));
    const scores = project(values, null, rows());
    flipSigns(rowMajor(scores), svd.vt, n, k, d);
    const totalVariance = values.reduce((s, v) => s + nanMoments(v).variance, 0);
    const explained = scores.map((s) => nanMoments(s).variance);
    return {
      columns: names,
      components: rows(),
      explained_variance: explained,
      explained_variance_ratio: explained.map((x) => (totalVariance > 0 ? x / totalVariance : 0)),
      singular_values: Array.from(svd.s),
    };
  },
  async transform(input, state) {
    const { values } = readCompleteColumns(input, NAME, 'project', state.columns);
    const scores = project(values, null, state.components);
    return replaceColumns(
      input,
      NAME,
      state.columns,
      scores.map((s, c) => ({ name: `truncatedsvd${c}`, values: s })),
    );
  },
  python: (params, at) => ({
    ...replacing(
      'sklearn.decomposition',
      'TruncatedSVD',
      sklearnParams(params, ['n_components', 'n_iter', 'n_oversamples']),
      at,
    ),
    caveat: "Randomized SVD draws from numpy's generator: components agree to the solver's tolerance.",
  }),
});
