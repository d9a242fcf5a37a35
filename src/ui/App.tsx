import { createSignal, type JSX, Match, Switch } from 'solid-js';
import type { NotebookStore } from '../state/notebook';
import type { Workbench } from '../state/workbench';
import { WorkbenchContext } from './context';
import { DropOverlay } from './dropzone/DropOverlay';
import { ErrorStack } from './errors/ErrorStack';
import { ExportPanel } from './export/ExportPanel';
import { SampleGallery } from './gallery/SampleGallery';
import { NotebookContext } from './notebook/context';
import { NotebookDataView } from './notebook/NotebookDataView';
import { Sidebar } from './sidebar/Sidebar';
import { StatusBar } from './statusbar/StatusBar';
import { ComingNext, TAB_IDS, type TabId, Tabs } from './tabs/Tabs';
import './app.css';

export function App(props: { workbench: Workbench; notebook: NotebookStore }): JSX.Element {
  const [tab, setTab] = createSignal<TabId>('data');
  const wb = props.workbench;
  return (
    <WorkbenchContext.Provider value={wb}>
      <NotebookContext.Provider value={props.notebook}>
        <div class="app">
          <Sidebar onShowData={() => setTab('data')} />
          <main class="main">
            <Tabs active={tab()} onSelect={setTab} />
            <section class="tab-panel" role="tabpanel" id={`panel-${tab()}`} aria-labelledby={`tab-${tab()}`}>
              <Switch fallback={<ComingNext tab={tab()} />}>
                <Match when={tab() === 'data' && wb.galleryOpen()}>
                  <SampleGallery />
                </Match>
                <Match when={tab() === 'data' && wb.selected()}>
                  {(dataset) => <NotebookDataView dataset={dataset()} />}
                </Match>
                <Match when={tab() === 'export'}>
                  <ExportPanel />
                </Match>
              </Switch>
            </section>
          </main>
          <StatusBar />
          <ErrorStack />
          <DropOverlay />
        </div>
      </NotebookContext.Provider>
    </WorkbenchContext.Provider>
  );
}

export { TAB_IDS };
