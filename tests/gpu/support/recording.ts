import type { Compute } from '../../../src/gpu/device';

/**
 * `compute` that counts the jobs it ran on the GPU and on the CPU: a kernel test asserts the GPU
 * path really ran, so a silent fallback to the reference cannot pass as a GPU result.
 */
export function recordingCompute(compute: Compute): { compute: Compute; runs: { gpu: number; cpu: number } } {
  const runs = { gpu: 0, cpu: 0 };
  const recording: Compute = {
    get gpu() {
      return compute.gpu;
    },
    info: () => compute.info(),
    run: (job) =>
      compute.run((gpu) => {
        runs[gpu ? 'gpu' : 'cpu']++;
        return job(gpu);
      }),
    tf: () => compute.tf(),
    loseDevice: () => compute.loseDevice(),
    dispose: () => compute.dispose(),
  };
  return { compute: recording, runs };
}
