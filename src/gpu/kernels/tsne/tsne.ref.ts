/**
 * t-SNE's gradient descent (sklearn 1.2's `_gradient_descent` schedule: early exaggeration for the
 * first `explorationIters` iterations with momentum 0.5, then momentum 0.8; per-coordinate gains
 * +0.2 / ×0.8 clipped at `minGain`), with the exact Student-t gradient
 *
 *   ∂C/∂yᵢ = 4 Σⱼ (e·pᵢⱼ − qᵢⱼ) (1 + ‖yᵢ − yⱼ‖²)⁻¹ (yᵢ − yⱼ),   qᵢⱼ = (1 + ‖yᵢ − yⱼ‖²)⁻¹ / Z,
 *
 * attraction over the sparse P. `tsneRef` (the CPU reference of the GPU kernel tsne.ts) computes
 * the repulsion over all pairs, O(n²) per iteration; `tsneDescent` takes any `Repulsion`, e.g.
 * Barnes–Hut (sklearn's default, angle 0.5) or the FFT interpolation.
 * Unlike sklearn we always run all iterations (no stop on the checked KL divergence: computing it
 * costs another O(n²) pass).
 */
import { throwIfAborted } from '../../../core/errors';

export interface TsneInput {
  n: number;
  /** Symmetric joint probabilities P (sum 1), CSR by row. */
  rowStart: Uint32Array;
  col: Uint32Array;
  val: Float32Array;
  /** Initial positions, n × 2. */
  embedding: Float32Array;
  nIter: number;
  explorationIters: number;
  exaggeration: number;
  learningRate: number;
  minGain: number;
}

export interface TsneOptions {
  signal?: AbortSignal;
  /** Called every `reportEvery` iterations (and after the last) with a copy of the positions. */
  onIteration?: (done: number, positions: Float32Array) => void;
  reportEvery?: number;
  /** Run only the first iterations (tests). */
  stopAfter?: number;
}

export const momentumAt = (it: number, input: TsneInput): number => (it < input.explorationIters ? 0.5 : 0.8);
export const exaggerationAt = (it: number, input: TsneInput): number =>
  it < input.explorationIters ? input.exaggeration : 1;

/**
 * The repulsive half of the gradient for positions Y (n × 2, interleaved): writes
 * Σⱼ q̃ᵢⱼ² (yᵢ − yⱼ) into force (n × 2) and returns Z = Σ_{i≠j} q̃ᵢⱼ, with q̃ = (1 + ‖yᵢ − yⱼ‖²)⁻¹.
 * Exact here; Barnes–Hut (src/models/embedding/barnes-hut.ts) and the FFT interpolation
 * (src/gpu/kernels/tsne-fft) approximate the same two sums.
 */
export type Repulsion = (Y: Float64Array, n: number, force: Float64Array) => number;

/** All pairs, each once (n²/2 evaluations); coordinates split into two arrays for a tight loop. */
export function exactRepulsion(): Repulsion {
  let xs = new Float64Array(0);
  let ys = new Float64Array(0);
  return (Y, n, force) => {
    if (xs.length < n) {
      xs = new Float64Array(n);
      ys = new Float64Array(n);
    }
    for (let i = 0; i < n; i++) {
      xs[i] = Y[2 * i]!;
      ys[i] = Y[2 * i + 1]!;
    }
    force.fill(0, 0, 2 * n);
    let Z = 0;
    for (let i = 0; i < n; i++) {
      const xi = xs[i]!;
      const yi = ys[i]!;
      let rx = 0;
      let ry = 0;
      let z = 0;
      for (let j = i + 1; j < n; j++) {
        const dx = xi - xs[j]!;
        const dy = yi - ys[j]!;
        const q = 1 / (1 + dx * dx + dy * dy);
        z += q;
        const q2 = q * q;
        const fx = q2 * dx;
        const fy = q2 * dy;
        rx += fx;
        ry += fy;
        force[2 * j]! -= fx;
        force[2 * j + 1]! -= fy;
      }
      Z += z;
      force[2 * i]! += rx;
      force[2 * i + 1]! += ry;
    }
    return 2 * Z;
  };
}

/** The exact-gradient run: the CPU reference of tsne.ts. */
export function tsneRef(input: TsneInput, options: TsneOptions = {}): Promise<Float32Array> {
  return tsneDescent(input, exactRepulsion(), options);
}

/** sklearn's gradient descent with the given repulsion; attraction over the sparse P. */
export async function tsneDescent(
  input: TsneInput,
  repulsion: Repulsion,
  options: TsneOptions = {},
): Promise<Float32Array> {
  const { n, rowStart, col, val, learningRate, minGain } = input;
  const Y = Float64Array.from(input.embedding);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const rep = new Float64Array(2 * n);
  const stop = Math.min(options.stopAfter ?? input.nIter, input.nIter);
  const every = options.reportEvery ?? 0;
  let yielded = performance.now();
  for (let it = 0; it < stop; it++) {
    // Let the worker see a cancel at least every ~50 ms (one Barnes–Hut iteration at 70k rows
    // takes longer than four exact ones at 1k).
    if ((it & 3) === 0 || performance.now() - yielded > 50) {
      throwIfAborted(options.signal);
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      yielded = performance.now();
    }
    const exaggeration = exaggerationAt(it, input);
    const momentum = momentumAt(it, input);
    const Z = repulsion(Y, n, rep);
    const invZ = 1 / Math.max(Z, Number.MIN_VALUE);
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i]!;
      const yi = Y[2 * i + 1]!;
      let ax = 0;
      let ay = 0;
      for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
        const j = col[e]!;
        const dx = xi - Y[2 * j]!;
        const dy = yi - Y[2 * j + 1]!;
        const pq = val[e]! / (1 + dx * dx + dy * dy);
        ax += pq * dx;
        ay += pq * dy;
      }
      for (let c = 0; c < 2; c++) {
        const g = 4 * (exaggeration * (c === 0 ? ax : ay) - rep[2 * i + c]! * invZ);
        const k = 2 * i + c;
        let gain = gains[k]!;
        gain = update[k]! * g < 0 ? gain + 0.2 : gain * 0.8;
        if (gain < minGain) gain = minGain;
        gains[k] = gain;
        update[k] = momentum * update[k]! - learningRate * gain * g;
      }
    }
    for (let k = 0; k < 2 * n; k++) Y[k]! += update[k]!;
    const done = it + 1;
    if (options.onIteration && ((every > 0 && done % every === 0) || done === stop))
      options.onIteration(done, Float32Array.from(Y));
  }
  throwIfAborted(options.signal);
  return Float32Array.from(Y);
}
