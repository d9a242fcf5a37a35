/**
 * The Explore selection on the Data tab: a "N selected" bar and a "Show selected only" toggle that
 * swaps the table for the selected rows (their row numbers and values, first 500, fetched by the
 * explore store as Arrow IPC). The virtual table itself is left as it is.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import type { ExploreStore } from '../../state/explore';
import { formatCount } from '../format';

const LIST_ROWS = 500;

export function DataSelection(props: {
  store: ExploreStore;
  dataset: DatasetInfo;
  children: JSX.Element;
}): JSX.Element {
  const [only, setOnly] = createSignal(false);
  const active = () => props.store.active() && props.store.state.datasetId === props.dataset.id;
  return (
    <>
      <Show when={active()}>
        <div class="xdata-selection" role="status">
          <span data-testid="table-selected-count">
            <strong>{formatCount(props.store.state.count)}</strong> selected
          </span>
          <span class="muted small">
            of {formatCount(props.store.state.rows)} rows ({props.store.state.label ?? 'from Explore'})
          </span>
          <label class="xchip">
            <input
              type="checkbox"
              checked={only()}
              onChange={(e) => setOnly(e.currentTarget.checked)}
              data-testid="show-selected-only"
            />
            Show selected only
          </label>
          <button type="button" class="small-button" onClick={() => void props.store.clear()}>
            Clear selection
          </button>
        </div>
      </Show>
      <Show when={active() && only()} fallback={props.children}>
        <SelectedRows store={props.store} dataset={props.dataset} />
      </Show>
    </>
  );
}

/** The selected rows as a table (also under Evaluate's error slices, which select rows here). */
export function SelectedRows(props: { store: ExploreStore; dataset: Pick<DatasetInfo, 'id'> }): JSX.Element {
  const rows = props.store.selectedRows(() => props.dataset.id, LIST_ROWS);
  rows.follow();
  const columns = () => rows.latest()?.table.schema.fields.map((f) => f.name) ?? [];
  return (
    <div class="xselected-list" data-testid="selected-rows">
      <Show when={rows.error()}>
        <p class="xerror small">{rows.error()}</p>
      </Show>
      <Show when={rows.latest()}>
        {(d) => (
          <>
            <p class="muted small">
              {props.store.state.count > LIST_ROWS ? `First ${LIST_ROWS} of ` : ''}
              {formatCount(props.store.state.count)} selected rows
            </p>
            <table class="xselected-table">
              <thead>
                <tr>
                  <th>row</th>
                  <For each={columns()}>{(c) => <th>{c}</th>}</For>
                </tr>
              </thead>
              <tbody>
                <For each={Array.from(d().ids)}>
                  {(id, i) => (
                    <tr>
                      <td>{id + 1}</td>
                      <For each={columns()}>
                        {(c) => <td>{String(d().table.getChild(c)?.get(i()) ?? '')}</td>}
                      </For>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </>
        )}
      </Show>
    </div>
  );
}
