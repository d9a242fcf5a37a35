/**
 * The Train tab's models: one card per model with its description and parameter form, "add a
 * model", Train / Compare baselines / Cancel, and the failure of the last job — with the fixes
 * the engine offers when a notebook step failed inside a fold.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { TrainStore } from '../../state/train';
import { ModelParams } from './ModelParams';

export function TrainModels(props: { store: TrainStore; target: string | null }): JSX.Element {
  const store = props.store;
  const s = () => store.state.settings;
  const [adding, setAdding] = createSignal('');
  return (
    <section class="train-section" aria-labelledby="models-title">
      <h2 id="models-title" class="train-h2">
        Models
      </h2>
      <div class="train-models">
        <For each={s().models}>
          {(m, i) => (
            <div class="train-model" data-model={m.name}>
              <div class="train-model-head">
                <select
                  class="input"
                  aria-label={`Model ${i() + 1}`}
                  value={m.name}
                  onChange={(e) => store.setModelName(i(), e.currentTarget.value)}
                >
                  <For each={store.modelChoices()}>
                    {(info) => <option value={info.name}>{info.name}</option>}
                  </For>
                </select>
                <button
                  type="button"
                  class="small-button"
                  aria-label={`Remove ${m.name}`}
                  onClick={() => store.removeModel(i())}
                >
                  ✕
                </button>
              </div>
              <Show when={store.modelInfo(m.name)}>
                {(info) => (
                  <details>
                    <summary class="small muted">{info().description}</summary>
                    <ModelParams
                      idPrefix={`model-${i()}`}
                      info={info()}
                      values={m.params}
                      onValue={(k, v) => store.setModelParam(i(), k, v)}
                    />
                  </details>
                )}
              </Show>
            </div>
          )}
        </For>
        <label class="train-field">
          <span class="visually-hidden">Add a model</span>
          <select
            class="input"
            data-testid="add-model"
            value={adding()}
            onChange={(e) => {
              const name = e.currentTarget.value;
              if (name) store.addModel(name);
              setAdding('');
              e.currentTarget.value = '';
            }}
          >
            <option value="">+ Add a model…</option>
            <For each={store.modelChoices()}>{(info) => <option value={info.name}>{info.name}</option>}</For>
          </select>
        </label>
      </div>
      <div class="train-actions">
        <button
          type="button"
          class="button primary"
          data-testid="train-button"
          disabled={store.running() || s().models.length === 0}
          onClick={() => store.train()}
        >
          Train
        </button>
        <button
          type="button"
          class="button"
          data-testid="baselines-button"
          disabled={store.running() || !props.target}
          onClick={() => store.compareBaselines()}
        >
          Compare baselines
        </button>
        <Show when={store.running()}>
          <button type="button" class="button" data-testid="train-cancel" onClick={() => store.cancel()}>
            Cancel
          </button>
        </Show>
      </div>
      <Show when={store.state.error}>
        {(err) => (
          <div class="train-error" role="alert" data-testid="train-error">
            <strong>{err().message}</strong>
            <Show when={err().hint}>
              <span class="muted"> {err().hint}</span>
            </Show>
            <Show when={err().fix}>
              {(fix) => (
                <span class="train-fixes" data-testid="train-fixes">
                  <button type="button" class="small-button" onClick={() => store.applyNotebookFix()}>
                    {fix().label}
                  </button>
                </span>
              )}
            </Show>
            <Show when={err().step?.fixes.length}>
              <span class="train-fixes" data-testid="train-fixes">
                <For each={err().step?.fixes ?? []}>
                  {(fix) => (
                    <button type="button" class="small-button" onClick={() => store.applyFix(fix)}>
                      {fix.label}
                    </button>
                  )}
                </For>
              </span>
            </Show>
            <button type="button" class="small-button" onClick={() => store.dismissError()}>
              Dismiss
            </button>
          </div>
        )}
      </Show>
    </section>
  );
}
