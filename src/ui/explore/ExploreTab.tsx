/**
 * The Explore tab: insights on top, then linked views — distribution, groups, scatter, SPLOM,
 * correlations, missing values, embedding. A brush, lasso or click in any view sets the shared
 * selection (the AND of every view's filter, computed in the worker); the bar above the views
 * shows its size and turns it into a FilterRows step or a named slice.
 */
import { createEffect, createResource, createSignal, For, type JSX, on, Show } from 'solid-js';
import type { Insight } from '../../protocol/api';
import { formatCount } from '../format';
import { useNotebook } from '../notebook/context';
import {
  CorrelationPanel,
  DistributionPanel,
  EmbeddingPanel,
  type ExploreContext,
  GroupedPanel,
  groupColumns,
  MissingnessPanel,
  numericColumns,
  ScatterPanel,
  SplomPanel,
} from './views';
import './explore.css';

export function ExploreTab(props: { ctx: ExploreContext }): JSX.Element {
  const ctx = () => props.ctx;
  const d = () => props.ctx.dataset;
  const nb = useNotebook();
  const numeric = () => numericColumns(d());
  const target = () => {
    const t = nb.state.notebook.target;
    return t && d().columns.some((c) => c.name === t)
      ? t
      : (groupColumns(d()).find((c) => /target|class|label|species/i.test(c)) ?? '');
  };
  const [column, setColumn] = createSignal(numeric()[0] ?? d().columns[0]?.name ?? '');
  const [scatterCols, setScatterCols] = createSignal({
    x: numeric()[0] ?? '',
    y: numeric()[1] ?? numeric()[0] ?? '',
    color: target(),
    size: '',
  });
  const [splomCols, setSplomCols] = createSignal(numeric().slice(0, 4));
  const [group, setGroup] = createSignal({
    column: numeric()[0] ?? '',
    by: target() || (groupColumns(d())[0] ?? ''),
  });
  const [embedRun, setEmbedRun] = createSignal(0);
  const [sliceName, setSliceName] = createSignal('');
  const [message, setMessage] = createSignal<string | null>(null);
  const [allInsights, setAllInsights] = createSignal(false);

  // A new dataset starts with no selection; the same one keeps it (a selection made in another
  // tab, such as an error slice from Evaluate, is what this tab opens to show).
  createEffect(
    on(
      () => d().id,
      (id) => {
        if (props.ctx.store.state.datasetId !== id) void props.ctx.store.reset(id, d().rows);
      },
    ),
  );

  const [insights] = createResource(
    () => ({ id: d().id, target: target() || null }),
    (k) =>
      props.ctx.startJob('Finding insights', (job) => props.ctx.api.insights(k.id, { target: k.target }, job))
        .promise,
  );

  const scrollTo = (id: string) =>
    document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  const open = (i: Insight) => {
    const c = i.chart;
    if (c.kind === 'scatter') {
      setScatterCols({ ...scatterCols(), x: c.x, y: c.y, color: c.color ?? scatterCols().color });
      scrollTo('explore-scatter');
    } else if (c.kind === 'histogram' || c.kind === 'bars') {
      setColumn(c.column);
      scrollTo('explore-distribution');
    } else if (c.kind === 'box') {
      setGroup({ column: c.column, by: c.by });
      scrollTo('explore-grouped');
    } else if (c.kind === 'embedding') {
      setEmbedRun((n) => n + 1);
      scrollTo('explore-embedding');
    } else scrollTo('explore-missingness');
  };

  const store = () => props.ctx.store;
  const toStep = () => {
    const expr = store().state.expression;
    if (!expr) return;
    const id = nb.addStep('FilterRows');
    if (id === null) {
      setMessage('The notebook has no FilterRows step.');
      return;
    }
    nb.setParam(id, 'expression', expr);
    setMessage(`Added FilterRows: ${expr}`);
  };
  const saveSlice = () => {
    const s = store().saveSlice(sliceName());
    if (s) {
      setMessage(`Saved slice "${s.name}" (${formatCount(s.count)} rows).`);
      setSliceName('');
    }
  };

  return (
    <div class="explore" data-testid="explore">
      <section class="xinsights" aria-label="Insights" data-testid="explore-insights">
        <h2>Insights</h2>
        <Show when={!insights.loading} fallback={<p class="muted small">Looking for insights…</p>}>
          <Show when={insights.error}>
            <p class="muted small">Insights failed: {String(insights.error?.message ?? insights.error)}</p>
          </Show>
          <ol class="xinsight-list">
            <For each={(insights.latest ?? []).slice(0, allInsights() ? undefined : 6)}>
              {(i) => (
                <li>
                  <button
                    type="button"
                    class={`xinsight xinsight-${i.kind}`}
                    onClick={() => open(i)}
                    title="Open the full view"
                  >
                    <span class="xinsight-kind">{KIND_LABEL[i.kind]}</span>
                    <span class="xinsight-text">{i.text}</span>
                    <ScoreBar score={i.score} />
                  </button>
                </li>
              )}
            </For>
          </ol>
          <Show when={(insights.latest?.length ?? 0) > 6}>
            <button type="button" class="small-button" onClick={() => setAllInsights(!allInsights())}>
              {allInsights() ? 'Show fewer' : `Show ${(insights.latest?.length ?? 0) - 6} more`}
            </button>
          </Show>
        </Show>
      </section>

      <div class="xselection" role="status" data-testid="explore-selection">
        <span data-testid="explore-selected-count">
          <Show
            when={store().active()}
            fallback={`${formatCount(d().rows)} rows · brush, lasso or click any view to select`}
          >
            <strong>{formatCount(store().state.count)}</strong> of {formatCount(store().state.rows)} rows
            selected
            {store().state.filters.length > 1 ? ` (${store().state.filters.length} filters, AND)` : ''}
          </Show>
        </span>
        <Show when={store().active()}>
          <button type="button" class="small-button" onClick={() => void store().clear()}>
            Clear
          </button>
          <button
            type="button"
            class="small-button"
            disabled={!store().state.expression}
            title={
              store().state.expression ??
              'A lasso or brushed point set has no expression; save it as a slice.'
            }
            onClick={toStep}
          >
            Add as FilterRows step
          </button>
          <input
            class="xslice-name"
            placeholder="slice name"
            value={sliceName()}
            onInput={(e) => setSliceName(e.currentTarget.value)}
          />
          <button type="button" class="small-button" onClick={saveSlice}>
            Save slice
          </button>
        </Show>
        <Show when={store().state.slices.some((s) => s.datasetId === d().id)}>
          <span class="xslices" data-testid="explore-slices">
            <span class="muted small">Slices:</span>
            <For each={store().state.slices.filter((s) => s.datasetId === d().id)}>
              {(s) => (
                <button
                  type="button"
                  class="small-button xslice"
                  title={`Select ${s.description ?? s.name} again`}
                  onClick={() => void store().selectSlice(s.name)}
                >
                  {s.name} ({formatCount(s.count)})
                </button>
              )}
            </For>
          </span>
        </Show>
        <Show when={store().active() && store().state.label}>
          <span class="muted small" data-testid="explore-selection-label">
            {store().state.label}
          </span>
        </Show>
        <Show when={message()}>
          <span class="muted small">{message()}</span>
        </Show>
        <Show when={store().state.error}>
          <span class="xerror small">{store().state.error}</span>
        </Show>
      </div>

      <div class="xcolumn-picker">
        <label class="xfield">
          <span>Column</span>
          <select
            value={column()}
            data-testid="explore-column"
            onChange={(e) => setColumn(e.currentTarget.value)}
          >
            <For each={d().columns}>
              {(c) => (
                <option value={c.name} selected={c.name === column()}>
                  {c.name}
                </option>
              )}
            </For>
          </select>
        </label>
      </div>

      <div class="xgrid">
        <Show when={column()} keyed>
          {(c) => <DistributionPanel ctx={ctx()} column={c} />}
        </Show>
        <Show when={numeric().length > 0}>
          <GroupedPanel
            ctx={ctx()}
            column={group().column}
            by={group().by}
            onChange={(k, v) => setGroup({ ...group(), [k]: v })}
          />
        </Show>
        <Show when={numeric().length > 0}>
          <ScatterPanel
            ctx={ctx()}
            {...scatterCols()}
            onChange={(axis, v) => setScatterCols({ ...scatterCols(), [axis]: v })}
          />
        </Show>
        <CorrelationPanel
          ctx={ctx()}
          onPair={(x, y) => {
            setScatterCols({ ...scatterCols(), x, y });
            scrollTo('explore-scatter');
          }}
        />
        <Show when={numeric().length > 1}>
          <SplomPanel ctx={ctx()} columns={splomCols()} onColumns={setSplomCols} color={target()} />
        </Show>
        <MissingnessPanel ctx={ctx()} />
        <Show when={numeric().length > 1}>
          <EmbeddingPanel ctx={ctx()} color={target()} runToken={embedRun()} />
        </Show>
      </div>
    </div>
  );
}

const KIND_LABEL: Record<Insight['kind'], string> = {
  correlation: 'Correlation',
  skew: 'Skew',
  target: 'Target',
  separability: 'Embedding',
  quality: 'Quality',
};

/** The insight's strength as a small bar chart (its score, 0–1). */
function ScoreBar(props: { score: number }): JSX.Element {
  return (
    <svg
      class="xscore"
      width="60"
      height="10"
      viewBox="0 0 60 10"
      role="img"
      aria-label={`strength ${Math.round(props.score * 100)}%`}
    >
      <rect x="0" y="2" width="60" height="6" rx="3" class="xscore-track" />
      <rect x="0" y="2" width={Math.max(3, props.score * 60)} height="6" rx="3" class="xscore-fill" />
    </svg>
  );
}
