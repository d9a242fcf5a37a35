/**
 * Undo/redo as a bounded stack of snapshots. The caller records the state *before* each change;
 * undo hands back the previous snapshot and keeps the current one for redo. Edits that arrive in
 * a burst with the same key (typing into one field) share one undo entry, so Ctrl+Z undoes the
 * whole edit rather than one keystroke.
 */
import { createSignal } from 'solid-js';

export interface History<T> {
  /** Records `before`, the state the change is about to replace. A new change clears redo. */
  record(before: T, key?: string): void;
  /** The state to go back to, given the current one; undefined when there is nothing to undo. */
  undo(current: T): T | undefined;
  redo(current: T): T | undefined;
  canUndo(): boolean;
  canRedo(): boolean;
  clear(): void;
}

export interface HistoryOptions {
  /** Snapshots kept for undo; the oldest are dropped. */
  limit?: number;
  /** Changes with the same key within this many ms merge into one undo entry. */
  mergeMs?: number;
  now?: () => number;
}

export function createHistory<T>(options: HistoryOptions = {}): History<T> {
  const limit = options.limit ?? 100;
  const mergeMs = options.mergeMs ?? 1000;
  const now = options.now ?? (() => Date.now());
  const past: T[] = [];
  const future: T[] = [];
  // Reactive mirrors of the stack sizes, for enabling the Undo/Redo buttons.
  const [sizes, setSizes] = createSignal({ past: 0, future: 0 });
  let last: { key: string; at: number } | null = null;

  const changed = () => setSizes({ past: past.length, future: future.length });
  /** Undo and redo: the top of `from` comes back, `current` goes onto `to`. */
  const step = (from: T[], to: T[], current: T): T | undefined => {
    const top = from.pop();
    if (top === undefined) return undefined;
    to.push(current);
    last = null;
    changed();
    return top;
  };

  return {
    record(before, key) {
      const at = now();
      future.length = 0;
      if (key !== undefined && last && last.key === key && at - last.at <= mergeMs && past.length > 0) {
        last.at = at;
        changed();
        return;
      }
      past.push(before);
      if (past.length > limit) past.splice(0, past.length - limit);
      last = key === undefined ? null : { key, at };
      changed();
    },
    undo: (current) => step(past, future, current),
    redo: (current) => step(future, past, current),
    canUndo: () => sizes().past > 0,
    canRedo: () => sizes().future > 0,
    clear() {
      past.length = 0;
      future.length = 0;
      last = null;
      changed();
    },
  };
}
