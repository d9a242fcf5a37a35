/**
 * WGSL of the FFT-interpolated t-SNE repulsion (tsne-fft.ref.ts has the maths). One evaluation:
 *
 * 1. `bounds` (one workgroup): the bounding box of the points → the grid's origin and box width W
 *    (the smallest power of two with nb·W ≥ span); when W changed it writes the indirect dispatch
 *    arguments of steps 2–3, else zeros, so the kernel's transforms are redone only then.
 * 2. `kernel_fill`: the vector kernel (Δx, Δy)(1 + r²)⁻² and the Cauchy kernel (1 + r²)⁻¹ on the
 *    circulant L × L grid of node offsets.
 * 3. `fft` over both kernel grids (rows, then columns).
 * 4. `spread`: each point adds its 9 Lagrange weights to the nodes of its box, as 64-bit fixed
 *    point (32.32) in pairs of u32 atomics — integer sums do not depend on the order the threads
 *    run in, so runs are reproducible bit for bit (float atomics would not be).
 * 5. `load`: fixed point → the complex grid (density + 0i; zeros outside the m × m nodes), and the
 *    accumulators cleared for the next evaluation.
 * 6. `fft` forward: the m non-zero rows, then all L columns.
 * 7. `multiply`: grid × vector-kernel spectrum, and per-thread partial sums of |ρ̂|²·K̂ (Z by
 *    Parseval).
 * 8. `fft` inverse: all columns, then the m rows the nodes live in.
 * 9. `gather`: each point interpolates the force field from its 9 nodes, and its own interpolated
 *    self term.
 * 10. `finalize` (one workgroup): Z = Σ partials / L² − Σ self terms, into rep[n].z where the
 *    update kernel of tsne.wgsl.ts reads it.
 *
 * The FFT keeps one line (≤ MAX_L complex f32 = 16 KiB, the WebGPU minimum of workgroup memory)
 * in workgroup memory, bit-reversed on load, log2 L radix-2 stages in place; twiddles come from a
 * table computed in float64 (WGSL's sin/cos are only accurate to ~2⁻¹¹).
 */
export const WORKGROUP_SIZE = 256;
/** Largest FFT size: one line of complex f32 fills 16 KiB of workgroup memory. */
export const FFT_MAX_L = 2048;
/** Elements of the multiply pass per thread (its partial sum of Z). */
export const MULTIPLY_PER_THREAD = 64;
/**
 * Threads per FFT line (each does L/32 butterflies per stage). Few, because every stage ends in a
 * workgroup barrier, and a barrier costs in proportion to the threads on a CPU-emulated GPU
 * (SwiftShader: 256 → 16 threads made a pass 5–10× faster); the cost on a real GPU is small either
 * way (the FFTs are O(L² log L) against the O(n) spreading and gathering).
 */
export const FFT_WORKGROUP = 16;

const params = /* wgsl */ `
struct Params {
  n: u32, L: u32, log2L: u32, nb: u32,
  m: u32, partials: u32, pad0: u32, pad1: u32,
}
struct Grid { origin: vec2<f32>, W: f32, pad: f32 }
@group(0) @binding(0) var<uniform> p: Params;
fn point_index(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.x + gid.y * groups.x * ${WORKGROUP_SIZE}u;
}
// Lagrange weights of the nodes at 1/6, 1/2, 5/6 of a box, for u in [0, 1].
fn lagrange3(u: f32) -> vec3<f32> {
  let a = u - 1.0 / 6.0;
  let b = u - 0.5;
  let c = u - 5.0 / 6.0;
  return vec3<f32>(4.5 * b * c, -9.0 * a * c, 4.5 * a * b);
}
// The 3 × 3 nodes a point spreads to and gathers from: the first node's column and row, and the
// Lagrange weights along x and y. Points on the far edge belong to the last box.
struct Stencil { col: u32, row: u32, wx: vec3<f32>, wy: vec3<f32> }
fn stencil(x: vec2<f32>, grid: Grid) -> Stencil {
  let g = (x - grid.origin) / grid.W;
  let last = f32(p.nb - 1u);
  let bx = min(floor(g.x), last);
  let by = min(floor(g.y), last);
  return Stencil(3u * u32(bx), 3u * u32(by), lagrange3(g.x - bx), lagrange3(g.y - by));
}
`;

