/**
 * The Explore tab: insights on top, then linked views — distribution, groups, scatter, SPLOM,
 * correlations, missing values, embedding. A brush, lasso or click in any view sets the shared
 * selection (the AND of every view's filter, computed in the worker); the bar above the views
 * shows its size and turns it into a FilterRows step or a named slice. What each view shows and
 * every request behind it live in the explore stores (src/state/explore*.ts); this only renders.
 */
import { createEffect, type JSX, on, Show } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import type { ExploreStore } from '../../state/explore';
import { type ExploreViews, numericColumns } from '../../state/explore-views';
import { CorrelationPanel } from './CorrelationPanel';
import { DistributionPanel } from './DistributionPanel';
import { EmbeddingPanel } from './EmbeddingPanel';
import { GroupedPanel } from './GroupedPanel';
import { InsightsSection } from './InsightsSection';
import { MissingnessPanel } from './MissingnessPanel';
import { Select } from './Panel';
import { ScatterPanel } from './ScatterPanel';
import { SelectionBar } from './SelectionBar';
import { SplomPanel } from './SplomPanel';
import './explore.css';

const scrollTo = (id: string) =>
  document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });

export function ExploreTab(props: {
  views: ExploreViews;
  store: ExploreStore;
  dataset: DatasetInfo;
}): JSX.Element {
  const x = () => props.views;
  const d = () => props.dataset;
  const numeric = () => numericColumns(d());
  const columns = () => d().columns.map((c) => c.name);

  // A new dataset starts with no selection; the same one keeps it (a selection made in another
  // tab, such as an error slice from Evaluate, is what this tab opens to show).
  createEffect(
    on(
      () => d().id,
      (id) => {
        if (props.store.state.datasetId !== id) void props.store.reset(id, d().rows);
      },
    ),
  );

  return (
    <div class="explore" data-testid="explore">
      <InsightsSection insights={x().insights} onOpen={(i) => scrollTo(x().openInsight(i))} />
      <SelectionBar store={props.store} dataset={d()} />
      <div class="xcolumn-picker">
        <Select
          label="Column"
          value={x().settings()?.column ?? ''}
          options={columns()}
          onChange={(v) => x().setColumn(v)}
          testid="explore-column"
        />
        <Select
          label="Colour by"
          value={x().settings()?.color ?? ''}
          options={columns()}
          empty="none"
          onChange={(v) => x().setColor(v)}
          testid="explore-colour"
        />
      </div>
      <div class="xgrid">
        <Show when={x().settings()?.column} keyed>
          {(c) => <DistributionPanel x={x()} dataset={d()} column={c} />}
        </Show>
        <Show when={numeric().length > 0}>
          <GroupedPanel x={x()} dataset={d()} />
          <ScatterPanel x={x()} dataset={d()} />
        </Show>
        <CorrelationPanel
          x={x()}
          dataset={d()}
          onPair={(a, b) => {
            x().setScatter('x', a);
            x().setScatter('y', b);
            scrollTo('explore-scatter');
          }}
        />
        <Show when={numeric().length > 1}>
          <SplomPanel x={x()} dataset={d()} />
        </Show>
        <MissingnessPanel x={x()} dataset={d()} />
        <Show when={numeric().length > 1}>
          <EmbeddingPanel x={x()} dataset={d()} />
        </Show>
      </div>
    </div>
  );
}
