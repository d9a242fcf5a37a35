import { For, type JSX } from 'solid-js';

export const TAB_IDS = ['data', 'quality', 'explore', 'train', 'evaluate', 'prototype', 'export'] as const;
export type TabId = (typeof TAB_IDS)[number];

const TITLES: Record<TabId, string> = {
  data: 'Data',
  quality: 'Quality',
  explore: 'Explore',
  train: 'Train',
  evaluate: 'Evaluate',
  prototype: 'Prototype',
  export: 'Export',
};

/** What each tab will hold; shown as-is until it is built, so nothing pretends to work. */
const PLANS: Record<Exclude<TabId, 'data'>, string> = {
  quality:
    'A data quality report per column — missing values, outliers, duplicates, leakage — with one-click fixes.',
  explore: 'Linked histograms and scatter plots, embeddings (PCA, UMAP) and automatic insights.',
  train: 'Pick a target and a split, train models on the GPU and follow live learning curves.',
  evaluate: 'Metrics with confidence intervals, model comparisons, ROC/PR curves and error slices.',
  prototype: 'A what-if form: change a row’s values and see the prediction update.',
  export: 'Export the cleaned data, the fitted pipeline and a shareable notebook link.',
};

export function Tabs(props: { active: TabId; onSelect: (tab: TabId) => void }): JSX.Element {
  return (
    <div class="tabs" role="tablist" aria-label="Workbench views">
      <For each={TAB_IDS}>
        {(id) => (
          <button
            type="button"
            role="tab"
            id={`tab-${id}`}
            class="tab"
            aria-selected={props.active === id}
            aria-controls={`panel-${id}`}
            onClick={() => props.onSelect(id)}
          >
            {TITLES[id]}
          </button>
        )}
      </For>
    </div>
  );
}

export function ComingNext(props: { tab: TabId }): JSX.Element {
  return (
    <div class="coming-next">
      <h2>{TITLES[props.tab]}</h2>
      <p class="muted">
        {props.tab === 'data'
          ? 'No dataset is selected. Pick one in the sidebar or add data.'
          : `Coming next: ${PLANS[props.tab as Exclude<TabId, 'data'>]}`}
      </p>
    </div>
  );
}
