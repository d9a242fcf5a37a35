/**
 * When a model sends work to the GPU: below these sizes the upload and dispatch cost more than the
 * CPU loop (measured order of magnitude; tests lower them to exercise the GPU path on small data).
 */
export const GPU_MIN_WORK = {
  /** query rows × reference rows × features */
  knn: 20_000_000,
  /** rows × clusters × features per assignment step */
  kmeans: 20_000_000,
};
