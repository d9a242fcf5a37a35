/**
 * How the shell mounts Explore: one explore store for the page (so the selection outlives tab
 * switches and the Data tab can show it), the Explore tab, and the Data tab's selection bar.
 */
import type { JSX } from 'solid-js';
import { Show } from 'solid-js';
import type { DatasetInfo, ExploreApi } from '../../protocol/api';
import { createExploreStore, type ExploreStore } from '../../state/explore';
import type { Workbench } from '../../state/workbench';
import { DataSelection } from './DataSelection';
import { ExploreTab } from './ExploreTab';

export interface ExploreBinding {
  api: ExploreApi;
  store: ExploreStore;
  workbench: Workbench;
}

export function createExploreBinding(workbench: Workbench): ExploreBinding | null {
  const api = workbench.explore();
  return api ? { api, store: createExploreStore(api), workbench } : null;
}

export function ExploreView(props: { explore: ExploreBinding | null; dataset: DatasetInfo }): JSX.Element {
  return (
    <Show when={props.explore} fallback={<p class="muted">Explore needs the engine worker.</p>}>
      {(x) => (
        <ExploreTab
          ctx={{
            api: x().api,
            store: x().store,
            dataset: props.dataset,
            startJob: (label, run) => x().workbench.startJob(label, run),
            progressOf: (id) => x().workbench.state.jobs.find((j) => j.id === id)?.progress ?? null,
          }}
        />
      )}
    </Show>
  );
}

export function DataWithSelection(props: {
  explore: ExploreBinding | null;
  dataset: DatasetInfo;
  children: JSX.Element;
}): JSX.Element {
  return (
    <Show when={props.explore} fallback={props.children}>
      {(x) => (
        <DataSelection api={x().api} store={x().store} dataset={props.dataset}>
          {props.children}
        </DataSelection>
      )}
    </Show>
  );
}
