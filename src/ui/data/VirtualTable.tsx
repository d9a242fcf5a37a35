/**
 * A virtualized table over a dataset held in the worker. Only the rows in view (plus overscan)
 * are rendered, and only the blocks of rows they need are fetched, as Arrow tables, into a
 * bounded LRU cache — so a million-row dataset scrolls without the UI ever holding it.
 */
import type { Table } from 'apache-arrow';
import {
  createEffect,
  createMemo,
  createSignal,
  For,
  type JSX,
  on,
  onCleanup,
  onMount,
  Show,
} from 'solid-js';
import { COLUMN_TYPES, type ColumnType } from '../../core/types';
import type { ColumnInfo, DatasetInfo } from '../../protocol/api';
import { formatCell, formatCount } from '../format';
import { LruCache } from './lru';
import { blockRange, blocksFor, rowWindow, scrollGeometry } from './windowing';

export const ROW_HEIGHT = 28;
export const BLOCK_SIZE = 200;
/** 64 blocks × 200 rows: enough to scroll back a few screens without refetching. */
const CACHE_BLOCKS = 64;
const OVERSCAN = 10;

export function columnWidth(column: ColumnInfo): number {
  const base = column.type === 'text' ? 200 : column.type === 'datetime' ? 190 : 130;
  return Math.min(320, Math.max(base, column.name.length * 8 + 36));
}

const ROW_NUMBER_WIDTH = 72;

interface Props {
  dataset: DatasetInfo;
  /** Changes when the dataset's rows change; drops the cached blocks. */
  revision: number;
  fetchRows: (datasetId: string, start: number, end: number) => Promise<Table>;
  onSetType: (column: string, type: ColumnType) => Promise<void>;
}

