import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createHistory } from '../../src/state/history';

describe('createHistory', () => {
  it('undoes and redoes in order, and a new change clears redo', () =>
    createRoot((dispose) => {
      const h = createHistory<number>();
      expect(h.canUndo()).toBe(false);
      expect(h.undo(0)).toBeUndefined();
      h.record(0);
      h.record(1);
      expect(h.undo(2)).toBe(1);
      expect(h.undo(1)).toBe(0);
      expect(h.canUndo()).toBe(false);
      expect(h.redo(0)).toBe(1);
      expect(h.canRedo()).toBe(true);
      h.record(1);
      expect(h.canRedo()).toBe(false);
      expect(h.redo(5)).toBeUndefined();
      dispose();
    }));

  it('keeps at most `limit` snapshots, dropping the oldest', () =>
    createRoot((dispose) => {
      const h = createHistory<number>({ limit: 3 });
      for (let i = 0; i < 10; i++) h.record(i);
      expect([h.undo(10), h.undo(9), h.undo(8), h.undo(7)]).toEqual([9, 8, 7, undefined]);
      dispose();
    }));

  it('merges a burst of changes with the same key, but not after a pause or another key', () =>
    createRoot((dispose) => {
      let now = 0;
      const h = createHistory<string>({ mergeMs: 1000, now: () => now });
      h.record('a', 'field');
      now = 500;
      h.record('ab', 'field');
      now = 900;
      h.record('abc', 'field');
      expect(h.undo('abcd')).toBe('a');
      expect(h.canUndo()).toBe(false);
      h.record('x', 'field');
      now = 5000;
      h.record('xy', 'field');
      h.record('xyz', 'other');
      expect([h.undo('end'), h.undo('xyz'), h.undo('xy')]).toEqual(['xyz', 'xy', 'x']);
      dispose();
    }));
});
