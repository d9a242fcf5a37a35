/**
 * The Prototype tab's state: a what-if row for the active deployed model (from its typical row
 * or a dataset row), its prediction next to the original row's (debounced, stale answers
 * dropped: prototype-predict.ts), partial dependence of one feature and the nearest
 * counterfactual (jobs: prototype-jobs.ts). Every prediction is made in the worker by
 * benchtop-runtime; this store keeps only the small answers.
 */
import type { Table } from 'apache-arrow';
import { createStore, reconcile } from 'solid-js/store';
import type {
  CellValue,
  CounterfactualOptions,
  DeployedModelInfo,
  EngineApi,
  PartialDependenceOptions,
  Progress,
} from '../protocol/api';
import type { JobHost } from './client';
import { createPrototypeJobs, type PrototypeJobKey } from './prototype-jobs';
import { createPredictor } from './prototype-predict';
import { createRowLoader } from './prototype-row';
import { emptyJob, type PrototypeState, plain } from './prototype-state';

export type { Failure } from './failure';
export { cellValue } from './prototype-row';
export type { RowPrediction } from './prototype-state';

export interface PrototypeClient {
  api: Pick<EngineApi, 'predictRows' | 'partialDependence' | 'counterfactual'>;
  /** Rows [start, end) of a dataset as an Arrow table (the Data table's reader). */
  rows(datasetId: string, start: number, end: number): Promise<Table>;
}

export type PrototypeHost = JobHost;

export type PrototypeStore = ReturnType<typeof createPrototypeStore>;

const typicalRow = (m: DeployedModelInfo): PrototypeState['base'] => ({
  label: 'the typical row',
  row: plain(m.typicalRow),
  index: null,
  actual: null,
});

export function createPrototypeStore(
  client: PrototypeClient,
  host: PrototypeHost,
  options: { debounceMs?: number } = {},
) {
  const [state, setState] = createStore<PrototypeState>({
    modelId: null,
    base: { label: 'the typical row', row: {}, index: null, actual: null },
    values: {},
    original: null,
    current: null,
    classes: null,
    predicting: false,
    predictError: null,
    rowError: null,
    pdp: { ...emptyJob, feature: null, result: null },
    cf: { ...emptyJob, result: null },
  });
  let model: DeployedModelInfo | null = null;
  const { schedule } = createPredictor(client.api, state, setState, () => model, options.debounceMs ?? 120);
  const jobs = createPrototypeJobs(host, setState);

  function startFrom(base: PrototypeState['base']): void {
    setState('base', reconcile(base));
    setState('values', reconcile(plain(base.row)));
    setState('cf', { ...emptyJob, result: null });
    schedule();
  }
  const rows = createRowLoader(client, () => model, setState, startFrom);

  return {
    state,
    model: () => model,
    /** Shows `info` (the active deployed model): a new model starts from its typical row. */
    open(info: DeployedModelInfo | null): void {
      if (info?.id === state.modelId) return;
      model = info;
      jobs.cancel('pdp');
      jobs.cancel('cf');
      setState({
        modelId: info?.id ?? null,
        original: null,
        current: null,
        classes: info?.classes ?? null,
        predictError: null,
        rowError: null,
        pdp: { ...emptyJob, feature: null, result: null },
      });
      if (info) startFrom(typicalRow(info));
    },
    /** A user's edit: a counterfactual found for the old values no longer applies, so it goes. */
    setValue(feature: string, value: CellValue): void {
      setState('values', feature, value);
      if (state.cf.result) setState('cf', 'result', null);
      schedule();
    },
    /** Back to the row the form started from. */
    reset(): void {
      setState('values', reconcile(plain(state.base.row)));
      if (state.cf.result) setState('cf', 'result', null);
      schedule();
    },
    useTypicalRow(): void {
      if (model) startFrom(typicalRow(model));
    },
    /** Starts from row `index` (0-based) of a dataset; a bad index leaves the form as it was. */
    loadRow: rows.load,
    /** Partial dependence and ICE of `feature` over every row of the dataset, as a job. */
    computePdp(datasetId: string, feature: string, opts: PartialDependenceOptions = {}): Promise<void> {
      const m = model;
      if (!m) return Promise.resolve();
      setState('pdp', { feature, result: null });
      return jobs.run(
        'pdp',
        `Partial dependence of ${feature}`,
        (job) => client.api.partialDependence(m.id, datasetId, feature, opts, job),
        (result) => setState('pdp', 'result', result),
      );
    },
    cancelPdp(): void {
      jobs.cancel('pdp');
    },
    /** The smallest change to the current values that flips the prediction, as a job. */
    findCounterfactual(opts: CounterfactualOptions = {}): Promise<void> {
      const m = model;
      if (!m) return Promise.resolve();
      setState('cf', 'result', null);
      return jobs.run(
        'cf',
        'Searching the smallest change that flips the prediction',
        (job) => client.api.counterfactual(m.id, plain(state.values), { seed: 0, ...opts }, job),
        (result) => setState('cf', 'result', result),
      );
    },
    cancelCounterfactual(): void {
      jobs.cancel('cf');
    },
    /** Loads the counterfactual's changes into the form. */
    applyCounterfactual(): void {
      const r = state.cf.result;
      if (!r?.found) return;
      for (const c of r.changes) setState('values', c.feature, c.to);
      schedule();
    },
    progress: (key: PrototypeJobKey): Progress | null => {
      const id = state[key].jobId;
      return id ? host.jobProgress(id) : null;
    },
    dismissPredictError(): void {
      setState('predictError', null);
    },
  };
}
