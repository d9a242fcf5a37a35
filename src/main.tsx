import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { createEngineClient } from './engine/client';
import { appStore } from './state/autosave';
import { createNotebookStore } from './state/notebook';
import { startNotebookSession } from './state/notebook-session';
import { createProfileStore } from './state/profile';
import { createWorkbench } from './state/workbench';
import { App } from './ui/App';
import { addFixToNotebook } from './ui/quality/fix';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

const client = createEngineClient();
const workbench = createWorkbench(client);
// The notebook lives as long as the page: its effects (run on change, autosave, URL sync) need an owner.
const notebook = createRoot(() => {
  const store = createNotebookStore(client, workbench);
  void startNotebookSession({ notebook: store, host: workbench, storage: appStore(), win: window });
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
  // One target for the report and the notebook (and so for training later).
  target: { get: () => notebook.state.notebook.target, set: (column) => notebook.setTarget(column) },
});
render(
  () => (
    <App
      workbench={workbench}
      notebook={notebook}
      profiles={profiles}
      onFix={(step) => addFixToNotebook(notebook, step) !== null}
    />
  ),
  root,
);
void workbench.init();
