/**
 * "Apply this notebook to…": reuse a notebook on another loaded dataset. The user picks the
 * dataset, sees the column check (columns the notebook names that the data lacks or holds with
 * another type, other data than the link named) and only then applies it; the other dataset's
 * own notebook is one Undo away, and this dataset keeps its own.
 */
import { createEffect, createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import type { Applicable } from '../../state/notebook-slots';
import { useWorkbench } from '../context';
import { useNotebook } from './context';

export function ApplyTo(props: { which: Applicable; label?: string }): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const [open, setOpen] = createSignal(false);
  // A notebook on screen goes to another dataset; a waiting one may go to any loaded one.
  const targets = () =>
    wb.state.datasets.filter(
      (d) => d.source.kind !== 'derived' && (props.which === 'incoming' || d.id !== nb.state.datasetId),
    );
  return (
    <div class="apply-to">
      <button
        type="button"
        class="button"
        aria-expanded={open()}
        disabled={targets().length === 0}
        title={
          targets().length === 0
            ? 'Load another dataset to apply this notebook to it.'
            : 'Use this notebook on another loaded dataset (after a check of its columns)'
        }
        onClick={() => setOpen(!open())}
      >
        {props.label ?? 'Apply to…'}
      </button>
      <Show when={open()}>
        <ApplyPanel
          which={props.which}
          targets={targets().map((d) => ({ id: d.id, name: d.name }))}
          onClose={() => setOpen(false)}
        />
      </Show>
    </div>
  );
}

function ApplyPanel(props: {
  which: Applicable;
  targets: { id: string; name: string }[];
  onClose: () => void;
}): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const [target, setTarget] = createSignal(props.targets[0]?.id ?? '');
  const check = () => (target() ? nb.fitOn(target(), props.which) : null);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.onClose();
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  let panel: HTMLDivElement | undefined;
  // The sidebar scrolls: the panel opens below its button, maybe below the fold.
  // Once laid out, and again when the check for another dataset changes its height.
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    check();
    clearTimeout(timer);
    timer = setTimeout(() => panel?.scrollIntoView?.({ block: 'nearest' }), 0);
  });
  onCleanup(() => clearTimeout(timer));
  const apply = () => {
    const id = target();
    if (!id || !nb.applyTo(id, props.which)) return;
    wb.select(id);
    props.onClose();
  };
  return (
    <div
      ref={panel}
      class="apply-panel small"
      role="dialog"
      aria-label="Apply this notebook to another dataset"
    >
      <label class="apply-field">
        <span>Dataset</span>
        <select class="input" value={target()} onChange={(e) => setTarget(e.currentTarget.value)}>
          <For each={props.targets}>{(d) => <option value={d.id}>{d.name}</option>}</For>
        </select>
      </label>
      <Show when={check()}>
        {(f) => (
          <p class={f().message ? 'apply-check warn' : 'apply-check'} role="status" data-testid="apply-check">
            {f().message ?? 'Every column this notebook names is there, with the same type.'}
          </p>
        )}
      </Show>
      <p class="muted">
        Its own notebook is replaced (Undo brings it back)
        {props.which === 'current' ? '; this one stays as it is.' : '.'}
      </p>
      <span class="apply-actions">
        <button type="button" class="button primary" disabled={!check()} onClick={apply}>
          Apply
        </button>
        <button type="button" class="button" onClick={() => props.onClose()}>
          Cancel
        </button>
      </span>
    </div>
  );
}