export function VirtualTable(props: Props): JSX.Element {
  let scroller: HTMLDivElement | undefined;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewportHeight, setViewportHeight] = createSignal(600);
  // Bumped whenever a block arrives, so rows waiting for it re-render.
  const [loadedTick, setLoadedTick] = createSignal(0);
  const [fetchError, setFetchError] = createSignal<string | null>(null);
  const cache = new LruCache<number, Table>(CACHE_BLOCKS);
  const inflight = new Set<number>();
  let generation = 0;

  const widths = createMemo(() => props.dataset.columns.map(columnWidth));
  const totalWidth = () => ROW_NUMBER_WIDTH + widths().reduce((a, b) => a + b, 0);
  const geometry = createMemo(() => scrollGeometry(props.dataset.rows, ROW_HEIGHT, viewportHeight()));
  const window = createMemo(() => rowWindow(geometry(), scrollTop(), OVERSCAN));
  const rowIndexes = createMemo(() => {
    const w = window();
    return Array.from({ length: w.end - w.start }, (_, i) => w.start + i);
  });

  // A new dataset or a new revision of it: forget every block (late answers are ignored too).
  createEffect(
    on([() => props.dataset.id, () => props.revision], ([id], previous) => {
      generation += 1;
      cache.clear();
      inflight.clear();
      setFetchError(null);
      if (previous && previous[0] !== id && scroller) {
        scroller.scrollTop = 0;
        setScrollTop(0);
      }
      setLoadedTick((t) => t + 1);
    }),
  );

  createEffect(() => {
    const w = window();
    const id = props.dataset.id;
    const rowCount = props.dataset.rows;
    loadedTick();
    for (const block of blocksFor(w.start, w.end, BLOCK_SIZE)) {
      if (cache.has(block) || inflight.has(block)) continue;
      const [start, end] = blockRange(block, BLOCK_SIZE, rowCount);
      const requested = generation;
      inflight.add(block);
      props.fetchRows(id, start, end).then(
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

  onMount(() => {
    if (!scroller) return;
    setViewportHeight(scroller.clientHeight || 600);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewportHeight(scroller?.clientHeight || 600));
    observer.observe(scroller);
    onCleanup(() => observer.disconnect());
  });

  /** Formatted cells of one row, or null while its block is still on its way. */
  const rowCells = (row: number) => {
    loadedTick();
    const block = Math.floor(row / BLOCK_SIZE);
    const table = cache.get(block);
    if (!table) return null;
    const local = row - block * BLOCK_SIZE;
    return props.dataset.columns.map((column) =>
      formatCell(table.getChild(column.name)?.get(local), column.type),
    );
  };

  return (
    <div class="vt">
      <Show when={fetchError()}>
        <p class="notice error-inline" role="alert">
          Could not fetch rows: {fetchError()}
        </p>
      </Show>
      <div ref={scroller} class="vt-scroll" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <table
          class="vt-table"
          aria-label={`Rows of ${props.dataset.name}`}
          aria-rowcount={props.dataset.rows + 1}
          style={{ width: `${totalWidth()}px` }}
        >
          <thead class="vt-header">
            <tr aria-rowindex={1}>
              <th class="vt-corner" scope="col" style={{ width: `${ROW_NUMBER_WIDTH}px` }}>
                #
              </th>
              <For each={props.dataset.columns}>
                {(column, i) => (
                  <ColumnHeader
                    column={column}
                    width={widths()[i()] ?? 130}
                    onSetType={(t) => props.onSetType(column.name, t)}
                  />
                )}
              </For>
            </tr>
          </thead>
          {/* The body is as tall as all rows; only the window is rendered, pushed down by padding. */}
          <tbody
            class="vt-body"
            style={{ height: `${geometry().contentHeight}px`, 'padding-top': `${window().offset}px` }}
          >
            <For each={rowIndexes()}>
              {(row) => {
                const cells = createMemo(() => rowCells(row));
                return (
                  <tr
                    class="vt-row"
                    aria-rowindex={row + 2}
                    data-row={row}
                    classList={{ odd: row % 2 === 1 }}
                  >
                    <th class="vt-rownum" scope="row" style={{ width: `${ROW_NUMBER_WIDTH}px` }}>
                      {formatCount(row + 1)}
                    </th>
                    <Show
                      when={cells()}
                      fallback={
                        <td class="vt-loading-cell" style={{ width: `${totalWidth() - ROW_NUMBER_WIDTH}px` }}>
                          <span class="vt-loading" />
                        </td>
                      }
                    >
                      {(values) => (
                        <For each={values()}>
                          {(cell, i) => (
                            <td
                              class="vt-cell"
                              classList={{ missing: cell.missing, numeric: cell.numeric }}
                              style={{ width: `${widths()[i()] ?? 130}px` }}
                              title={cell.text.length > 24 ? cell.text : undefined}
                            >
                              {cell.missing ? 'null' : cell.text}
                            </td>
                          )}
                        </For>
                      )}
                    </Show>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ColumnHeader(props: {
  column: ColumnInfo;
  width: number;
  onSetType: (type: ColumnType) => Promise<void>;
}): JSX.Element {
  const overridden = () => props.column.type !== props.column.inferredType;
  const [pending, setPending] = createSignal(false);
  return (
    <th
      class="vt-colheader"
      scope="col"
      data-column={props.column.name}
      data-type={props.column.type}
      style={{ width: `${props.width}px` }}
      title={`${props.column.name}\nArrow type: ${props.column.arrowType}`}
    >
      <span class="vt-colname">{props.column.name}</span>
      <select
        class="vt-type"
        classList={{ overridden: overridden() }}
        aria-label={`Type of ${props.column.name}`}
        value={props.column.type}
        disabled={pending()}
        onChange={async (e) => {
          const select = e.currentTarget;
          setPending(true);
          await props.onSetType(select.value as ColumnType);
          setPending(false);
          // If the engine refused, show the type the column really has.
          select.value = props.column.type;
        }}
      >
        <For each={COLUMN_TYPES}>
          {(t) => (
            <option value={t} selected={t === props.column.type}>
              {t}
            </option>
          )}
        </For>
      </select>
      <span class="vt-colmeta">
        <Show when={overridden()}>
          <span class="inferred">inferred {props.column.inferredType} · </span>
        </Show>
        <span classList={{ 'has-missing': props.column.missing > 0 }}>
          {formatCount(props.column.missing)} missing
        </span>
      </span>
    </th>
  );
}
