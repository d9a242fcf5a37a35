/**
 * The engine-facing entry point for 2-D embeddings of n × d rows: PCA (first two principal
 * component scores), t-SNE or UMAP. Runs in the worker; kernels go to `compute`'s GPU when there
 * is one (else their CPU references). `ctx.onProgress(fraction, positions?)` receives intermediate
 * n × 2 positions while t-SNE/UMAP optimize (every `reportEvery` iterations/epochs), so the view
 * can animate; `ctx.signal` cancels (an EngineError named 'Cancelled').
 */
import { EngineError, throwIfAborted } from '../../core/errors';
import { isSoftwareAdapter } from '../../gpu/adapter';
import type { Compute } from '../../gpu/device';
import { layoutThreadCount } from '../../gpu/kernels/umap/umap.threads';
import { pcaScores2 } from './pca2';
import { type TsneParams, tsne } from './tsne';
import { type EmbedContext, type EmbedPlan, type UmapOptions, umap } from './umap';

export type { EmbedContext, EmbedPlan } from './umap';

export type EmbedMethod = 'pca' | 'tsne' | 'umap';

/** Where t-SNE/UMAP run: 'auto' (the default) = the GPU unless it is a software one; see embedPlan. */
export type EmbedDevice = 'auto' | 'gpu' | 'cpu';

export type EmbedOptions = { method: EmbedMethod; seed?: number; device?: EmbedDevice } & TsneParams &
  UmapOptions;

/**
 * Where t-SNE/UMAP run. With `device` 'auto': on the GPU when there is one, except a software
 * adapter (SwiftShader, llvmpipe, WARP — a CPU pretending to be a GPU), where the CPU path is
 * faster: measured on SwiftShader (bench/README.md), UMAP of 2,000 × 50 rows took 15.3 s on its
 * "GPU" against 6.5 s on the CPU path, and the exact kNN of 70,000 × 50 rows ~20 min against
 * ~16 s for NN-descent. 'gpu' forces the GPU (tests of the kernels on SwiftShader), 'cpu' the CPU.
 */
export function embedPlan(
  compute: Compute | null,
  method: Exclude<EmbedMethod, 'pca'>,
  n: number,
  device: EmbedDevice = 'auto',
): { compute: Compute | null; plan: EmbedPlan } {
  const cpu = (why: string) => ({
    compute: null,
    plan: { device: 'cpu' as const, threads: method === 'umap' ? layoutThreadCount(n) : 1, why },
  });
  const adapter = compute?.gpu?.adapter;
  if (!compute?.gpu || !adapter) return cpu('no WebGPU device');
  if (device === 'cpu') return cpu('CPU chosen');
  if (device === 'auto' && isSoftwareAdapter(adapter))
    return cpu(
      `the WebGPU adapter is software (${adapter.architecture || adapter.vendor || 'fallback'}), slower than the CPU`,
    );
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ');
  return { compute, plan: { device: 'webgpu', threads: 1, why: name ? `WebGPU (${name})` : 'WebGPU' } };
}

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
    case 'umap': {
      const { compute: where, plan } = embedPlan(compute, options.method, n, options.device);
      ctx.onPlan?.(plan);
      return options.method === 'tsne'
        ? tsne(X, n, d, options, where, ctx)
        : umap(X, n, d, options, where, ctx);
    }
    default:
      throw new EngineError(
        'InvalidArgument',
        `Unknown embedding method: ${String((options as { method: unknown }).method)}`,
      );
  }
}
