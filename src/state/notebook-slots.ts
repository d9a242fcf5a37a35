/**
 * One notebook per dataset. Each loaded dataset has a slot — its document, undo history, last run
 * and warning — and the book (notebook-book.ts) files the documents by dataset key for autosave
 * and reloads. Selecting a dataset shows its slot; loading another never re-applies this one. A
 * notebook from a link or file whose data is not loaded waits as `incoming` until that data
 * arrives, or until the user applies it elsewhere; applying a notebook to another dataset is an
 * explicit, undoable act, checked first for the columns it names (notebook-fit.ts).
 */
import { batch, createSignal } from 'solid-js';
import { type SetStoreFunction, unwrap } from 'solid-js/store';
import type { DatasetInfo } from '../protocol/api';
import type { Notebook } from '../spec/notebook';
import { emptyNotebook } from '../spec/notebook';
import { datasetRefFor, refAwaits, refKey, refMatches } from './dataset-ref';
import { createHistory, type History } from './history';
import type { NotebookBook, SavedBook } from './notebook-book';
import { type NotebookFit, notebookFit } from './notebook-fit';
import type { NotebookRun } from './notebook-run';
import {
  copy,
  type NotebookHost,
  type NotebookState,
  type Slot,
  sameValue,
  stepKeys,
} from './notebook-state';

export interface SlotDeps {
  state: NotebookState;
  setState: SetStoreFunction<NotebookState>;
  host: NotebookHost;
  book: NotebookBook;
  run: NotebookRun;
  snapshot: () => Notebook;
  historyLimit: number;
  /** Applies the column types of the notebook on screen to its data (notebook-types.ts); true
   * when it did and runs the notebook itself afterwards. */
  applyTypes?: (info: DatasetInfo) => boolean;
}

/** Which notebook to apply elsewhere: the one on screen, or the one waiting for its data. */
export type Applicable = 'current' | 'incoming';

/** `nb` made to fit `info`: its reference follows the data; a target or split column it lacks goes. */
export function fittedTo(nb: Notebook, info: DatasetInfo): Notebook {
  const next = copy(nb);
  const has = (c: string | undefined) => c !== undefined && info.columns.some((x) => x.name === c);
  next.dataset = datasetRefFor(info);
  if (next.target !== null && !has(next.target)) next.target = null;
  const split = next.train?.split;
  if (split?.group !== undefined && !has(split.group)) delete split.group;
  if (split?.timeColumn !== undefined && !has(split.timeColumn)) delete split.timeColumn;
  // Types of columns this data lacks go (notebookFit says so before a notebook is applied).
  if (next.columnTypes) {
    for (const column of Object.keys(next.columnTypes)) if (!has(column)) delete next.columnTypes[column];
    if (Object.keys(next.columnTypes).length === 0) delete next.columnTypes;
  }
  return next;
}

export type NotebookSlots = ReturnType<typeof createNotebookSlots>;

