/** An in-memory stand-in for the engine client: each load is a deferred the test settles. */
import { tableFromArrays } from 'apache-arrow';
import { EngineError } from '../../src/core/errors';
import type { DatasetInfo, JobOptions, LoadOptions, Progress } from '../../src/protocol/api';
import type { WorkbenchClient } from '../../src/state/workbench';

export function datasetInfo(id: string, rows = 3): DatasetInfo {
  return {
    id,
    name: `${id}.csv`,
    source: { kind: 'file', name: `${id}.csv` },
    rows,
    columns: [{ name: 'x', type: 'float', inferredType: 'float', arrowType: 'Float64', missing: 0 }],
    memoryBytes: rows * 8,
    fileBytes: rows * 4,
    report: { format: 'csv', raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 },
  };
}

interface Pending {
  job: JobOptions;
  resolve(info: DatasetInfo): void;
  reject(error: unknown): void;
}

export function createFakeClient() {
  const pending: Pending[] = [];
  const cancelled: string[] = [];
  const loadOptions: (LoadOptions | undefined)[] = [];
  let counter = 0;
  const deferredLoad = (job?: JobOptions) =>
    new Promise<DatasetInfo>((resolve, reject) => {
      if (!job) throw new Error('load without a job');
      pending.push({ job, resolve, reject });
    });
  const client: WorkbenchClient = {
    api: {
      backendInfo: async () => ({
        kernels: 'cpu',
        tfjs: 'cpu',
        adapter: null,
        fallbacks: [],
        deviceLosses: 0,
      }),
      samples: async () => [],
      datasets: async () => [],
      loadFile: (_file, _name, options, job) => {
        loadOptions.push(options);
        return deferredLoad(job);
      },
      loadUrl: (_url, _options, job) => deferredLoad(job),
      loadSample: (_name, job) => deferredLoad(job),
      generateSynthetic: (_options, job) => deferredLoad(job),
      removeDataset: async () => {},
      setColumnType: async (id, column, type, dateFormat) => {
        const info = datasetInfo(id);
        info.columns = info.columns.map((c) =>
          c.name === column ? { ...c, type, ...(dateFormat ? { dateFormat } : {}) } : c,
        );
        return info;
      },
    },
    start(run, onProgress?: (p: Progress) => void) {
      counter += 1;
      const id = `job-${counter}`;
      const job: JobOptions = onProgress ? { id, onProgress } : { id };
      const promise = run(job);
      return {
        id,
        promise,
        cancel: () => {
          cancelled.push(id);
          const entry = pending.find((p) => p.job.id === id);
          entry?.reject(new EngineError('Cancelled', 'The job was cancelled.'));
        },
      };
    },
    rows: async () => tableFromArrays({ x: Float64Array.from([1, 2, 3]) }),
  };
  return { client, pending, cancelled, loadOptions };
}
