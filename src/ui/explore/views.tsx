/**
 * The Explore tab's views, each a Solid wrapper around a pure d3 view of src/viz. Data come from
 * the worker (bins, aggregates, typed arrays); a brush, lasso or click sets this view's filter in
 * the explore store; every view re-reads its highlight when the selection changes.
 */
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  type JSX,
  on,
  onCleanup,
  Show,
  untrack,
} from 'solid-js';
import type { DatasetInfo, EmbeddingMethod, ExploreApi, Progress } from '../../protocol/api';
import type { Job } from '../../state/client';
import type { ExploreStore } from '../../state/explore';
import {
  bars,
  boxplot,
  countSelected,
  embedding,
  heatmap,
  histogram,
  missingness,
  type ScatterMode,
  type ScatterView,
  scatter,
  splom,
  violin,
} from '../../viz';
import { formatCount } from '../format';
import { describeEmbeddingRun } from './embedding-note';
import { Host, Panel, Select } from './Panel';

export interface ExploreContext {
  api: ExploreApi;
  store: ExploreStore;
  dataset: DatasetInfo;
  startJob<T>(
    label: string,
    run: (job: { id: string; onProgress?: (p: Progress) => void }) => Promise<T>,
  ): Job<T>;
  progressOf(jobId: string): Progress | null;
}

const NUMERIC = new Set(['integer', 'float', 'date', 'datetime']);
export const numericColumns = (d: DatasetInfo) =>
  d.columns.filter((c) => NUMERIC.has(c.type)).map((c) => c.name);
export const groupColumns = (d: DatasetInfo) =>
  d.columns
    .filter((c) => c.type === 'categorical' || c.type === 'boolean' || c.type === 'text')
    .map((c) => c.name);

const svgOf = (host: () => HTMLElement | undefined) => () =>
  (host()?.querySelector('svg') as SVGSVGElement | null) ?? null;

