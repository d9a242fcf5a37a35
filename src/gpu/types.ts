/** Which backends run the work and why (reported in the status bar). */

export type BackendKind = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

export interface BackendInfo {
  /** Where our own WGSL kernels run: 'webgpu' or 'cpu' (the TypeScript references). */
  kernels: 'webgpu' | 'cpu';
  /** The tfjs backend in use (models, matrix work). */
  tfjs: BackendKind | 'none';
  adapter: AdapterSummary | null;
  /** Why a faster backend was not used, one entry per backend tried and refused. */
  fallbacks: { backend: BackendKind; reason: string }[];
  /** How many times the GPU device was lost and the engine recovered. */
  deviceLosses: number;
}
