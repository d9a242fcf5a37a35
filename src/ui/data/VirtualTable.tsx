/**
 * A virtualized table over a dataset held in the worker. Only the rows in view (plus overscan)
 * are rendered, and only the blocks of rows they need are fetched, as Arrow tables, into a
 * bounded LRU cache — so a million-row dataset scrolls without the UI ever holding it.
 */
import type { Table } from 'apache-arrow';
import { createMemo, createSignal, For, Index, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { COLUMN_TYPES, type ColumnType } from '../../core/types';
import type { ColumnInfo, DatasetInfo } from '../../protocol/api';
import { formatCount } from '../format';
import { DateFormatPicker } from './DateFormatPicker';
import { createRowBlocks, type RowBlocks } from './row-blocks';
import { rowWindow, scrollGeometry } from './windowing';

export { BLOCK_SIZE } from './row-blocks';

export const ROW_HEIGHT = 28;
const OVERSCAN = 10;

export function columnWidth(column: ColumnInfo): number {
  // Date columns show their format next to the type.
  const base =
    column.type === 'text' ? 200 : column.type === 'datetime' ? 190 : column.type === 'date' ? 150 : 130;
  return Math.min(320, Math.max(base, column.name.length * 8 + 36));
}

const ROW_NUMBER_WIDTH = 72;

interface Props {
  dataset: DatasetInfo;
  /** Changes when the dataset's rows change; drops the cached blocks. */
  revision: number;
  fetchRows: (datasetId: string, start: number, end: number) => Promise<Table>;
  /** Re-types a column; with a date format, re-reads its text as dates in that format. Resolves to
   * the engine's refusal (an EngineError) when it refused. */
  onSetType: (column: string, type: ColumnType, dateFormat?: string) => Promise<unknown>;
}

/** One row of the window: its number, then its cells, or a loading bar while its block is on its way. */
function VirtualRow(props: {
  row: number;
  blocks: RowBlocks;
  widths: number[];
  totalWidth: number;
}): JSX.Element {
  const cells = createMemo(() => props.blocks.rowCells(props.row));
  return (
    <tr
      class="vt-row"
      aria-rowindex={props.row + 2}
      data-row={props.row}
      classList={{ odd: props.row % 2 === 1 }}
    >
      <th class="vt-rownum" scope="row" style={{ width: `${ROW_NUMBER_WIDTH}px` }}>
        {formatCount(props.row + 1)}
      </th>
      <Show
        when={cells()}
        fallback={
          <td class="vt-loading-cell" style={{ width: `${props.totalWidth - ROW_NUMBER_WIDTH}px` }}>
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
                style={{ width: `${props.widths[i()] ?? 130}px` }}
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
}

export function VirtualTable(props: Props): JSX.Element {
  let scroller: HTMLDivElement | undefined;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewportHeight, setViewportHeight] = createSignal(600);

  const widths = createMemo(() => props.dataset.columns.map(columnWidth));
  const totalWidth = () => ROW_NUMBER_WIDTH + widths().reduce((a, b) => a + b, 0);
  const geometry = createMemo(() => scrollGeometry(props.dataset.rows, ROW_HEIGHT, viewportHeight()));
  const window = createMemo(() => rowWindow(geometry(), scrollTop(), OVERSCAN));
  const rowIndexes = createMemo(() => {
    const w = window();
    return Array.from({ length: w.end - w.start }, (_, i) => w.start + i);
  });
  const blocks = createRowBlocks({
    dataset: () => props.dataset,
    revision: () => props.revision,
    fetchRows: (id, start, end) => props.fetchRows(id, start, end),
    window,
    onNewDataset: () => {
      if (!scroller) return;
      scroller.scrollTop = 0;
      setScrollTop(0);
    },
  });

  onMount(() => {
    if (!scroller) return;
    setViewportHeight(scroller.clientHeight || 600);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewportHeight(scroller?.clientHeight || 600));
    observer.observe(scroller);
    onCleanup(() => observer.disconnect());
  });

  return (
    <div class="vt">
      <Show when={blocks.fetchError()}>
        <p class="notice error-inline" role="alert">
          Could not fetch rows: {blocks.fetchError()}
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
              {/* By position, then by name: a re-typed column (a new object) keeps its header and
                  the header's state (an open format panel, what the last choice did). */}
              <Index each={props.dataset.columns}>
                {(column, i) => (
                  <Show when={column().name} keyed>
                    {(name) => (
                      <ColumnHeader
                        column={column()}
                        rows={props.dataset.rows}
                        width={widths()[i] ?? 130}
                        onSetType={(t, format) => props.onSetType(name, t, format)}
                      />
                    )}
                  </Show>
                )}
              </Index>
            </tr>
          </thead>
          {/* The body is as tall as all rows; only the window is rendered, pushed down by padding. */}
          <tbody
            class="vt-body"
            style={{ height: `${geometry().contentHeight}px`, 'padding-top': `${window().offset}px` }}
          >
            <For each={rowIndexes()}>
              {(row) => <VirtualRow row={row} blocks={blocks} widths={widths()} totalWidth={totalWidth()} />}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}

function isDateType(type: ColumnType): boolean {
  return type === 'date' || type === 'datetime';
}

function ColumnHeader(props: {
  column: ColumnInfo;
  rows: number;
  width: number;
  onSetType: (type: ColumnType, dateFormat?: string) => Promise<unknown>;
}): JSX.Element {
  const overridden = () => props.column.type !== props.column.inferredType;
  const [pending, setPending] = createSignal(false);
  const [formatOpen, setFormatOpen] = createSignal(false);
  const unfit = () => props.column.unfit ?? 0;
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
      <span class="vt-typerow">
        <select
          class="vt-type"
          classList={{ overridden: overridden() }}
          aria-label={`Type of ${props.column.name}`}
          value={props.column.type}
          disabled={pending()}
          onChange={async (e) => {
            const select = e.currentTarget;
            const wasDate = isDateType(props.column.type);
            setPending(true);
            await props.onSetType(select.value as ColumnType);
            setPending(false);
            // If the engine refused, show the type the column really has.
            select.value = props.column.type;
            // Text just read as dates: show the formats when the guess did not read every value.
            if (!wasDate && isDateType(props.column.type) && (unfit() > 0 || !props.column.dateFormat))
              setFormatOpen(true);
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
        {/* Dates read from text have a format; native Arrow/Parquet dates have none to change. */}
        <Show
          when={
            isDateType(props.column.type) &&
            (props.column.dateFormat !== undefined || !isDateType(props.column.inferredType))
          }
        >
          <span class="vt-sep" aria-hidden="true">
            ·
          </span>
          <DateFormatPicker
            column={props.column}
            rows={props.rows}
            open={formatOpen()}
            onOpen={setFormatOpen}
            onApply={(type, format) => props.onSetType(type, format)}
          />
        </Show>
      </span>
      <span class="vt-colmeta">
        <Show when={overridden()}>
          <span class="inferred">inferred {props.column.inferredType} · </span>
        </Show>
        <Show when={unfit() > 0}>
          <span
            class="unfit"
            data-testid="unfit"
            title={`${formatCount(unfit())} values did not fit and show as missing; another ${isDateType(props.column.type) ? 'format' : 'type'} reads them again.`}
          >
            {formatCount(unfit())} unfit ·{' '}
          </span>
        </Show>
        <span classList={{ 'has-missing': props.column.missing > 0 }}>
          {formatCount(props.column.missing)} missing
        </span>
      </span>
    </th>
  );
}
