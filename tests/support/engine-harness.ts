/**
 * One engine test suite, two ways of reaching the engine (duckdb-wasm style): in-process in Node
 * and through the real module worker + comlink in the browser. Both expose the same small client.
 */
import { type Table, tableFromIPC } from 'apache-arrow';
import type { EngineApi, JobOptions, Progress } from '../../src/protocol/api';

export interface TestClient {
  api: Pick<EngineApi, keyof EngineApi>;
  start<T>(
    run: (job: JobOptions) => Promise<T>,
    onProgress?: (p: Progress) => void,
  ): { id: string; promise: Promise<T>; cancel(): void };
  rows(datasetId: string, start: number, end: number): Promise<Table>;
}

let counter = 0;

export function inProcessClient(engine: EngineApi): TestClient {
  return {
    api: engine,
    start(run, onProgress) {
      const id = `test-job-${++counter}`;
      const promise = run(onProgress ? { id, onProgress } : { id });
      return { id, promise, cancel: () => void engine.cancel(id) };
    },
    async rows(datasetId, start, end) {
      return tableFromIPC(await engine.rows(datasetId, start, end));
    },
  };
}
