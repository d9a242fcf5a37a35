/**
 * WGSL for the Gram matrix G = Xᵀ·X of a row-major chunk of X (already centred on the host).
 * One thread per matrix entry (a ≤ b) and row block: it sums BLOCK rows at a time in f32 and
 * adds each block sum to its running total (blocked summation: ~BLOCK + ROWS_PER_GROUP / BLOCK
 * roundings instead of ROWS_PER_GROUP), then writes one partial per (row block, entry). The host
 * adds the partials in float64. Values must be finite (the caller checks).
 */
export const WORKGROUP_SIZE = 64;
/** Rows each thread sums for one partial. */
export const ROWS_PER_GROUP = 4096;
/** Rows summed in f32 before the block sum is added to the total. */
export const BLOCK = 64;

export const gramWgsl = /* wgsl */ `
const BLOCK: u32 = ${BLOCK}u;

struct Params {
  rows: u32,         // rows in this chunk
  d: u32,            // columns
  pairs: u32,        // entries with a <= b: d (d + 1) / 2
  rowsPerGroup: u32, // rows per partial
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> pairIndex: array<u32>; // (a << 16) | b
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let p = gid.x;
  if (p >= params.pairs) {
    return;
  }
  let ab = pairIndex[p];
  let a = ab >> 16u;
  let b = ab & 0xffffu;
  let d = params.d;
  let start = wid.y * params.rowsPerGroup;
  let end = min(start + params.rowsPerGroup, params.rows);
  var total = 0.0;
  var r = start;
  loop {
    if (r >= end) {
      break;
    }
    let stop = min(r + BLOCK, end);
    var block = 0.0;
    for (; r < stop; r++) {
      block += x[r * d + a] * x[r * d + b];
    }
    total += block;
  }
  partials[wid.y * params.pairs + p] = total;
}
`;
