/**
 * UMAP's layout optimisation (umap-learn's `optimize_layout_euclidean`: edge sampling schedule,
 * attractive step along each sampled edge, `negative_sample_rate` repulsive samples per sampled
 * edge, linearly decaying learning rate, gradients clipped to ±4), arranged so that a GPU can run
 * it one thread per vertex — and this CPU reference runs the very same schedule:
 *
 * - Edges are stored per head vertex (CSR). A vertex moves only itself; within an epoch it reads
 *   the other vertices' positions from the previous epoch (double buffer), so the result does not
 *   depend on thread timing: GPU and CPU agree up to float rounding, with no Hogwild races.
 * - The graph is symmetric, so each undirected edge appears once per endpoint. umap-learn moves
 *   both endpoints for every directed edge (`move_other`), i.e. each endpoint gets two pulls per
 *   sampling; we apply the attractive step twice (factor 2) to the head instead.
 * - Negative samples come from a counter-based hash of (seed, edge, epoch, sample), not a
 *   sequential generator, so any edge can draw its samples independently.
 * - The schedule counters are float32 and advanced only by additions (correctly rounded in both
 *   WGSL and `Math.fround`), so GPU and CPU sample exactly the same edges in every epoch.
 * - d² ^ b, needed once per attractive and per negative sample, is `powFast` (bit tricks and two
 *   polynomials, float32 accuracy) instead of `Math.exp(b * Math.log(d2))`, which took about two
 *   thirds of the layout's time in V8: the layout is 1.2× faster with it (20k rows, 30 epochs,
 *   best of 5 in one process: 1.39 s vs 1.72 s). The kernel keeps WGSL's `pow` (hardware on GPUs).
 */
import { throwIfAborted } from '../../../core/errors';

export interface UmapLayoutInput {
  /** Number of vertices. The embedding is 2-D. */
  n: number;
  /** CSR by head vertex: edges of vertex j are rowStart[j] .. rowStart[j+1]-1. */
  rowStart: Uint32Array;
  /** Tail vertex of each edge. */
  tail: Uint32Array;
  /** Per edge: [epochs_per_sample, epochs_per_negative_sample] (float32, interleaved). */
  schedule: Float32Array;
  /** Initial positions, n × 2 (not modified). */
  embedding: Float32Array;
  a: number;
  b: number;
  /** Repulsion strength (umap-learn's repulsion_strength, default 1). */
  gamma: number;
  /** Initial learning rate (default 1). */
  alpha: number;
  nEpochs: number;
  /** 32-bit seed of the negative-sample hash. */
  seed: number;
}

export interface UmapLayoutOptions {
  signal?: AbortSignal;
  /** Called every `reportEvery` epochs (and after the last) with a copy of the positions. */
  onEpoch?: (epochsDone: number, positions: Float32Array) => void;
  reportEvery?: number;
  /** Run only the first `epochs` epochs (tests). Default nEpochs. */
  stopAfter?: number;
}

/** PCG-RXS-M-XS 32-bit hash (the same integer arithmetic as the WGSL kernel). */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/**
 * powFast's scratch word, alone on its cache lines: the middle of a 256-byte buffer. A 4-byte
 * buffer per thread lands next to the other threads' (the browser's allocator packs small buffers
 * together) and every powFast write then bounces one cache line between cores — measured in
 * Chromium, two layout threads each ran 2.7× slower than one thread alone.
 */
const POW_SCRATCH = new ArrayBuffer(256);
const POW_BITS = new Float32Array(POW_SCRATCH, 128, 1);
const POW_INT = new Int32Array(POW_SCRATCH, 128, 1);

/**
 * x^b for x > 0, x taken as float32: log2 x from the exponent bits plus a degree-8 polynomial in the
 * mantissa t ∈ [0, 1) (log2(1 + t) ≈ t·P(t), least squares on Chebyshev nodes, max error 5.6e-8),
 * then 2^(b log2 x) as 2^⌊y⌋ (exponent bits, clamped to float32's normal range) times a degree-5
 * polynomial in the fraction (max relative error 7.7e-8). Relative error ≈ 1.1e-7 — float32's own,
 * the size of the difference between the GPU kernel's WGSL `pow` and the float64 `exp(b·log x)`
 * this replaced, so the kernel-vs-reference tolerances hold. The coefficients are literals because
 * V8 folds them; read from an array they cost ~5%.
 */
