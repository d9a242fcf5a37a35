/**
 * WGSL source of the colstats kernel, kept as a TypeScript string module (not a `.wgsl` file read
 * with `?raw`) so the same import works in `vite build`, vitest browser mode, vitest in Node and
 * plain `node --import tsx` (the benchmarks), none of which need a loader for it.
 *
 * One workgroup reduces one tile of TILE = WORKGROUP_SIZE * ITEMS_PER_THREAD consecutive values:
 * each thread runs Welford's update over its ITEMS_PER_THREAD values (strided by WORKGROUP_SIZE so
 * that neighbouring threads read neighbouring words), then the workgroup merges the per-thread
 * accumulators with Chan's formula in a shared-memory tree, and thread 0 writes one partial.
 * The host merges partials in float64.
 *
 * The input is bound as `array<u32>` and classified by its bits, because WGSL lets compilers assume
 * that floats are never NaN or infinite: `x != x` may be folded away, integer tests cannot.
 */
export const WORKGROUP_SIZE = 256;
export const ITEMS_PER_THREAD = 16;
export const TILE = WORKGROUP_SIZE * ITEMS_PER_THREAD;
/** Bytes of one `Partial` in the output buffer (8 × 4-byte fields). */
export const PARTIAL_BYTES = 32;

export const colstatsWgsl = /* wgsl */ `
const WG: u32 = ${WORKGROUP_SIZE}u;
const ITEMS: u32 = ${ITEMS_PER_THREAD}u;
const F32_MAX: f32 = 0x1.fffffep+127f; // largest finite f32

struct Params {
  length: u32,     // values in this chunk
  shift: f32,      // subtracted before Welford (conditioning); min/max use the raw value
  _pad0: u32,
  _pad1: u32,
}

struct Partial {
  n: u32,
  nan: u32,
  posInf: u32,
  negInf: u32,
  mean: f32,       // of (x - shift)
  m2: f32,         // sum of squared deviations from mean
  lo: f32,         // min of raw finite x (F32_MAX when n == 0)
  hi: f32,         // max of raw finite x (-F32_MAX when n == 0)
}

@group(0) @binding(0) var<storage, read> values: array<u32>;
@group(0) @binding(1) var<storage, read_write> partials: array<Partial>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> sN: array<u32, WG>;
var<workgroup> sNan: array<u32, WG>;
var<workgroup> sPos: array<u32, WG>;
var<workgroup> sNeg: array<u32, WG>;
var<workgroup> sMean: array<f32, WG>;
var<workgroup> sM2: array<f32, WG>;
var<workgroup> sLo: array<f32, WG>;
var<workgroup> sHi: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let lid = lid3.x;
  let base = wid.x * WG * ITEMS;
  var n = 0u;
  var nan = 0u;
  var pos = 0u;
  var neg = 0u;
  var mean = 0.0;
  var m2 = 0.0;
  var lo = F32_MAX;
  var hi = -F32_MAX;
  for (var k = 0u; k < ITEMS; k++) {
    let i = base + k * WG + lid;
    if (i < params.length) {
      let bits = values[i];
      if ((bits & 0x7f800000u) == 0x7f800000u) {
        if ((bits & 0x007fffffu) != 0u) {
          nan++;
        } else if ((bits >> 31u) != 0u) {
          neg++;
        } else {
          pos++;
        }
      } else {
        let x = bitcast<f32>(bits);
        n++;
        let d = (x - params.shift) - mean;
        mean += d / f32(n);
        m2 += d * ((x - params.shift) - mean);
        lo = min(lo, x);
        hi = max(hi, x);
      }
    }
  }
  sN[lid] = n;
  sNan[lid] = nan;
  sPos[lid] = pos;
  sNeg[lid] = neg;
  sMean[lid] = mean;
  sM2[lid] = m2;
  sLo[lid] = lo;
  sHi[lid] = hi;
  workgroupBarrier();

  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      let j = lid + stride;
      let na = sN[lid];
      let nb = sN[j];
      if (nb > 0u) {
        if (na == 0u) {
          sMean[lid] = sMean[j];
          sM2[lid] = sM2[j];
        } else {
          // Chan et al.: merge (na, meanA, m2A) with (nb, meanB, m2B).
          let total = f32(na + nb);
          let fb = f32(nb) / total;
          let d = sMean[j] - sMean[lid];
          sMean[lid] = sMean[lid] + d * fb;
          sM2[lid] = sM2[lid] + sM2[j] + d * d * f32(na) * fb;
        }
        sN[lid] = na + nb;
        sLo[lid] = min(sLo[lid], sLo[j]);
        sHi[lid] = max(sHi[lid], sHi[j]);
      }
      sNan[lid] += sNan[j];
      sPos[lid] += sPos[j];
      sNeg[lid] += sNeg[j];
    }
    workgroupBarrier();
  }

  if (lid == 0u) {
    partials[wid.x] = Partial(sN[0], sNan[0], sPos[0], sNeg[0], sMean[0], sM2[0], sLo[0], sHi[0]);
  }
}
`;
