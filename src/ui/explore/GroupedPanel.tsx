/** Box or violin plots of a numeric column grouped by a categorical one, each group in its colour. */
import { createMemo, createSignal, type JSX } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import { type ExploreViews, groupColumns, isDateColumn, numericColumns } from '../../state/explore-views';
import { boxplot, colourFor, violin } from '../../viz';
import { ChartHost, followLatest, Panel, Select, svgOf } from './Panel';

export function GroupedPanel(props: { x: ExploreViews; dataset: DatasetInfo }): JSX.Element {
  const [kind, setKind] = createSignal<'box' | 'violin'>('box');
  const [width, setWidth] = createSignal<number | null>(null);
  const settings = () => props.x.settings()?.grouped ?? { column: '', by: '' };
  const data = followLatest(props.x.grouped, () => props.dataset.id);
  // The groups' colours come from the column's shared scale, as in the scatter, SPLOM and embedding.
  props.x.followColours(() => settings().by);
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const d = data();
    const w = width();
    if (!d || w === null) return null;
    const categories = d.by ? props.x.coloursOf(d.by)?.categories : undefined;
    const o = {
      column: d.column,
      ...(d.by ? { groupBy: d.by } : {}),
      ...(d.by && categories ? { colours: colourFor(d.by, categories) } : {}),
      ...(isDateColumn(props.dataset, d.column) ? { yType: 'time' as const } : {}),
      width: w,
      height: 300,
      theme: 'auto' as const,
    };
    const selected = d.selected ? { selected: d.selected } : {};
    return kind() === 'box'
      ? boxplot({ groups: d.groups, ...selected }, o)
      : violin({ groups: d.groups, ...selected }, o);
  });
  const note = () =>
    [
      data()?.selected ? 'Highlighted inside each group: the selected rows.' : '',
      data() && data()!.groupsLeftOut > 0
        ? `The ${data()!.groups.length} largest groups; ${data()!.groupsLeftOut} more left out.`
        : '',
    ]
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <Panel
      id="explore-grouped"
      title="By group"
      exportable={{ svg: svgOf(() => host) }}
      onWidth={setWidth}
      error={props.x.grouped.error()}
      controls={
        <>
          <Select
            label="value"
            value={settings().column}
            options={numericColumns(props.dataset)}
            onChange={(v) => props.x.setGrouped('column', v)}
          />
          <Select
            label="by"
            value={settings().by}
            options={groupColumns(props.dataset)}
            empty="none"
            onChange={(v) => props.x.setGrouped('by', v)}
          />
          <Select
            label="plot"
            value={kind()}
            options={['box', 'violin']}
            onChange={(v) => setKind(v as 'box' | 'violin')}
          />
        </>
      }
      note={note()}
    >
      <ChartHost ref={host} view={view()} />
    </Panel>
  );
}
