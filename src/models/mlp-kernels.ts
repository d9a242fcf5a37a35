/**
 * One minibatch chunk of an MLP's forward and backward pass on the CPU, as a compute-pool kernel
 * (src/core/pool.ts): every chunk of the batch's rows (MLP_CHUNK_ROWS, fixed, whatever the thread
 * count) writes its summed loss and gradients into its own slot, and mlp-cpu.ts adds the slots in
 * chunk order, so 1 or 8 threads give the same numbers bit for bit. Helper threads import this
 * module through workers/pool-kernels.ts.
 *
 * The two matrix products (X·W and Xᵀ·D) run in WebAssembly SIMD (mlp-kernels.wat, f32x4) or, where
 * the engine has no WebAssembly SIMD, in their JS twins below — the same f32 numbers (each output one
 * running sum in the same order, a rounded multiply then a rounded add). Everything else (activations,
 * the output layer's loss and residuals) is plain JS on float64 values stored back as f32.
 */
import { defineKernel } from '../core/pool';
import { compileBase64 } from '../core/wasm/wasm';
import { WASM_BASE64 } from './mlp-kernels.wasm';

/** Rows per pool chunk (a multiple of 4): ~1 ms of work for a (64, 64) network. */
export const MLP_CHUNK_ROWS = 256;

export type MlpOutput = 'softmax' | 'logistic' | 'identity';

export interface MlpChunkArgs {
  /** All training rows, f32, rows × sizes[0] row-major. */
  X: Float32Array;
  /** The batch's rows (indices into X), in step order. */
  idx: Int32Array;
  sizes: number[];
  activation: string;
  output: MlpOutput;
  /** Class codes (classifiers) or target values (regressors), per row of X. */
  codes: Int32Array | null;
  values: Float64Array | null;
  /** Row weights (class_weight='balanced'), else null. */
  rowWeights: Float32Array | null;
  /** The network in f32, laid out by `mlpLayout(sizes).params`. */
  params: Float32Array;
}

const pad4 = (v: number) => (v + 3) & ~3;

/**
 * Where the f32 copy of a network lives (`params`): per layer l (1-based, fanIn = sizes[l-1],
 * fanOut = sizes[l], P = padded to 4), W as fanIn × P(fanOut), b as P(fanOut), and Wᵀ as
 * fanOut × P(fanIn) — the pads are zero. `partial` is a chunk's slot (float64): the summed loss,
 * then per layer the weight gradient sums as P(fanIn) × P(fanOut) (only fanIn × fanOut of it
 * meaningful) at `gw` and the bias gradient sums, P(fanOut), at `gb`.
 */
export function mlpLayout(sizes: readonly number[]) {
  const layers: { w: number; b: number; wt: number; gw: number; gb: number }[] = [];
  let at = 0;
  let part = 4;
  for (let l = 1; l < sizes.length; l++) {
    const pIn = pad4(sizes[l - 1]!);
    const pOut = pad4(sizes[l]!);
    const w = at;
    const b = w + sizes[l - 1]! * pOut;
    const wt = b + pOut;
    at = wt + sizes[l]! * pIn;
    const gw = part;
    const gb = gw + pIn * pOut;
    part = gb + pOut;
    layers.push({ w, b, wt, gw, gb });
  }
  // The loss sits at 0; gradients start at 4 so that every block stays 4-aligned.
  return { layers, params: at, partial: part };
}

interface Kernels {
  xw(x: number, rows: number, k: number, sx: number, w: number, cols: number, bias: number, y: number): void;
  atb(x: number, rows: number, k: number, sx: number, d: number, cols: number, g: number): void;
  relu(p: number, n: number): void;
  relu_back(t: number, h: number, d: number, n: number): void;
  colsum(d: number, rows: number, cols: number, out: number): void;
  widen(src: number, n: number, dst: number): void;
}

/** One thread's working memory for one network shape: every region as a byte offset. */
interface Workspace {
  kernels: Kernels;
  f32: Float32Array;
  f64: Float64Array;
  /** Per layer 0..L: activations (rows × P(size)); per layer 1..L: residuals D. */
  H: number[];
  D: number[];
  /** dZ·Wᵀ before the activation's derivative (rows × the widest P). */
  T: number;
  params: number;
  /** The gradient sums in f32, laid out as the partial from its index 4 on; and their f64 copy. */
  grads: number;
  wide: number;
  zeros: number;
}

let compiled: WebAssembly.Module | null | undefined;

function mlpModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileBase64(WASM_BASE64);
  return compiled;
}

/** Whether the kernels run in WebAssembly SIMD here (else in their JS twins). */
export function mlpWasmAvailable(): boolean {
  return mlpModule() !== null;
}

