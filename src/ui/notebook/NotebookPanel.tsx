/**
 * The selected dataset's notebook in the sidebar: target and seed, the step cards in order, the
 * "Add step" picker, the one-click standard preprocessing, "Apply to…" another dataset, undo/redo
 * (also Ctrl/Cmd+Z, Ctrl+Shift+Z, Ctrl+Y) and the share link. It also asks for data a waiting
 * notebook refers to but that is not loaded: a URL only after the user agrees, a file by asking
 * the user to open it.
 */
import { createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import type { DatasetRef } from '../../spec/notebook';
import { describeRef } from '../../state/dataset-ref';
import { useWorkbench } from '../context';
import { ApplyTo } from './ApplyTo';
import { useNotebook } from './context';
import { ShareLink } from './ShareLink';
import { StepCard } from './StepCard';
import { StepPicker } from './StepPicker';
import './notebook.css';

/** Whether a key event should stay with the field it happened in (the browser undoes typing). */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type);
}

export function NotebookPanel(): JSX.Element {
  const nb = useNotebook();
  const onKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || inTextField(e.target)) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) nb.undo();
    else if ((key === 'z' && e.shiftKey) || key === 'y') nb.redo();
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  const steps = () => nb.state.notebook.steps;
  const dataset = () => nb.dataset();
  return (
    <section class="side-section notebook" aria-labelledby="notebook-heading">
      <div class="notebook-heading-row">
        <h2 id="notebook-heading" class="side-heading">
          Notebook <span class="count">{steps().length || ''}</span>
        </h2>
        <NotebookTools />
      </div>
      <Show when={nb.state.catalogError}>
        {(message) => <p class="step-error small">Could not list the steps: {message()}</p>}
      </Show>
      <Show when={nb.state.pending}>{(ref) => <PendingData dataRef={ref()} />}</Show>
      <Show when={nb.state.warning}>
        {(text) => (
          <div class="notebook-warning small" role="status">
            <p>{text()}</p>
            <button type="button" class="button" onClick={() => nb.dismissWarning()}>
              OK
            </button>
          </div>
        )}
      </Show>
      <Show
        when={dataset()}
        fallback={
          <Show when={!nb.state.pending}>
            <p class="muted small">Load or select a dataset to build a notebook of steps over it.</p>
          </Show>
        }
      >
        {(d) => <NotebookSettings columns={d().columns.map((c) => c.name)} />}
      </Show>
      <Show when={steps().length > 0}>
        <ol class="step-list" aria-label="Notebook steps">
          <For each={steps()}>
            {(spec, index) => (
              <StepCard
                spec={spec}
                index={index()}
                count={steps().length}
                columns={dataset()?.columns ?? []}
              />
            )}
          </For>
        </ol>
      </Show>
      <Show when={nb.state.runError}>
        {(error) => (
          <div class="step-error small" role="alert">
            <p>The notebook could not run: {error().message}</p>
            <Show when={error().hint}>{(hint) => <p class="muted">{hint()}</p>}</Show>
          </div>
        )}
      </Show>
      <Show when={dataset() && steps().length === 0}>
        <p class="muted small">No steps yet: add one to clean or transform the data.</p>
      </Show>
      <div class="notebook-actions">
        <StepPicker disabled={!dataset() && !nb.state.pending} />
        <Show when={nb.state.runJobId}>
          <button type="button" class="button" onClick={() => nb.cancelRun()}>
            Cancel run
          </button>
        </Show>
      </div>
      <Show when={dataset()}>
        <div class="notebook-actions notebook-more">
          <StandardPreprocessing />
          <ApplyTo which="current" />
        </div>
      </Show>
    </section>
  );
}

function NotebookTools(): JSX.Element {
  const nb = useNotebook();
  return (
    <span class="notebook-tools">
      <button
        type="button"
        class="icon-button"
        aria-label="Undo"
        title="Undo (Ctrl+Z)"
        disabled={!nb.canUndo()}
        onClick={() => nb.undo()}
      >
        ↶
      </button>
      <button
        type="button"
        class="icon-button"
        aria-label="Redo"
        title="Redo (Ctrl+Shift+Z)"
        disabled={!nb.canRedo()}
        onClick={() => nb.redo()}
      >
        ↷
      </button>
      <ShareLink />
    </span>
  );
}

