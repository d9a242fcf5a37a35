import { EngineError } from '../../core/errors';
import { NUMERIC_TYPES } from '../../core/frame';
import { pooledProject } from '../../core/project';
import { nanMean } from '../../core/stats';
import { NUMERIC_COLUMNS_PARAM, readCompleteColumns } from '../columnwise';
import { type PcaSolver, principalAxes } from '../pca';
import { replaceColumns } from '../projection';
import { replacing, sklearnParams } from '../python';
import { defineStep } from '../step';

type Params = {
  columns: string[] | null;
  n_components: number | null;
  whiten: boolean;
  svd_solver: PcaSolver;
};
export interface PCAState {
  columns: string[];
  mean: number[];
  /** k×d: the principal axes (sklearn's components_), signs as sklearn's svd_flip. */
  components: number[][];
  explained_variance: number[];
  explained_variance_ratio: number[];
  singular_values: number[];
  whiten: boolean;
  n_samples: number;
}

const NAME = 'PCA';

export default defineStep<Params, PCAState>({
  name: NAME,
  kind: 'transform',
  description:
    'Projects the numeric columns on their principal components (columns pca0, pca1, …), as scikit-learn’s PCA.',
  category: 'Dimensionality reduction',
  params: {
    columns: NUMERIC_COLUMNS_PARAM,
    n_components: {
      type: 'integer',
      default: null,
      min: 1,
      description: 'Components to keep; null keeps min(rows, columns).',
    },
    whiten: {
      type: 'boolean',
      default: false,
      description: 'Scale each component to unit variance.',
    },
    svd_solver: {
      type: 'enum',
      options: ['auto', 'full', 'randomized'],
      default: 'auto',
      description:
        "'full': exact (covariance on the GPU, eigenvectors in float64); 'randomized': seeded randomized SVD; 'auto': sklearn's choice by size.",
    },
  },
  accepts: NUMERIC_TYPES,
  missing: 'rejects',
  async fit(input, params, ctx) {
    // Zero-copy views (read-only): fit and transform only read the columns.
    const { names, values } = readCompleteColumns(input, NAME, 'project', params.columns, {
      view: true,
      minRows: 2,
    });
    const n = input.numRows;
    const d = names.length;
    const maxK = Math.min(n, d);
    const k = params.n_components ?? maxK;
    if (k > maxK) {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: n_components=${k} must be at most min(rows, columns) = ${maxK}.`,
        { param: 'n_components' },
      );
    }
    const mean = values.map(nanMean);
    const axes = await principalAxes(values, mean, k, params.svd_solver, ctx);
    const explained = axes.explainedVariance;
    return {
      columns: names,
      mean,
      components: axes.components,
      explained_variance: explained,
      explained_variance_ratio: explained.map((x) => (axes.totalVariance > 0 ? x / axes.totalVariance : 0)),
      singular_values: axes.singularValues,
      whiten: params.whiten,
      n_samples: n,
    };
  },
  async transform(input, state, ctx) {
    const { values } = readCompleteColumns(input, NAME, 'project', state.columns, { view: true });
    const scores = await pooledProject(values, state.mean, state.components, ctx.signal);
    if (state.whiten) {
      scores.forEach((s, c) => {
        const scale = Math.sqrt(state.explained_variance[c]!);
        for (let i = 0; i < s.length; i++) s[i] = s[i]! / scale;
      });
    }
    return replaceColumns(
      input,
      NAME,
      state.columns,
      scores.map((s, c) => ({ name: `pca${c}`, values: s })),
    );
  },
  python: (params, at) => ({
    ...replacing(
      'sklearn.decomposition',
      'PCA',
      sklearnParams(params, ['n_components', 'whiten', 'svd_solver']),
      at,
    ),
    ...(params.svd_solver === 'randomized'
      ? {
          caveat:
            "The randomized solver draws from numpy's generator: components agree to the solver's tolerance.",
        }
      : {}),
  }),
});
