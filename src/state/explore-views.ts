/**
 * The Explore tab's panels: what each one shows (its settings, kept per dataset so they outlive
 * tab switches) and the worker's answers for them. Every engine call of the tab is made here —
 * the panels only render — through requests that follow their settings (an answer to superseded
 * settings is dropped, a superseded job cancelled). Colour codes of a column are fetched once per
 * dataset revision and shared by the views that colour by it (scatter-plot matrix, embedding, box
 * plot), so they all see the same categories and give each the same colour.
 */
import { createEffect, untrack } from 'solid-js';
import { createStore } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type {
  CorrelationMethod,
  DatasetInfo,
  EmbeddingMethod,
  EngineApi,
  Insight,
  JobOptions,
  Progress,
} from '../protocol/api';
import type { Job } from './client';
import type { ExploreStore } from './explore';
import { createEmbeddingRunner } from './explore-embedding';
import { createRequest } from './explore-request';
import type { Fetched } from './profile';

/** The engine calls of the Explore panels (the real client's `api` satisfies it). */
export type ExploreViewsApi = Pick<
  EngineApi,
  | 'columnSummary'
  | 'scatterData'
  | 'columnsData'
  | 'correlation'
  | 'groupedDistribution'
  | 'missingness'
  | 'insights'
  | 'embedding'
  | 'embeddingFrame'
>;

export interface ExploreViewsHost {
  /** Starts a job the status bar shows (the workbench's). */
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  progressOf(jobId: string): Progress | null;
  /** The dataset on screen. */
  dataset(): DatasetInfo | null;
  /** The workbench's revision of a dataset: a re-typed column makes every answer stale. */
  revision(datasetId: string): number;
  /** The notebook's target column, if any. */
  target(): string | null;
}

/** What each panel shows. Empty strings mean "none". */
export interface ExploreSettings {
  /** Distribution panel. */
  column: string;
  bins: number;
  /** The column the scatter plot, SPLOM and embedding are coloured by. */
  color: string;
  scatter: { x: string; y: string; size: string };
  splom: string[];
  grouped: { column: string; by: string };
  correlation: CorrelationMethod;
  embedding: EmbeddingMethod;
}

export const SPLOM_COLUMNS_MAX = 8;

const NUMERIC = new Set(['integer', 'float', 'date', 'datetime']);
/** Columns drawn on a numeric axis (dates included). */
export const numericColumns = (d: DatasetInfo) =>
  d.columns.filter((c) => NUMERIC.has(c.type)).map((c) => c.name);
/** Columns that group rows. */
export const groupColumns = (d: DatasetInfo) =>
  d.columns
    .filter((c) => c.type === 'categorical' || c.type === 'boolean' || c.type === 'text')
    .map((c) => c.name);
/** Whether a column holds dates (drawn on a time axis). */
export const isDateColumn = (d: DatasetInfo, column: string) =>
  d.columns.some((c) => c.name === column && (c.type === 'date' || c.type === 'datetime'));

/** The column to colour and group by at first: the notebook's target, else a label-like column. */
export function targetOf(d: DatasetInfo, target: string | null): string {
  return target && d.columns.some((c) => c.name === target)
    ? target
    : (groupColumns(d).find((c) => /target|class|label|species/i.test(c)) ?? '');
}

export function defaultSettings(d: DatasetInfo, target: string | null): ExploreSettings {
  const numeric = numericColumns(d);
  const groups = groupColumns(d);
  const t = targetOf(d, target);
  return {
    column: numeric[0] ?? d.columns[0]?.name ?? '',
    bins: 30,
    color: t,
    scatter: { x: numeric[0] ?? '', y: numeric[1] ?? numeric[0] ?? '', size: '' },
    splom: numeric.slice(0, 4),
    // Grouped by the target only when it is a category: a regression target (txhousing's
    // "median") made 1,061 one-value boxes, with the "by" box blank.
    grouped: { column: numeric[0] ?? '', by: groups.includes(t) ? t : (groups[0] ?? '') },
    correlation: 'pearson',
    embedding: 'pca',
  };
}

