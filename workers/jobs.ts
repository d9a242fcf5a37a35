/**
 * Long calls run as jobs: each gets an AbortSignal that `cancel(id)` fires, throttled progress
 * (at most one report per 100 ms, the last one always), and errors turned into named EngineErrors
 * (Cancelled when the job was cancelled, whatever the work threw on its way out).
 */
import { EngineError, toEngineError } from '../src/core/errors';
import type { JobOptions, Progress } from '../src/core/job';

const PROGRESS_INTERVAL_MS = 100;

export type Work<T> = (signal: AbortSignal, progress: (p: Progress) => void) => Promise<T>;

export interface JobRunner {
  run<T>(job: JobOptions | undefined, work: Work<T>): Promise<T>;
  cancel(jobId: string): void;
}

export function createJobRunner(): JobRunner {
  const jobs = new Map<string, AbortController>();
  return {
    async run(job, work) {
      const controller = new AbortController();
      if (job) jobs.set(job.id, controller);
      let last = 0;
      const progress = (p: Progress): void => {
        const now = Date.now();
        if (!job?.onProgress || (now - last < PROGRESS_INTERVAL_MS && p.fraction !== 1)) return;
        last = now;
        void Promise.resolve(job.onProgress(p)).catch(() => undefined);
      };
      try {
        return await work(controller.signal, progress);
      } catch (e) {
        if (controller.signal.aborted) throw new EngineError('Cancelled', 'The job was cancelled.');
        throw toEngineError(e);
      } finally {
        if (job) {
          jobs.delete(job.id);
          job.release?.();
        }
      }
    },
    cancel(jobId) {
      jobs.get(jobId)?.abort();
    },
  };
}