export function powFast(x: number, b: number): number {
  POW_BITS[0] = x;
  const bits = POW_INT[0]!;
  POW_INT[0] = (bits & 0x7fffff) | 0x3f800000;
  const t = POW_BITS[0]! - 1;
  const log2 =
    ((bits >>> 23) & 255) -
    127 +
    t *
      (1.442689123277835 +
        t *
          (-0.7211474507295403 +
            t *
              (0.4785299446320647 +
                t *
                  (-0.34668401164734186 +
                    t *
                      (0.24053260694000866 +
                        t *
                          (-0.1359352707783144 + t * (0.05107808827270724 + t * -0.009063068628115456)))))));
  const y = b * log2;
  const floor = Math.floor(y);
  const f = y - floor;
  POW_INT[0] = (Math.min(Math.max(floor, -126), 127) + 127) << 23;
  return (
    POW_BITS[0]! *
    (0.9999999269249814 +
      f *
        (0.6931529681766351 +
          f *
            (0.24015452988670677 +
              f * (0.05582360446233067 + f * (0.008992584031288664 + f * 0.0018762329452085003)))))
  );
}

export const MIN_DIST_EPS = 0.001;
export const CLIP = 4;

const clip = (v: number): number => Math.min(Math.max(v, -CLIP), CLIP);

/** Learning rate of an epoch, float32 as uploaded to the GPU. */
export function epochAlpha(alpha: number, epoch: number, nEpochs: number): number {
  return Math.fround(alpha * (1 - epoch / nEpochs));
}

/**
 * The layout's work for the vertices lo..hi-1: their edges (CSR rows lo..hi-1 of the input, global
 * edge indices edge0..) and those edges' schedule counters. The whole layout is one slice; the
 * threaded CPU path (umap.threads.ts) gives each thread one, and since a vertex moves only itself
 * from the previous epoch's positions, the result does not depend on how vertices are split.
 */
export interface LayoutSlice {
  lo: number;
  hi: number;
  /** Global index of the first edge of vertex lo (= rowStart[lo]); the hash uses global indices. */
  edge0: number;
  /** rowStart[lo .. hi] (global edge indices). */
  rowStart: Uint32Array;
  /** Tails and schedule of edges edge0 .. rowStart[hi]-1 (local index e − edge0). */
  tail: Uint32Array;
  schedule: Float32Array;
  /** Schedule counters of those edges, advanced by layoutEpoch. */
  nextSample: Float32Array;
  nextNegative: Float32Array;
}

/** The slice of vertices lo..hi-1, counters at their start; `copy` for a slice sent to a thread. */
export function layoutSlice(input: UmapLayoutInput, lo: number, hi: number, copy = false): LayoutSlice {
  const e0 = input.rowStart[lo]!;
  const e1 = input.rowStart[hi]!;
  const view = <T extends Uint32Array | Float32Array>(x: T, from: number, to: number): T =>
    (copy ? x.slice(from, to) : x.subarray(from, to)) as T;
  const schedule = view(input.schedule, 2 * e0, 2 * e1);
  const nextSample = new Float32Array(e1 - e0);
  const nextNegative = new Float32Array(e1 - e0);
  for (let e = 0; e < e1 - e0; e++) {
    nextSample[e] = schedule[2 * e]!;
    nextNegative[e] = schedule[2 * e + 1]!;
  }
  return {
    lo,
    hi,
    edge0: e0,
    rowStart: view(input.rowStart, lo, hi + 1),
    tail: view(input.tail, e0, e1),
    schedule,
    nextSample,
    nextNegative,
  };
}

/** The per-run constants layoutEpoch needs besides a slice. */
export interface LayoutParams {
  n: number;
  a: number;
  b: number;
  gamma: number;
  alpha: number;
  nEpochs: number;
  /** pcgHash(seed). */
  seedHash: number;
}

