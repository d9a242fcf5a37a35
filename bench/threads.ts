/**
 * Rows of ours on the compute pool (src/core/pool.ts): the row the ratios divide by runs on every
 * core (worker_threads; BENCH_THREADS overrides the count), the same code on one thread beside it.
 */
import { availableParallelism } from 'node:os';

/**
 * Our row on every core (the compute pool's worker_threads; BENCH_THREADS overrides the count) —
 * the row the ratios divide by — and the same code on one thread beside it.
 */
export function threadRows<T>(make: (threads: number | undefined, label: string) => T): T[] {
  const all = process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : availableParallelism();
  return [make(undefined, `${all} threads`), make(1, '1 thread')];
}

/** Installs the compute pool this process's row runs on (untimed: threads start in prepare). */
export async function usePool(threads: number | undefined): Promise<void> {
  const { defaultNodeThreads, installNodePool } = await import('../workers/pool.node.ts');
  const count =
    threads ?? (process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : defaultNodeThreads());
  const pool = installNodePool(count);
  await pool.warm();
}
