/**
 * The nearest counterfactual of the what-if row: the smallest change that flips the prediction,
 * searched in the worker as a cancellable job over the features the user lets change.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { CellValue, CounterfactualResult, DeployedModelInfo } from '../../protocol/api';
import type { PrototypeStore } from '../../state/prototype';
import { SelectField } from '../SelectField';
import { valueText } from './fields';
import { JobError, JobProgress } from './JobProgress';

/** 4 significant digits: enough to read a change; Apply uses the exact value. */
const shortValue = (v: CellValue) =>
  typeof v === 'number' ? String(Number(v.toPrecision(4))) : valueText(v);

/** The search's answer: the changes and the new prediction, or why nothing was found. */
function CounterfactualFound(props: { result: CounterfactualResult; onApply: () => void }): JSX.Element {
  const r = () => props.result;
  return (
    <div class="proto-cf-result" data-testid="cf-result">
      <Show when={r().found} fallback={<p class="proto-flag">{r().message}</p>}>
        <p>
          Predicted <strong>{r().prediction}</strong>
          {r().probability !== null ? ` (p = ${r().probability!.toFixed(3)})` : ''} instead of{' '}
          {r().originalPrediction} after {r().changes.length === 1 ? 'this change' : 'these changes'}:
        </p>
        <table class="runs-table proto-cf-table">
          <thead>
            <tr>
              <th scope="col">feature</th>
              <th scope="col" class="num">
                from
              </th>
              <th scope="col" class="num">
                to
              </th>
              <th scope="col" class="num">
                share of range
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={r().changes}>
              {(c) => (
                <tr data-feature={c.feature}>
                  <th scope="row">{c.feature}</th>
                  <td class="num">{shortValue(c.from)}</td>
                  <td class="num">{shortValue(c.to)}</td>
                  <td class="num">
                    {typeof c.to === 'number' ? `${(c.cost * 100).toFixed(1)}%` : 'category'}
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <p class="small muted">
          Distance {r().distance.toFixed(3)} (numeric changes as shares of the observed range, 1 per changed
          category) · {r().evaluated.toLocaleString('en-US')} candidate rows scored.
        </p>
        <button type="button" class="button" onClick={() => props.onApply()} data-testid="cf-apply">
          Apply to the form
        </button>
      </Show>
    </div>
  );
}

export function CounterfactualSection(props: {
  store: PrototypeStore;
  model: DeployedModelInfo;
}): JSX.Element {
  const store = props.store;
  const [target, setTarget] = createSignal<string | null>(null);
  const mutable = () =>
    props.model.contract.features.filter(
      (f) => f.type !== 'text' && f.type !== 'date' && f.type !== 'datetime',
    );
  const [locked, setLocked] = createSignal<ReadonlySet<string>>(new Set());
  const allowed = () => mutable().filter((f) => !locked().has(f.name));
  const running = () => store.state.cf.jobId !== null;
  const prediction = () => store.state.current?.prediction ?? null;
  const search = () =>
    void store.findCounterfactual({
      targetClass: target(),
      features: allowed().map((f) => f.name),
    });
  return (
    <section class="proto-cf train-section" aria-labelledby="proto-cf-title">
      <h2 id="proto-cf-title" class="train-h2">
        Counterfactual <span class="muted small">the nearest row the model classifies differently</span>
      </h2>
      <div class="train-row">
        <SelectField label="Flip to" testid="cf-target" onPick={(value) => setTarget(value || null)}>
          <option value="">any other class</option>
          <For each={(props.model.classes ?? []).filter((c) => c !== prediction())}>
            {(c) => (
              <option value={c} selected={c === target()}>
                {c}
              </option>
            )}
          </For>
        </SelectField>
        <button
          type="button"
          class="button primary"
          disabled={running() || allowed().length === 0 || prediction() === null}
          onClick={search}
          data-testid="cf-search"
        >
          Smallest change that flips the prediction
        </button>
      </div>
      <details class="proto-allowed">
        <summary class="small">
          Features that may change ({allowed().length} of {mutable().length})
        </summary>
        <div class="proto-allowed-list">
          <For each={mutable()}>
            {(f) => (
              <label class="small">
                <input
                  type="checkbox"
                  checked={!locked().has(f.name)}
                  onChange={(e) => {
                    const next = new Set(locked());
                    if (e.currentTarget.checked) next.delete(f.name);
                    else next.add(f.name);
                    setLocked(next);
                  }}
                />{' '}
                {f.name}
              </label>
            )}
          </For>
        </div>
      </details>
      <Show when={running()}>
        <JobProgress
          progress={store.progress('cf')}
          onCancel={() => store.cancelCounterfactual()}
          testid="cf-progress"
        />
      </Show>
      <JobError error={store.state.cf.error} testid="cf-error" />
      <Show when={store.state.cf.result}>
        {(r) => <CounterfactualFound result={r()} onApply={() => store.applyCounterfactual()} />}
      </Show>
    </section>
  );
}
