/**
 * The compute pool's threads in the browser: Web Workers (workers/pool.worker.ts) started from the
 * engine worker. Shared memory needs a cross-origin isolated page (COOP/COEP, or the service
 * worker of public/sw-isolation.js); without it the pool stays on one thread and says why.
 */
import { type ComputePool, createComputePool, installComputePool, type PoolWorker } from '../src/core/pool';
import { webThread } from './thread.web';

export function spawnWebPoolWorker(): PoolWorker {
  const worker = new Worker(new URL('./pool.worker.ts', import.meta.url), {
    type: 'module',
    name: 'compute-pool',
  });
  return webThread(worker, 'a compute worker');
}

/** Threads: `threads` or the cores the browser reports (hardwareConcurrency). */
export function installWebPool(threads?: number, minWork?: number): ComputePool {
  const pool = createComputePool({
    spawn: spawnWebPoolWorker,
    threads: threads ?? (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1),
    ...(minWork === undefined ? {} : { minWork }),
  });
  installComputePool(pool)?.close();
  return pool;
}
