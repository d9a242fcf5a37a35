/** 2-D embedding (PCA, t-SNE or UMAP of all rows), animated while it optimises, coloured like the scatter. */
import { createEffect, createMemo, createSignal, type JSX, on, Show, untrack } from 'solid-js';
import type { DatasetInfo, EmbeddingMethod } from '../../protocol/api';
import type { ExploreViews } from '../../state/explore-views';
import { colourFor, type EmbeddingView, embedding } from '../../viz';
import { describeEmbeddingRun } from './embedding-note';
import { Host, Panel, Select } from './Panel';

const METHODS = [
  { value: 'pca', label: 'PCA' },
  { value: 'tsne', label: 't-SNE' },
  { value: 'umap', label: 'UMAP' },
];

export function EmbeddingPanel(props: { x: ExploreViews; dataset: DatasetInfo }): JSX.Element {
  const [width, setWidth] = createSignal<number | null>(null);
  const store = () => props.x.selection;
  const run = () => props.x.embedding;
  const colorColumn = () => props.x.settings()?.color ?? '';
  run().follow();
  props.x.followColours(colorColumn);
  let current: EmbeddingView | null = null;
  /** A new view for new rows, colours or width; the same rows moving only animate (below). */
  const shape = createMemo(
    () => {
      const l = run().layout();
      return l ? { rows: l.x.length, method: l.method, explained: l.explained } : null;
    },
    null,
    { equals: (a, b) => a?.rows === b?.rows && a?.explained === b?.explained },
  );
  const view = createMemo(() => {
    const s = shape();
    const w = width();
    if (!s || w === null) return null;
    const l = untrack(() => run().layout())!;
    const column = colorColumn();
    const colour = props.x.coloursOf(column);
    const ds = props.dataset.id;
    const pc = s.explained ? (i: number) => `PC${i + 1} (${Math.round(s.explained![i]! * 100)}%)` : () => '';
    current = embedding(
      {
        x: l.x,
        y: l.y,
        ...(colour ? { color: colour.color } : {}),
        ...(colour?.categories ? { classes: colour.categories } : {}),
        selected: untrack(store().mask),
        labels: { x: pc(0), y: pc(1), ...(column ? { color: column } : {}) },
      },
      {
        width: w,
        height: 400,
        theme: 'auto',
        mode: 'lasso',
        source: 'embedding',
        ...(colour?.categories ? { colours: colourFor(column, colour.categories) } : {}),
        onSelect: (sel) =>
          void store().setFilter(ds, 'embedding', sel ? { kind: 'mask', mask: sel.mask } : null),
      },
    );
    return current;
  });
  // Later layouts of the same rows (frames of a running t-SNE/UMAP, its end): move the points.
  createEffect(
    on(
      () => run().layout(),
      (l) => {
        if (l && current && view() === current) void current.moveTo(l.x, l.y);
      },
      { defer: true },
    ),
  );
  createEffect(on(store().mask, (m) => current?.update({ selected: m }), { defer: true }));
  const note = () => {
    const r = run().result();
    return (
      run().error() ??
      (r ? describeEmbeddingRun(r) : null) ??
      'Standardised numeric columns, all rows; lasso points to select them. Same seed, same picture.'
    );
  };
  return (
    <Panel
      id="explore-embedding"
      title="Embedding"
      exportable={{ svg: () => current?.scatter.svg ?? null, png: () => current!.scatter.toPngBlob(2) }}
      onWidth={setWidth}
      controls={
        <>
          <Select
            label="method"
            value={props.x.settings()?.embedding ?? 'pca'}
            options={METHODS}
            onChange={(v) => props.x.setEmbeddingMethod(v as EmbeddingMethod)}
          />
          <Show
            when={run().running()}
            fallback={
              <button
                type="button"
                class="button primary"
                onClick={() => run().run()}
                data-testid="embedding-run"
              >
                Run
              </button>
            }
          >
            <button type="button" class="button" onClick={() => run().cancel()}>
              Cancel {Math.round((run().progress() ?? 0) * 100)}%
            </button>
          </Show>
        </>
      }
      note={note()}
    >
      <Show
        when={view()}
        keyed
        fallback={<p class="muted small">Run an embedding to see the rows in 2-D.</p>}
      >
        {(v) => <Host view={v} />}
      </Show>
    </Panel>
  );
}
