/**
 * The bar above the Explore views: how many rows the linked selection holds, and what to do with
 * it — clear it, turn it into a FilterRows step (when it has an expression) or a named slice, or
 * select a saved slice again.
 */
import { createEffect, createSignal, For, type JSX, Show } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import type { ExploreStore } from '../../state/explore';
import { formatCount } from '../format';
import { useNotebook } from '../notebook/context';

export function SelectionBar(props: { store: ExploreStore; dataset: DatasetInfo }): JSX.Element {
  const nb = useNotebook();
  const [sliceName, setSliceName] = createSignal('');
  const [message, setMessage] = createSignal<string | null>(null);
  const store = () => props.store;
  const slices = () => store().state.slices.filter((s) => s.datasetId === props.dataset.id);
  // Slices the engine kept (after a reload or a worker restart) are listed again for this dataset.
  createEffect(() => void store().syncSlices(props.dataset.id, props.dataset.rows));
  const toStep = () => {
    const expr = store().state.expression;
    if (!expr) return;
    const id = nb.addStep('FilterRows');
    if (id === null) {
      setMessage('The notebook has no FilterRows step.');
      return;
    }
    nb.setParam(id, 'expression', expr);
    setMessage(`Added FilterRows: ${expr}`);
  };
  const saveSlice = () => {
    const s = store().saveSlice(sliceName());
    if (s) {
      setMessage(`Saved slice "${s.name}" (${formatCount(s.count)} rows).`);
      setSliceName('');
    }
  };
  return (
    <div class="xselection" role="status" data-testid="explore-selection">
      <span data-testid="explore-selected-count">
        <Show
          when={store().active()}
          fallback={`${formatCount(props.dataset.rows)} rows · brush, lasso or click any view to select`}
        >
          <strong>{formatCount(store().state.count)}</strong> of {formatCount(store().state.rows)} rows
          selected
          {store().state.filters.length > 1 ? ` (${store().state.filters.length} filters, AND)` : ''}
        </Show>
      </span>
      <Show when={store().active()}>
        <button type="button" class="small-button" onClick={() => void store().clear()}>
          Clear
        </button>
        <button
          type="button"
          class="small-button"
          disabled={!store().state.expression}
          title={
            store().state.expression ?? 'A lasso or brushed point set has no expression; save it as a slice.'
          }
          onClick={toStep}
        >
          Add as FilterRows step
        </button>
        <input
          class="xslice-name"
          placeholder="slice name"
          value={sliceName()}
          onInput={(e) => setSliceName(e.currentTarget.value)}
        />
        <button type="button" class="small-button" onClick={saveSlice}>
          Save slice
        </button>
      </Show>
      <Show when={slices().length > 0}>
        <span class="xslices" data-testid="explore-slices">
          <span class="muted small">Slices:</span>
          <For each={slices()}>
            {(s) => (
              <button
                type="button"
                class="small-button xslice"
                title={`Select ${s.description ?? s.name} again`}
                onClick={() => void store().selectSlice(s.name)}
              >
                {s.name} ({formatCount(s.count)})
              </button>
            )}
          </For>
        </span>
      </Show>
      <Show when={store().active() && store().state.label}>
        <span class="muted small" data-testid="explore-selection-label">
          {store().state.label}
        </span>
      </Show>
      <Show when={message()}>
        <span class="muted small">{message()}</span>
      </Show>
      <Show when={store().state.error}>
        <span class="xerror small">{store().state.error}</span>
      </Show>
    </div>
  );
}
