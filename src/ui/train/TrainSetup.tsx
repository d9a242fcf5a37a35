/**
 * The Train tab's setup row: the target (shared with the notebook), the task (inferred,
 * changeable), the split and its options. The split shown is the one the experiment will use:
 * a regression is never shown (or run) as stratified.
 */
import { For, type JSX, Show } from 'solid-js';
import type { DatasetInfo, TrainTask } from '../../protocol/api';
import type { TrainSplit } from '../../spec/notebook';
import type { TrainStore } from '../../state/train';
import { SelectField } from '../SelectField';

const TASKS: TrainTask[] = ['classification', 'regression', 'clustering'];
const SPLITS: { value: TrainSplit['kind']; label: string }[] = [
  { value: 'stratified-kfold', label: 'Stratified k-fold' },
  { value: 'kfold', label: 'k-fold' },
  { value: 'group-kfold', label: 'Group k-fold' },
  { value: 'holdout', label: 'Hold-out' },
];

export function TrainSetup(props: {
  store: TrainStore;
  dataset: DatasetInfo;
  target: string | null;
}): JSX.Element {
  const store = props.store;
  const s = () => store.state.settings;
  const columns = () => props.dataset.columns.map((c) => c.name);
  const stratifyOff = () => {
    const t = store.task();
    return t !== null && t !== 'classification';
  };
  return (
    <section class="train-section train-setup" aria-labelledby="setup-title">
      <h2 id="setup-title" class="train-h2">
        Setup <span class="muted small">{props.dataset.name}</span>
      </h2>
      <div class="train-row">
        <SelectField
          label="Target"
          testid="train-target"
          value={props.target ?? ''}
          onPick={(value) => store.setTarget(value || null)}
        >
          <option value="">none (clustering)</option>
          <For each={columns()}>{(c) => <option value={c}>{c}</option>}</For>
        </SelectField>
        <SelectField
          label="Task"
          testid="train-task"
          value={s().task ?? ''}
          onPick={(value) => store.setTask((value || null) as TrainTask | null)}
        >
          <option value="">{`inferred: ${store.state.inferredTask ?? (props.target ? '…' : 'clustering')}`}</option>
          <For each={TASKS}>{(t) => <option value={t}>{t}</option>}</For>
        </SelectField>
        <SelectField
          label="Split"
          testid="train-split"
          value={store.splitKind()}
          onPick={(value) => store.setSplit({ kind: value as TrainSplit['kind'] })}
        >
          <For each={SPLITS}>
            {(o) => (
              <option
                value={o.value}
                disabled={o.value === 'stratified-kfold' && stratifyOff()}
                title={
                  o.value === 'stratified-kfold' && stratifyOff()
                    ? 'Stratifying needs classes: this target is not a classification.'
                    : undefined
                }
              >
                {o.label}
              </option>
            )}
          </For>
        </SelectField>
        <SplitOptions store={store} columns={columns()} />
      </div>
    </section>
  );
}

/** The split's own fields: folds and repeats, or the hold-out's size, stratify and time order; groups. */
function SplitOptions(props: { store: TrainStore; columns: string[] }): JSX.Element {
  const store = props.store;
  const split = () => store.state.settings.split;
  const columns = () => props.columns;
  return (
    <>
      <Show
        when={split().kind === 'holdout'}
        fallback={
          <>
            <label class="train-field narrow">
              <span>Folds</span>
              <input
                class="input"
                type="number"
                min="2"
                max="100"
                data-testid="train-folds"
                value={split().k ?? 5}
                onInput={(e) => {
                  const k = Number(e.currentTarget.value);
                  if (Number.isInteger(k) && k >= 2 && k <= 100) store.setSplit({ k });
                }}
              />
            </label>
            <label class="train-field narrow">
              <span>Repeats</span>
              <input
                class="input"
                type="number"
                min="1"
                max="100"
                value={split().repeats ?? 1}
                onInput={(e) => {
                  const r = Number(e.currentTarget.value);
                  if (Number.isInteger(r) && r >= 1 && r <= 100)
                    store.setSplit({ repeats: r > 1 ? r : undefined });
                }}
              />
            </label>
          </>
        }
      >
        <label class="train-field narrow">
          <span>Test %</span>
          <input
            class="input"
            type="number"
            min="1"
            max="99"
            value={Math.round((split().testSize ?? 0.25) * 100)}
            onInput={(e) => {
              const p = Number(e.currentTarget.value);
              if (p >= 1 && p <= 99) store.setSplit({ testSize: p / 100 });
            }}
          />
        </label>
        <label class="param-check">
          <input
            type="checkbox"
            checked={split().stratify === true}
            onChange={(e) => store.setSplit({ stratify: e.currentTarget.checked || undefined })}
          />
          <span>stratify</span>
        </label>
        <SelectField
          label="Time order"
          value={split().timeColumn ?? ''}
          onPick={(value) => store.setSplit({ timeColumn: value || undefined })}
        >
          <option value="">random</option>
          <For each={columns()}>{(c) => <option value={c}>{c}</option>}</For>
        </SelectField>
      </Show>
      <Show when={split().kind === 'group-kfold' || split().kind === 'holdout'}>
        <SelectField
          label="Groups"
          value={split().group ?? ''}
          onPick={(value) => store.setSplit({ group: value || undefined })}
        >
          <option value="">none</option>
          <For each={columns()}>{(c) => <option value={c}>{c}</option>}</For>
        </SelectField>
      </Show>
    </>
  );
}