export const boundsWgsl = /* wgsl */ `${params}
@group(0) @binding(1) var<storage, read> pos: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> grid: Grid;
@group(0) @binding(3) var<storage, read_write> args: array<u32, 9>;
var<workgroup> lo: array<vec2<f32>, ${WORKGROUP_SIZE}>;
var<workgroup> hi: array<vec2<f32>, ${WORKGROUP_SIZE}>;

// The smallest power of two ≥ x (x a positive normal f32), from the exponent bits.
fn pow2_ceil(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  var e = (b >> 23u) & 0xffu;
  if ((b & 0x7fffffu) != 0u) { e += 1u; }
  return bitcast<f32>(e << 23u);
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(local_invocation_index) lid: u32) {
  var a = vec2<f32>(3.0e38);
  var b = vec2<f32>(-3.0e38);
  for (var i = lid; i < p.n; i += ${WORKGROUP_SIZE}u) {
    a = min(a, pos[i]);
    b = max(b, pos[i]);
  }
  lo[lid] = a;
  hi[lid] = b;
  workgroupBarrier();
  for (var s = ${WORKGROUP_SIZE / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) {
      lo[lid] = min(lo[lid], lo[lid + s]);
      hi[lid] = max(hi[lid], hi[lid + s]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let extent = hi[0] - lo[0];
    let span = max(extent.x, extent.y);
    let nb = f32(p.nb);
    var W = pow2_ceil(max(span / nb, 1.0e-30));
    if (W * nb < span) { W *= 2.0; }
    let changed = W != grid.W;
    grid = Grid(lo[0], W, 0.0);
    let cells = (p.L * p.L + ${WORKGROUP_SIZE - 1}u) / ${WORKGROUP_SIZE}u;
    let on = select(0u, 1u, changed);
    args = array<u32, 9>(on * cells, 1u, 1u, on * p.L, 2u, 1u, on * p.L, 2u, 1u);
  }
}
`;

export const kernelFillWgsl = /* wgsl */ `${params}
@group(0) @binding(1) var<storage, read> grid: Grid;
@group(0) @binding(2) var<storage, read_write> kern: array<vec2<f32>>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let L = p.L;
  let e = gid.x;
  if (e >= L * L) { return; }
  let row = e / L;
  let col = e % L;
  // Offsets: 0..m-1 forward, L-m+1..L-1 backward (negative); the middle is never used.
  let m = p.m;
  let used = (row < m || row > L - m) && (col < m || col > L - m);
  let delta = grid.W / 3.0;
  let dy = select(f32(row), f32(row) - f32(L), row > L - m) * delta;
  let dx = select(f32(col), f32(col) - f32(L), col > L - m) * delta;
  let q = 1.0 / (1.0 + dx * dx + dy * dy);
  if (used) {
    kern[e] = vec2<f32>(q * q * dx, q * q * dy);
    kern[L * L + e] = vec2<f32>(q, 0.0);
  } else {
    kern[e] = vec2<f32>(0.0);
    kern[L * L + e] = vec2<f32>(0.0);
  }
}
`;

export const fftWgsl = /* wgsl */ `${params}
struct Pass { line_stride: u32, elem_stride: u32, batch_stride: u32, sign: f32 }
@group(0) @binding(1) var<uniform> pass_: Pass;
@group(0) @binding(2) var<storage, read_write> data: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> twiddle: array<vec2<f32>>;
var<workgroup> buf: array<vec2<f32>, ${FFT_MAX_L}>;

@compute @workgroup_size(${FFT_WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let L = p.L;
  let base = wg.y * pass_.batch_stride + wg.x * pass_.line_stride;
  let es = pass_.elem_stride;
  for (var i = lid; i < L; i += ${FFT_WORKGROUP}u) {
    buf[reverseBits(i) >> (32u - p.log2L)] = data[base + i * es];
  }
  workgroupBarrier();
  for (var half = 1u; half < L; half <<= 1u) {
    let step = L / (2u * half);
    for (var t = lid; t < L / 2u; t += ${FFT_WORKGROUP}u) {
      let k = t % half;
      let a = (t / half) * 2u * half + k;
      let b = a + half;
      let w = twiddle[k * step];
      let wr = w.x;
      let wi = pass_.sign * w.y;
      let v = buf[b];
      let x = vec2<f32>(v.x * wr - v.y * wi, v.x * wi + v.y * wr);
      let u = buf[a];
      buf[b] = u - x;
      buf[a] = u + x;
    }
    workgroupBarrier();
  }
  for (var i = lid; i < L; i += ${FFT_WORKGROUP}u) {
    data[base + i * es] = buf[i];
  }
}
`;

export const spreadWgsl = /* wgsl */ `${params}
@group(0) @binding(1) var<storage, read> pos: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> grid: Grid;
@group(0) @binding(3) var<storage, read_write> accum: array<atomic<u32>>;

// v as 32.32 fixed point: hi = ⌊v⌋ (two's complement), lo = the fraction × 2³²; the carry of the
// low word goes into the high one, so the pair sums exactly, in any order.
fn add_fixed(node: u32, v: f32) {
  let f = floor(v);
  let hi = bitcast<u32>(i32(f));
  let lo = u32(min(v - f, 0.99999994) * 4294967296.0);
  let old = atomicAdd(&accum[2u * node], lo);
  let carry = select(0u, 1u, old + lo < old);
  atomicAdd(&accum[2u * node + 1u], hi + carry);
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = point_index(gid, groups);
  if (i >= p.n) { return; }
  let c = stencil(pos[i], grid);
  for (var s = 0u; s < 3u; s++) {
    for (var t = 0u; t < 3u; t++) {
      add_fixed((c.row + s) * p.m + c.col + t, c.wy[s] * c.wx[t]);
    }
  }
}
`;

