/**
 * How the shell mounts Explore: one selection store and one views store for the page (so the
 * selection and each panel's settings and answers outlive tab switches, and the Data tab can show
 * the selection), the Explore tab, and the Data tab's selection bar.
 */
import type { JSX } from 'solid-js';
import { createSignal, Show } from 'solid-js';
import type { DatasetInfo, ExploreApi } from '../../protocol/api';
import { createExploreStore, type ExploreStore } from '../../state/explore';
import { createExploreViews, type ExploreViews } from '../../state/explore-views';
import type { Workbench } from '../../state/workbench';
import { useNotebook } from '../notebook/context';
import { DataSelection } from './DataSelection';
import { ExploreTab } from './ExploreTab';

export interface ExploreBinding {
  api: ExploreApi;
  /** The linked selection (shared with the Data tab and Evaluate's error slices). */
  store: ExploreStore;
  views: ExploreViews;
  /** Where the views read the notebook's target (the notebook lives in a context below the shell). */
  followTarget(target: () => string | null): void;
}

export function createExploreBinding(workbench: Workbench): ExploreBinding | null {
  const api = workbench.explore();
  if (!api) return null;
  const store = createExploreStore(api);
  const [target, setTarget] = createSignal<() => string | null>(() => null);
  const views = createExploreViews(api, store, {
    startJob: workbench.startJob,
    progressOf: (id) => workbench.state.jobs.find((j) => j.id === id)?.progress ?? null,
    dataset: workbench.selected,
    revision: workbench.revision,
    target: () => target()(),
  });
  return { api, store, views, followTarget: (t) => setTarget(() => t) };
}

export function ExploreView(props: { explore: ExploreBinding | null; dataset: DatasetInfo }): JSX.Element {
  const nb = useNotebook();
  return (
    <Show when={props.explore} fallback={<p class="muted">Explore needs the engine worker.</p>}>
      {(x) => {
        x().followTarget(() => nb.state.notebook.target);
        return <ExploreTab views={x().views} store={x().store} dataset={props.dataset} />;
      }}
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
        <DataSelection store={x().store} dataset={props.dataset}>
          {props.children}
        </DataSelection>
      )}
    </Show>
  );
}
