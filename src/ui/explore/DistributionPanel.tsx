/** Histogram (numbers, dates) or sorted bars (categories) of one column, with the missing share. */
import { createMemo, createSignal, type JSX, Show, untrack } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import { type ExploreViews, isDateColumn } from '../../state/explore-views';
import { bars, histogram } from '../../viz';
import { Host, Panel, svgOf } from './Panel';

export function DistributionPanel(props: {
  x: ExploreViews;
  dataset: DatasetInfo;
  column: string;
}): JSX.Element {
  const [width, setWidth] = createSignal<number | null>(null);
  const store = () => props.x.selection;
  const source = () => `dist:${props.column}`;
  props.x.distribution.follow();
  const summary = () => {
    const s = props.x.distribution.latest();
    return s && s.column === props.column && s.datasetId === props.dataset.id ? s : null;
  };
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const s = summary();
    const w = width();
    if (!s || w === null) return null;
    const own = untrack(() => store().filterOf(source()));
    const ds = props.dataset.id;
    if (s.kind === 'numeric') {
      return histogram(
        {
          edges: s.edges,
          counts: s.counts,
          missing: s.missing,
          ...(s.selectedCounts ? { selectedCounts: s.selectedCounts } : {}),
        },
        {
          column: s.column,
          width: w,
          height: 240,
          theme: 'auto',
          source: source(),
          range: own?.kind === 'range' ? own.range : null,
          title: `Histogram of ${s.column}`,
          ...(isDateColumn(props.dataset, s.column) ? { xType: 'time' as const } : {}),
          onBrush: (sel) =>
            void store().setFilter(
              ds,
              source(),
              sel ? { kind: 'range', column: s.column, range: sel.range } : null,
            ),
        },
      );
    }
    const categories = own?.kind === 'categories' ? own.categories : null;
    return bars(
      {
        labels: s.labels,
        counts: s.counts,
        other: s.other,
        otherCategories: s.otherCategories,
        missing: s.missing,
        ...(s.selectedCounts ? { selectedCounts: s.selectedCounts } : {}),
      },
      {
        column: s.column,
        width: w,
        height: Math.min(420, 60 + 20 * (s.labels.length + 2)),
        theme: 'auto',
        source: source(),
        ...(categories ? { categories } : {}),
        title: `Most frequent values of ${s.column}`,
        onSelect: (sel) =>
          void store().setFilter(
            ds,
            source(),
            sel
              ? {
                  kind: 'categories',
                  column: s.column,
                  categories: [...sel.categories],
                  ...(sel.missing ? { missing: true } : {}),
                }
              : null,
          ),
      },
    );
  });
  const missingShare = () => {
    const s = summary();
    return s ? s.missing / props.dataset.rows : 0;
  };
  return (
    <Panel
      id="explore-distribution"
      title={`Distribution of ${props.column}`}
      exportable={{ svg: svgOf(() => host) }}
      onWidth={setWidth}
      error={props.x.distribution.error()}
      controls={
        <Show when={summary()?.kind === 'numeric'}>
          <label class="xfield">
            <span>Bins {props.x.settings()?.bins}</span>
            <input
              type="range"
              min="5"
              max="100"
              value={props.x.settings()?.bins ?? 30}
              onInput={(e) => props.x.setBins(Number(e.currentTarget.value))}
            />
          </label>
        </Show>
      }
      note={
        <>
          {(missingShare() * 100).toFixed(1)}% missing.{' '}
          {summary()?.kind === 'numeric'
            ? 'Drag across the bars to select a range.'
            : 'Click bars to select categories.'}
        </>
      }
    >
      <div ref={host}>
        <Show when={view()} keyed>
          {(v) => <Host view={v} />}
        </Show>
      </div>
    </Panel>
  );
}