/** Histogram (numbers, dates) or sorted bars (categories) of one column, with the missing share. */
export function DistributionPanel(props: { ctx: ExploreContext; column: string }): JSX.Element {
  const [bins, setBins] = createSignal(30);
  const source = () => `dist:${props.column}`;
  const [summary] = createResource(
    () => ({
      id: props.ctx.dataset.id,
      column: props.column,
      bins: bins(),
      v: props.ctx.store.state.version,
    }),
    (k) => props.ctx.api.columnSummary(k.id, k.column, { bins: k.bins }),
  );
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const s = summary.latest;
    if (!s || s.column !== props.column) return null;
    const own = untrack(() => props.ctx.store.filterOf(source()));
    const ds = props.ctx.dataset.id;
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
          width: 520,
          height: 240,
          theme: 'auto',
          source: source(),
          range: own?.kind === 'range' ? own.range : null,
          title: `Histogram of ${s.column}`,
          onBrush: (sel) =>
            void props.ctx.store.setFilter(
              ds,
              source(),
              sel ? { kind: 'range', column: s.column, range: sel.range } : null,
            ),
        },
      );
    }
    const own2 = own?.kind === 'categories' ? own : null;
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
        width: 520,
        height: Math.min(420, 60 + 20 * (s.labels.length + 2)),
        theme: 'auto',
        source: source(),
        ...(own2 ? { categories: own2.categories } : {}),
        title: `Most frequent values of ${s.column}`,
        onSelect: (sel) =>
          void props.ctx.store.setFilter(
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
  const s = () => summary.latest;
  const missingShare = () => {
    const x = s();
    return x ? x.missing / props.ctx.dataset.rows : 0;
  };
  return (
    <Panel
      id="explore-distribution"
      title={`Distribution of ${props.column}`}
      exportable={{ svg: svgOf(() => host) }}
      controls={
        <Show when={s()?.kind === 'numeric'}>
          <label class="xfield">
            <span>Bins {bins()}</span>
            <input
              type="range"
              min="5"
              max="100"
              value={bins()}
              onInput={(e) => setBins(Number(e.currentTarget.value))}
            />
          </label>
        </Show>
      }
      note={
        <>
          {(missingShare() * 100).toFixed(1)}% missing.{' '}
          {s()?.kind === 'numeric'
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

/** Scatter of two numeric columns, colour and size by others; brush or lasso selects rows. */
export function ScatterPanel(props: {
  ctx: ExploreContext;
  x: string;
  y: string;
  color: string;
  size: string;
  onChange(axis: 'x' | 'y' | 'color' | 'size', column: string): void;
}): JSX.Element {
  const [mode, setMode] = createSignal<ScatterMode>('brush');
  const numeric = () => numericColumns(props.ctx.dataset);
  const all = () => props.ctx.dataset.columns.map((c) => c.name);
  const [points] = createResource(
    () => ({
      id: props.ctx.dataset.id,
      x: props.x,
      y: props.y,
      color: props.color || null,
      size: props.size || null,
    }),
    (k) => props.ctx.api.scatterData(k.id, k),
  );
  const [shown, setShown] = createSignal(0);
  let current: ScatterView | null = null;
  const view = createMemo(() => {
    const p = points.latest;
    if (!p || p.x.length !== props.ctx.dataset.rows) return null;
    const ds = props.ctx.dataset.id;
    const v = scatter(
      {
        x: p.x,
        y: p.y,
        ...(p.color ? { color: p.color } : {}),
        ...(p.categories ? { categories: p.categories } : {}),
        ...(p.size ? { size: p.size } : {}),
        selected: untrack(props.ctx.store.mask),
        labels: {
          x: props.x,
          y: props.y,
          ...(props.color ? { color: props.color } : {}),
          ...(props.size ? { size: props.size } : {}),
        },
      },
      {
        width: 560,
        height: 400,
        theme: 'auto',
        mode: untrack(mode),
        source: 'scatter',
        title: `${props.y} against ${props.x}`,
        onSelect: (sel) =>
          void props.ctx.store.setFilter(ds, 'scatter', sel ? { kind: 'mask', mask: sel.mask } : null),
      },
    );
    current = v;
    return v;
  });
  createEffect(
    on(props.ctx.store.mask, (m) => {
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
      controls={
        <>
          <Select
            label="x"
            value={props.x}
            options={numeric()}
            onChange={(v) => props.onChange('x', v)}
            testid="scatter-x"
          />
          <Select
            label="y"
            value={props.y}
            options={numeric()}
            onChange={(v) => props.onChange('y', v)}
            testid="scatter-y"
          />
          <Select
            label="colour"
            value={props.color}
            options={all()}
            empty="none"
            onChange={(v) => props.onChange('color', v)}
          />
          <Select
            label="size"
            value={props.size}
            options={numeric()}
            empty="none"
            onChange={(v) => props.onChange('size', v)}
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
          {props.ctx.store.mask() ? `${formatCount(shown())} selected` : 'No selection'} of{' '}
          {formatCount(props.ctx.dataset.rows)} points
          {points.loading ? ' · loading…' : ''}
        </span>
      }
    >
      <Show when={view()} keyed>
        {(v) => <Host view={v} />}
      </Show>
    </Panel>
  );
}

/** Scatter-plot matrix of up to 8 chosen numeric columns; brushing a cell selects rows. */
export function SplomPanel(props: {
  ctx: ExploreContext;
  columns: string[];
  onColumns(c: string[]): void;
  color: string;
}): JSX.Element {
  const [data] = createResource(
    () => ({ id: props.ctx.dataset.id, columns: props.columns, color: props.color }),
    async (k) => {
      const columns = await props.ctx.api.columnsData(k.id, k.columns);
      const c =
        k.color && k.columns[0]
          ? await props.ctx.api.scatterData(k.id, { x: k.columns[0], y: k.columns[0], color: k.color })
          : null;
      return { columns, color: c?.color, categories: c?.categories };
    },
  );
  let current: ReturnType<typeof splom> | null = null;
  const view = createMemo(() => {
    const d = data.latest;
    if (!d || d.columns.length < 2) return null;
    const ds = props.ctx.dataset.id;
    current = splom(
      {
        columns: d.columns,
        ...(d.color ? { color: d.color } : {}),
        ...(d.categories ? { categories: d.categories } : {}),
        selected: untrack(props.ctx.store.mask),
      },
      {
        width: 560,
        height: 560,
        theme: 'auto',
        source: 'splom',
        onSelect: (sel) =>
          void props.ctx.store.setFilter(ds, 'splom', sel ? { kind: 'mask', mask: sel.mask } : null),
      },
    );
    return current;
  });
  createEffect(on(props.ctx.store.mask, (m) => current?.update({ selected: m }), { defer: true }));
  const toggle = (c: string) => {
    const has = props.columns.includes(c);
    if (has) props.onColumns(props.columns.filter((x) => x !== c));
    else if (props.columns.length < 8) props.onColumns([...props.columns, c]);
  };
  return (
    <Panel
      id="explore-splom"
      title="Scatter-plot matrix"
      exportable={{ svg: () => current?.svg ?? null, png: () => current!.toPngBlob(2) }}
      note={
        <span class="xchips">
          {numericColumns(props.ctx.dataset).map((c) => (
            <label class="xchip">
              <input
                type="checkbox"
                checked={props.columns.includes(c)}
                onChange={() => toggle(c)}
                disabled={!props.columns.includes(c) && props.columns.length >= 8}
              />
              {c}
            </label>
          ))}
        </span>
      }
    >
      <Show when={view()} keyed fallback={<p class="muted small">Choose at least two columns (up to 8).</p>}>
        {(v) => <Host view={v} />}
      </Show>
    </Panel>
  );
}

/** Correlation heatmap, Pearson or Spearman, clustered order; a click opens the pair's scatter. */
export function CorrelationPanel(props: {
  ctx: ExploreContext;
  onPair(x: string, y: string): void;
}): JSX.Element {
  const [method, setMethod] = createSignal<'pearson' | 'spearman'>('pearson');
  const [corr] = createResource(
    () => ({ id: props.ctx.dataset.id, method: method() }),
    (k) => props.ctx.api.correlation(k.id, { method: k.method }),
  );
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const c = corr.latest;
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
  const c = () => corr.latest;
  return (
    <Panel
      id="explore-correlation"
      title="Correlations"
      exportable={{ svg: svgOf(() => host) }}
      controls={
        <Select
          label="method"
          value={method()}
          options={['pearson', 'spearman']}
          onChange={(v) => setMethod(v as 'pearson')}
        />
      }
      note={
        <Show when={c()}>
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
      <div ref={host}>
        <Show when={view()} keyed fallback={<p class="muted small">Needs two numeric columns.</p>}>
          {(v) => <Host view={{ node: v }} />}
        </Show>
      </div>
    </Panel>
  );
}

/** Box or violin plots of a numeric column grouped by a categorical one. */
export function GroupedPanel(props: {
  ctx: ExploreContext;
  column: string;
  by: string;
  onChange(k: 'column' | 'by', v: string): void;
}): JSX.Element {
  const [kind, setKind] = createSignal<'box' | 'violin'>('box');
  const [data] = createResource(
    () => ({
      id: props.ctx.dataset.id,
      column: props.column,
      by: props.by || null,
      v: props.ctx.store.state.version,
    }),
    (k) => props.ctx.api.groupedDistribution(k.id, k.column, k.by),
  );
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const d = data.latest;
    if (!d) return null;
    const o = {
      column: d.column,
      ...(d.by ? { groupBy: d.by } : {}),
      width: 520,
      height: 300,
      theme: 'auto' as const,
    };
    const selected = d.selected ? { selected: d.selected } : {};
    return kind() === 'box'
      ? boxplot({ groups: d.groups, ...selected }, o)
      : violin({ groups: d.groups, ...selected }, o);
  });
  return (
    <Panel
      id="explore-grouped"
      title="By group"
      exportable={{ svg: svgOf(() => host) }}
      controls={
        <>
          <Select
            label="value"
            value={props.column}
            options={numericColumns(props.ctx.dataset)}
            onChange={(v) => props.onChange('column', v)}
          />
          <Select
            label="by"
            value={props.by}
            options={groupColumns(props.ctx.dataset)}
            empty="none"
            onChange={(v) => props.onChange('by', v)}
          />
          <Select
            label="plot"
            value={kind()}
            options={['box', 'violin']}
            onChange={(v) => setKind(v as 'box')}
          />
        </>
      }
      note={
        [
          data.latest?.selected ? 'Highlighted inside each group: the selected rows.' : '',
          data.latest && data.latest.groupsLeftOut > 0
            ? `The ${data.latest.groups.length} largest groups; ${data.latest.groupsLeftOut} more left out.`
            : '',
        ]
          .filter(Boolean)
          .join(' ') || undefined
      }
    >
      <div ref={host}>
        <Show when={view()} keyed>
          {(v) => <Host view={{ node: v }} />}
        </Show>
      </div>
    </Panel>
  );
}

export function MissingnessPanel(props: { ctx: ExploreContext }): JSX.Element {
  const [data] = createResource(
    () => props.ctx.dataset.id,
    (id) => props.ctx.api.missingness(id),
  );
  let host: HTMLDivElement | undefined;
  const view = createMemo(() => {
    const d = data.latest;
    if (!d) return null;
    return missingness(
      { columns: d.columns, rows: d.rows, bitmap: d.bitmap, totalRows: d.totalRows },
      { width: 520, height: 300, theme: 'auto', title: 'Missing values' },
    );
  });
  const total = () => data.latest?.missingPerColumn.reduce((a, b) => a + b, 0) ?? 0;
  return (
    <Panel
      id="explore-missingness"
      title="Missing values"
      exportable={{ svg: svgOf(() => host) }}
      note={
        <Show when={data.latest}>
          {(d) =>
            `${formatCount(total())} missing cells; ${d().patterns.length} pattern${d().patterns.length === 1 ? '' : 's'}${d().rows < d().totalRows ? `; matrix of ${formatCount(d().rows)} evenly spaced rows` : ''}.`
          }
        </Show>
      }
    >
      <div ref={host}>
        <Show when={view()} keyed>
          {(v) => <Host view={{ node: v }} />}
        </Show>
      </div>
    </Panel>
  );
}

/** 2-D embedding (PCA, t-SNE or UMAP of all rows), animated while it optimises. */
export function EmbeddingPanel(props: { ctx: ExploreContext; color: string; runToken: number }): JSX.Element {
  const [method, setMethod] = createSignal<EmbeddingMethod>('pca');
  const [ran, setRan] = createSignal<string | null>(null);
  const [job, setJob] = createSignal<Job<unknown> | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [result, setResult] = createSignal<{
    x: Float32Array;
    y: Float32Array;
    method: string;
    explained?: [number, number];
  } | null>(null);
  const [colour] = createResource(
    () =>
      props.color
        ? { id: props.ctx.dataset.id, c: props.color, x: numericColumns(props.ctx.dataset)[0] }
        : null,
    (k) => (k.x ? props.ctx.api.scatterData(k.id, { x: k.x, y: k.x, color: k.c }) : Promise.resolve(null)),
  );
  let current: ReturnType<typeof embedding> | null = null;
  const view = createMemo(() => {
    const r = result();
    if (!r) return null;
    const c = colour.latest;
    const ds = props.ctx.dataset.id;
    const pc = r.explained ? (i: number) => `PC${i + 1} (${Math.round(r.explained![i]! * 100)}%)` : () => '';
    current = embedding(
      {
        x: r.x,
        y: r.y,
        ...(c?.color ? { color: c.color } : {}),
        ...(c?.categories ? { classes: c.categories } : {}),
        selected: untrack(props.ctx.store.mask),
        labels: { x: pc(0), y: pc(1), ...(props.color ? { color: props.color } : {}) },
      },
      {
        width: 560,
        height: 400,
        theme: 'auto',
        mode: 'lasso',
        source: 'embedding',
        onSelect: (sel) =>
          void props.ctx.store.setFilter(ds, 'embedding', sel ? { kind: 'mask', mask: sel.mask } : null),
      },
    );
    return current;
  });
  createEffect(on(props.ctx.store.mask, (m) => current?.update({ selected: m }), { defer: true }));
  const run = () => {
    setError(null);
    setRan(null);
    const m = method();
    const j = props.ctx.startJob(`Embedding (${m.toUpperCase()})`, (o) =>
      props.ctx.api.embedding(props.ctx.dataset.id, { method: m, seed: 0 }, o),
    );
    setJob(j);
    j.promise
      .then(
        (r) => {
          setRan(describeEmbeddingRun(r));
          if (current && result() && result()!.x.length === r.x.length) void current.moveTo(r.x, r.y);
          else setResult(r);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      )
      .finally(() => setJob(null));
  };
  // Intermediate layouts while a t-SNE/UMAP job runs.
  createEffect(
    on(
      () => {
        const j = job();
        return j ? props.ctx.progressOf(j.id)?.fraction : null;
      },
      async () => {
        const j = job();
        if (!j) return;
        const frame = await props.ctx.api.embeddingFrame(j.id);
        if (!frame) return;
        if (current && result()?.x.length === frame.x.length) void current.moveTo(frame.x, frame.y);
        else setResult({ ...frame, method: method() });
      },
      { defer: true },
    ),
  );
  createEffect(
    on(
      () => props.runToken,
      (t) => t > 0 && !job() && run(),
      { defer: true },
    ),
  );
  return (
    <Panel
      id="explore-embedding"
      title="Embedding"
      exportable={{ svg: () => current?.scatter.svg ?? null, png: () => current!.scatter.toPngBlob(2) }}
      controls={
        <>
          <label class="xfield">
            <span>method</span>
            <select value={method()} onChange={(e) => setMethod(e.currentTarget.value as EmbeddingMethod)}>
              <option value="pca">PCA</option>
              <option value="tsne">t-SNE</option>
              <option value="umap">UMAP</option>
            </select>
          </label>
          <Show
            when={job()}
            fallback={
              <button type="button" class="button primary" onClick={run} data-testid="embedding-run">
                Run
              </button>
            }
          >
            {(j) => (
              <button type="button" class="button" onClick={() => j().cancel()}>
                Cancel {Math.round((props.ctx.progressOf(j().id)?.fraction ?? 0) * 100)}%
              </button>
            )}
          </Show>
        </>
      }
      note={
        error() ??
        ran() ??
        'Standardised numeric columns, all rows; lasso points to select them. Same seed, same picture.'
      }
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
