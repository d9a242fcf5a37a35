/**
 * The Explore tab's linked selection, crossfilter-style: every view (a histogram, a bar chart,
 * the scatter, the SPLOM, the embedding) owns at most one filter, keyed by its `source`; the
 * selection is their AND, computed in the worker (`setSelection`), which answers with the row
 * mask and the count. Views re-read their highlighted aggregates when `version` changes. The
 * selection can become a FilterRows step (when it has an expression) or a named slice; other
 * tabs select rows by id (`selectRows`: Evaluate's error slices and confusion cells).
 */
import { type Table, tableFromIPC } from 'apache-arrow';
import { batch, createSignal } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type { EngineApi, ExploreFilter, SelectionState } from '../protocol/api';
import { createRequest, type Request } from './explore-request';

export type ExploreClient = Pick<EngineApi, 'setSelection' | 'selectedRows' | 'selectedTable'> &
  /** Where named slices are kept with their dataset (the engine); without them, in memory only. */
  Partial<Pick<EngineApi, 'keepSlice' | 'keptSlices' | 'forgetSlice'>>;

/** The selected rows as listed under the Data tab and Evaluate's error slices. */
export interface SelectedRowsPage {
  /** Row ids in the dataset as loaded. */
  ids: Uint32Array;
  table: Table;
}

/** A filter with the view that set it. */
export type SourcedFilter = ExploreFilter & { source: string };

export interface NamedSlice {
  name: string;
  datasetId: string;
  count: number;
  /** FilterRows expression when the selection has one, else null (a lasso). */
  expression: string | null;
  /** Row ids (ascending) in the dataset as loaded. */
  rows: Uint32Array;
  /** Rows of the dataset (the length of the mask that selects the slice again). */
  datasetRows: number;
  /** What the slice is, when it came from elsewhere (an error slice of a run). */
  description?: string;
}

interface ExploreState {
  datasetId: string | null;
  filters: SourcedFilter[];
  count: number;
  rows: number;
  expression: string | null;
  /** Bumped after every answered selection change: views refetch their selected counts. */
  version: number;
  error: string | null;
  slices: NamedSlice[];
  /** What the selection is when another tab set it by rows (an error slice, a confusion cell). */
  label: string | null;
}

export type ExploreStore = ReturnType<typeof createExploreStore>;

/** The filter source of a selection made by rows (error slices, named slices). */
const ROWS_SOURCE = 'rows';

