/** The "Add step" picker: the catalog grouped by what the step is for, with a search box. */
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { groupSteps, pickedStep } from './categories';
import { useNotebook } from './context';

export function StepPicker(props: { disabled?: boolean }): JSX.Element {
  const nb = useNotebook();
  const [open, setOpen] = createSignal(false);
  const [query, setQuery] = createSignal('');
  const groups = () => groupSteps(nb.state.catalog, query());
  const add = (name: string) => {
    nb.addStep(name);
    setOpen(false);
    setQuery('');
  };
  return (
    <div class="step-picker">
      <button
        type="button"
        class="button"
        aria-expanded={open()}
        disabled={props.disabled || nb.state.catalog.length === 0}
        onClick={() => setOpen(!open())}
      >
        + Add step
      </button>
      <Show when={open()}>
        <PickerPanel
          query={query()}
          onQuery={setQuery}
          onClose={() => setOpen(false)}
          onEnter={() => {
            const step = pickedStep(groups(), query());
            if (step) add(step.name);
          }}
        >
          <For each={groups()} fallback={<p class="muted small">No step matches “{query()}”.</p>}>
            {(group) => (
              <section class="picker-group" aria-label={group.title}>
                <h3 class="picker-heading">{group.title}</h3>
                <ul class="picker-list">
                  <For each={group.steps}>
                    {(s) => (
                      <li>
                        <button
                          type="button"
                          class="picker-step"
                          title={s.description}
                          aria-label={`Add ${s.name}`}
                          onClick={() => add(s.name)}
                        >
                          <span class="picker-name">{s.name}</span>
                          <span class="picker-desc small muted">{s.description}</span>
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            )}
          </For>
        </PickerPanel>
      </Show>
    </div>
  );
}

function PickerPanel(props: {
  query: string;
  onQuery: (q: string) => void;
  onClose: () => void;
  /** Enter in the search box: add the step the query names (or its only match). */
  onEnter: () => void;
  children: JSX.Element;
}): JSX.Element {
  let search: HTMLInputElement | undefined;
  onMount(() => search?.focus());
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.onClose();
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  return (
    <div class="picker-panel" role="dialog" aria-label="Add a step">
      <input
        ref={search}
        class="input picker-search"
        type="search"
        placeholder="Search steps"
        aria-label="Search steps"
        value={props.query}
        onInput={(e) => props.onQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || e.isComposing) return;
          e.preventDefault();
          props.onEnter();
        }}
      />
      <div class="picker-groups">{props.children}</div>
    </div>
  );
}
