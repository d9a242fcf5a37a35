/**
 * The rows a virtual table shows, fetched from the worker in blocks of BLOCK_SIZE rows into a
 * bounded LRU cache: only the blocks the window needs, each once, late answers for an older
 * dataset or revision ignored.
 */
import type { Table } from 'apache-arrow';
import { type Accessor, createEffect, createSignal, on } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import { type FormattedCell, formatCell } from '../format';
import { LruCache } from './lru';
import { blockRange, blocksFor } from './windowing';

export const BLOCK_SIZE = 200;
/** 64 blocks × 200 rows: enough to scroll back a few screens without refetching. */
const CACHE_BLOCKS = 64;

export interface RowBlocks {
  /** Formatted cells of one row, or null while its block is still on its way. */
  rowCells(row: number): FormattedCell[] | null;
  fetchError: Accessor<string | null>;
}

export function createRowBlocks(opts: {
  dataset: Accessor<DatasetInfo>;
  /** Changes when the dataset's rows change; drops the cached blocks. */
  revision: Accessor<number>;
  fetchRows: (datasetId: string, start: number, end: number) => Promise<Table>;
  /** The rows in view, [start, end). */
  window: Accessor<{ start: number; end: number }>;
  /** Another dataset is shown (not only a new revision): scroll back to the top. */
  onNewDataset: () => void;
}): RowBlocks {
  // Bumped whenever a block arrives, so rows waiting for it re-render.
  const [loadedTick, setLoadedTick] = createSignal(0);
  const [fetchError, setFetchError] = createSignal<string | null>(null);
  const cache = new LruCache<number, Table>(CACHE_BLOCKS);
  const inflight = new Set<number>();
  let generation = 0;

  // A new dataset or a new revision of it: forget every block (late answers are ignored too).
  createEffect(
    on([() => opts.dataset().id, opts.revision], ([id], previous) => {
      generation += 1;
      cache.clear();
      inflight.clear();
      setFetchError(null);
      if (previous && previous[0] !== id) opts.onNewDataset();
      setLoadedTick((t) => t + 1);
    }),
  );

  createEffect(() => {
    const w = opts.window();
    const id = opts.dataset().id;
    const rowCount = opts.dataset().rows;
    loadedTick();
    for (const block of blocksFor(w.start, w.end, BLOCK_SIZE)) {
      if (cache.has(block) || inflight.has(block)) continue;
      const [start, end] = blockRange(block, BLOCK_SIZE, rowCount);
      const requested = generation;
      inflight.add(block);
      opts.fetchRows(id, start, end).then(
        (table) => {
          if (requested !== generation) return;
          inflight.delete(block);
          cache.set(block, table);
          setLoadedTick((t) => t + 1);
        },
        (error: unknown) => {
          if (requested !== generation) return;
          inflight.delete(block);
          setFetchError(error instanceof Error ? error.message : String(error));
        },
      );
    }
  });

  return {
    rowCells(row) {
      loadedTick();
      const block = Math.floor(row / BLOCK_SIZE);
      const table = cache.get(block);
      if (!table) return null;
      const local = row - block * BLOCK_SIZE;
      return opts
        .dataset()
        .columns.map((column) => formatCell(table.getChild(column.name)?.get(local), column.type));
    },
    fetchError,
  };
}