/** JS twins of the .wat functions, over f32 memory (offsets in bytes): the same numbers. */
function jsKernels(f32: Float32Array, f64: Float64Array): Kernels {
  const fr = Math.fround;
  return {
    xw(x, rows, k, sx, w, cols, bias, y) {
      const X = x >> 2;
      const W = w >> 2;
      const B = bias >> 2;
      const Y = y >> 2;
      for (let r = 0; r < rows; r++) {
        const yr = Y + r * cols;
        for (let c = 0; c < cols; c++) f32[yr + c] = f32[B + c]!;
        for (let p = 0; p < k; p++) {
          const xv = f32[X + r * sx + p]!;
          const wr = W + p * cols;
          for (let c = 0; c < cols; c++) f32[yr + c] = fr(f32[yr + c]! + fr(xv * f32[wr + c]!));
        }
      }
    },
    atb(x, rows, k, sx, d, cols, g) {
      const X = x >> 2;
      const D = d >> 2;
      const G = g >> 2;
      const acc = new Float32Array(cols);
      for (let p = 0; p < k; p++) {
        acc.fill(0);
        for (let r = 0; r < rows; r++) {
          const xv = f32[X + r * sx + p]!;
          const dr = D + r * cols;
          for (let c = 0; c < cols; c++) acc[c] = fr(acc[c]! + fr(xv * f32[dr + c]!));
        }
        const gr = G + p * cols;
        for (let c = 0; c < cols; c++) f32[gr + c] = fr(f32[gr + c]! + acc[c]!);
      }
    },
    relu(p, n) {
      // biome-ignore lint/complexity/useMathMinMax: f32x4.pmax(0, x), which gives 0 for NaN; Math.max does not
      for (let i = p >> 2, end = (p >> 2) + n; i < end; i++) f32[i] = 0 < f32[i]! ? f32[i]! : 0;
    },
    relu_back(t, h, d, n) {
      for (let i = 0; i < n; i++) f32[(d >> 2) + i] = f32[(h >> 2) + i]! > 0 ? f32[(t >> 2) + i]! : 0;
    },
    colsum(d, rows, cols, out) {
      for (let c = 0; c < cols; c++) {
        let acc = 0;
        for (let r = 0; r < rows; r++) acc = fr(acc + f32[(d >> 2) + r * cols + c]!);
        f32[(out >> 2) + c] = acc;
      }
    },
    widen(src, n, dst) {
      for (let i = 0; i < n; i++) f64[(dst >> 3) + i] = f32[(src >> 2) + i]!;
    },
  };
}

/** Kernels forced onto their JS twins (tests compare the two). */
let forceJs = false;
export function useMlpJsKernels(on: boolean): void {
  forceJs = on;
  workspaces.clear();
}

const workspaces = new Map<string, Workspace>();

function workspace(sizes: readonly number[]): Workspace {
  const key = sizes.join(',');
  const known = workspaces.get(key);
  if (known) return known;
  const R = MLP_CHUNK_ROWS;
  const P = sizes.map(pad4);
  const layout = mlpLayout(sizes);
  let at = 0;
  const take = (floats: number) => {
    const start = at;
    at += floats * 4;
    return start;
  };
  const H = P.map((p) => take(R * p));
  const D = P.map((p, l) => (l === 0 ? 0 : take(R * p)));
  const T = take(R * Math.max(...P));
  const params = take(pad4(layout.params));
  const zeros = take(Math.max(...P));
  const grads = take(layout.partial - 4);
  const wide = take(2 * (layout.partial - 4));
  const pages = Math.max(1, Math.ceil(at / 65536));
  const module = forceJs ? null : mlpModule();
  let ws: Workspace;
  if (module) {
    const memory = new WebAssembly.Memory({ initial: pages });
    const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
    const buffer = memory.buffer;
    ws = {
      kernels,
      f32: new Float32Array(buffer),
      f64: new Float64Array(buffer),
      H,
      D,
      T,
      params,
      grads,
      wide,
      zeros,
    };
  } else {
    const buffer = new ArrayBuffer(pages * 65536);
    const f32 = new Float32Array(buffer);
    const f64 = new Float64Array(buffer);
    ws = { kernels: jsKernels(f32, f64), f32, f64, H, D, T, params, grads, wide, zeros };
  }
  workspaces.set(key, ws);
  return ws;
}

