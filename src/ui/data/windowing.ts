/**
 * Which rows are on screen and which row blocks to fetch for them. Pure functions, so the virtual
 * table's arithmetic is tested without a DOM.
 *
 * Browsers cap an element's height (~33.5M px in Chromium), so past MAX_SCROLL_HEIGHT the scroll
 * range is compressed: a scroll position maps to a row through `scale` (≥ 1).
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface ScrollGeometry {
  rowCount: number;
  rowHeight: number;
  viewportHeight: number;
  /** Height of the scrollable content; at most MAX_SCROLL_HEIGHT. */
  contentHeight: number;
  /** Virtual pixels per scrolled pixel. */
  scale: number;
}

export function scrollGeometry(rowCount: number, rowHeight: number, viewportHeight: number): ScrollGeometry {
  const full = rowCount * rowHeight;
  const contentHeight = Math.min(full, MAX_SCROLL_HEIGHT);
  const scrollRange = contentHeight - viewportHeight;
  const scale = full <= MAX_SCROLL_HEIGHT || scrollRange <= 0 ? 1 : (full - viewportHeight) / scrollRange;
  return { rowCount, rowHeight, viewportHeight, contentHeight, scale };
}

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Last row to render (exclusive). */
  end: number;
  /** Position of row `start` inside the scrolled content, in px. */
  offset: number;
}

/** The rows to render at `scrollTop`: the visible ones plus `overscan` on each side. */
export function rowWindow(geometry: ScrollGeometry, scrollTop: number, overscan: number): RowWindow {
  const { rowCount, rowHeight, viewportHeight, scale } = geometry;
  if (rowCount <= 0) return { start: 0, end: 0, offset: 0 };
  const virtualTop = Math.max(0, scrollTop) * scale;
  const firstVisible = Math.min(rowCount - 1, Math.floor(virtualTop / rowHeight));
  const visibleCount = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(rowCount, firstVisible + visibleCount + overscan);
  // Row i sits at i*rowHeight in virtual space; shift it into the compressed scroll space.
  const offset = Math.max(0, scrollTop) + (start * rowHeight - virtualTop);
  return { start, end, offset };
}

/** Indexes of the blocks of `blockSize` rows that cover rows [start, end). */
export function blocksFor(start: number, end: number, blockSize: number): number[] {
  if (end <= start) return [];
  const first = Math.floor(start / blockSize);
  const last = Math.floor((end - 1) / blockSize);
  const blocks: number[] = [];
  for (let b = first; b <= last; b++) blocks.push(b);
  return blocks;
}

/** The row range [start, end) of block `index`, clipped to the dataset. */
export function blockRange(index: number, blockSize: number, rowCount: number): [number, number] {
  const start = index * blockSize;
  return [start, Math.min(rowCount, start + blockSize)];
}
