/**
 * The Prototype tab's state: a what-if row for the active deployed model (from its typical row
 * or a dataset row), its prediction next to the original row's (debounced, stale answers
 * dropped), partial dependence of one feature, and the nearest counterfactual. Every prediction
 * is made in the worker by benchtop-runtime; this store keeps only the small answers.
 */
import type { Table } from 'apache-arrow';
import { createStore, reconcile } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type {
  CellValue,
  CounterfactualOptions,
  CounterfactualResult,
  DeployedModelInfo,
  Drift,
  EngineApi,
  FeatureContract,
  JobOptions,
  PartialDependenceOptions,
  PartialDependenceResult,
  Progress,
} from '../protocol/api';
import type { Job } from './client';

export interface PrototypeClient {
  api: Pick<EngineApi, 'predictRows' | 'partialDependence' | 'counterfactual'>;
  /** Rows [start, end) of a dataset as an Arrow table (the Data table's reader). */
  rows(datasetId: string, start: number, end: number): Promise<Table>;
}

export interface PrototypeHost {
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  jobProgress(id: string): Progress | null;
}

export interface Failure {
  name: string;
  message: string;
  hint?: string;
}

/** The prediction of one row: class or value, class probabilities, and its drift flags. */
export interface RowPrediction {
  prediction: string | number | null;
  probabilities: number[] | null;
  drift: Drift[];
}

interface Job_ {
  jobId: string | null;
  error: Failure | null;
}

interface PrototypeState {
  modelId: string | null;
  /** The row the form started from: the model's typical row, or a dataset row ("row 12", 1-based). */
  base: { label: string; row: Record<string, CellValue>; index: number | null; actual: CellValue | null };
  /** The form's values as they are sent: numbers, categories, booleans, null (missing), or the
   * text of a number box that does not parse (the runtime then reports it as the wrong type). */
  values: Record<string, CellValue>;
  original: RowPrediction | null;
  current: RowPrediction | null;
  classes: string[] | null;
  predicting: boolean;
  predictError: Failure | null;
  rowError: string | null;
  pdp: Job_ & { feature: string | null; result: PartialDependenceResult | null };
  cf: Job_ & { result: CounterfactualResult | null };
}

export type PrototypeStore = ReturnType<typeof createPrototypeStore>;

function failure(e: unknown): Failure {
  const err = toEngineError(e);
  return { name: err.name, message: err.message, ...(err.detail.hint ? { hint: err.detail.hint } : {}) };
}

/** One Arrow value as a form value of the feature's type. */
export function cellValue(v: unknown, f: FeatureContract): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date || ((f.type === 'date' || f.type === 'datetime') && typeof v === 'number')) {
    const d = new Date(v as Date | number);
    if (Number.isNaN(d.getTime())) return null;
    return f.type === 'date' ? d.toISOString().slice(0, 10) : d.toISOString();
  }
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

const emptyJob = { jobId: null, error: null };

