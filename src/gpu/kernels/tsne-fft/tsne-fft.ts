/**
 * t-SNE iterations with the FFT-interpolated repulsion (tsne-fft.ref.ts). For now every run takes
 * the CPU reference; the WebGPU kernels come next.
 */
import type { Compute } from '../../device';
import { type TsneInput, type TsneOptions, tsneDescent } from '../tsne/tsne.ref';
import { fftRepulsion } from './tsne-fft.ref';

export function tsneFftAll(
  _compute: Compute | null,
  input: TsneInput,
  options: TsneOptions = {},
): Promise<Float32Array> {
  return tsneDescent(input, fftRepulsion(), options);
}
