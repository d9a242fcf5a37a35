/**
 * Brute-force k nearest neighbours: one thread per query keeps its k best (squared Euclidean
 * distance, index) in a private sorted list by insertion; reference rows stream through workgroup
 * memory in tiles shared by the WORKGROUP_SIZE queries of a workgroup. Ties keep the lower
 * reference index (strict comparisons), exactly as knn.ref.ts scans.
 *
 * The list's length is a compile-time constant, so the shader is built per capacity
 * (K_CAPACITIES): k ≤ 32 keeps the small list in registers; t-SNE's 3·perplexity + 1 = 91
 * neighbours (+ the row itself) take the 128 variant, whose list lives in private (scratch) memory
 * on most GPUs — slower per candidate, but a candidate only touches it when it beats the k-th
 * best, which after the first tiles is rare. One pass over the references either way.
 */
export const WORKGROUP_SIZE = 64;
/** List lengths a shader is built for; k uses the smallest that holds it. */
export const K_CAPACITIES = [32, 64, 128, 256] as const;
/** Largest k the kernel supports; larger k uses the reference. */
export const MAX_K = K_CAPACITIES[K_CAPACITIES.length - 1]!;
/** Workgroup tile of reference values (f32): 16 KiB, half the WebGPU minimum. */
export const TILE_FLOATS = 4096;

/** The smallest list capacity that holds k neighbours (k ≤ MAX_K). */
export function knnCapacity(k: number): number {
  return K_CAPACITIES.find((c) => c >= k) ?? MAX_K;
}

export const knnWgsl = (capacity: number): string => /* wgsl */ `
struct Params { nq: u32, nr: u32, d: u32, k: u32, tile_rows: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<storage, read> queries: array<f32>;
@group(0) @binding(1) var<storage, read> refs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out_index: array<u32>;
@group(0) @binding(3) var<storage, read_write> out_dist: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

const WG: u32 = ${WORKGROUP_SIZE}u;
const MAX_K: u32 = ${capacity}u;
var<workgroup> tile: array<f32, ${TILE_FLOATS}>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = gid.x;
  let in_range = q < params.nq;
  let d = params.d;
  let k = params.k;
  var best_d: array<f32, MAX_K>;
  var best_i: array<u32, MAX_K>;
  for (var s = 0u; s < MAX_K; s++) {
    best_d[s] = 3.0e38;
    best_i[s] = 0xffffffffu;
  }
  for (var start = 0u; start < params.nr; start += params.tile_rows) {
    let rows_here = min(params.tile_rows, params.nr - start);
    let count = rows_here * d;
    for (var t = lid; t < count; t += WG) {
      tile[t] = refs[start * d + t];
    }
    workgroupBarrier();
    if (in_range) {
      for (var r = 0u; r < rows_here; r++) {
        var acc = 0.0;
        for (var j = 0u; j < d; j++) {
          let diff = queries[q * d + j] - tile[r * d + j];
          acc += diff * diff;
        }
        if (acc < best_d[k - 1u]) {
          var pos = k - 1u;
          while (pos > 0u && best_d[pos - 1u] > acc) {
            best_d[pos] = best_d[pos - 1u];
            best_i[pos] = best_i[pos - 1u];
            pos -= 1u;
          }
          best_d[pos] = acc;
          best_i[pos] = start + r;
        }
      }
    }
    workgroupBarrier();
  }
  if (in_range) {
    for (var s = 0u; s < k; s++) {
      out_index[q * k + s] = best_i[s];
      out_dist[q * k + s] = best_d[s];
    }
  }
}
`;
