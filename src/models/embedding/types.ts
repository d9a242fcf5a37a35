/** Where a t-SNE/UMAP runs (embedPlan in embed.ts decides it). */
export interface EmbeddingPlan {
  device: 'webgpu' | 'cpu';
  /** CPU threads of the layout (UMAP without a GPU uses every core; t-SNE one). */
  threads: number;
  /** Why, in a few words. */
  why: string;
}
