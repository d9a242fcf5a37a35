/**
 * WGSL source of the histogram kernel (a TypeScript string module, like colstats.wgsl.ts).
 *
 * One workgroup counts one tile of TILE consecutive values into a workgroup-shared array of atomic
 * bin counters (cheap contention), then adds its non-zero bins to the column's bins in global
 * memory with one atomicAdd each. Bins of all columns live in one output buffer; `outOffset` says
 * where this dispatch's column starts; slot `bins` after a column's bins counts finite values outside.
 *
 * Binning, in f32 exactly as histogram.ref.ts does it in f64 with Math.fround:
 *   d = x - shift;  excluded when NaN/±Inf (by bits), d < 0 or d > span;
 *   bin = min(u32(floor(d * scale)), bins - 1)      — so exactly the upper edge goes to the last bin.
 */
export const WORKGROUP_SIZE = 256;
export const ITEMS_PER_THREAD = 16;
export const TILE = WORKGROUP_SIZE * ITEMS_PER_THREAD;
/** Most bins one column may have. The workgroup array has one more slot, for values outside the
 * range (4 KiB of the 16 KiB every device offers). Each column takes bins + 1 output slots. */
export const MAX_BINS = 1023;

export const histogramWgsl = /* wgsl */ `
const WG: u32 = ${WORKGROUP_SIZE}u;
const ITEMS: u32 = ${ITEMS_PER_THREAD}u;

struct Params {
  length: u32,     // values in this chunk
  bins: u32,       // bins of this column (1..MAX_BINS)
  outOffset: u32,  // index of this column's first bin in counts
  _pad: u32,
  shift: f32,      // subtracted first (the range's lower edge, or 0 when the host already did)
  span: f32,       // upper edge minus lower edge, after the shift
  scale: f32,      // bins / span (0 when span is 0: everything lands in bin 0)
  _pad2: f32,
}

@group(0) @binding(0) var<storage, read> values: array<u32>;
@group(0) @binding(1) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> local: array<atomic<u32>, ${MAX_BINS + 1}u>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let lid = lid3.x;
  let bins = params.bins;
  for (var b = lid; b <= bins; b += WG) {
    atomicStore(&local[b], 0u);
  }
  workgroupBarrier();

  let base = wid.x * WG * ITEMS;
  for (var k = 0u; k < ITEMS; k++) {
    let i = base + k * WG + lid;
    if (i < params.length) {
      let bits = values[i];
      // NaN and ±Infinity never count (WGSL may assume floats are finite, so test the bits).
      if ((bits & 0x7f800000u) != 0x7f800000u) {
        let d = bitcast<f32>(bits) - params.shift;
        if (d >= 0.0 && d <= params.span) {
          let bin = min(u32(floor(d * params.scale)), bins - 1u);
          atomicAdd(&local[bin], 1u);
        } else {
          atomicAdd(&local[bins], 1u); // finite but outside [lo, hi]
        }
      }
    }
  }
  workgroupBarrier();

  for (var b = lid; b <= bins; b += WG) {
    let c = atomicLoad(&local[b]);
    if (c != 0u) {
      atomicAdd(&counts[params.outOffset + b], c);
    }
  }
}
`;
