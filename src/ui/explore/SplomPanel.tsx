/** Scatter-plot matrix of up to 8 chosen numeric columns, coloured like the scatter; brushing a cell selects rows. */
import { createEffect, createMemo, createSignal, For, type JSX, on, Show, untrack } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import {
  type ExploreViews,
  isDateColumn,
  numericColumns,
  SPLOM_COLUMNS_MAX,
} from '../../state/explore-views';
import { colourFor, splom } from '../../viz';
import { Host, Panel } from './Panel';

export function SplomPanel(props: { x: ExploreViews; dataset: DatasetInfo }): JSX.Element {
  const [width, setWidth] = createSignal<number | null>(null);
  const store = () => props.x.selection;
  const chosen = () => props.x.settings()?.splom ?? [];
  const colorColumn = () => props.x.settings()?.color ?? '';
  props.x.splom.follow();
  props.x.followColours(colorColumn);
  let current: ReturnType<typeof splom> | null = null;
  // While the colour codes load, the matrix waits (keeping what it shows): drawing it without
  // colours first would draw a million rows in every cell twice.
  const view = createMemo<ReturnType<typeof splom> | null>((shown) => {
    if (props.x.coloursPending(colorColumn())) return shown;
    const d = props.x.splom.latest();
    const ds = props.dataset.id;
    const w = width();
    if (!d || d.datasetId !== ds || d.columns.length < 2 || chosen().length < 2 || w === null) return null;
    const column = colorColumn();
    const colour = props.x.coloursOf(column);
    current = splom(
      {
        columns: d.columns.map((c) => ({
          ...c,
          ...(isDateColumn(props.dataset, c.name) ? { type: 'time' as const } : {}),
        })),
        ...(colour ? { color: colour.color } : {}),
        ...(colour?.categories ? { categories: colour.categories } : {}),
        selected: untrack(store().mask),
      },
      {
        width: w,
        // A wide single-column layout would make the matrix as tall as it is wide.
        height: Math.min(w, 640),
        theme: 'auto',
        source: 'splom',
        ...(colour?.categories ? { colours: colourFor(column, colour.categories) } : {}),
        onSelect: (sel) => void store().setFilter(ds, 'splom', sel ? { kind: 'mask', mask: sel.mask } : null),
      },
    );
    return current;
  }, null);
  createEffect(on(store().mask, (m) => current?.update({ selected: m }), { defer: true }));
  return (
    <Panel
      id="explore-splom"
      title="Scatter-plot matrix"
      exportable={{ svg: () => current?.svg ?? null, png: () => current!.toPngBlob(2) }}
      onWidth={setWidth}
      error={props.x.splom.error()}
      note={
        <span class="xchips">
          <For each={numericColumns(props.dataset)}>
            {(c) => (
              <label class="xchip">
                <input
                  type="checkbox"
                  checked={chosen().includes(c)}
                  onChange={() => props.x.toggleSplomColumn(c)}
                  disabled={!chosen().includes(c) && chosen().length >= SPLOM_COLUMNS_MAX}
                />
                {c}
              </label>
            )}
          </For>
        </span>
      }
    >
      <Show when={view()} keyed fallback={<p class="muted small">Choose at least two columns (up to 8).</p>}>
        {(v) => <Host view={v} />}
      </Show>
    </Panel>
  );
}
