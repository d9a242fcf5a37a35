/**
 * 2-D embeddings of the numeric columns for the Explore tab. PCA: the columns are standardised
 * (missing values at the column mean, i.e. 0), their Gram matrix is built on the GPU when there is
 * one (the gram kernel, as the PCA step does), and the rows are projected on the two leading
 * eigenvectors (signs fixed as sklearn's svd_flip: the largest |loading| is positive).
 * t-SNE and UMAP come from src/models/embedding (see `EmbedFn`).
 */
import type { Table } from 'apache-arrow';
import { EngineError, throwIfAborted } from '../../core/errors';
import { symmetricEigen } from '../../core/linalg';
import type { Compute } from '../../gpu/device';
import { gram, gramRef } from '../../gpu/kernels/gram/gram';
import { fewDistinct, isNumericColumn, numericColumn } from './columns';
import type { EmbeddingMethod, EmbeddingPlan, EmbeddingResult } from './types';

/** The t-SNE/UMAP entry point of src/models/embedding (X row-major n×d → n×2 row-major). */
export type EmbedFn = (
  X: Float32Array,
  n: number,
  d: number,
  options: { method: 'tsne' | 'umap'; seed: number },
  compute: Compute,
  hooks: {
    signal: AbortSignal;
    onProgress(fraction: number, positions?: Float32Array): void;
    /** Where it runs (WebGPU or the CPU with n threads, and why), told before it starts. */
    onPlan?(plan: EmbeddingPlan): void;
  },
) => Promise<Float32Array>;

/** Numeric columns to embed: the given ones, else every numeric column that is not a date. */
export function embeddingColumns(table: Table, columns?: readonly string[] | null): string[] {
  const chosen = (columns ?? table.schema.fields.map((f) => f.name)).filter((c) => isNumericColumn(table, c));
  const out = columns ? chosen : chosen.filter((c) => fewDistinct(numericColumn(table, c), 1) === null);
  if (out.length < 2) {
    throw new EngineError('SchemaError', 'An embedding needs at least two numeric columns.', {
      hint: 'Choose a dataset with numeric columns, or encode categories first (OneHotEncoder).',
    });
  }
  return out;
}

/** Standardised columns (z-scores; missing → 0, the mean). Constant columns stay 0. */
export function standardised(table: Table, columns: readonly string[]): Float64Array[] {
  return columns.map((c) => {
    const v = numericColumn(table, c);
    let n = 0;
    let mean = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (Number.isNaN(x)) continue;
      n++;
      mean += (x - mean) / n;
    }
    let ss = 0;
    for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) ss += (v[i]! - mean) ** 2;
    const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = !Number.isNaN(v[i]) && sd > 0 ? (v[i]! - mean) / sd : 0;
    return out;
  });
}

export async function pcaEmbedding(
  table: Table,
  columns: readonly string[],
  compute: Compute | null,
  signal: AbortSignal,
): Promise<EmbeddingResult> {
  const z = standardised(table, columns);
  throwIfAborted(signal);
  const d = z.length;
  const g = compute
    ? await compute.run((gpu) =>
        gpu ? gram(gpu, z, null, { signal }).then((r) => r.gram) : Promise.resolve(gramRef(z, null)),
      )
    : gramRef(z, null);
  throwIfAborted(signal);
  const { values, vectors } = symmetricEigen(g, d);
  const n = table.numRows;
  const axes: Float32Array[] = [];
  for (let c = 0; c < 2; c++) {
    let sign = 1;
    let big = 0;
    for (let p = 0; p < d; p++) {
      const w = vectors[p * d + c]!;
      if (Math.abs(w) > big) {
        big = Math.abs(w);
        sign = w < 0 ? -1 : 1;
      }
    }
    const out = new Float32Array(n);
    for (let p = 0; p < d; p++) {
      const w = sign * vectors[p * d + c]!;
      const col = z[p]!;
      for (let i = 0; i < n; i++) out[i]! += w * col[i]!;
    }
    axes.push(out);
  }
  let total = 0;
  for (let p = 0; p < d; p++) total += Math.max(values[p]!, 0);
  return {
    method: 'pca',
    columns: [...columns],
    x: axes[0]!,
    y: axes[1]!,
    explained: [Math.max(values[0]!, 0) / total, Math.max(values[1]!, 0) / total],
  };
}

/** Row-major float32 matrix of the standardised columns, the input of t-SNE/UMAP. */
export function rowMajorStandardised(table: Table, columns: readonly string[]): Float32Array {
  const z = standardised(table, columns);
  const n = table.numRows;
  const d = z.length;
  const X = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = z[j]!;
    for (let i = 0; i < n; i++) X[i * d + j] = col[i]!;
  }
  return X;
}

/** Splits an n×2 row-major layout into x and y. */
export function splitXY(positions: Float32Array): { x: Float32Array; y: Float32Array } {
  const n = positions.length >> 1;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = positions[2 * i]!;
    y[i] = positions[2 * i + 1]!;
  }
  return { x, y };
}

export type { EmbeddingMethod, EmbeddingResult };
