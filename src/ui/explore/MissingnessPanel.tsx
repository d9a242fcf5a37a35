/** Which cells are missing (a matrix of evenly spaced rows) and how many patterns there are. */
import { createMemo, type JSX, Show } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import type { ExploreViews } from '../../state/explore-views';
import { missingness } from '../../viz';
import { formatCount } from '../format';
import { ChartHost, followLatest, Panel, svgOf } from './Panel';

export function MissingnessPanel(props: { x: ExploreViews; dataset: DatasetInfo }): JSX.Element {
  const data = followLatest(props.x.missingness, () => props.dataset.id);
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const d = data();
    if (!d) return null;
    return missingness(
      { columns: d.columns, rows: d.rows, bitmap: d.bitmap, totalRows: d.totalRows },
      { width: 520, height: 300, theme: 'auto', title: 'Missing values' },
    );
  });
  const total = () => data()?.missingPerColumn.reduce((a, b) => a + b, 0) ?? 0;
  return (
    <Panel
      id="explore-missingness"
      title="Missing values"
      exportable={{ svg: svgOf(() => host) }}
      error={props.x.missingness.error()}
      note={
        <Show when={data()}>
          {(d) =>
            `${formatCount(total())} missing cells; ${d().patterns.length} pattern${d().patterns.length === 1 ? '' : 's'}${d().rows < d().totalRows ? `; matrix of ${formatCount(d().rows)} evenly spaced rows` : ''}.`
          }
        </Show>
      }
    >
      <ChartHost ref={host} view={view()} />
    </Panel>
  );
}
