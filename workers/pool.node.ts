/**
 * The compute pool's threads in Node: worker_threads running workers/pool.node-worker.ts (through
 * pool.node-worker.mjs, which registers tsx in the thread as bin/benchtop.mjs does).
 *   installNodePool();            // os.availableParallelism() threads
 *   installNodePool(1);           // one thread, inline (the same numbers)
 */
import { availableParallelism } from 'node:os';
import { type ComputePool, createComputePool, installComputePool, type PoolWorker } from '../src/core/pool';
import { nodeThread } from './thread.node.ts';

const entry = new URL('./pool.node-worker.mjs', import.meta.url);

export function spawnNodePoolWorker(): PoolWorker {
  return nodeThread(entry, 'a compute thread');
}

/** Threads from BENCHTOP_THREADS when set, else every core. */
export function defaultNodeThreads(): number {
  const env = Number(process.env.BENCHTOP_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : availableParallelism();
}

/** Makes the process's compute pool (replacing and closing any earlier one) and returns it. */
export function installNodePool(threads = defaultNodeThreads(), minWork?: number): ComputePool {
  const pool = createComputePool({
    spawn: spawnNodePoolWorker,
    threads,
    ...(minWork === undefined ? {} : { minWork }),
  });
  installComputePool(pool)?.close();
  return pool;
}
