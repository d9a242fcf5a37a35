import { EngineError } from '../../core/errors';
import { NUMERIC_TYPES } from '../../core/frame';
import { flipSigns, matmul, randomizedSvd, symmetricEigen } from '../../core/linalg';
import { nanMoments } from '../../core/stats';
import { gram, gramRef } from '../../gpu/kernels/gram/gram';
import { NUMERIC_COLUMNS_PARAM, readNumericColumns, rejectMissing } from '../columnwise';
import { project, replaceColumns, rowMajor } from '../projection';
import { defineStep, type RunContext } from '../step';

type Solver = 'auto' | 'full' | 'randomized';
type Params = { columns: string[] | null; n_components: number | null; whiten: boolean; svd_solver: Solver };
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
/** Largest n·d² for which the full solver refines its eigenvectors on the rotated data. */
const REFINE_LIMIT = 2e8;

/** The Gram matrix of the centred columns: on the GPU when there is one, else in float64. */
async function centredGram(
  columns: Float64Array[],
  mean: number[] | null,
  ctx: RunContext,
): Promise<Float64Array> {
  if (!ctx.compute) return gramRef(columns, mean);
  return ctx.compute.run((gpu) =>
    gpu
      ? gram(gpu, columns, mean, { signal: ctx.signal }).then((r) => r.gram)
      : Promise.resolve(gramRef(columns, mean)),
  );
}

/** The first k columns of a d×d row-major matrix, as k rows of d numbers. */
function columnsAsRows(m: Float64Array, d: number, k: number): number[][] {
  return Array.from({ length: k }, (_, c) => Array.from({ length: d }, (_, p) => m[p * d + c]!));
}

/** sklearn 1.2's svd_solver='auto' rule. */
function chooseSolver(solver: Solver, n: number, d: number, k: number): 'full' | 'randomized' {
  if (solver !== 'auto') return solver;
  if (Math.max(n, d) <= 500) return 'full';
  return k >= 1 && k < 0.8 * Math.min(n, d) ? 'randomized' : 'full';
}

export default defineStep<Params, PCAState>({
  name: NAME,
  kind: 'transform',
  description:
    'Projects the numeric columns on their principal components (columns pca0, pca1, …), as scikit-learn’s PCA.',
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
    const { names, values } = readNumericColumns(input, NAME, 'project', params.columns);
    values.forEach((v, j) => {
      rejectMissing(NAME, names[j]!, v);
    });
    const n = input.numRows;
    const d = names.length;
    if (n < 2) {
      throw new EngineError('SchemaError', `${NAME} needs at least 2 training rows, got ${n}.`);
    }
    const maxK = Math.min(n, d);
    const k = params.n_components ?? maxK;
    if (k > maxK) {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: n_components=${k} must be at most min(rows, columns) = ${maxK}.`,
        { param: 'n_components' },
      );
    }
    const mean = values.map((v) => nanMoments(v).mean);
    let vt: Float64Array;
    let eigen: Float64Array; // squared singular values, largest first (k of them, or all)
    let totalVariance: number;
    if (chooseSolver(params.svd_solver, n, d, k) === 'full') {
      // Eigenvectors of XᵀX carry an absolute error of ~ε·λ_max, which swamps components with
      // tiny variance. Rotating X onto them and decomposing the Gram matrix of the rotated data
      // again (nearly diagonal now) gives each component an error relative to its own size, like
      // an SVD of X would (sklearn's 'full').
      // The second pass costs another n·d² (projection and Gram); past REFINE_LIMIT the components
      // keep the first pass's ε·λ_max error, which only matters for near-zero variances.
      const first = symmetricEigen(await centredGram(values, mean, ctx), d);
      let v = first.vectors;
      let second = first;
      if (n * d * d <= REFINE_LIMIT) {
        const rotated = project(values, mean, columnsAsRows(first.vectors, d, d));
        second = symmetricEigen(await centredGram(rotated, null, ctx), d);
        v = matmul(first.vectors, second.vectors, d, d, d);
      }
      vt = new Float64Array(k * d);
      for (let c = 0; c < k; c++) for (let p = 0; p < d; p++) vt[c * d + p] = v[p * d + c]!;
      eigen = second.values.map((x) => Math.max(x, 0));
      // Only min(n, d) singular values exist; the rest of the d eigenvalues are rounding noise.
      totalVariance = eigen.subarray(0, maxK).reduce((s, x) => s + x, 0) / (n - 1);
    } else {
      const iterations = k < 0.1 * maxK ? 7 : 4;
      const svd = randomizedSvd(rowMajor(values, mean), n, d, k, ctx.rng, iterations);
      vt = svd.vt;
      eigen = svd.s.map((s) => s * s);
      totalVariance = values.reduce((s, v) => s + (nanMoments(v).variance * n) / (n - 1), 0);
    }
    const rows = (m: Float64Array) =>
      Array.from({ length: k }, (_, c) => Array.from(m.subarray(c * d, (c + 1) * d)));
    const scores = project(values, mean, rows(vt));
    const interleaved = rowMajor(scores);
    flipSigns(interleaved, vt, n, k, d);
    const explained = Array.from(eigen.subarray(0, k), (x) => x / (n - 1));
    return {
      columns: names,
      mean,
      components: rows(vt),
      explained_variance: explained,
      explained_variance_ratio: explained.map((x) => (totalVariance > 0 ? x / totalVariance : 0)),
      singular_values: Array.from(eigen.subarray(0, k), Math.sqrt),
      whiten: params.whiten,
      n_samples: n,
    };
  },
  async transform(input, state) {
    const { values } = readNumericColumns(input, NAME, 'project', state.columns);
    values.forEach((v, j) => {
      rejectMissing(NAME, state.columns[j]!, v);
    });
    const scores = project(values, state.mean, state.components);
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
});