export function createExploreStore(client: ExploreClient) {
  const [state, setState] = createStore<ExploreState>({
    datasetId: null,
    filters: [],
    count: 0,
    rows: 0,
    expression: null,
    version: 0,
    error: null,
    slices: [],
    label: null,
  });
  // The mask is a big typed array: a signal (not a deep store proxy), replaced, never mutated.
  const [mask, setMask] = createSignal<Uint8Array | null>(null, { equals: false });
  let request = 0;

  const keep = (slice: NamedSlice) => keepSlice(client, slice);

  async function apply(datasetId: string, filters: SourcedFilter[]): Promise<SelectionState | null> {
    const mine = ++request;
    setState({ datasetId, filters, label: null });
    try {
      const answer = await client.setSelection(
        datasetId,
        filters.map(({ source: _source, ...f }) => f as ExploreFilter),
      );
      // A newer brush superseded this one while the worker was counting.
      if (mine !== request) return null;
      batch(() => {
        setMask(answer.mask);
        setState({
          count: answer.count,
          rows: answer.rows,
          expression: answer.expression,
          error: null,
          version: state.version + 1,
        });
      });
      return answer;
    } catch (e) {
      if (mine === request) setState('error', toEngineError(e).message);
      return null;
    }
  }

  /**
   * Selects exactly these rows (ids in the dataset as loaded) in every linked view, in place of
   * the views' own filters: how another tab (Evaluate's error slices) shows its rows here.
   */
  async function selectRows(
    datasetId: string,
    rows: ArrayLike<number>,
    datasetRows: number,
    label: string,
  ): Promise<SelectionState | null> {
    const mask = new Uint8Array(datasetRows);
    for (let i = 0; i < rows.length; i++) mask[rows[i]!] = 1;
    const answer = await apply(datasetId, [{ kind: 'mask', mask, source: ROWS_SOURCE }]);
    if (answer) setState('label', label);
    return answer;
  }

  return {
    state,
    mask,
    /** Whether any filter is set. */
    active: () => state.filters.length > 0,
    /** Starts over on another dataset: no filters, everything counted as selected. */
    reset(datasetId: string, rows: number): Promise<SelectionState | null> {
      batch(() => {
        setMask(null);
        setState({ count: rows, rows, expression: null });
      });
      return apply(datasetId, []);
    },
    /** Sets (or with null, removes) the filter of one view and recomputes the selection. */
    setFilter(
      datasetId: string,
      source: string,
      filter: ExploreFilter | null,
    ): Promise<SelectionState | null> {
      const others = (state.datasetId === datasetId ? state.filters : []).filter((f) => f.source !== source);
      return apply(datasetId, filter ? [...others, { ...filter, source } as SourcedFilter] : others);
    },
    filterOf(source: string): SourcedFilter | undefined {
      return state.filters.find((f) => f.source === source);
    },
    clear(): Promise<SelectionState | null> {
      return state.datasetId ? apply(state.datasetId, []) : Promise.resolve(null);
    },
    /** Keeps the current selection as a named slice (row ids computed from the mask). */
    saveSlice(name: string): NamedSlice | null {
      const m = mask();
      if (!m || !state.datasetId) return null;
      const rows = new Uint32Array(state.count);
      for (let i = 0, k = 0; i < m.length; i++) if (m[i]) rows[k++] = i;
      const slice: NamedSlice = {
        name: name.trim() || `Slice ${state.slices.length + 1}`,
        datasetId: state.datasetId,
        count: state.count,
        expression: state.expression,
        rows,
        datasetRows: state.rows,
      };
      setState(produce((s) => void s.slices.push(slice)));
      keep(slice);
      return slice;
    },
    selectRows,
    /** Keeps a set of rows as a named slice (a unique name: a repeated one gets a number). */
    addSlice(slice: Omit<NamedSlice, 'count'>): NamedSlice {
      const base = slice.name.trim() || `Slice ${state.slices.length + 1}`;
      let name = base;
      for (let k = 2; state.slices.some((s) => s.name === name); k++) name = `${base} (${k})`;
      const named: NamedSlice = { ...slice, name, count: slice.rows.length };
      setState(produce((s) => void s.slices.push(named)));
      keep(named);
      return named;
    },
    /**
     * Lists the slices the engine keeps for a dataset (after a reload or a restarted engine the
     * dataset has a new id; its slices come back with it). Call when a dataset is shown, with
     * its number of rows.
     */
    async syncSlices(datasetId: string, datasetRows: number): Promise<void> {
      if (!client.keptSlices) return;
      const kept = await client.keptSlices(datasetId).catch(() => null);
      if (!kept) return;
      setState('slices', (list) => withKept(list, datasetId, datasetRows, kept));
    },
    /** Selects a named slice's rows again. */
    selectSlice(name: string): Promise<SelectionState | null> {
      const slice = state.slices.find((s) => s.name === name);
      if (!slice) return Promise.resolve(null);
      return selectRows(slice.datasetId, slice.rows, slice.datasetRows, `slice "${slice.name}"`);
    },
    removeSlice(name: string): void {
      for (const s of state.slices) {
        if (s.name === name) void client.forgetSlice?.(s.datasetId, name).catch(() => undefined);
      }
      setState('slices', (list) => list.filter((s) => s.name !== name));
    },
    /**
     * The first `limit` selected rows of a dataset (ids and values), fetched again whenever the
     * selection changes. Call it from the component that lists them; call `follow()` on the result.
     */
    selectedRows: (datasetId: () => string | null, limit: number): Request<SelectedRowsPage> =>
      selectedRowsRequest(client, () => state.version, datasetId, limit),
  };
}

/** Hands a new slice to the engine, which keeps it with the dataset (best effort: the slice works
 * for the session either way). */
function keepSlice(client: ExploreClient, slice: NamedSlice): void {
  const { name, expression, rows, description } = slice;
  void client
    .keepSlice?.(slice.datasetId, {
      name,
      expression,
      rows: rows.slice(),
      ...(description !== undefined ? { description } : {}),
    })
    .catch(() => undefined);
}

/** The slice list with a dataset's kept slices in place of its listed ones (others untouched). */
function withKept(
  list: readonly NamedSlice[],
  datasetId: string,
  datasetRows: number,
  kept: NonNullable<Awaited<ReturnType<NonNullable<ExploreClient['keptSlices']>>>>,
): NamedSlice[] {
  const others = list.filter((s) => s.datasetId !== datasetId);
  const known = list.filter((s) => s.datasetId === datasetId);
  const back = kept.map((k): NamedSlice => {
    const had = known.find((s) => s.name === k.name);
    return {
      name: k.name,
      datasetId,
      count: k.rows.length,
      expression: k.expression,
      rows: k.rows,
      datasetRows: had?.datasetRows ?? datasetRows,
      ...(k.description !== undefined ? { description: k.description } : {}),
    };
  });
  // Slices not (yet) kept by the engine stay listed.
  return [...others, ...back, ...known.filter((s) => !kept.some((k) => k.name === s.name))];
}

/**
 * The first `limit` selected rows of a dataset (ids and values), fetched again whenever the
 * selection changes (`version`). Call it from the component that lists them; call `follow()` on
 * the result.
 */
function selectedRowsRequest(
  client: ExploreClient,
  version: () => number,
  datasetId: () => string | null,
  limit: number,
): Request<SelectedRowsPage> {
  return createRequest(
    () => {
      const id = datasetId();
      return id ? { id, v: version(), limit } : null;
    },
    async (k) => {
      const [ids, bytes] = await Promise.all([
        client.selectedRows(k.id, 0, k.limit),
        client.selectedTable(k.id, 0, k.limit),
      ]);
      return { ids, table: tableFromIPC(bytes) };
    },
  );
}
