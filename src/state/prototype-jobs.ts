/**
 * The Prototype tab's two jobs (partial dependence, counterfactual): one of each at a time, a new
 * one cancels the old, and only the newest one's result, failure and end reach the state.
 */
import type { SetStoreFunction } from 'solid-js/store';
import type { CounterfactualResult, JobOptions, PartialDependenceResult } from '../protocol/api';
import type { Job, JobHost } from './client';
import { failure } from './failure';
import type { PrototypeState } from './prototype-state';

export type PrototypeJobKey = 'pdp' | 'cf';

export function createPrototypeJobs(host: JobHost, setState: SetStoreFunction<PrototypeState>) {
  const jobs = {
    pdp: null as Job<PartialDependenceResult> | null,
    cf: null as Job<CounterfactualResult> | null,
  };
  const slots = jobs as Record<string, Job<unknown> | null>;

  async function run<T>(
    key: PrototypeJobKey,
    label: string,
    start: (job: JobOptions) => Promise<T>,
    done: (result: T) => void,
  ): Promise<void> {
    jobs[key]?.cancel();
    const job = host.startJob(label, start);
    slots[key] = job;
    setState(key, { jobId: job.id, error: null });
    try {
      const result = await job.promise;
      if (jobs[key] === job) done(result);
    } catch (e) {
      if (jobs[key] === job) setState(key, 'error', failure(e));
    } finally {
      if (jobs[key] === job) {
        slots[key] = null;
        setState(key, 'jobId', null);
      }
    }
  }

  return {
    run,
    cancel(key: PrototypeJobKey): void {
      jobs[key]?.cancel();
    },
  };
}