/** The slots themselves: making, parking, adopting and showing them; the history and waiting notebook. */
function createSlotCore(deps: SlotDeps) {
  const { state, setState, host, book, run } = deps;
  const slots = new Map<string, Slot>();
  // The history of a notebook not bound to data (a link waiting for its file).
  const loose = createHistory<Notebook>({ limit: deps.historyLimit });
  const [history, setHistory] = createSignal<History<Notebook>>(loose);
  // A notebook waiting for its data while another dataset's notebook is on screen.
  const [incoming, setIncoming] = createSignal<Notebook | null>(null);
  const loaded = (id: string | null) =>
    host.state.datasets.find((d) => d.id === id && d.source.kind !== 'derived') ?? null;

  /** Files the document on screen under its dataset (autosave follows the book). */
  function file(): void {
    if (state.datasetId) book.put(unwrap(state.notebook));
  }

  /** The slot of a loaded dataset: made on first sight from the book, or a fresh notebook. */
  function slotFor(info: DatasetInfo): Slot {
    const known = slots.get(info.id);
    if (known) return known;
    const ref = datasetRefFor(info);
    const notebook = (ref && book.get(refKey(ref))) || { ...emptyNotebook(), dataset: ref };
    const history = createHistory<Notebook>({ limit: deps.historyLimit });
    const slot: Slot = {
      notebook,
      history,
      runs: {},
      runKeys: {},
      output: null,
      runError: null,
      warning: null,
    };
    slots.set(info.id, slot);
    return slot;
  }

  /** Keeps what is on screen (document, last run) in its slot, and stops its run. */
  function park(): void {
    run.cancel();
    const slot = state.datasetId ? slots.get(state.datasetId) : undefined;
    if (slot) {
      slot.notebook = deps.snapshot();
      slot.runs = unwrap(state.runs);
      slot.runKeys = unwrap(state.runKeys);
      slot.output = state.output;
      slot.runError = state.runError;
      slot.warning = state.warning;
    } else if (state.datasetId === null && (incoming() || state.pending)) {
      setIncoming(deps.snapshot());
    }
  }

  /** Puts `nb` in a slot as a change the user can undo; `warning` is said above its steps. */
  function adopt(slot: Slot, nb: Notebook, warning: string | null): void {
    if (!sameValue(slot.notebook, nb)) slot.history.record(copy(slot.notebook));
    Object.assign(slot, { notebook: copy(nb), runs: {}, runKeys: {}, output: null, runError: null, warning });
  }

  /** Shows a dataset's slot: its document, history, last run; runs it when that run is stale. */
  function show(info: DatasetInfo, slot: Slot): void {
    slot.notebook = fittedTo(slot.notebook, info);
    setHistory(() => slot.history);
    batch(() => {
      setState({
        datasetId: info.id,
        pending: incoming()?.dataset ?? null,
        warning: slot.warning,
        runs: slot.runs,
        runKeys: slot.runKeys,
        output: slot.output,
        runError: slot.runError,
      });
      // A new document, not a reconcile: cards of the other dataset's steps must not be reused.
      setState('notebook', copy(slot.notebook));
    });
    file();
    const now = stepKeys(slot.notebook);
    const ranLast =
      slot.output !== null &&
      slot.runError === null &&
      slot.notebook.steps.every((s) => slot.runKeys[s.id] === now[s.id]);
    const typing = deps.applyTypes?.(info) ?? false;
    if (!typing && slot.notebook.steps.length > 0 && !ranLast) run.schedule();
  }

  return {
    slots,
    loose,
    history,
    setHistory,
    incoming,
    setIncoming,
    loaded,
    file,
    slotFor,
    park,
    adopt,
    show,
  };
}

