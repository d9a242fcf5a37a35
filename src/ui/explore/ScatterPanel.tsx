/** Scatter of two numeric columns, coloured by the tab's colour column and sized by another; brush or lasso selects rows. */
import { createEffect, createMemo, createSignal, type JSX, on, onCleanup, Show, untrack } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import { type ExploreViews, isDateColumn, numericColumns } from '../../state/explore-views';
import { colourFor, countSelected, type ScatterMode, type ScatterView, scatter } from '../../viz';
import { formatCount } from '../format';
import { Host, Panel, Select } from './Panel';

export function ScatterPanel(props: { x: ExploreViews; dataset: DatasetInfo }): JSX.Element {
  const [mode, setMode] = createSignal<ScatterMode>('brush');
  const [width, setWidth] = createSignal<number | null>(null);
  const [shown, setShown] = createSignal(0);
  const store = () => props.x.selection;
  const settings = () => props.x.settings()!;
  const numeric = () => numericColumns(props.dataset);
  props.x.scatter.follow();
  let current: ScatterView | null = null;
  const view = createMemo(() => {
    const p = props.x.scatter.latest();
    const ds = props.dataset.id;
    const w = width();
    if (!p || p.datasetId !== ds || w === null) return null;
    const { x, y } = p.spec;
    const color = p.spec.color ?? '';
    const size = p.spec.size ?? '';
    const v = scatter(
      {
        x: p.x,
        y: p.y,
        ...(p.color ? { color: p.color } : {}),
        ...(p.categories ? { categories: p.categories } : {}),
        ...(p.size ? { size: p.size } : {}),
        selected: untrack(store().mask),
        labels: { x, y, ...(color ? { color } : {}), ...(size ? { size } : {}) },
      },
      {
        width: w,
        height: 400,
        theme: 'auto',
        mode: untrack(mode),
        source: 'scatter',
        title: `${y} against ${x}`,
        ...(isDateColumn(props.dataset, x) ? { xType: 'time' as const } : {}),
        ...(isDateColumn(props.dataset, y) ? { yType: 'time' as const } : {}),
        ...(p.categories ? { colours: colourFor(color, p.categories) } : {}),
        onSelect: (sel) =>
          void store().setFilter(ds, 'scatter', sel ? { kind: 'mask', mask: sel.mask } : null),
      },
    );
    current = v;
    return v;
  });
  createEffect(
    on(store().mask, (m) => {
      current?.update({ selected: m });
      setShown(m ? countSelected(m) : 0);
    }),
  );
  createEffect(on(mode, (m) => current?.update({ mode: m }), { defer: true }));
  onCleanup(() => {
    current = null;
  });
  return (
    <Panel
      id="explore-scatter"
      title="Scatter plot"
      exportable={{ svg: () => current?.svg ?? null, png: () => current!.toPngBlob(2) }}
      onWidth={setWidth}
      error={props.x.scatter.error()}
      controls={
        <>
          <Select
            label="x"
            value={settings().scatter.x}
            options={numeric()}
            onChange={(v) => props.x.setScatter('x', v)}
            testid="scatter-x"
          />
          <Select
            label="y"
            value={settings().scatter.y}
            options={numeric()}
            onChange={(v) => props.x.setScatter('y', v)}
            testid="scatter-y"
          />
          <Select
            label="size"
            value={settings().scatter.size}
            options={numeric()}
            empty="none"
            onChange={(v) => props.x.setScatter('size', v)}
          />
          <Select
            label="drag"
            value={mode()}
            options={['brush', 'lasso', 'pan']}
            onChange={(v) => setMode(v as ScatterMode)}
          />
        </>
      }
      note={
        <span data-testid="scatter-selected">
          {store().mask() ? `${formatCount(shown())} selected` : 'No selection'} of{' '}
          {formatCount(props.dataset.rows)} points
          {props.x.scatter.loading() ? ' · loading…' : ''}
        </span>
      }
    >
      <Show when={view()} keyed>
        {(v) => <Host view={v} />}
      </Show>
    </Panel>
  );
}
