/**
 * Deployed models (Prototype and Export tabs): a trained run fitted on every row, or an artifact
 * the user imported. The store lists them, knows the active one, and turns failures into a message
 * that leaves the other models as they were. Each dataset sees the models fitted on it (and every
 * imported one, which belongs to no dataset).
 */
import { createStore, reconcile } from 'solid-js/store';
import type { DeployedModelInfo, EngineApi, ExportSpec, JobOptions } from '../protocol/api';
import type { Job } from './client';
import { type Failure, failure } from './failure';

export interface DeployClient {
  api: Pick<
    EngineApi,
    | 'deployModel'
    | 'importArtifact'
    | 'deployedModels'
    | 'removeDeployed'
    | 'deployedArtifact'
    | 'predictRows'
  >;
}

export interface DeployHost {
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  /** The dataset the notebook is bound to (the original data). */
  datasetId(): string | null;
}

/** A failure of a deploy job (or an import), as the Export and Prototype tabs show it. */
export type DeployFailure = Failure;

interface DeployState {
  models: DeployedModelInfo[];
  active: string | null;
  /** Run id → deployed model id: a run is fitted once per notebook state. */
  fromRun: Record<string, { modelId: string; notebook: string }>;
  jobId: string | null;
  error: DeployFailure | null;
}

export type DeployStore = ReturnType<typeof createDeployStore>;

export function createDeployStore(client: DeployClient, host: DeployHost) {
  const [state, setState] = createStore<DeployState>({
    models: [],
    active: null,
    fromRun: {},
    jobId: null,
    error: null,
  });

  const refresh = async () => setState('models', reconcile(await client.api.deployedModels()));
  const byId = (id: string | null) => (id ? (state.models.find((m) => m.id === id) ?? null) : null);
  const visible = (m: DeployedModelInfo) => m.datasetId === null || m.datasetId === host.datasetId();
  const models = () => state.models.filter(visible);

  return {
    state,
    /** The models of the dataset on screen (and imported ones). */
    models,
    /** The active model, when it belongs to the dataset on screen. */
    active: () => {
      const m = byId(state.active);
      return m && visible(m) ? m : null;
    },
    byId,
    setActive(id: string | null): void {
      setState('active', id);
    },
    /**
     * Fits a run's model (its spec from the train store) on every row and makes it active. A run
     * already deployed with the same notebook is reused. Resolves to the model, or null on failure
     * (the message is in `state.error`).
     */
    async deployRun(runId: string, label: string, spec: ExportSpec): Promise<DeployedModelInfo | null> {
      const notebook = JSON.stringify(spec.notebook);
      const known = state.fromRun[runId];
      if (known && known.notebook === notebook && byId(known.modelId)) {
        setState('active', known.modelId);
        return byId(known.modelId);
      }
      const datasetId = host.datasetId();
      if (!datasetId) {
        setState('error', { name: 'InvalidArgument', message: 'Load a dataset first.' });
        return null;
      }
      setState('error', null);
      const job = host.startJob(`Fitting ${label} on every row`, (j) =>
        client.api.deployModel(datasetId, spec, j),
      );
      setState('jobId', job.id);
      try {
        const info = await job.promise;
        await refresh();
        setState('fromRun', runId, { modelId: info.id, notebook });
        setState('active', info.id);
        return info;
      } catch (e) {
        setState('error', failure(e));
        return null;
      } finally {
        if (state.jobId === job.id) setState('jobId', null);
      }
    },
    /** Imports an exported artifact (its .json and .bin files, or one .benchtop file alone); null
     * and a message when it is bad. */
    async importArtifact(json: string | Uint8Array, weights?: Uint8Array): Promise<DeployedModelInfo | null> {
      setState('error', null);
      try {
        const info = await client.api.importArtifact(json, weights);
        await refresh();
        setState('active', info.id);
        return info;
      } catch (e) {
        setState('error', failure(e));
        return null;
      }
    },
    async remove(id: string): Promise<void> {
      await client.api.removeDeployed(id);
      if (state.active === id) setState('active', null);
      await refresh();
    },
    artifact(id: string): Promise<{ json: string; weights: Uint8Array }> {
      return client.api.deployedArtifact(id);
    },
    busy: () => state.jobId !== null,
    dismissError(): void {
      setState('error', null);
    },
    setError(e: unknown): void {
      setState('error', failure(e));
    },
  };
}