export function createNotebookSlots(deps: SlotDeps) {
  const { state, setState, host, run } = deps;
  const core = createSlotCore(deps);
  const {
    slots,
    loose,
    history,
    setHistory,
    incoming,
    setIncoming,
    loaded,
    file,
    slotFor,
    park,
    adopt,
    show,
  } = core;

  /** Selecting a dataset shows its own notebook — or the waiting one, when it waits for this data. */
  function bind(info: DatasetInfo): void {
    park();
    const slot = slotFor(info);
    const waiting = incoming();
    if (waiting && (!waiting.dataset || refAwaits(waiting.dataset, info))) {
      const same = waiting.dataset !== null && refMatches(waiting.dataset, info);
      const fit = same ? null : notebookFit(waiting, info, { catalog: state.catalog });
      adopt(slot, waiting, fit?.message ?? null);
      setIncoming(null);
    }
    show(info, slot);
    for (const id of slots.keys()) if (!host.state.datasets.some((d) => d.id === id)) slots.delete(id);
  }

  /** Shows the waiting notebook (or an empty one) with no data; `parked` when park() already ran. */
  function unbind(parked = false): void {
    if (!parked) park();
    setHistory(() => loose);
    batch(() => {
      setState({
        datasetId: null,
        pending: incoming()?.dataset ?? null,
        warning: null,
        runs: {},
        runKeys: {},
        output: null,
        runError: null,
      });
      setState('notebook', copy(incoming() ?? emptyNotebook()));
    });
  }

  /** A notebook that arrived (link, file, autosave) for a loaded dataset other than the one shown. */
  function placeOn(info: DatasetInfo, nb: Notebook): void {
    park();
    const slot = slotFor(info);
    adopt(slot, nb, null);
    show(info, slot);
  }

  /** A notebook that arrived for data not loaded: it waits, shown until a dataset is selected. */
  function wait(nb: Notebook): void {
    park();
    setIncoming(nb);
    unbind(true);
  }

  /** Forgets the waiting notebook; with no data on screen, the selected dataset's own shows. */
  function dismissIncoming(): void {
    setIncoming(null);
    setState('pending', null);
    if (state.datasetId === null) {
      const info = loaded(host.state.selectedId);
      if (info) bind(info);
    }
  }

  /**
   * A notebook that arrived (a link, an autosave, an imported file): the notebook of the loaded
   * dataset it names, undoable there (returned); else it waits (`pending`) for its data.
   */
  function receive(nb: Notebook, setNotebook: (nb: Notebook) => void): DatasetInfo | null {
    const next = copy(nb);
    // A notebook without data applies to the data at hand.
    const bound = loaded(state.datasetId);
    if (!next.dataset && bound) next.dataset = datasetRefFor(bound);
    const ref = next.dataset;
    const match = ref
      ? (host.state.datasets.find((d) => d.source.kind !== 'derived' && refMatches(ref, d)) ?? null)
      : null;
    if (match && match.id === state.datasetId) {
      history().record(deps.snapshot());
      batch(() => {
        setState('warning', null);
        setNotebook(fittedTo(next, match));
      });
      file();
      if (!(deps.applyTypes?.(match) ?? false)) run.schedule();
    } else if (match) placeOn(match, next);
    else wait(next);
    return match;
  }

  /**
   * A notebook waiting for data that has been loaded since: it becomes that dataset's notebook
   * (shown when it is on screen). At boot a link is opened before the stored datasets are back,
   * so a reload waited "for credit_data.csv — open that file" with credit_data.csv in the list.
   */
  function settleIncoming(): void {
    const waiting = incoming();
    const ref = waiting?.dataset;
    if (!waiting || !ref || state.datasetId === null) return;
    const match = host.state.datasets.find((d) => d.source.kind !== 'derived' && refMatches(ref, d));
    if (!match || match.id === state.datasetId) return;
    const slot = slotFor(match);
    adopt(slot, fittedTo(waiting, match), null);
    deps.book.put(copy(slot.notebook));
    batch(() => {
      setIncoming(null);
      setState('pending', null);
    });
  }

  /** What autosave keeps: every dataset's notebook, which one is on screen, the waiting one. */
  function persisted(): SavedBook {
    const live = state.datasetId === null && state.pending ? copy(state.notebook) : null;
    return {
      version: 2,
      notebooks: deps.book.list(),
      active: state.datasetId && state.notebook.dataset ? refKey(state.notebook.dataset) : null,
      incoming: live ?? incoming(),
    };
  }

  return {
    history,
    incoming,
    persisted,
    file,
    bind,
    unbind,
    receive,
    settleIncoming,
    dismissIncoming,
    ...createApplying(deps, core),
  };
}

/** "Apply this notebook to…": the column check first, then an undoable copy onto the other dataset. */
function createApplying(deps: SlotDeps, parts: ReturnType<typeof createSlotCore>) {
  const { state, host } = deps;
  const { park, slotFor, adopt, show, incoming, setIncoming, loaded } = parts;

  function applicable(which: Applicable): Notebook | null {
    if (which === 'current') return state.datasetId ? deps.snapshot() : null;
    return state.datasetId === null ? (state.pending ? deps.snapshot() : null) : incoming();
  }

  /** How `which` notebook would fit dataset `targetId` (the check shown before applying it). */
  function fitOn(targetId: string, which: Applicable = 'current'): NotebookFit | null {
    const info = loaded(targetId);
    const nb = applicable(which);
    if (!info || !nb) return null;
    const source =
      which === 'current' ? host.state.datasets.find((d) => d.id === state.datasetId)?.columns : undefined;
    return notebookFit(nb, info, { catalog: state.catalog, ...(source ? { source } : {}) });
  }

  /**
   * Copies a notebook onto another loaded dataset and shows it there (undoable there); the
   * source keeps its own. Returns the fit that was checked, or null when nothing was applied.
   */
  function applyTo(targetId: string, which: Applicable = 'current'): NotebookFit | null {
    const info = loaded(targetId);
    const nb = applicable(which);
    const fit = fitOn(targetId, which);
    if (!info || !nb || !fit) return null;
    park();
    if (which === 'incoming') setIncoming(null);
    const slot = slotFor(info);
    adopt(slot, fittedTo(nb, info), fit.message);
    show(info, slot);
    return fit;
  }

  return { fitOn, applyTo };
}
