import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { appStore } from './state/autosave';
import { createEngineClient } from './state/client';
import { createDeployStore } from './state/deploy';
import { createErrorAnalysisStore } from './state/error-analysis';
import { createModelExportStore } from './state/model-export';
import { createNotebookStore } from './state/notebook';
import { browserLeaveStore, startNotebookSession } from './state/notebook-session';
import { createProfileStore } from './state/profile';
import { createPrototypeStore } from './state/prototype';
import { createRecovery } from './state/recovery';
import { createStorage } from './state/storage';
import { createTrainStore } from './state/train';
import { createWorkbench } from './state/workbench';
import { App } from './ui/App';
import { isolateWhenIdle } from './ui/pwa/isolation';
import { createPwa } from './ui/pwa/pwa';
import { addFixToNotebook } from './ui/quality/fix';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

const client = createEngineClient();
const workbench = createWorkbench(client);
// Stored datasets, crash recovery and the service worker: a reload or a dead worker loses nothing.
const offline = createRoot(() => {
  const storage = createStorage(client, workbench);
  return { storage, recovery: createRecovery(client, workbench, storage), pwa: createPwa() };
});
// Hosts without COOP/COEP headers: the service worker adds them; reload into them while idle.
isolateWhenIdle(() => workbench.state.datasets.length === 0 && workbench.state.jobs.length === 0);
// e2e hook (only with ?testhooks in the URL): kill the worker the way a crash would.
if (new URLSearchParams(location.search).has('testhooks')) {
  Object.assign(window, {
    __benchtop: {
      killWorker: () => client.restart('killed by a test hook'),
      // A real crash: the worker throws; the client must notice it by itself.
      crashWorker: () => client.crashWorkerForTest?.(),
    },
  });
}
// The notebook lives as long as the page: its effects (run on change, autosave, URL sync) need an owner.
const notebook = createRoot(() => {
  const store = createNotebookStore(client, workbench);
  void startNotebookSession({
    notebook: store,
    host: workbench,
    storage: appStore(),
    leaveStore: browserLeaveStore(),
    win: window,
  });
  return store;
});
const profiles = createProfileStore({
  api: client.api,
  startJob: workbench.startJob,
  source: () => {
    const d = workbench.selected();
    return (
      d && {
        id: d.id,
        name: d.name,
        revision: workbench.revision(d.id),
        columns: d.columns.map((c) => c.name),
      }
    );
  },
  // The "after notebook" view: the selected dataset's own notebook output, once it has run.
  output: () => {
    const d = workbench.selected();
    const out = notebook.state.output;
    if (!d || !out || notebook.state.datasetId !== d.id || notebook.state.notebook.steps.length === 0)
      return null;
    return {
      id: out.id,
      name: `${d.name} after the notebook`,
      revision: notebook.state.outputRevision,
      columns: out.columns.map((c) => c.name),
    };
  },
  // One target for the report and the notebook (and so for training later).
  target: { get: () => notebook.state.notebook.target, set: (column) => notebook.setTarget(column) },
});
// Train/Evaluate: settings live in each dataset's notebook (so links reproduce the numbers); runs
// autosave apart, filed by dataset.
const train = createRoot(() =>
  createTrainStore(
    client,
    {
      startJob: workbench.startJob,
      jobProgress: (id) => workbench.state.jobs.find((j) => j.id === id)?.progress ?? null,
      datasetId: () => notebook.state.datasetId,
      datasetKey: () => notebook.datasetKey(),
      notebook: () => notebook.state.notebook,
      setTarget: (column) => notebook.setTarget(column),
      setTrainSettings: (settings) => notebook.setTrainSettings(settings),
      columns: () => notebook.columnsNow(),
      markStepFailure: (failure) => notebook.markStepFailure(failure),
      applyStepFix: (stepId, fix) => notebook.applyFix(stepId, fix),
      addStepAt: (step, at) =>
        notebook.addSteps([step], at === 'start' ? notebook.state.notebook.steps[0]?.id : undefined),
    },
    appStore(),
  ),
);
// Evaluate's error analysis of a run, against the notebook's current leading filters.
const errors = createRoot(() =>
  createErrorAnalysisStore(
    client,
    {
      startJob: workbench.startJob,
      notebook: () => notebook.state.notebook,
      datasetId: () => notebook.state.datasetId,
    },
    train,
  ),
);
// Prototype/Export: models fitted on every row (or imported), predicted through benchtop-runtime.
const deploy = createRoot(() =>
  createDeployStore(client, { startJob: workbench.startJob, datasetId: () => notebook.state.datasetId }),
);
// Export tab: model files, predictions, scoring new data (files loaded for scoring are not selected).
const models = createRoot(() =>
  createModelExportStore(client, { startJob: workbench.startJob, adopt: (info) => workbench.adopt(info) }),
);
// Prototype: the what-if row, partial dependence and counterfactuals of the active deployed model.
const prototype = createRoot(() =>
  createPrototypeStore(client, {
    startJob: workbench.startJob,
    jobProgress: (id) => workbench.state.jobs.find((j) => j.id === id)?.progress ?? null,
  }),
);
render(
  () => (
    <App
      workbench={workbench}
      notebook={notebook}
      profiles={profiles}
      onFix={(step) => addFixToNotebook(notebook, step) !== null}
      offline={offline}
      train={train}
      errors={errors}
      deploy={deploy}
      models={models}
      prototype={prototype}
    />
  ),
  root,
);
void workbench.init().then(() => offline.storage.restoreAll());