function NotebookSettings(props: { columns: string[] }): JSX.Element {
  const nb = useNotebook();
  return (
    <div class="notebook-settings">
      <label class="small" for="notebook-target">
        Target
      </label>
      <select
        id="notebook-target"
        class="input"
        value={nb.state.notebook.target ?? ''}
        title="The column to predict: steps leave it alone unless they name it."
        onChange={(e) => nb.setTarget(e.currentTarget.value || null)}
      >
        <option value="">(none)</option>
        <For each={props.columns}>{(c) => <option value={c}>{c}</option>}</For>
      </select>
      <label class="small" for="notebook-seed">
        Seed
      </label>
      <input
        id="notebook-seed"
        class="input"
        type="number"
        min="0"
        step="1"
        value={nb.state.notebook.seed}
        title="Seeds every random choice (splits, randomized solvers), so a link reruns to the same numbers."
        onInput={(e) => {
          const v = Number(e.currentTarget.value);
          if (e.currentTarget.value !== '' && Number.isInteger(v)) nb.setSeed(v);
        }}
      />
    </div>
  );
}

/** One click for scikit-learn's ColumnTransformer idiom (see the store's addStandardPreprocessing). */
function StandardPreprocessing(): JSX.Element {
  const nb = useNotebook();
  const [busy, setBusy] = createSignal(false);
  const add = async () => {
    setBusy(true);
    try {
      await nb.addStandardPreprocessing();
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="button"
      disabled={busy() || nb.state.catalog.length === 0}
      title="Add SimpleImputer + StandardScaler for the numeric columns and SimpleImputer + OneHotEncoder for the categorical ones"
      onClick={() => void add()}
    >
      Standard preprocessing
    </button>
  );
}

/**
 * A notebook waiting for data that is not loaded: a URL (asks first) or a file (asks for it). It
 * may also be applied to a loaded dataset instead (after the column check), or discarded. While
 * a dataset is on screen, its own notebook shows below and this one waits apart.
 */
function PendingData(props: { dataRef: DatasetRef }): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  let fileInput: HTMLInputElement | undefined;
  const [busy, setBusy] = createSignal(false);
  const ref = () => props.dataRef;
  const apart = () => nb.state.datasetId !== null;
  const url = () => (ref().kind === 'url' ? (ref() as Extract<DatasetRef, { kind: 'url' }>).url : null);
  return (
    <div class="notebook-pending small" role="status" data-testid="notebook-pending">
      <p>
        {apart() ? 'A notebook from a link is waiting: it was made on ' : 'This notebook was made on '}
        <Show when={url()} fallback={describeRef(ref())}>
          {(u) => <span class="pending-url">{u()}</span>}
        </Show>
        .{' '}
        {url()
          ? 'Load that data? Benchtop fetches it from that address.'
          : ref().kind === 'file'
            ? 'Open that file to apply it.'
            : 'Load that data to apply it.'}
      </p>
      <span class="pending-actions">
        <Show when={url()}>
          {(u) => (
            <button
              type="button"
              class="button primary"
              disabled={busy()}
              onClick={async () => {
                setBusy(true);
                await wb.loadUrl(u());
                setBusy(false);
              }}
            >
              Load data
            </button>
          )}
        </Show>
        <Show when={ref().kind === 'file'}>
          <input
            ref={fileInput}
            type="file"
            class="visually-hidden"
            aria-label="Open the notebook's file"
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = '';
              if (files.length > 0) void wb.loadFiles(files);
            }}
          />
          <button type="button" class="button" onClick={() => fileInput?.click()}>
            Open file…
          </button>
        </Show>
        <ApplyTo which="incoming" label="Apply to loaded data…" />
        <button type="button" class="button" onClick={() => nb.dismissPending()}>
          {url() ? 'Not now' : 'Discard'}
        </button>
      </span>
    </div>
  );
}
