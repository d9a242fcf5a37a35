/**
 * Picks the tfjs backend: webgpu → webgl → wasm → cpu, the first that really works. tfjs is
 * imported dynamically so the engine starts (and stays small) until a model needs it. A backend is
 * accepted only if `setBackend` resolves true, `tf.getBackend()` then names it (tfjs can silently
 * stay on another one) and a tiny op returns the right numbers.
 */

import { EngineError } from '../core/errors';
import type { BackendInfo, BackendKind } from './types';

export type Tf = typeof import('@tensorflow/tfjs');

export interface TfRuntime {
  tf: Tf;
  backend: BackendKind;
  /** One entry per backend tried and refused, in order. */
  fallbacks: BackendInfo['fallbacks'];
}

export const BROWSER_TF_ORDER: readonly BackendKind[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
/** Node has no WebGPU or WebGL, and tfjs-node is not a dependency. */
export const NODE_TF_ORDER: readonly BackendKind[] = ['cpu'];

export function isNode(): boolean {
  const g = globalThis as {
    process?: { versions?: { node?: string } };
    window?: unknown;
    WorkerGlobalScope?: unknown;
  };
  return (
    typeof g.process?.versions?.node === 'string' &&
    g.window === undefined &&
    g.WorkerGlobalScope === undefined
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

/** Why `backend` cannot work here, checked before loading anything; null when worth trying. */
function precheck(backend: BackendKind): string | null {
  const g = globalThis as { navigator?: Navigator; OffscreenCanvas?: unknown; document?: unknown };
  if (backend === 'webgpu' && !g.navigator?.gpu) return 'navigator.gpu is missing';
  if (backend === 'webgl' && g.OffscreenCanvas === undefined && g.document === undefined) {
    return 'no OffscreenCanvas or document to create a WebGL context';
  }
  if ((backend === 'webgpu' || backend === 'webgl') && isNode())
    return `tfjs has no ${backend} backend in Node`;
  return null;
}

async function register(backend: BackendKind): Promise<void> {
  if (backend === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!isNode()) wasm.setWasmPaths((await import('./tf-wasm-paths')).tfWasmPaths);
  }
}

/** Proves the active backend computes: [1, 2] + [3, 4] must be [4, 6]. */
async function smokeTest(tf: Tf): Promise<string | null> {
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])));
  try {
    const got = Array.from(await sum.data());
    return got[0] === 4 && got[1] === 6 ? null : `a test op returned [${got.join(', ')}] instead of [4, 6]`;
  } finally {
    sum.dispose();
  }
}

let tfModule: Promise<Tf> | undefined;

export function loadTf(): Promise<Tf> {
  tfModule ??= import('@tensorflow/tfjs');
  return tfModule;
}

/** Activates the first working backend of `order` (default: BROWSER_TF_ORDER, or NODE_TF_ORDER in
 * Node). tfjs is a process-wide singleton: the choice applies to every user of tf. */
export async function initTf(order?: readonly BackendKind[]): Promise<TfRuntime> {
  const tf = await loadTf();
  const fallbacks: TfRuntime['fallbacks'] = [];
  for (const backend of order ?? (isNode() ? NODE_TF_ORDER : BROWSER_TF_ORDER)) {
    let reason = precheck(backend);
    if (reason === null) {
      try {
        await register(backend);
        const ok = await tf.setBackend(backend);
        const active = tf.getBackend();
        if (!ok) reason = 'setBackend failed to initialise it';
        else if (active !== backend) reason = `setBackend left tfjs on '${active}'`;
        else reason = await smokeTest(tf);
      } catch (e) {
        reason = errorText(e);
      }
    }
    if (reason === null) return { tf, backend, fallbacks };
    fallbacks.push({ backend, reason });
  }
  const why = fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ');
  throw new EngineError('GpuUnavailable', `No tfjs backend works here (${why}).`, { fallbacks });
}
