/**
 * One UMAP layout epoch, one thread per vertex (see umap.ref.ts for the schedule): the vertex walks
 * its CSR edges in order, takes the attractive step of every edge due this epoch and that edge's
 * negative samples, reading other vertices from `src` (previous epoch) and writing itself to `dst`.
 * Schedule counters are advanced only by f32 additions, which WGSL rounds correctly, so the edges
 * sampled match the reference exactly.
 */
export const WORKGROUP_SIZE = 64;

export const umapWgsl = /* wgsl */ `
struct Params {
  n: u32, epoch: u32, epoch_hash: u32, pad0: u32,
  a: f32, b: f32, gamma: f32, alpha: f32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> row_start: array<u32>;
@group(0) @binding(2) var<storage, read> tail: array<u32>;
@group(0) @binding(3) var<storage, read> schedule: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read_write> next_sample: array<vec2<f32>>;
@group(0) @binding(5) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(6) var<storage, read_write> dst: array<vec2<f32>>;

const CLIP: f32 = 4.0;
const MIN_DIST_EPS: f32 = 0.001;

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let j = gid.x + gid.y * groups.x * ${WORKGROUP_SIZE}u;
  if (j >= params.n) { return; }
  let epoch = f32(params.epoch);
  let a = params.a;
  let b = params.b;
  let alpha = params.alpha;
  var cur = src[j];
  for (var e = row_start[j]; e < row_start[j + 1u]; e++) {
    var next = next_sample[e];
    if (next.x > epoch) { continue; }
    let sched = schedule[e];
    let k = tail[e];
    var diff = cur - src[k];
    var d2 = dot(diff, diff);
    if (d2 > 0.0) {
      let pb = pow(d2, b);
      let coeff = (-2.0 * a * b * pb) / (d2 * (a * pb + 1.0));
      cur += 2.0 * clamp(coeff * diff, vec2(-CLIP), vec2(CLIP)) * alpha;
    }
    next.x = next.x + sched.x;
    let base = pcg(e + params.epoch_hash);
    var p = 0u;
    loop {
      let advanced = next.y + sched.y;
      if (advanced > epoch) { break; }
      next.y = advanced;
      let s = pcg(base + p) % params.n;
      p++;
      if (s == j) { continue; }
      diff = cur - src[s];
      d2 = dot(diff, diff);
      if (d2 > 0.0) {
        let coeff = (2.0 * params.gamma * b) / ((MIN_DIST_EPS + d2) * (a * pow(d2, b) + 1.0));
        cur += clamp(coeff * diff, vec2(-CLIP), vec2(CLIP)) * alpha;
      }
    }
    next_sample[e] = next;
  }
  dst[j] = cur;
}
`;
