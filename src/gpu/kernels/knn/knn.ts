/**
 * k nearest neighbours on the GPU (KNeighbors*, KMeans' assignment step with k = 1).
 *
 * Numerics: values are shifted by the reference rows' column means in float64, then converted to
 * f32; distances are summed in f32 over d terms. Each squared distance therefore has a relative
 * error of at most about (d + 2)·2⁻²⁴ (≈ 4e-6 for d = 64). Neighbours whose float64 distances
 * differ by less than that may come back in the other order — the only way the indices can
 * differ from knn.ref.ts; tests compare indices where the gap is larger and distances within
 * (d + 2)·2⁻²⁴ relative. Returned distances are recomputed in float64 on the host for the chosen
 * neighbours, so callers always get exact distances.
 *
 * Falls back to the reference for k > MAX_K (256), d > TILE_FLOATS, or reference rows that do not
 * fit one storage binding. Queries are processed in chunks (binding size and 65535 workgroups).
 */
import { EngineError, throwIfAborted } from '../../../core/errors';
import { type Compute, type Gpu, gpuOrCpu } from '../../device';
import { bindingLimit, encodePass, guarded } from '../../dispatch';
import { cachedPipeline } from '../../pipelines';
import { knnPooled } from './knn.cpu';
import { knnRef, knnSelfRef, type Neighbors } from './knn.ref';
import { knnCapacity, knnWgsl, MAX_K, TILE_FLOATS, WORKGROUP_SIZE } from './knn.wgsl';

export { knnRef, knnSelfRef, type Neighbors } from './knn.ref';

export interface KnnOptions {
  signal?: AbortSignal;
  /** Largest query chunk in rows; tests set it small to exercise chunking. */
  maxQueryRows?: number;
}

type Values = Float64Array | Float32Array;

/** Relative tolerance of a GPU squared distance against float64, for dimension d (see above). */
export function knnTolerance(d: number): number {
  return (d + 2) * 2 ** -24;
}

/** The float64 reference; the symmetric one (same numbers, half the work) when queries are refs. */
const reference = (queries: Values, refs: Values, d: number, k: number): Neighbors =>
  queries === refs ? knnSelfRef(queries, d, k) : knnRef(queries, refs, d, k);

/**
 * The CPU path: the symmetric reference when queries are the refs (t-SNE's and UMAP's exact graphs,
 * at most a few thousand rows there), else the reference on the compute pool (knn.cpu.ts): query
 * rows in chunks over the pool's threads, cancellable between chunks, knnRef's numbers bit for bit.
 * kNN prediction on the CPU scans every reference row per query (200k × 130k rows took minutes).
 */
function cpuReference(
  queries: Values,
  refs: Values,
  d: number,
  k: number,
  signal: AbortSignal | undefined,
): Promise<Neighbors> {
  if (queries === refs) return Promise.resolve(knnSelfRef(queries, d, k));
  return knnPooled(queries, refs, d, k, signal ? { signal } : {});
}

/** On `compute`'s GPU when there is one (with device-loss fallback), else the reference. */
export function knnAll(
  compute: Compute | null,
  queries: Values,
  refs: Values,
  d: number,
  k: number,
  options: KnnOptions = {},
): Promise<Neighbors> {
  return gpuOrCpu(
    compute,
    (gpu) => knn(gpu, queries, refs, d, k, options),
    () => cpuReference(queries, refs, d, k, options.signal),
  );
}

/** Whether `knn` runs the kernel for nr reference rows of d values and k neighbours (else the reference). */
export function knnOnGpu(gpu: Gpu, nr: number, d: number, k: number): boolean {
  const bindingBytes = bindingLimit(gpu.limits);
  const kk = Math.min(k, nr);
  return kk > 0 && kk <= MAX_K && d <= TILE_FLOATS && nr * d * 4 <= bindingBytes;
}

