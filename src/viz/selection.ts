/**
 * The current linked selection, framework-free: views `set` it when the user brushes or clicks,
 * and every view (and the data table, through the UI) `subscribe`s to highlight the same rows.
 * A Solid store can wrap it in the UI layer; nothing here knows about Solid.
 */
export type SelectionKind = 'range' | 'categories' | 'mask';

export interface RangeSelection {
  readonly source: string;
  readonly kind: 'range';
  readonly column: string;
  /** Inclusive lower bound, exclusive upper bound, in data units. */
  readonly range: readonly [number, number];
}

export interface CategorySelection {
  readonly source: string;
  readonly kind: 'categories';
  readonly column: string;
  readonly categories: readonly string[];
  /** True when the missing-value bar is part of the selection. */
  readonly missing?: boolean;
}

export interface MaskSelection {
  readonly source: string;
  readonly kind: 'mask';
  /** One byte per row: 1 selected, 0 not (scatter brush / lasso). */
  readonly mask: Uint8Array;
  readonly column?: string;
}

export type Selection = RangeSelection | CategorySelection | MaskSelection;

export type SelectionListener = (selection: Selection | null) => void;

export interface SelectionStore {
  get(): Selection | null;
  set(selection: Selection | null): void;
  clear(): void;
  /** Calls `listener` on every change (not immediately); returns the unsubscribe function. */
  subscribe(listener: SelectionListener): () => void;
}

export function createSelectionStore(initial: Selection | null = null): SelectionStore {
  let current = initial;
  const listeners = new Set<SelectionListener>();
  const set = (next: Selection | null) => {
    if (selectionEquals(current, next)) return;
    current = next;
    for (const listener of [...listeners]) listener(current);
  };
  return {
    get: () => current,
    set,
    clear: () => set(null),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Structural equality, so re-setting the same brush does not re-render every view. */
export function selectionEquals(a: Selection | null, b: Selection | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind || a.source !== b.source) return false;
  if (a.kind === 'range' && b.kind === 'range') {
    return a.column === b.column && a.range[0] === b.range[0] && a.range[1] === b.range[1];
  }
  if (a.kind === 'categories' && b.kind === 'categories') {
    return (
      a.column === b.column &&
      Boolean(a.missing) === Boolean(b.missing) &&
      a.categories.length === b.categories.length &&
      a.categories.every((c, i) => c === b.categories[i])
    );
  }
  if (a.kind === 'mask' && b.kind === 'mask') {
    if (a.column !== b.column || a.mask.length !== b.mask.length) return false;
    if (a.mask === b.mask) return true;
    for (let i = 0; i < a.mask.length; i++) if (a.mask[i] !== b.mask[i]) return false;
    return true;
  }
  return false;
}

/** Row ids of a mask (for a FilterRows step or a named slice). */
export function maskToRowIds(mask: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  const ids = new Uint32Array(n);
  let j = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) ids[j++] = i;
  return ids;
}

export function countSelected(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] ? 1 : 0;
  return n;
}
