/**
 * Where the notebooks come from and go to: on boot a link in the URL wins, else the autosave (every
 * dataset's notebook, and the one that was on screen); afterwards every change is autosaved and the
 * notebook on screen is mirrored into the URL. A reload keeps the URL: a fragment this app wrote
 * itself is not a link to open but its own mirror, and the autosave (saved when the page is left)
 * is as new or newer, so the autosave wins then. Opening a notebook (link,
 * autosave, imported file) loads its sample or synthetic data right away, but asks before
 * fetching a URL (a link must not make the app fetch arbitrary addresses) and asks the user
 * for a local file.
 */
import { createEffect, getOwner, onCleanup, runWithOwner } from 'solid-js';
import type { EngineError } from '../core/errors';
import type { DatasetInfo, SyntheticOptions } from '../protocol/api';
import { decodeNotebookLink, fragmentHasNotebook } from '../spec/link';
import type { Notebook } from '../spec/notebook';
import { type ParseOptions, parseNotebookJson } from '../spec/parse';
import type { KeyValueStore } from './autosave';
import { refKey } from './dataset-ref';
import type { NotebookStore } from './notebook';
import { BOOK_KEY, LEGACY_KEY, readSavedBook, type SavedBook } from './notebook-book';
import { badLinkError, startFragmentSync, type UrlWindow } from './url-sync';

/** The autosave record: every dataset's notebook (see notebook-book.ts). */
export const AUTOSAVE_KEY = BOOK_KEY;

/** The part of the workbench a session uses (the real workbench satisfies it). */
export interface SessionHost {
  state: { readonly datasets: readonly DatasetInfo[]; readonly selectedId: string | null };
  select(id: string): void;
  loadSample(name: string): Promise<unknown>;
  generateSynthetic(options: SyntheticOptions): Promise<unknown>;
  report(action: string, error: EngineError): void;
}

/**
 * Synchronous storage for the record saved as the page goes away (localStorage in the app): an
 * IndexedDB write started while a page unloads is often dropped.
 */
export interface LeaveStore {
  setItem(key: string, value: string): void;
  getItem(key: string): string | null;
  removeItem(key: string): void;
}

/** The page's localStorage, when the browser allows it (it throws in some privacy modes). */
export function browserLeaveStore(): LeaveStore | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** Where the last record is kept when the page is left; read (and removed) on the next boot. */
export const LEAVE_KEY = 'benchtop.notebooks.on-leave';

export interface SessionOptions {
  notebook: NotebookStore;
  host: SessionHost;
  storage: KeyValueStore;
  /** Saves the record at once when the page is left (see LeaveStore). */
  leaveStore?: LeaveStore;
  win: UrlWindow;
  autosaveMs?: number;
  fragmentMs?: number;
}

/** Puts `nb` in place and fetches its data when that needs no permission. */
export async function applyNotebook(nb: Notebook, store: NotebookStore, host: SessionHost): Promise<void> {
  const match = store.replace(nb);
  if (match) {
    if (host.state.selectedId !== match.id) host.select(match.id);
    return;
  }
  const ref = nb.dataset;
  if (ref?.kind === 'sample') await host.loadSample(ref.sample);
  else if (ref?.kind === 'synthetic') await host.generateSynthetic({ rows: ref.rows, seed: ref.seed });
  // 'url' and 'file' stay pending in the store: the panel asks the user.
}

/** What a link must satisfy: known steps whose parameters fit their schemas. */
export function linkOptions(store: NotebookStore): ParseOptions {
  return { knownSteps: store.knownSteps(), paramSchemas: store.paramSchemas };
}

/** Opens a share link; a bad one is reported and changes nothing. Returns whether it opened. */
export async function openLink(hash: string, store: NotebookStore, host: SessionHost): Promise<boolean> {
  const result = await decodeNotebookLink(hash, linkOptions(store));
  if (!result.ok) {
    host.report('Opening a notebook link', badLinkError(result.error));
    return false;
  }
  await applyNotebook(result.notebook, store, host);
  return true;
}

/** Opens a notebook JSON file; a bad one is reported and changes nothing. */
export async function importNotebookJson(
  text: string,
  fileName: string,
  store: NotebookStore,
  host: SessionHost,
): Promise<boolean> {
  const result = parseNotebookJson(text, { knownSteps: store.knownSteps() });
  if (!result.ok) {
    host.report(`Importing ${fileName}`, badLinkError(result.error));
    return false;
  }
  await applyNotebook(result.notebook, store, host);
  return true;
}

/**
 * Files the autosaved notebooks (or the single notebook older builds saved, which becomes the
 * notebook of the dataset it names) and returns the record; null when there is none or it is bad.
 */