/** A column's colour per row: category codes with their names, or continuous values. */
export interface ColourCodes {
  color: Float32Array | Uint32Array;
  categories?: string[];
}

/** Which panel an insight opens (the tab scrolls to it). */
export type ExplorePanelId =
  | 'explore-distribution'
  | 'explore-grouped'
  | 'explore-scatter'
  | 'explore-splom'
  | 'explore-missingness'
  | 'explore-embedding';

export type ExploreViews = ReturnType<typeof createExploreViews>;

type Keyed = <K>(make: (s: ExploreSettings) => K | null) => () => (K & { id: string; rev: number }) | null;

/** Each panel's request, keyed by the dataset on screen and the panel's settings. */
function createPanelRequests(
  api: ExploreViewsApi,
  selection: ExploreStore,
  host: ExploreViewsHost,
  keyed: Keyed,
) {
  // Answers say which dataset they belong to (and the scatter what it plots), so a chart can stay
  // up, rightly labelled, while the answer to new settings loads.
  return {
    distribution: createRequest(
      keyed((s) => (s.column ? { column: s.column, bins: s.bins, v: selection.state.version } : null)),
      async (k) => ({ ...(await api.columnSummary(k.id, k.column, { bins: k.bins })), datasetId: k.id }),
    ),
    scatter: createRequest(
      keyed((s) =>
        s.scatter.x && s.scatter.y
          ? { x: s.scatter.x, y: s.scatter.y, color: s.color || null, size: s.scatter.size || null }
          : null,
      ),
      async (k) => {
        const spec = { x: k.x, y: k.y, color: k.color, size: k.size };
        return { ...(await api.scatterData(k.id, spec)), spec, datasetId: k.id };
      },
    ),
    splom: createRequest(
      keyed((s) => (s.splom.length >= 2 ? { columns: [...s.splom] } : null)),
      async (k) => ({ columns: await api.columnsData(k.id, k.columns), datasetId: k.id }),
    ),
    correlation: createRequest(
      keyed((s) => ({ method: s.correlation })),
      async (k) => ({ ...(await api.correlation(k.id, { method: k.method })), datasetId: k.id }),
    ),
    grouped: createRequest(
      keyed((s) =>
        s.grouped.column
          ? { column: s.grouped.column, by: s.grouped.by || null, v: selection.state.version }
          : null,
      ),
      async (k) => ({ ...(await api.groupedDistribution(k.id, k.column, k.by)), datasetId: k.id }),
    ),
    missingness: createRequest(
      keyed(() => ({})),
      async (k) => ({ ...(await api.missingness(k.id)), datasetId: k.id }),
    ),
    insights: createRequest(
      keyed(() => ({ target: targetOf(host.dataset()!, host.target()) || null })),
      (k) => host.startJob('Finding insights', (job) => api.insights(k.id, { target: k.target }, job)),
    ),
  };
}

/**
 * Colour codes per column, fetched once per dataset revision (one pass in the worker) and shared
 * by every view that colours by the column.
 */
function createColourCache(api: ExploreViewsApi, host: ExploreViewsHost) {
  const [colours, setColours] = createStore<Record<string, Fetched<ColourCodes>>>({});
  const keyOf = (column: string) => {
    const d = host.dataset();
    return d && column ? `${d.id}@${host.revision(d.id)}|${column}` : null;
  };
  function request(column: string): void {
    const d = host.dataset();
    const key = keyOf(column);
    if (!d || !key || colours[key]) return;
    // The worker sends codes with a scatter's points; any numeric column serves as the axes.
    const axis = numericColumns(d)[0];
    if (!axis) return;
    setColours(key, { status: 'loading' });
    api.scatterData(d.id, { x: axis, y: axis, color: column }).then(
      (p) =>
        setColours(key, {
          status: 'ready',
          value: p.color
            ? { color: p.color, ...(p.categories ? { categories: p.categories } : {}) }
            : undefined,
        }),
      (e: unknown) => setColours(key, { status: 'error', error: toEngineError(e) }),
    );
  }
  return {
    /** A column's colour codes (null until a panel that follows them has them fetched). */
    of(column: string): ColourCodes | null {
      const key = keyOf(column);
      return (key && colours[key]?.value) || null;
    },
    /** Whether a column's codes are on their way (a view may wait rather than draw twice). */
    pending(column: string): boolean {
      const key = keyOf(column);
      return key !== null && (!colours[key] || colours[key]!.status === 'loading');
    },
    /** Fetches the codes of `column()` now and whenever it changes, from the calling panel. */
    follow(column: () => string): void {
      createEffect(() => {
        const c = column();
        if (keyOf(c)) untrack(() => request(c));
      });
    },
  };
}

