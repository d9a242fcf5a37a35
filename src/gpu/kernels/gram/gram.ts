/**
 * Gram matrix Xᵀ·X of centred columns on the GPU (PCA's covariance, up to 1/(n − 1)).
 *
 * The host centres each value in float64 and converts it to f32 while interleaving rows into a
 * chunk; each thread sums one entry over ROWS_PER_GROUP rows with blocked f32 summation, the host
 * adds the partials in float64. Error: the f32 part has at most about BLOCK + ROWS_PER_GROUP/BLOCK
 * + 2 = 130 roundings per product, so |G − G_ref| ≤ 130·2⁻²⁴·Σ|xₐxᵦ| ≤ 7.8e-6·√(GₐₐGᵦᵦ)
 * (Cauchy–Schwarz). Stated tolerance: 1e-5·√(GₐₐGᵦᵦ) per entry. Non-finite partials (values
 * beyond ~1e19 overflow f32 products) send the whole matrix to the float64 reference.
 */
import { throwIfAborted } from '../../../core/errors';
import type { Gpu } from '../../device';
import { bindingLimit, encodePass, guarded } from '../../dispatch';
import { cachedPipeline } from '../../pipelines';
import { type GramColumn, gramRef } from './gram.ref';
import { gramWgsl, ROWS_PER_GROUP, WORKGROUP_SIZE } from './gram.wgsl';

export { type GramColumn, gramRef } from './gram.ref';

/** Relative tolerance against the reference, scaled by √(GₐₐGᵦᵦ) (derivation above). */
export const GRAM_TOLERANCE = 1e-5;

export interface GramOptions {
  signal?: AbortSignal;
  /** Largest input chunk in elements (rows × d); tests set it small to exercise chunking. */
  maxBindingElements?: number;
}

interface Chunk {
  start: number;
  rows: number;
  groups: number;
  /** First partial (in floats) of this chunk in the readback buffer. */
  offset: number;
}

/** The Gram matrix, and why the float64 reference computed it instead of the GPU (absent when the
 * kernel did): callers and tests can tell a GPU result from a fallback. */
export interface GramResult {
  gram: Float64Array;
  fallback?: string;
}

export async function gram(
  gpu: Gpu,
  columns: readonly GramColumn[],
  center: readonly number[] | null,
  options: GramOptions = {},
): Promise<GramResult> {
  const { signal } = options;
  throwIfAborted(signal);
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const pairs = (d * (d + 1)) / 2;
  const { device, limits } = gpu;
  const maxGroupsX = limits.maxComputeWorkgroupsPerDimension;
  if (n === 0) return { gram: gramRef(columns, center), fallback: 'no rows' };
  if (d >= 1 << 16 || Math.ceil(pairs / WORKGROUP_SIZE) > maxGroupsX)
    return { gram: gramRef(columns, center), fallback: `${d} columns are more than one dispatch holds` };

  const bindingFloats = Math.floor(bindingLimit(limits) / 4);
  let rowsPerChunk = Math.floor(Math.min(bindingFloats, options.maxBindingElements ?? Infinity) / d);
  rowsPerChunk = Math.min(rowsPerChunk, maxGroupsX * ROWS_PER_GROUP);
  // The partials of one chunk must fit in a binding too.
  rowsPerChunk = Math.min(rowsPerChunk, Math.floor(bindingFloats / pairs) * ROWS_PER_GROUP);
  if (rowsPerChunk >= ROWS_PER_GROUP) rowsPerChunk -= rowsPerChunk % ROWS_PER_GROUP;
  if (rowsPerChunk < 1) {
    return { gram: gramRef(columns, center), fallback: `${d} columns do not fit in one storage binding` };
  }

  const chunks: Chunk[] = [];
  let totalPartials = 0;
  for (let start = 0; start < n; start += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, n - start);
    const groups = Math.ceil(rows / ROWS_PER_GROUP);
    chunks.push({ start, rows, groups, offset: totalPartials });
    totalPartials += groups * pairs;
  }
  const longest = Math.min(rowsPerChunk, n);
  const mostGroups = Math.ceil(longest / ROWS_PER_GROUP);

  const pipeline = await cachedPipeline(device, 'gram', gramWgsl);
  return guarded(device, { kernel: 'gram', task: 'the Gram matrix' }, async (guard) => {
    const input = guard.storage('gram input', longest * d * 4);
    const pairIndex = new Uint32Array(pairs);
    for (let a = 0, p = 0; a < d; a++) for (let b = a; b < d; b++) pairIndex[p++] = (a << 16) | b;
    const pairBuffer = guard.storage('gram pairs', pairIndex);
    const partials = guard.storage('gram partials', mostGroups * pairs * 4, GPUBufferUsage.COPY_SRC);
    const uniform = guard.uniform('gram params', 16);
    const readback = guard.staging('gram readback', totalPartials * 4);
    const bindGroup = guard.bind(pipeline, [input, pairBuffer, partials, uniform]);
    const scratch = new Float32Array(longest * d);
    const params = new Uint32Array(4);
    for (const chunk of chunks) {
      throwIfAborted(signal);
      for (let a = 0; a < d; a++) {
        const col = columns[a]!;
        const c = center ? center[a]! : 0;
        for (let r = 0; r < chunk.rows; r++) scratch[r * d + a] = col[chunk.start + r]! - c;
      }
      params.set([chunk.rows, d, pairs, ROWS_PER_GROUP]);
      device.queue.writeBuffer(input, 0, scratch, 0, chunk.rows * d);
      device.queue.writeBuffer(uniform, 0, params);
      const encoder = device.createCommandEncoder({ label: 'gram' });
      encodePass(encoder, 'gram', pipeline, bindGroup, Math.ceil(pairs / WORKGROUP_SIZE), chunk.groups);
      encoder.copyBufferToBuffer(partials, 0, readback, chunk.offset * 4, chunk.groups * pairs * 4);
      device.queue.submit([encoder.finish()]);
      // writeBuffer copies `scratch` at call time, but wait so the staging memory stays bounded.
      await device.queue.onSubmittedWorkDone();
    }
    await guard.check();
    const values = new Float32Array(await guard.read(readback, totalPartials * 4));
    const g = new Float64Array(d * d);
    for (const chunk of chunks) {
      for (let grp = 0; grp < chunk.groups; grp++) {
        const base = chunk.offset + grp * pairs;
        for (let a = 0, p = 0; a < d; a++) for (let b = a; b < d; b++) g[a * d + b]! += values[base + p++]!;
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        // f32 sums overflow for values beyond ~1e19: float64 gets them right, and says so.
        if (!Number.isFinite(g[a * d + b]!)) {
          return { gram: gramRef(columns, center), fallback: 'the float32 sums overflowed' };
        }
        g[b * d + a] = g[a * d + b]!;
      }
    }
    return { gram: g };
  });
}
