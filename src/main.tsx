import { render } from 'solid-js/web';
import { createEngineClient } from './engine/client';
import { createWorkbench } from './state/workbench';
import { App } from './ui/App';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

const client = createEngineClient();
const workbench = createWorkbench(client);
render(() => <App workbench={workbench} />, root);
void workbench.init();