export function createExploreViews(api: ExploreViewsApi, selection: ExploreStore, host: ExploreViewsHost) {
  const [saved, setSaved] = createStore<Record<string, ExploreSettings>>({});
  const settings = (): ExploreSettings | null => {
    const d = host.dataset();
    return d ? (saved[d.id] ?? defaultSettings(d, host.target())) : null;
  };
  function update(patch: Partial<ExploreSettings>): void {
    const d = host.dataset();
    const s = settings();
    if (d && s) setSaved(d.id, { ...s, ...patch });
  }
  /** A request's key: the dataset on screen, its revision and what the settings ask (null: nothing). */
  const keyed: Keyed = (make) => () => {
    const d = host.dataset();
    const s = settings();
    const k = d && s ? make(s) : null;
    return k && d ? { ...k, id: d.id, rev: host.revision(d.id) } : null;
  };
  const requests = createPanelRequests(api, selection, host, keyed);
  const colours = createColourCache(api, host);
  const embedding = createEmbeddingRunner(api, host, () => settings()?.embedding ?? 'pca');

  /** Sets the panel an insight points at to its chart (columns, method) and says which panel that is. */
  function openInsight(i: Insight): ExplorePanelId {
    const c = i.chart;
    const s = settings();
    if (!s) return 'explore-distribution';
    if (c.kind === 'scatter') {
      update({ scatter: { ...s.scatter, x: c.x, y: c.y }, ...(c.color ? { color: c.color } : {}) });
      return 'explore-scatter';
    }
    if (c.kind === 'histogram' || c.kind === 'bars') {
      update({ column: c.column });
      return 'explore-distribution';
    }
    if (c.kind === 'box') {
      update({ grouped: { column: c.column, by: c.by } });
      return 'explore-grouped';
    }
    if (c.kind === 'embedding') {
      if (!embedding.running()) embedding.run();
      return 'explore-embedding';
    }
    return 'explore-missingness';
  }

  return {
    selection,
    dataset: host.dataset,
    settings,
    ...requests,
    embedding,
    openInsight,
    setColumn: (column: string) => update({ column }),
    setBins: (bins: number) => update({ bins: Math.max(5, Math.min(100, Math.round(bins))) }),
    setColor: (color: string) => update({ color }),
    setScatter(axis: 'x' | 'y' | 'size', column: string): void {
      const s = settings();
      if (s) update({ scatter: { ...s.scatter, [axis]: column } });
    },
    /** Adds or removes a SPLOM column (at most SPLOM_COLUMNS_MAX). */
    toggleSplomColumn(column: string): void {
      const s = settings();
      if (!s) return;
      if (s.splom.includes(column)) update({ splom: s.splom.filter((c) => c !== column) });
      else if (s.splom.length < SPLOM_COLUMNS_MAX) update({ splom: [...s.splom, column] });
    },
    setGrouped(k: 'column' | 'by', column: string): void {
      const s = settings();
      if (s) update({ grouped: { ...s.grouped, [k]: column } });
    },
    setCorrelation: (correlation: CorrelationMethod) => update({ correlation }),
    setEmbeddingMethod: (method: EmbeddingMethod) => update({ embedding: method }),
    /** A column's colour codes (fetched on first use by a panel that follows it). */
    coloursOf: colours.of,
    coloursPending: colours.pending,
    /** Follows a column's colour codes from a panel (the SPLOM's, the embedding's, the box plot's groups). */
    followColours: colours.follow,
  };
}