export async function knn(
  gpu: Gpu,
  queries: Values,
  refs: Values,
  d: number,
  k: number,
  options: KnnOptions = {},
): Promise<Neighbors> {
  const { signal } = options;
  throwIfAborted(signal);
  const nq = d === 0 ? 0 : queries.length / d;
  const nr = d === 0 ? 0 : refs.length / d;
  const kk = Math.min(k, nr);
  const { device, limits } = gpu;
  const bindingBytes = bindingLimit(limits);
  if (nq === 0) return { ...reference(queries, refs, d, k), fallback: 'no query rows' };
  if (!knnOnGpu(gpu, nr, d, kk)) {
    return {
      ...reference(queries, refs, d, k),
      fallback: `k = ${kk} or ${nr} × ${d} references exceed the kernel's limits`,
    };
  }
  // Shift by the reference means in float64 so f32 keeps the small differences.
  const mean = new Float64Array(d);
  for (let r = 0; r < nr; r++) for (let j = 0; j < d; j++) mean[j]! += refs[r * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= nr;
  const refs32 = new Float32Array(nr * d);
  for (let i = 0; i < refs32.length; i++) refs32[i] = refs[i]! - mean[i % d]!;

  let chunkRows = Math.floor(bindingBytes / (4 * Math.max(d, kk)));
  chunkRows = Math.min(
    chunkRows,
    limits.maxComputeWorkgroupsPerDimension * WORKGROUP_SIZE,
    options.maxQueryRows ?? Infinity,
    nq,
  );
  if (chunkRows < 1) throw new EngineError('InvalidArgument', 'maxQueryRows must be at least 1.');

  const capacity = knnCapacity(kk);
  const pipeline = await cachedPipeline(device, `knn-${capacity}`, knnWgsl(capacity));
  return guarded(device, { kernel: 'knn', task: 'nearest neighbours' }, async (guard) => {
    const qBuf = guard.storage('knn queries', chunkRows * d * 4);
    const rBuf = guard.storage('knn refs', refs32);
    const iBuf = guard.storage('knn index', chunkRows * kk * 4, GPUBufferUsage.COPY_SRC);
    const dBuf = guard.storage('knn dist', chunkRows * kk * 4, GPUBufferUsage.COPY_SRC);
    const uBuf = guard.uniform('knn params', 32);
    const readback = guard.staging('knn readback', nq * kk * 4);
    const bindGroup = guard.bind(pipeline, [qBuf, rBuf, iBuf, dBuf, uBuf]);
    const scratch = new Float32Array(chunkRows * d);
    const params = new Uint32Array(8);
    for (let start = 0; start < nq; start += chunkRows) {
      throwIfAborted(signal);
      const rows = Math.min(chunkRows, nq - start);
      for (let i = 0; i < rows * d; i++) scratch[i] = queries[start * d + i]! - mean[i % d]!;
      device.queue.writeBuffer(qBuf, 0, scratch, 0, rows * d);
      params.set([rows, nr, d, kk, Math.floor(TILE_FLOATS / d)]);
      device.queue.writeBuffer(uBuf, 0, params);
      const encoder = device.createCommandEncoder({ label: 'knn' });
      encodePass(encoder, 'knn', pipeline, bindGroup, Math.ceil(rows / WORKGROUP_SIZE));
      encoder.copyBufferToBuffer(iBuf, 0, readback, start * kk * 4, rows * kk * 4);
      device.queue.submit([encoder.finish()]);
    }
    await guard.check();
    const indices = new Int32Array(await guard.read(readback, nq * kk * 4));
    // Exact float64 distances for the chosen neighbours.
    const distances = new Float64Array(nq * kk);
    for (let q = 0; q < nq; q++) {
      for (let s = 0; s < kk; s++) {
        const r = indices[q * kk + s]!;
        let acc = 0;
        for (let j = 0; j < d; j++) acc += (queries[q * d + j]! - refs[r * d + j]!) ** 2;
        distances[q * kk + s] = acc;
      }
    }
    return { indices, distances, k: kk };
  });
}
