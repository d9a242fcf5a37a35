import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/ui/data/lru';
import {
  blockRange,
  blocksFor,
  MAX_SCROLL_HEIGHT,
  rowWindow,
  scrollGeometry,
} from '../../src/ui/data/windowing';

describe('rowWindow', () => {
  it('renders the visible rows plus overscan at the top', () => {
    const g = scrollGeometry(150, 28, 280);
    expect(g.scale).toBe(1);
    expect(g.contentHeight).toBe(150 * 28);
    expect(rowWindow(g, 0, 5)).toEqual({ start: 0, end: 16, offset: 0 });
  });

  it('follows the scroll position and clamps at the end', () => {
    const g = scrollGeometry(150, 28, 280);
    const middle = rowWindow(g, 28 * 50, 5);
    expect(middle.start).toBe(45);
    expect(middle.end).toBe(50 + 11 + 5);
    expect(middle.offset).toBe(45 * 28);
    const end = rowWindow(g, 150 * 28 - 280, 5);
    expect(end.end).toBe(150);
  });

  it('is empty for an empty dataset', () => {
    expect(rowWindow(scrollGeometry(0, 28, 500), 0, 5)).toEqual({ start: 0, end: 0, offset: 0 });
  });

  it('compresses very tall tables so the last row is still reachable', () => {
    const rows = 10_000_000;
    const g = scrollGeometry(rows, 28, 600);
    expect(g.contentHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(g.scale).toBeGreaterThan(1);
    const bottom = rowWindow(g, g.contentHeight - 600, 0);
    expect(bottom.end).toBe(rows);
    // The rendered rows sit inside the viewport of the compressed scroll space.
    const scrollTop = g.contentHeight - 600;
    expect(bottom.offset).toBeGreaterThan(scrollTop - 28);
    expect(bottom.offset).toBeLessThanOrEqual(scrollTop);
    const half = rowWindow(g, (g.contentHeight - 600) / 2, 0);
    expect(Math.abs(half.start - rows / 2)).toBeLessThan(rows * 0.001);
  });
});

describe('blocksFor', () => {
  it('lists the blocks that cover a row range', () => {
    expect(blocksFor(0, 16, 200)).toEqual([0]);
    expect(blocksFor(190, 230, 200)).toEqual([0, 1]);
    expect(blocksFor(400, 400, 200)).toEqual([]);
    expect(blocksFor(999_950, 1_000_000, 200)).toEqual([4999]);
  });

  it('clips the last block to the dataset', () => {
    expect(blockRange(0, 200, 150)).toEqual([0, 150]);
    expect(blockRange(2, 200, 450)).toEqual([400, 450]);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used block', () => {
    const cache = new LruCache<number, string>(2);
    cache.set(1, 'a');
    cache.set(2, 'b');
    expect(cache.get(1)).toBe('a');
    cache.set(3, 'c');
    expect(cache.has(2)).toBe(false);
    expect(cache.has(1)).toBe(true);
    expect(cache.size).toBe(2);
  });
});
