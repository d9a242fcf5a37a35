/** The rows picked in the error analysis (a slice, a confusion cell, the worst rows): count, links, save. */
import { createSignal, type JSX, Show } from 'solid-js';
import type { ErrorAnalysisStore } from '../../state/error-analysis';
import { SelectedRows } from '../explore/DataSelection';
import { formatCount } from '../format';
import type { ErrorsContext } from './errors-context';

/** The picked rows: how many, where they are selected, save as a named slice, and the rows themselves. */
export function Picked(props: {
  ctx: ErrorsContext;
  picked: NonNullable<ErrorAnalysisStore['state']['picked']>;
}): JSX.Element {
  const [name, setName] = createSignal('');
  const [message, setMessage] = createSignal<string | null>(null);
  const explore = () => props.ctx.explore ?? null;
  const p = () => props.picked;
  const selectedHere = () => {
    const x = explore();
    return x !== null && x.store.state.datasetId === p().datasetId && x.store.state.label === p().label;
  };
  const save = () => {
    const x = explore();
    if (!x) return;
    const slice = x.store.addSlice({
      name: name() || p().label,
      datasetId: p().datasetId,
      rows: p().rows,
      datasetRows: p().datasetRows,
      expression: null,
      description: p().label,
    });
    setName('');
    setMessage(
      `Saved slice "${slice.name}" (${formatCount(slice.count)} rows); it is listed in the Explore tab.`,
    );
  };
  return (
    <div class="errors-picked" data-testid="errors-picked">
      <p class="errors-picked-head">
        <strong>{p().label}</strong>:{' '}
        <span data-testid="errors-picked-count">{formatCount(p().rows.length)}</span> rows
        <Show when={selectedHere()}>
          <span class="muted small"> · selected in the Explore and Data views</span>
        </Show>
      </p>
      <Show when={explore()}>
        <div class="train-actions">
          <Show when={props.ctx.onOpen}>
            {(open) => (
              <>
                <button type="button" class="small-button" onClick={() => open()('explore', p().datasetId)}>
                  Open in Explore
                </button>
                <button type="button" class="small-button" onClick={() => open()('data', p().datasetId)}>
                  Open in Data
                </button>
              </>
            )}
          </Show>
          <input
            class="xslice-name"
            placeholder="slice name"
            aria-label="Name of the slice"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="button" class="small-button" data-testid="save-error-slice" onClick={save}>
            Save as named slice
          </button>
          <Show when={message()}>{(m) => <span class="muted small">{m()}</span>}</Show>
        </div>
        <Show when={selectedHere()}>
          <SelectedRows store={explore()!.store} dataset={{ id: p().datasetId }} />
        </Show>
      </Show>
    </div>
  );
}