/** Rows lo..hi of the batch: the summed (row-weighted) loss and gradient sums into `partial`. */
function mlpChunk(a: MlpChunkArgs, lo: number, hi: number, partial: Float64Array): void {
  const { X, idx, sizes, activation } = a;
  const ws = workspace(sizes);
  const { f32, kernels } = ws;
  const layout = mlpLayout(sizes);
  const L = sizes.length - 1;
  const P = sizes.map(pad4);
  const m = hi - lo;
  const rows = pad4(m);
  f32.set(a.params, ws.params >> 2);
  // The chunk's input rows (pad rows and columns zero).
  const d0 = sizes[0]!;
  const H0 = ws.H[0]! >> 2;
  f32.fill(0, H0, H0 + rows * P[0]!);
  for (let r = 0; r < m; r++) {
    const src = idx[lo + r]! * d0;
    const dst = H0 + r * P[0]!;
    for (let j = 0; j < d0; j++) f32[dst + j] = X[src + j]!;
  }
  // Forward: H[l] = act(H[l-1]·W + b); the output layer keeps its raw values.
  for (let l = 1; l <= L; l++) {
    const lay = layout.layers[l - 1]!;
    kernels.xw(
      ws.H[l - 1]!,
      rows,
      sizes[l - 1]!,
      P[l - 1]!,
      ws.params + lay.w * 4,
      P[l]!,
      ws.params + lay.b * 4,
      ws.H[l]!,
    );
    if (l < L) {
      if (activation === 'relu') kernels.relu(ws.H[l]!, rows * P[l]!);
      else activate(f32, ws.H[l]! >> 2, rows * P[l]!, activation);
    }
  }
  const loss = outputResiduals(a, ws, lo, m, rows);
  // Backward: G[l] = H[l-1]ᵀ·D[l], gb = Σ D[l]; D[l-1] = (D[l]·Wᵀ) ⊙ act'(H[l-1]).
  const G = ws.grads - 16;
  f32.fill(0, ws.grads >> 2, (ws.grads >> 2) + layout.partial - 4);
  for (let l = L; l >= 1; l--) {
    const lay = layout.layers[l - 1]!;
    kernels.atb(ws.H[l - 1]!, rows, P[l - 1]!, P[l - 1]!, ws.D[l]!, P[l]!, G + lay.gw * 4);
    kernels.colsum(ws.D[l]!, rows, P[l]!, G + lay.gb * 4);
    if (l === 1) break;
    kernels.xw(ws.D[l]!, rows, sizes[l]!, P[l]!, ws.params + lay.wt * 4, P[l - 1]!, ws.zeros, ws.T);
    if (activation === 'relu') kernels.relu_back(ws.T, ws.H[l - 1]!, ws.D[l - 1]!, rows * P[l - 1]!);
    else derivative(f32, ws.T >> 2, ws.H[l - 1]! >> 2, ws.D[l - 1]! >> 2, rows * P[l - 1]!, activation);
  }
  kernels.widen(ws.grads, layout.partial - 4, ws.wide);
  partial.set(ws.f64.subarray(ws.wide >> 3, (ws.wide >> 3) + layout.partial - 4), 4);
  partial[0] = loss;
  partial[1] = partial[2] = partial[3] = 0;
}

/** The output layer: each row's (weighted) loss, summed, and its residual D = w·(p − y) or w·(z − y). */
function outputResiduals(a: MlpChunkArgs, ws: Workspace, lo: number, m: number, rows: number): number {
  const { idx, sizes, output, codes, values, rowWeights } = a;
  const { f32 } = ws;
  const L = sizes.length - 1;
  const out = sizes[L]!;
  const PL = pad4(out);
  const Z = ws.H[L]! >> 2;
  const DL = ws.D[L]! >> 2;
  f32.fill(0, DL, DL + rows * PL);
  let loss = 0;
  const exps = new Float64Array(out);
  for (let r = 0; r < m; r++) {
    const row = idx[lo + r]!;
    const w = rowWeights ? rowWeights[row]! : 1;
    const z = Z + r * PL;
    const dz = DL + r * PL;
    if (output === 'softmax') {
      const y = codes![row]!;
      let max = -Infinity;
      for (let c = 0; c < out; c++) max = Math.max(max, f32[z + c]!);
      let sum = 0;
      for (let c = 0; c < out; c++) sum += exps[c] = Math.exp(f32[z + c]! - max);
      loss += w * (max + Math.log(sum) - f32[z + y]!);
      for (let c = 0; c < out; c++) f32[dz + c] = w * (exps[c]! / sum - (c === y ? 1 : 0));
    } else if (output === 'logistic') {
      const y = codes![row]!;
      const t = f32[z]!;
      // log(1 + e^t) − y·t, stably.
      loss += w * ((t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y * t);
      f32[dz] = w * (1 / (1 + Math.exp(-t)) - y);
    } else {
      const e = f32[z]! - values![row]!;
      loss += (w * e * e) / 2;
      f32[dz] = w * e;
    }
  }
  return loss;
}

/** In place over f32[at .. at+n): the hidden activation other than relu (a kernel). */
function activate(f32: Float32Array, at: number, n: number, activation: string): void {
  const end = at + n;
  if (activation === 'tanh') for (let i = at; i < end; i++) f32[i] = Math.tanh(f32[i]!);
  else if (activation === 'logistic') for (let i = at; i < end; i++) f32[i] = 1 / (1 + Math.exp(-f32[i]!));
}

/** D = T ⊙ act'(z), the derivative written from the activation's output h (as sklearn does). */
function derivative(f32: Float32Array, t: number, h: number, d: number, n: number, activation: string): void {
  if (activation === 'tanh')
    for (let i = 0; i < n; i++) f32[d + i] = f32[t + i]! * (1 - f32[h + i]! * f32[h + i]!);
  else if (activation === 'logistic')
    for (let i = 0; i < n; i++) f32[d + i] = f32[t + i]! * f32[h + i]! * (1 - f32[h + i]!);
  else f32.copyWithin(d, t, t + n);
}

export const mlpKernel = defineKernel('mlp.chunk', mlpChunk);