export const layoutParams = (input: UmapLayoutInput): LayoutParams => ({
  n: input.n,
  a: input.a,
  b: input.b,
  gamma: input.gamma,
  alpha: input.alpha,
  nEpochs: input.nEpochs,
  seedHash: pcgHash(input.seed >>> 0),
});

/**
 * One epoch for the slice's vertices: reads every vertex from `src` (n × 2, previous epoch) and
 * writes vertex j's new position to out[2(j − outBase)], out[2(j − outBase) + 1].
 */
export function layoutEpoch(
  params: LayoutParams,
  slice: LayoutSlice,
  epoch: number,
  src: Float32Array,
  out: Float32Array,
  outBase: number,
): void {
  const { n, a, b, gamma } = params;
  const { lo, hi, edge0, rowStart, tail, schedule, nextSample, nextNegative } = slice;
  const twoAB = 2 * a * b;
  const alpha = epochAlpha(params.alpha, epoch, params.nEpochs);
  const epochHash = pcgHash((epoch + params.seedHash) >>> 0);
  for (let j = lo; j < hi; j++) {
    let cx = src[2 * j]!;
    let cy = src[2 * j + 1]!;
    const end = rowStart[j + 1 - lo]! - edge0;
    for (let e = rowStart[j - lo]! - edge0; e < end; e++) {
      if (nextSample[e]! > epoch) continue;
      const k = tail[e]!;
      let dx = cx - src[2 * k]!;
      let dy = cy - src[2 * k + 1]!;
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const pb = powFast(d2, b); // d2^b; d2^(b-1) = pb / d2
        const coeff = (-twoAB * pb) / (d2 * (a * pb + 1));
        cx += 2 * clip(coeff * dx) * alpha;
        cy += 2 * clip(coeff * dy) * alpha;
      }
      nextSample[e] = Math.fround(nextSample[e]! + schedule[2 * e]!);
      const epn = schedule[2 * e + 1]!;
      let nn = nextNegative[e]!;
      // Sample p of edge e in this epoch: pcg(pcg(e + pcg(epoch + pcg(seed))) + p) mod n, e global.
      const base = pcgHash((e + edge0 + epochHash) >>> 0);
      for (let p = 0; Math.fround(nn + epn) <= epoch; p++) {
        nn = Math.fround(nn + epn);
        const s = pcgHash((base + p) >>> 0) % n;
        if (s === j) continue;
        dx = cx - src[2 * s]!;
        dy = cy - src[2 * s + 1]!;
        d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const coeff = (2 * gamma * b) / ((MIN_DIST_EPS + d2) * (a * powFast(d2, b) + 1));
          cx += clip(coeff * dx) * alpha;
          cy += clip(coeff * dy) * alpha;
        }
      }
      nextNegative[e] = nn;
    }
    out[2 * (j - outBase)] = cx;
    out[2 * (j - outBase) + 1] = cy;
  }
}

/** Yield to the event loop so an abort (or a progress message) can arrive during a long layout. */
const yieldToEvents = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function umapLayoutRef(
  input: UmapLayoutInput,
  options: UmapLayoutOptions = {},
): Promise<Float32Array> {
  const params = layoutParams(input);
  const slice = layoutSlice(input, 0, input.n);
  let src = Float32Array.from(input.embedding);
  let dst = new Float32Array(src.length);
  const stop = Math.min(options.stopAfter ?? input.nEpochs, input.nEpochs);
  const every = options.reportEvery ?? 0;
  for (let epoch = 0; epoch < stop; epoch++) {
    layoutEpoch(params, slice, epoch, src, dst, 0);
    [src, dst] = [dst, src];
    const done = epoch + 1;
    if (options.onEpoch && ((every > 0 && done % every === 0) || done === stop))
      options.onEpoch(done, src.slice());
    if ((epoch & 7) === 7) {
      throwIfAborted(options.signal);
      await yieldToEvents();
    }
  }
  throwIfAborted(options.signal);
  return src;
}
