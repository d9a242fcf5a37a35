/** Fakes for the notebook store: a catalog, a runNotebook whose answers the test settles, a host. */
import { createStore } from 'solid-js/store';
import { type EngineError, EngineError as EngineErrorClass } from '../../src/core/errors';
import type {
  DatasetInfo,
  JobOptions,
  NotebookRunResult,
  Progress,
  StepInfo,
  SyntheticOptions,
} from '../../src/protocol/api';
import type { Notebook } from '../../src/spec/notebook';
import type { Job } from '../../src/state/client';
import type { NotebookClient, NotebookHost } from '../../src/state/notebook';
import type { SessionHost } from '../../src/state/notebook-session';

export const CATALOG: StepInfo[] = [
  {
    name: 'StandardScaler',
    kind: 'transform',
    description: 'Scales.',
    params: {
      columns: { type: 'columns', default: null, description: 'Columns.' },
      with_mean: { type: 'boolean', default: true, description: 'Subtract the mean.' },
    },
    accepts: ['integer', 'float'],
    missing: 'passes-through',
  },
  {
    name: 'PCA',
    kind: 'transform',
    description: 'Projects.',
    params: { n_components: { type: 'integer', default: null, min: 1, description: 'Components.' } },
    accepts: ['integer', 'float'],
    missing: 'rejects',
  },
];

export function irisInfo(id = 'iris'): DatasetInfo {
  return {
    id,
    name: 'Iris flowers',
    source: { kind: 'sample', sample: 'iris' },
    rows: 150,
    columns: [
      { name: 'x', type: 'float', inferredType: 'float', arrowType: 'Float64', missing: 0 },
      { name: 'target', type: 'categorical', inferredType: 'text', arrowType: 'Utf8', missing: 0 },
    ],
    memoryBytes: 1200,
    fileBytes: 0,
    report: { format: 'csv', raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 },
    fingerprint: 'fp-iris',
  };
}

interface PendingRun {
  datasetId: string;
  notebook: Notebook;
  job: JobOptions;
  resolve(result: NotebookRunResult): void;
  reject(error: unknown): void;
}

export function createNotebookFakes() {
  const runs: PendingRun[] = [];
  const cancelled: string[] = [];
  const reports: { action: string; error: EngineError }[] = [];
  const loads: string[] = [];
  let counter = 0;
  const [state, setState] = createStore({
    datasets: [] as DatasetInfo[],
    selectedId: null as string | null,
    jobs: [] as { id: string; progress: Progress | null }[],
  });
  const client: NotebookClient = {
    api: {
      stepCatalog: async () => CATALOG,
      runNotebook: (datasetId, notebook, job) =>
        new Promise((resolve, reject) => {
          if (!job) throw new Error('run without a job');
          runs.push({ datasetId, notebook: structuredClone(notebook), job, resolve, reject });
        }),
      exportDataset: async () => new Uint8Array([1, 2, 3]),
    },
  };
  const host: NotebookHost & SessionHost = {
    state,
    startJob<T>(_label: string, run: (job: JobOptions) => Promise<T>): Job<T> {
      counter += 1;
      const id = `job-${counter}`;
      const promise = run({ id });
      setState('jobs', (list) => [...list, { id, progress: null }]);
      const settled = () => setState('jobs', (list) => list.filter((j) => j.id !== id));
      promise.then(settled, settled);
      return {
        id,
        promise,
        cancel: () => {
          cancelled.push(id);
          runs
            .find((r) => r.job.id === id)
            ?.reject(new EngineErrorClass('Cancelled', 'The job was cancelled.'));
        },
      };
    },
    select: (id: string) => setState('selectedId', id),
    async loadSample(name: string) {
      loads.push(`sample:${name}`);
      const info = irisInfo(name);
      info.source = { kind: 'sample', sample: name };
      setState('datasets', (list) => [...list, info]);
      setState('selectedId', info.id);
      return info;
    },
    async generateSynthetic(options: SyntheticOptions) {
      loads.push(`synthetic:${options.rows}:${options.seed}`);
      return null;
    },
    report: (action: string, error: EngineError) => reports.push({ action, error }),
  };
  const addDataset = (info: DatasetInfo, select = true) => {
    setState('datasets', (list) => [...list, info]);
    if (select) setState('selectedId', info.id);
  };
  return { client, host, runs, cancelled, reports, loads, addDataset, setState };
}

export function runResult(datasetId: string, nb: Notebook): NotebookRunResult {
  return {
    output: { ...irisInfo(`${datasetId}.out`), source: { kind: 'derived', from: datasetId } },
    steps: nb.steps.map((s) => ({
      id: s.id,
      step: s.step,
      status: s.enabled ? ('ok' as const) : ('disabled' as const),
      ms: 1,
      diff: {
        rowsBefore: 150,
        rowsAfter: 150,
        columnsBefore: 2,
        columnsAfter: 2,
        added: [],
        removed: [],
        missingBefore: 0,
        missingAfter: 0,
        ranges: [],
      },
    })),
  };
}
