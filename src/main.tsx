import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { createEngineClient } from './engine/client';
import { appStore } from './state/autosave';
import { createNotebookStore } from './state/notebook';
import { startNotebookSession } from './state/notebook-session';
import { createWorkbench } from './state/workbench';
import { App } from './ui/App';

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
render(() => <App workbench={workbench} notebook={notebook} />, root);
void workbench.init();