export const loadWgsl = /* wgsl */ `${params}
@group(0) @binding(1) var<storage, read_write> accum: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read_write> cells: array<vec2<f32>>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let L = p.L;
  let e = gid.x;
  if (e >= L * L) { return; }
  let row = e / L;
  let col = e % L;
  var v = 0.0;
  if (row < p.m && col < p.m) {
    let node = row * p.m + col;
    let lo = atomicExchange(&accum[2u * node], 0u);
    let hi = atomicExchange(&accum[2u * node + 1u], 0u);
    v = f32(bitcast<i32>(hi)) + f32(lo) * 2.3283064365386963e-10;
  }
  cells[e] = vec2<f32>(v, 0.0);
}
`;

export const multiplyWgsl = /* wgsl */ `${params}
@group(0) @binding(1) var<storage, read_write> cells: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> kern: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;

// Thread t takes the elements t, t + T, t + 2T, … (T = p.partials threads): coalesced reads, and
// one partial sum per thread — no workgroup barriers (costly on CPU-emulated GPUs).
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let LL = p.L * p.L;
  let T = p.partials;
  let t = gid.x;
  if (t >= T) { return; }
  var z = 0.0;
  for (var e = t; e < LL; e += T) {
    let a = cells[e];
    let s = kern[e];
    z += dot(a, a) * kern[LL + e].x;
    cells[e] = vec2<f32>(a.x * s.x - a.y * s.y, a.x * s.y + a.y * s.x);
  }
  partials[t] = z;
}
`;

export const gatherWgsl = /* wgsl */ `${params}
@group(0) @binding(1) var<storage, read> pos: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> grid: Grid;
@group(0) @binding(3) var<storage, read> cells: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read_write> rep: array<vec4<f32>>;

// Σₐ Σ_b wₐ w_b K(a − b) over the point's own 9 nodes (see selfInteraction in tsne-fft.ref.ts).
fn self_term(wx: vec3<f32>, wy: vec3<f32>, delta: f32) -> f32 {
  let cx = vec3<f32>(dot(wx, wx), 2.0 * (wx.x * wx.y + wx.y * wx.z), 2.0 * wx.x * wx.z);
  let cy = vec3<f32>(dot(wy, wy), 2.0 * (wy.x * wy.y + wy.y * wy.z), 2.0 * wy.x * wy.z);
  let d2 = delta * delta;
  var sum = 0.0;
  for (var a = 0u; a < 3u; a++) {
    for (var b = 0u; b < 3u; b++) {
      sum += cx[a] * cy[b] / (1.0 + f32(a * a + b * b) * d2);
    }
  }
  return sum;
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = point_index(gid, groups);
  if (i >= p.n) { return; }
  let c = stencil(pos[i], grid);
  var f = vec2<f32>(0.0);
  for (var s = 0u; s < 3u; s++) {
    for (var t = 0u; t < 3u; t++) {
      f += (c.wy[s] * c.wx[t]) * cells[(c.row + s) * p.L + c.col + t];
    }
  }
  let scale = 1.0 / f32(p.L * p.L);
  rep[i] = vec4<f32>(f * scale, self_term(c.wx, c.wy, grid.W / 3.0), 0.0);
}
`;

export const finalizeWgsl = /* wgsl */ `${params}
@group(0) @binding(1) var<storage, read> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> rep: array<vec4<f32>>;
var<workgroup> part: array<f32, ${WORKGROUP_SIZE}>;
var<workgroup> own: array<f32, ${WORKGROUP_SIZE}>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(local_invocation_index) lid: u32) {
  var z = 0.0;
  for (var k = lid; k < p.partials; k += ${WORKGROUP_SIZE}u) { z += partials[k]; }
  var s = 0.0;
  for (var i = lid; i < p.n; i += ${WORKGROUP_SIZE}u) { s += rep[i].z; }
  part[lid] = z;
  own[lid] = s;
  workgroupBarrier();
  for (var h = ${WORKGROUP_SIZE / 2}u; h > 0u; h >>= 1u) {
    if (lid < h) {
      part[lid] += part[lid + h];
      own[lid] += own[lid + h];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    rep[p.n] = vec4<f32>(0.0, 0.0, part[0] / f32(p.L * p.L) - own[0], 0.0);
  }
}
`;
