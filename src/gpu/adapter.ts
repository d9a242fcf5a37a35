import type { AdapterSummary } from './types';

/** A software adapter (SwiftShader, llvmpipe, WARP) emulates a GPU on the CPU: our kernels still
 * run there (they are what tests exercise), but tfjs training is far slower than on wasm. */
export function isSoftwareAdapter(a: AdapterSummary | null | undefined): boolean {
  if (!a) return false;
  return (
    a.isFallbackAdapter ||
    /swiftshader|llvmpipe|lavapipe|microsoft basic render|\bwarp\b/i.test(
      `${a.vendor} ${a.architecture} ${a.device} ${a.description}`,
    )
  );
}
