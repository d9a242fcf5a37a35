/**
 * WGSL for NaN-aware squared distances between query rows and reference rows (row-major f32,
 * bound as u32 so missing values are recognised by their bits): per pair, the sum of squared
 * differences over the coordinates present in both rows and the number of such coordinates.
 * One thread per (query, reference) pair; KNNImputer turns these into nan_euclidean distances,
 * LocalOutlierFactor uses them as plain squared distances (no missing values there).
 */
export const TILE = 8;

export const pairdistWgsl = /* wgsl */ `
struct Params {
  queries: u32,
  refs: u32,
  d: u32,
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> queries: array<u32>;
@group(0) @binding(1) var<storage, read> refs: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

fn present(bits: u32) -> bool {
  return (bits & 0x7f800000u) != 0x7f800000u;
}

@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let i = gid.y;
  if (i >= params.queries || j >= params.refs) {
    return;
  }
  let d = params.d;
  var sum = 0.0;
  var count = 0.0;
  for (var k = 0u; k < d; k++) {
    let a = queries[i * d + k];
    let b = refs[j * d + k];
    if (present(a) && present(b)) {
      let diff = bitcast<f32>(a) - bitcast<f32>(b);
      sum += diff * diff;
      count += 1.0;
    }
  }
  out[i * params.refs + j] = vec2<f32>(sum, count);
}
`;
