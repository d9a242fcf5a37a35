/** The Embedding panel's note after a t-SNE/UMAP run. */
import type { EmbeddingResult } from '../../protocol/api';
import { formatCount } from '../format';

/** What a finished t-SNE/UMAP ran on and how long it took, as one sentence (null for PCA). */
export function describeEmbeddingRun(r: EmbeddingResult): string | null {
  if (!r.ran) return null;
  const name = r.method === 'tsne' ? 't-SNE' : 'UMAP';
  const where =
    r.ran.device === 'webgpu'
      ? `on ${r.ran.why}`
      : `on the CPU (${r.ran.threads} thread${r.ran.threads === 1 ? '' : 's'}: ${r.ran.why})`;
  return `${name} of ${formatCount(r.x.length)} rows in ${r.ran.seconds.toFixed(1)} s ${where}. Same seed, same picture; lasso points to select them.`;
}