export async function loadAutosave(
  storage: KeyValueStore,
  store: NotebookStore,
  leaveStore?: LeaveStore,
): Promise<SavedBook | null> {
  let saved: unknown;
  try {
    saved = (await storage.load(BOOK_KEY)) ?? (await storage.load(LEGACY_KEY));
  } catch {
    saved = undefined;
  }
  const onLeave = takeLeaveRecord(leaveStore);
  if (onLeave && savedAt(onLeave) >= savedAt(saved)) saved = onLeave;
  const book = readSavedBook(saved, { knownSteps: store.knownSteps() });
  if (book) store.fileAll(book.notebooks);
  return book;
}

function savedAt(record: unknown): number {
  const at = (record as { savedAt?: unknown } | null | undefined)?.savedAt;
  return typeof at === 'number' ? at : 0;
}

/** The record saved as the page was left, once (it is removed); untrusted like any stored value. */
function takeLeaveRecord(leaveStore: LeaveStore | undefined): unknown {
  if (!leaveStore) return undefined;
  try {
    const text = leaveStore.getItem(LEAVE_KEY);
    leaveStore.removeItem(LEAVE_KEY);
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The notebook that was on screen (or the one waiting for its data), if it was filed. */
function activeOf(book: SavedBook): Notebook | null {
  return (
    book.incoming ?? book.notebooks.find((nb) => nb.dataset && refKey(nb.dataset) === book.active) ?? null
  );
}

/** Puts the notebook that was on screen (or the one waiting for its data) back. */
async function applyActive(book: SavedBook, store: NotebookStore, host: SessionHost): Promise<boolean> {
  const active = activeOf(book);
  if (!active) return book.notebooks.length > 0;
  await applyNotebook(active, store, host);
  return true;
}

/**
 * Restores the autosaved notebooks and puts the one that was on screen back; returns whether
 * there was one. Bad records are ignored.
 */
export async function restoreAutosave(
  storage: KeyValueStore,
  store: NotebookStore,
  host: SessionHost,
): Promise<boolean> {
  const book = await loadAutosave(storage, store);
  return book ? applyActive(book, store, host) : false;
}

/**
 * Boots the notebook (catalog, then link or autosave) and starts autosave and URL sync. Call
 * inside a reactive owner.
 */
export async function startNotebookSession(options: SessionOptions): Promise<void> {
  const { notebook, host, storage, win } = options;
  const owner = getOwner();
  await notebook.loadCatalog();
  // Every dataset's notebook is filed first; a link in the URL then decides which one is shown.
  const book = await loadAutosave(storage, notebook, options.leaveStore);
  const hash = win.location.hash;
  // A reload keeps the fragment this app wrote; the saved notebook on screen is as new or newer.
  const ownMirror = book !== null && book.link === hash && activeOf(book) !== null;
  if (fragmentHasNotebook(hash) && !ownMirror) await openLink(hash, notebook, host);
  else if (book) await applyActive(book, notebook, host);

  // Started only now, so the empty notebook of the first moments never overwrites the saved one.
  runWithOwner(owner, () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsaved: string | null = null;
    let savedActive: string | null | undefined;
    const save = (leaving = false) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (unsaved === null) return;
      const json = unsaved;
      unsaved = null;
      const record: SavedBook = { ...JSON.parse(json), link: win.location.hash, savedAt: Date.now() };
      if (leaving && options.leaveStore) {
        try {
          options.leaveStore.setItem(LEAVE_KEY, JSON.stringify(record));
        } catch {
          // Full or refused: the IndexedDB write below may still land.
        }
      }
      storage.save(BOOK_KEY, record).catch(() => {
        // Private windows and full disks refuse storage; the notebook still works, unsaved.
      });
    };
    const onLeave = () => save(true);
    createEffect(() => {
      const record = notebook.persisted();
      unsaved = JSON.stringify(record);
      if (timer !== undefined) clearTimeout(timer);
      // Edits are saved once they settle; another dataset on screen is saved at once, since a
      // reload without a link in the URL shows the dataset this record names.
      const switched = savedActive !== undefined && record.active !== savedActive;
      savedActive = record.active;
      timer = setTimeout(() => save(), switched ? 0 : (options.autosaveMs ?? 500));
    });
    // Leaving or reloading the page saves what is still waiting for the pause.
    win.addEventListener('pagehide', onLeave);
    onCleanup(() => {
      if (timer !== undefined) clearTimeout(timer);
      win.removeEventListener('pagehide', onLeave);
    });
    startFragmentSync(win, {
      notebook: () => notebook.state.notebook,
      // A link is written only when it would open again (its parameters fit their schemas).
      linkOptions: () => linkOptions(notebook),
      onLink: (link) => void openLink(link, notebook, host),
      debounceMs: options.fragmentMs,
    });
  });
}
