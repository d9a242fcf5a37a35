/**
 * Every dataset keeps its own notebook. The book files them by dataset key (see dataset-ref.ts),
 * so a notebook comes back when its data is loaded again — after a reload, an engine restart or a
 * second load of the same sample — and one dataset's steps never leak onto another.
 *
 * Saved as one record (`notebooks`): the notebooks, which one was on screen, and a notebook still
 * waiting for its data (a link to a file not opened yet). Older builds saved one notebook for
 * everything (`notebook`); it is read once as the notebook of the dataset it names.
 */
import { createSignal } from 'solid-js';
import type { Notebook } from '../spec/notebook';
import { type ParseOptions, parseNotebook } from '../spec/parse';
import { refKey } from './dataset-ref';
import { copy } from './plain';

export const BOOK_KEY = 'notebooks';
/** Where builds before per-dataset notebooks saved their one notebook. */
export const LEGACY_KEY = 'notebook';
/** Notebooks kept; the least recently edited go first. */
export const MAX_NOTEBOOKS = 50;

export interface SavedBook {
  version: 2;
  notebooks: Notebook[];
  /** The key of the dataset whose notebook was on screen. */
  active: string | null;
  /** A notebook from a link or file waiting for its data to be loaded. */
  incoming: Notebook | null;
  /**
   * The URL fragment this app had written when the record was saved. A reload keeps the
   * fragment; when it is this one, it is the app's own mirror (maybe behind the last edit, which
   * the link writes after a pause), not a link to open over the saved notebooks.
   */
  link?: string;
  savedAt?: number;
}

/** Whether a notebook holds anything a default one does not (default ones are not filed). */
export function worthKeeping(nb: Notebook): boolean {
  return (
    nb.steps.length > 0 ||
    nb.target !== null ||
    nb.train !== undefined ||
    nb.columnTypes !== undefined ||
    nb.seed !== 0 ||
    !!nb.title
  );
}

export type NotebookBook = ReturnType<typeof createNotebookBook>;

export function createNotebookBook(limit = MAX_NOTEBOOKS) {
  const notebooks = new Map<string, Notebook>();
  // Bumped on every change, so autosave can track a Map.
  const [version, setVersion] = createSignal(0);

  return {
    /** A copy of the notebook filed under `key`. */
    get(key: string): Notebook | undefined {
      const nb = notebooks.get(key);
      return nb ? copy(nb) : undefined;
    },
    /** Files `nb` under its dataset (the most recent last); a default notebook is unfiled. */
    put(nb: Notebook): void {
      if (!nb.dataset) return;
      const key = refKey(nb.dataset);
      const had = notebooks.delete(key);
      if (worthKeeping(nb)) notebooks.set(key, copy(nb));
      else if (!had) return;
      while (notebooks.size > limit) notebooks.delete(notebooks.keys().next().value as string);
      setVersion((v) => v + 1);
    },
    /** Every filed notebook, oldest edit first (tracked). */
    list(): Notebook[] {
      version();
      return [...notebooks.values()];
    },
  };
}

/**
 * Reads a saved record (this build's or the legacy single notebook). Whatever comes back from
 * storage is untrusted: each notebook is validated and the bad ones are dropped.
 */
export function readSavedBook(saved: unknown, options: ParseOptions = {}): SavedBook | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const parse = (value: unknown): Notebook | null => {
    const result = parseNotebook(value, options);
    return result.ok ? result.notebook : null;
  };
  const record = saved as Record<string, unknown>;
  if (record.version === 2 && Array.isArray(record.notebooks)) {
    const notebooks = record.notebooks.map(parse).filter((nb): nb is Notebook => nb?.dataset != null);
    return {
      version: 2,
      notebooks: notebooks.slice(-MAX_NOTEBOOKS),
      active: typeof record.active === 'string' ? record.active : null,
      incoming: record.incoming ? parse(record.incoming) : null,
      ...(typeof record.link === 'string' ? { link: record.link } : {}),
    };
  }
  if ('notebook' in record) {
    // The legacy record: one notebook, filed under the dataset it names and shown on boot.
    const nb = parse(record.notebook);
    if (!nb || (nb.steps.length === 0 && nb.dataset === null)) return null;
    if (!nb.dataset) return { version: 2, notebooks: [], active: null, incoming: nb };
    return { version: 2, notebooks: [nb], active: refKey(nb.dataset), incoming: null };
  }
  return null;
}
