/**
 * The engine-facing entry point for 2-D embeddings of n × d rows: PCA (first two principal
 * component scores), t-SNE or UMAP. Runs in the worker; kernels go to `compute`'s GPU when there
 * is one (else their CPU references). `ctx.onProgress(fraction, positions?)` receives intermediate
 * n × 2 positions while t-SNE/UMAP optimize (every `reportEvery` iterations/epochs), so the view
 * can animate; `ctx.signal` cancels (an EngineError named 'Cancelled').
 */
import { EngineError, throwIfAborted } from '../../engine/errors';
import type { Compute } from '../../gpu/device';
import { pcaScores2 } from './pca2';
import { type TsneParams, tsne } from './tsne';
import { type EmbedContext, type UmapOptions, umap } from './umap';

export type { EmbedContext } from './umap';

export type EmbedMethod = 'pca' | 'tsne' | 'umap';

export type EmbedOptions = { method: EmbedMethod; seed?: number } & TsneParams & UmapOptions;

export async function embed(
  X: Float32Array | Float64Array,
  n: number,
  d: number,
  options: EmbedOptions,
  compute: Compute | null,
  ctx: EmbedContext = {},
): Promise<Float32Array> {
  if (!(Number.isInteger(n) && Number.isInteger(d) && n >= 0 && d >= 1) || X.length !== n * d)
    throw new EngineError(
      'InvalidArgument',
      `embed: expected an ${n} × ${d} matrix, got ${X.length} values.`,
    );
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i]!))
      throw new EngineError(
        'InvalidArgument',
        'Embeddings need finite values: impute or drop missing values first.',
        {
          hint: 'Add a SimpleImputer step (or filter rows) before the embedding.',
        },
      );
  }
  throwIfAborted(ctx.signal);
  switch (options.method) {
    case 'pca': {
      const out = Float32Array.from(pcaScores2(X, n, d));
      ctx.onProgress?.(1, out);
      return out;
    }
    case 'tsne':
      return tsne(X, n, d, options, compute, ctx);
    case 'umap':
      return umap(X, n, d, options, compute, ctx);
    default:
      throw new EngineError(
        'InvalidArgument',
        `Unknown embedding method: ${String((options as { method: unknown }).method)}`,
      );
  }
}
