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

/** The tab a key moves to from `from` (WAI-ARIA tabs: arrows wrap, Home/End go to the ends). */
export function tabAfterKey(key: string, from: TabId): TabId | null {
  const i = TAB_IDS.indexOf(from);
  const n = TAB_IDS.length;
  const to =
    key === 'ArrowRight'
      ? (i + 1) % n
      : key === 'ArrowLeft'
        ? (i - 1 + n) % n
        : key === 'Home'
          ? 0
          : key === 'End'
            ? n - 1
            : -1;
  return to < 0 ? null : (TAB_IDS[to] ?? null);
}

/**
 * The tab strip, as the WAI-ARIA tabs pattern has it: one tab stop (the selected tab), arrow keys,
 * Home and End move between tabs and select them (automatic activation).
 */
export function Tabs(props: { active: TabId; onSelect: (tab: TabId) => void }): JSX.Element {
  let list: HTMLDivElement | undefined;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const next = tabAfterKey(e.key, props.active);
    if (!next) return;
    e.preventDefault();
    props.onSelect(next);
    list?.querySelector<HTMLElement>(`#tab-${next}`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label="Workbench views" ref={list} onKeyDown={onKeyDown}>
      <For each={TAB_IDS}>
        {(id) => (
          <button
            type="button"
            role="tab"
            id={`tab-${id}`}
            class="tab"
            aria-selected={props.active === id}
            aria-controls={`panel-${id}`}
            tabIndex={props.active === id ? 0 : -1}
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
