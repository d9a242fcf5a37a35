/** Correlation heatmap, Pearson or Spearman, clustered order; a click opens the pair's scatter. */
import { createMemo, type JSX, Show } from 'solid-js';
import type { CorrelationMethod, DatasetInfo } from '../../protocol/api';
import type { ExploreViews } from '../../state/explore-views';
import { heatmap } from '../../viz';
import { formatCount } from '../format';
import { ChartHost, followLatest, Panel, Select, svgOf } from './Panel';

const METHODS = [
  { value: 'pearson', label: 'Pearson' },
  { value: 'spearman', label: 'Spearman' },
];

export function CorrelationPanel(props: {
  x: ExploreViews;
  dataset: DatasetInfo;
  onPair(x: string, y: string): void;
}): JSX.Element {
  const result = followLatest(props.x.correlation, () => props.dataset.id);
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const c = result();
    if (!c || c.labels.length < 2) return null;
    return heatmap(
      { labels: c.labels, values: c.values, method: c.method },
      {
        width: 520,
        height: 460,
        theme: 'auto',
        order: 'cluster',
        title: `${c.method === 'pearson' ? 'Pearson' : 'Spearman'} correlations`,
        onCellClick: (i, j) => props.onPair(c.labels[j]!, c.labels[i]!),
      },
    );
  });
  return (
    <Panel
      id="explore-correlation"
      title="Correlations"
      exportable={{ svg: svgOf(() => host) }}
      error={props.x.correlation.error()}
      controls={
        <Select
          label="method"
          value={props.x.settings()?.correlation ?? 'pearson'}
          options={METHODS}
          onChange={(v) => props.x.setCorrelation(v as CorrelationMethod)}
        />
      }
      note={
        <Show when={result()}>
          {(x) => (
            <>
              Pairwise-complete, clustered order; click a cell for its scatter plot.
              {x().rowsUsed < x().totalRows
                ? ` Rows sampled: ${formatCount(x().rowsUsed)} of ${formatCount(x().totalRows)}.`
                : ''}
              {x().columnsLeftOut > 0
                ? ` First ${x().labels.length} numeric columns (${x().columnsLeftOut} left out).`
                : ''}
            </>
          )}
        </Show>
      }
    >
      <ChartHost ref={host} view={view()} fallback={<p class="muted small">Needs two numeric columns.</p>} />
    </Panel>
  );
}
