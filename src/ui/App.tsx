import { createSignal, type JSX, Match, Switch } from 'solid-js';
import type { Workbench } from '../state/workbench';
import { WorkbenchContext } from './context';
import { DatasetView } from './data/DatasetView';
import { DropOverlay } from './dropzone/DropOverlay';
import { ErrorStack } from './errors/ErrorStack';
import { SampleGallery } from './gallery/SampleGallery';
import { Sidebar } from './sidebar/Sidebar';
import { StatusBar } from './statusbar/StatusBar';
import { ComingNext, TAB_IDS, type TabId, Tabs } from './tabs/Tabs';
import './app.css';

export function App(props: { workbench: Workbench }): JSX.Element {
  const [tab, setTab] = createSignal<TabId>('data');
  const wb = props.workbench;
  return (
    <WorkbenchContext.Provider value={wb}>
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
                {(dataset) => <DatasetView dataset={dataset()} />}
              </Match>
            </Switch>
          </section>
        </main>
        <StatusBar />
        <ErrorStack />
        <DropOverlay />
      </div>
    </WorkbenchContext.Provider>
  );
}

export { TAB_IDS };