export function createPrototypeStore(
  client: PrototypeClient,
  host: PrototypeHost,
  options: { debounceMs?: number } = {},
) {
  const debounceMs = options.debounceMs ?? 120;
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Every request gets a number; an answer is used only if no later request was made.
  let sequence = 0;
  let rowSequence = 0;
  const jobs = {
    pdp: null as Job<PartialDependenceResult> | null,
    cf: null as Job<CounterfactualResult> | null,
  };

  const plain = (row: Record<string, CellValue>) => ({ ...row });
  const rowPrediction = (res: Awaited<ReturnType<EngineApi['predictRows']>>, k: number): RowPrediction => ({
    prediction: res.predictions[k] ?? null,
    probabilities: res.probabilities?.[k] ?? null,
    drift: res.drift.filter((d) => d.row === k).map((d) => ({ ...d, row: 0 })),
  });

  async function predictNow(): Promise<void> {
    if (!model) return;
    const id = model.id;
    const seq = ++sequence;
    setState('predicting', true);
    try {
      // The original and the edited row in one call: both from the same model, side by side.
      const res = await client.api.predictRows(id, [plain(state.base.row), plain(state.values)]);
      if (seq !== sequence || state.modelId !== id) return;
      setState({
        original: rowPrediction(res, 0),
        current: rowPrediction(res, 1),
        classes: res.classes ?? null,
        predictError: null,
        predicting: false,
      });
    } catch (e) {
      if (seq !== sequence) return;
      setState({ predictError: failure(e), predicting: false });
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    sequence++;
    setState('predicting', true);
    if (debounceMs <= 0) void predictNow();
    else timer = setTimeout(() => void predictNow(), debounceMs);
  }

  function startFrom(base: PrototypeState['base']): void {
    setState('base', reconcile(base));
    setState('values', reconcile(plain(base.row)));
    setState('cf', { ...emptyJob, result: null });
    schedule();
  }

  async function runJob<T>(
    key: 'pdp' | 'cf',
    label: string,
    run: (job: JobOptions) => Promise<T>,
    done: (result: T) => void,
  ): Promise<void> {
    jobs[key]?.cancel();
    const job = host.startJob(label, run);
    (jobs as Record<string, Job<unknown> | null>)[key] = job;
    setState(key, { jobId: job.id, error: null });
    try {
      const result = await job.promise;
      if (jobs[key] === job) done(result);
    } catch (e) {
      if (jobs[key] === job) setState(key, 'error', failure(e));
    } finally {
      if (jobs[key] === job) {
        (jobs as Record<string, Job<unknown> | null>)[key] = null;
        setState(key, 'jobId', null);
      }
    }
  }

  return {
    state,
    model: () => model,
    /** Shows `info` (the active deployed model): a new model starts from its typical row. */
    open(info: DeployedModelInfo | null): void {
      if (info?.id === state.modelId) return;
      model = info;
      jobs.pdp?.cancel();
      jobs.cf?.cancel();
      setState({
        modelId: info?.id ?? null,
        original: null,
        current: null,
        classes: info?.classes ?? null,
        predictError: null,
        rowError: null,
        pdp: { ...emptyJob, feature: null, result: null },
      });
      if (info)
        startFrom({ label: 'the typical row', row: plain(info.typicalRow), index: null, actual: null });
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
      if (model)
        startFrom({ label: 'the typical row', row: plain(model.typicalRow), index: null, actual: null });
    },
    /** Starts from row `index` (0-based) of a dataset; a bad index leaves the form as it was. */
    async loadRow(datasetId: string, index: number, rowCount: number): Promise<boolean> {
      const m = model;
      if (!m) return false;
      if (!Number.isInteger(index) || index < 0 || index >= rowCount) {
        setState('rowError', `Pick a row from 1 to ${rowCount.toLocaleString('en-US')}.`);
        return false;
      }
      const seq = ++rowSequence;
      try {
        const table = await client.rows(datasetId, index, index + 1);
        if (seq !== rowSequence || model !== m) return false;
        const absent = m.contract.features.filter((f) => !table.getChild(f.name)).map((f) => `"${f.name}"`);
        if (absent.length > 0) {
          setState('rowError', `This dataset has no column ${absent.join(', ')} that the model needs.`);
          return false;
        }
        const row: Record<string, CellValue> = {};
        for (const f of m.contract.features) row[f.name] = cellValue(table.getChild(f.name)!.get(0), f);
        const target = m.target ? table.getChild(m.target) : null;
        const actual = target
          ? cellValue(target.get(0), { name: m.target!, type: m.contract.target!.type, missing: 'allowed' })
          : null;
        setState('rowError', null);
        startFrom({ label: `row ${index + 1}`, row, index, actual });
        return true;
      } catch (e) {
        if (seq === rowSequence) setState('rowError', failure(e).message);
        return false;
      }
    },
    /** Partial dependence and ICE of `feature` over every row of the dataset, as a job. */
    computePdp(datasetId: string, feature: string, opts: PartialDependenceOptions = {}): Promise<void> {
      const m = model;
      if (!m) return Promise.resolve();
      setState('pdp', { feature, result: null });
      return runJob(
        'pdp',
        `Partial dependence of ${feature}`,
        (job) => client.api.partialDependence(m.id, datasetId, feature, opts, job),
        (result) => setState('pdp', 'result', result),
      );
    },
    cancelPdp(): void {
      jobs.pdp?.cancel();
    },
    /** The smallest change to the current values that flips the prediction, as a job. */
    findCounterfactual(opts: CounterfactualOptions = {}): Promise<void> {
      const m = model;
      if (!m) return Promise.resolve();
      setState('cf', 'result', null);
      return runJob(
        'cf',
        'Searching the smallest change that flips the prediction',
        (job) => client.api.counterfactual(m.id, plain(state.values), { seed: 0, ...opts }, job),
        (result) => setState('cf', 'result', result),
      );
    },
    cancelCounterfactual(): void {
      jobs.cf?.cancel();
    },
    /** Loads the counterfactual's changes into the form. */
    applyCounterfactual(): void {
      const r = state.cf.result;
      if (!r?.found) return;
      for (const c of r.changes) setState('values', c.feature, c.to);
      schedule();
    },
    progress: (key: 'pdp' | 'cf'): Progress | null => {
      const id = state[key].jobId;
      return id ? host.jobProgress(id) : null;
    },
    dismissPredictError(): void {
      setState('predictError', null);
    },
  };
}
