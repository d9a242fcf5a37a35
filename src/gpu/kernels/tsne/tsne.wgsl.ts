/**
 * One t-SNE iteration in three passes (see tsne.ref.ts for the maths):
 * - `repulse`: one thread per point; all points stream through workgroup memory in tiles;
 *   accumulates Σⱼ q̃ᵢⱼ²(yᵢ − yⱼ) and Σⱼ q̃ᵢⱼ (q̃ = 1/(1 + d²)) into rep[i].
 * - `reduce_z`: one workgroup sums the per-point Σ q̃ into rep[n].z (= Z).
 * - `update`: one thread per point: attraction over its CSR row of P, gradient, gains, momentum;
 *   reads positions from `src`, writes `dst` (no thread reads a position another one writes).
 */
export const WORKGROUP_SIZE = 256;

const common = /* wgsl */ `
struct Params {
  n: u32, pad0: u32, pad1: u32, pad2: u32,
  exaggeration: f32, momentum: f32, learning_rate: f32, min_gain: f32,
}
@group(0) @binding(0) var<uniform> params: Params;
fn point_index(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.x + gid.y * groups.x * ${WORKGROUP_SIZE}u;
}
`;

export const tsneRepulseWgsl = /* wgsl */ `${common}
@group(0) @binding(1) var<storage, read> pos: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> rep: array<vec4<f32>>;
var<workgroup> tile: array<vec2<f32>, ${WORKGROUP_SIZE}>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let i = point_index(gid, groups);
  let inside = i < n;
  var yi = vec2<f32>(0.0);
  if (inside) { yi = pos[i]; }
  var force = vec2<f32>(0.0);
  var z = 0.0;
  for (var start = 0u; start < n; start += ${WORKGROUP_SIZE}u) {
    let t = start + lid;
    if (t < n) { tile[lid] = pos[t]; }
    workgroupBarrier();
    let count = min(${WORKGROUP_SIZE}u, n - start);
    if (inside) {
      for (var s = 0u; s < count; s++) {
        let diff = yi - tile[s];
        let q = 1.0 / (1.0 + dot(diff, diff));
        // The j = i term adds q = 1 to z and nothing to the force; removed below.
        z += q;
        force += q * q * diff;
      }
    }
    workgroupBarrier();
  }
  if (inside) { rep[i] = vec4<f32>(force, z - 1.0, 0.0); }
}
`;

export const tsneReduceWgsl = /* wgsl */ `${common}
@group(0) @binding(1) var<storage, read_write> rep: array<vec4<f32>>;
var<workgroup> partial: array<f32, ${WORKGROUP_SIZE}>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < params.n; i += ${WORKGROUP_SIZE}u) { s += rep[i].z; }
  partial[lid] = s;
  workgroupBarrier();
  for (var stride = ${WORKGROUP_SIZE / 2}u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { rep[params.n] = vec4<f32>(0.0, 0.0, partial[0], 0.0); }
}
`;

export const tsneUpdateWgsl = /* wgsl */ `${common}
@group(0) @binding(1) var<storage, read> row_start: array<u32>;
@group(0) @binding(2) var<storage, read> col: array<u32>;
@group(0) @binding(3) var<storage, read> val: array<f32>;
@group(0) @binding(4) var<storage, read> rep: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(6) var<storage, read_write> dst: array<vec2<f32>>;
// xy: update (momentum term), zw: gains.
@group(0) @binding(7) var<storage, read_write> state: array<vec4<f32>>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = point_index(gid, groups);
  if (i >= params.n) { return; }
  let yi = src[i];
  var attr = vec2<f32>(0.0);
  for (var e = row_start[i]; e < row_start[i + 1u]; e++) {
    let diff = yi - src[col[e]];
    attr += (val[e] / (1.0 + dot(diff, diff))) * diff;
  }
  let z = max(rep[params.n].z, 1e-30);
  let grad = 4.0 * (params.exaggeration * attr - rep[i].xy / z);
  var st = state[i];
  var upd = st.xy;
  var gains = st.zw;
  // gains + 0.2 where the update and the gradient disagree in sign, × 0.8 elsewhere.
  gains = select(gains * 0.8, gains + 0.2, upd * grad < vec2<f32>(0.0));
  gains = max(gains, vec2<f32>(params.min_gain));
  upd = params.momentum * upd - params.learning_rate * gains * grad;
  state[i] = vec4<f32>(upd, gains);
  dst[i] = yi + upd;
}
`;
