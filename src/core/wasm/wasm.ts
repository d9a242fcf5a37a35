/**
 * The WebAssembly SIMD kernels of kernels.wat (compiled into kernels.wasm.ts by `npm run wasm`):
 * compiled once per thread, instantiated over a memory sized for the caller's block. Null where
 * the engine has no WebAssembly SIMD (callers then run their JS twin, which gives the same
 * numbers). The module is ~1 KB, so compiling it synchronously is allowed everywhere.
 */
import { WASM_BASE64 } from './kernels.wasm';

export interface KernelExports {
  pack(src: number, rows: number, d: number, dp: number, centre: number, dst: number): void;
  tiles(x: number, rows: number, dp: number, g: number): void;
  xw(x: number, rows: number, dp: number, d: number, w: number, kp: number, y: number): void;
}

export interface KernelInstance {
  exports: KernelExports;
  /** A view of the whole memory (it never grows). */
  heap: Float64Array;
}

/** Compiles a module from its base64 bytes; null where WebAssembly (SIMD) is missing or refuses it. */
export function compileBase64(base64: string): WebAssembly.Module | null {
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)
      ? new WebAssembly.Module(bytes)
      : null;
  } catch {
    return null;
  }
}

let compiled: WebAssembly.Module | null | undefined;

export function kernelsModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileBase64(WASM_BASE64);
  return compiled;
}

/** An instance with at least `bytes` of zeroed memory, or null without WebAssembly SIMD. */
export function kernelsInstance(bytes: number): KernelInstance | null {
  const module = kernelsModule();
  if (!module) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  return { exports, heap: new Float64Array(memory.buffer) };
}
