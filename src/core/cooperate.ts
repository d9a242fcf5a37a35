/**
 * Cooperative cancellation for long loops. JavaScript cannot interrupt running code: a cancel (a
 * message to the worker, or a timer in-process) is only seen when the loop gives the event loop a
 * turn. `await cooperate(signal)` between units of work (a column, a tree node, an epoch, a batch
 * of rows) yields a macrotask once at least SLICE_MS of work has passed since the last yield of the
 * same job, and throws Cancelled once the job's signal is aborted. Called more often it costs one
 * clock read; the yields cost a few percent of the job.
 */
import { throwIfAborted } from './errors';

/** Work between two yields, at most (in a loop whose units are smaller). */
export const SLICE_MS = 50;

/** The last yield of each job, by its signal (jobs without a signal share one). */
const lastYield = new WeakMap<object, number>();
const NO_SIGNAL = {};

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export async function cooperate(signal: AbortSignal | undefined, sliceMs = SLICE_MS): Promise<void> {
  throwIfAborted(signal);
  const key = signal ?? NO_SIGNAL;
  const now = performance.now();
  const last = lastYield.get(key);
  if (last === undefined) {
    lastYield.set(key, now);
    return;
  }
  if (now - last < sliceMs) return;
  await macrotask();
  lastYield.set(key, performance.now());
  throwIfAborted(signal);
}
