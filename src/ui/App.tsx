import { createEffect, createSignal, type JSX, Match, on, Switch } from 'solid-js';
import type { FixStep } from '../protocol/api';
import type { DeployStore } from '../state/deploy';
import type { ErrorAnalysisStore } from '../state/error-analysis';
import type { ModelExportStore } from '../state/model-export';
import type { NotebookStore } from '../state/notebook';
import type { ProfileStore } from '../state/profile';
import type { PrototypeStore } from '../state/prototype';
import type { TrainRun, TrainStore } from '../state/train';
import type { Workbench } from '../state/workbench';
import { WorkbenchContext } from './context';
import { DropOverlay } from './dropzone/DropOverlay';
import { ErrorStack } from './errors/ErrorStack';
import { EvaluatePanel } from './evaluate/EvaluatePanel';
import { createExploreBinding, DataWithSelection, ExploreView } from './explore/mount';
import { ExportPanel } from './export/ExportPanel';
import { SampleGallery } from './gallery/SampleGallery';
import { NotebookContext } from './notebook/context';
import { NotebookDataView } from './notebook/NotebookDataView';
import { PrototypePanel } from './prototype/PrototypePanel';
import { type Offline, OfflineContext } from './pwa/context';
import { Prompts } from './pwa/Prompts';
import { QualityPanel } from './quality/QualityPanel';
import { Sidebar } from './sidebar/Sidebar';
import { StatusBar } from './statusbar/StatusBar';
import { ComingNext, TAB_IDS, type TabId, Tabs } from './tabs/Tabs';
import { TrainPanel } from './train/TrainPanel';
import './app.css';

export function App(props: {
  workbench: Workbench;
  notebook: NotebookStore;
  /** The Quality tab's profile and report; the tab says "coming next" without it. */
  profiles?: ProfileStore;
  /** Adds a quality fix to the notebook; true when it was added. */
  onFix?: (step: FixStep) => boolean;
  /** Offline use and stored data (service worker, storage panel, crash recovery). */
  offline?: Offline;
  /** The Train and Evaluate tabs' store; those tabs say "coming next" without it. */
  train?: TrainStore;
  /** Models fitted on every row or imported (Prototype and Export tabs). */
  deploy?: DeployStore;
  /** The Export tab's model files, predictions and scoring of new data. */
  models?: ModelExportStore;
  /** The Prototype tab's what-if row, partial dependence and counterfactual. */
  prototype?: PrototypeStore;
  /** Evaluate's error analysis (slices and worst rows, selected in the Explore and Data views). */
  errors?: ErrorAnalysisStore;
}): JSX.Element {
  const [tab, setTab] = createSignal<TabId>('data');
  const wb = props.workbench;
  let panel: HTMLElement | undefined;
  // Tabs share one scroll box: each opens at its top, not where the previous tab was scrolled to.
  createEffect(
    on(tab, () => {
      if (panel) panel.scrollTop = 0;
    }),
  );
  /** The notebook's output of a dataset, when its own notebook has steps and has run. */
  const outputOf = (datasetId: string) =>
    props.notebook.state.datasetId === datasetId && props.notebook.state.notebook.steps.length > 0
      ? props.notebook.state.output
      : null;
  const explore = createExploreBinding(wb);
  // "Prototype" on a run: fit it on every row (once per notebook state) and show it in the tab.
  const prototypeRun = (run: TrainRun) => {
    const spec = props.train?.deploySpec(run.id);
    if (!spec || !props.deploy) return;
    setTab('prototype');
    void props.deploy.deployRun(run.id, run.model.label, spec);
  };
  // Rows picked in Evaluate's error analysis are selected in Explore and Data: open one on their dataset.
  const openRows = (next: 'explore' | 'data', datasetId: string) => {
    if (wb.state.selectedId !== datasetId) wb.select(datasetId);
    setTab(next);
  };
  return (
    <WorkbenchContext.Provider value={wb}>
      <NotebookContext.Provider value={props.notebook}>
        <div class="app">
          <OfflineContext.Provider value={props.offline}>
            <Sidebar onShowData={() => setTab('data')} />
            <Prompts />
          </OfflineContext.Provider>
          <main class="main">
            <Tabs active={tab()} onSelect={setTab} />
            <section
              ref={panel}
              class="tab-panel"
              role="tabpanel"
              id={`panel-${tab()}`}
              aria-labelledby={`tab-${tab()}`}
            >
              <Switch fallback={<ComingNext tab={tab()} />}>
                <Match when={tab() === 'data' && wb.galleryOpen()}>
                  <SampleGallery />
                </Match>
                <Match when={tab() === 'data' && wb.selected()}>
                  {(dataset) => (
                    <DataWithSelection explore={explore} dataset={dataset()}>
                      <NotebookDataView dataset={dataset()} />
                    </DataWithSelection>
                  )}
                </Match>
                <Match when={tab() === 'explore' && wb.selected()}>
                  {(dataset) => <ExploreView explore={explore} dataset={dataset()} />}
                </Match>
                <Match when={tab() === 'train' && props.train && props.notebook.dataset()}>
                  {(dataset) => (
                    <TrainPanel
                      store={props.train as TrainStore}
                      dataset={dataset()}
                      target={props.notebook.state.notebook.target}
                      onOpenRun={(run) => {
                        props.train?.select(run.id);
                        setTab('evaluate');
                      }}
                      {...(props.deploy && props.prototype ? { onPrototypeRun: prototypeRun } : {})}
                      onAddSteps={(steps) => props.notebook.addSteps(steps)}
                    />
                  )}
                </Match>
                <Match when={tab() === 'evaluate' && props.train}>
                  <EvaluatePanel
                    store={props.train as TrainStore}
                    {...(props.errors
                      ? {
                          errors: {
                            errors: props.errors,
                            explore: explore && { api: explore.api, store: explore.store },
                            onOpen: openRows,
                          },
                        }
                      : {})}
                  />
                </Match>
                <Match when={tab() === 'prototype' && props.deploy && props.prototype}>
                  <PrototypePanel
                    deploy={props.deploy as DeployStore}
                    store={props.prototype as PrototypeStore}
                    train={props.train}
                  />
                </Match>
                <Match when={tab() === 'export'}>
                  <ExportPanel train={props.train} deploy={props.deploy} models={props.models} />
                </Match>
                <Match when={tab() === 'quality' && props.profiles && wb.selected()}>
                  {(dataset) => (
                    <QualityPanel
                      dataset={dataset()}
                      output={outputOf(dataset().id)}
                      store={props.profiles as ProfileStore}
                      {...(props.onFix ? { onFix: props.onFix } : {})}
                      progressOf={(id) => wb.state.jobs.find((j) => j.id === id)?.progress ?? null}
                    />
                  )}
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
