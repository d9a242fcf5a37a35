/**
 * The what-if form, generated from the model's data contract (a slider with a number box per
 * numeric feature within its observed range, a dropdown per categorical, a checkbox per boolean),
 * and the prediction beside it: the class and its probabilities or the value, the change from the
 * original row, and the runtime's drift flags next to the fields they concern.
 */
import { createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import type { CellValue, DeployedModelInfo, FeatureContract } from '../../protocol/api';
import type { PrototypeStore, RowPrediction } from '../../state/prototype';
import { probabilityBars } from '../../viz/pdp';
import { Chart } from '../train/Chart';
import { driftText, fieldKind, numberText, parseNumberText, sameCell, sliderStep, valueText } from './fields';

const MISSING = '\u0000missing';

function NumberField(props: { f: FeatureContract; value: CellValue; onChange: (v: CellValue) => void }) {
  const f = () => props.f;
  const [text, setText] = createSignal(numberText(props.value));
  const [error, setError] = createSignal<string | null>(null);
  // Values set elsewhere (reset, a loaded row, a counterfactual) replace the text; the user's own
  // typing is left alone, even when it does not parse.
  createEffect(
    on(
      () => props.value,
      (v) => {
        if (!sameCell(parseNumberText(text(), f().type === 'integer').value, v)) {
          setText(numberText(v));
          setError(null);
        }
      },
    ),
  );
  const type = (raw: string) => {
    setText(raw);
    const parsed = parseNumberText(raw, f().type === 'integer');
    setError(parsed.error);
    props.onChange(parsed.value);
  };
  const slider = () => fieldKind(f()) === 'slider';
  const sliderValue = () => {
    const v = typeof props.value === 'number' ? props.value : Number.NaN;
    return Number.isFinite(v) ? Math.min(f().max!, Math.max(f().min!, v)) : (f().min! + f().max!) / 2;
  };
  return (
    <>
      <Show when={slider()}>
        <input
          type="range"
          class="proto-slider"
          min={f().min}
          max={f().max}
          step={sliderStep(f())}
          value={sliderValue()}
          aria-label={`${f().name} slider`}
          data-testid={`slider-${f().name}`}
          onInput={(e) => type(e.currentTarget.value)}
        />
      </Show>
      <input
        class="input proto-number"
        classList={{ invalid: error() !== null }}
        type="text"
        inputmode="decimal"
        value={text()}
        aria-label={f().name}
        aria-invalid={error() !== null}
        data-testid={`field-${f().name}`}
        onInput={(e) => type(e.currentTarget.value)}
      />
      <Show when={error()}>
        <span class="proto-invalid small">{error()}</span>
      </Show>
    </>
  );
}

function Field(props: { f: FeatureContract; store: PrototypeStore }) {
  const f = () => props.f;
  const value = () => props.store.state.values[f().name] ?? null;
  const original = () => props.store.state.base.row[f().name] ?? null;
  const set = (v: CellValue) => props.store.setValue(f().name, v);
  const drift = () => props.store.state.current?.drift.filter((d) => d.column === f().name) ?? [];
  const kind = () => fieldKind(f());
  const id = () => `proto-${f().name.replace(/[^\w-]/g, '_')}`;
  return (
    <div
      class="proto-field"
      data-feature={f().name}
      classList={{ changed: !sameCell(value(), original()), flagged: drift().length > 0 }}
    >
      <label class="proto-label" for={id()} title={f().name}>
        {f().name}
      </label>
      <div class="proto-control" id={id()}>
        {(() => {
          switch (kind()) {
            case 'slider':
            case 'number':
              return <NumberField f={f()} value={value()} onChange={set} />;
            case 'checkbox':
              return (
                <input
                  type="checkbox"
                  aria-label={f().name}
                  data-testid={`field-${f().name}`}
                  checked={value() === true || value() === 'true' || value() === 'True'}
                  onChange={(e) => set(e.currentTarget.checked)}
                />
              );
            case 'select':
              return (
                <select
                  class="input"
                  aria-label={f().name}
                  data-testid={`field-${f().name}`}
                  onChange={(e) => set(e.currentTarget.value === MISSING ? null : e.currentTarget.value)}
                >
                  <option value={MISSING} selected={value() === null}>
                    (missing)
                  </option>
                  <Show when={value() !== null && !(f().categories ?? []).includes(String(value()))}>
                    <option value={String(value())} selected>
                      {String(value())} (unseen)
                    </option>
                  </Show>
                  <For each={f().categories ?? []}>
                    {(c) => (
                      <option value={c} selected={String(value()) === c}>
                        {c}
                      </option>
                    )}
                  </For>
                </select>
              );
            case 'date':
              return (
                <input
                  class="input"
                  type="date"
                  aria-label={f().name}
                  data-testid={`field-${f().name}`}
                  value={typeof value() === 'string' ? String(value()).slice(0, 10) : ''}
                  onInput={(e) => set(e.currentTarget.value || null)}
                />
              );
            default:
              return (
                <input
                  class="input"
                  type="text"
                  aria-label={f().name}
                  data-testid={`field-${f().name}`}
                  value={value() === null ? '' : String(value())}
                  onInput={(e) => set(e.currentTarget.value === '' ? null : e.currentTarget.value)}
                />
              );
          }
        })()}
      </div>
      <div class="proto-notes small">
        <Show when={!sameCell(value(), original())}>
          <span class="muted">was {valueText(original())}</span>
        </Show>
        <For each={drift()}>
          {(d) => (
            <span class="proto-flag" data-issue={d.issue}>
              ⚠ {driftText(d, f())}
            </span>
          )}
        </For>
      </div>
    </div>
  );
}

export function WhatIfForm(props: {
  store: PrototypeStore;
  model: DeployedModelInfo;
  /** The dataset rows can be picked from, with its row count (null: none loaded). */
  dataset: { id: string; name: string; rows: number } | null;
}): JSX.Element {
  const store = props.store;
  const [rowText, setRowText] = createSignal('1');
  const changedCount = () =>
    props.model.contract.features.filter(
      (f) => !sameCell(store.state.values[f.name], store.state.base.row[f.name]),
    ).length;
  const loadRow = () => {
    const d = props.dataset;
    if (!d) return;
    void store.loadRow(d.id, Number(rowText()) - 1, d.rows);
  };
  return (
    <section class="proto-form train-section" aria-labelledby="proto-form-title">
      <h2 id="proto-form-title" class="train-h2">
        What if… <span class="muted small">starting from {store.state.base.label}</span>
      </h2>
      <div class="train-row proto-start">
        <button
          type="button"
          class="button"
          onClick={() => store.useTypicalRow()}
          data-testid="proto-typical"
        >
          Typical row
        </button>
        <Show when={props.dataset}>
          {(d) => (
            <form
              class="proto-row-pick"
              // Our message names the valid rows; the browser's validation bubble would block it.
              novalidate
              onSubmit={(e) => {
                e.preventDefault();
                loadRow();
              }}
            >
              <label class="train-field">
                <span>Row of {d().name}</span>
                <input
                  class="input proto-row-input"
                  type="number"
                  min="1"
                  max={d().rows}
                  value={rowText()}
                  data-testid="proto-row"
                  onInput={(e) => setRowText(e.currentTarget.value)}
                />
              </label>
              <button type="submit" class="button" data-testid="proto-load-row">
                Load row
              </button>
            </form>
          )}
        </Show>
        <button
          type="button"
          class="button"
          disabled={changedCount() === 0}
          onClick={() => store.reset()}
          data-testid="proto-reset"
        >
          Reset{changedCount() > 0 ? ` (${changedCount()} changed)` : ''}
        </button>
      </div>
      <Show when={store.state.rowError}>
        <p class="train-error small" role="alert" data-testid="proto-row-error">
          {store.state.rowError}
        </p>
      </Show>
      <div class="proto-fields">
        <For each={props.model.contract.features}>{(f) => <Field f={f} store={store} />}</For>
      </div>
    </section>
  );
}

/** A prediction as text: the class, or the value with 4 significant digits. */
function predictionText(p: string | number | null): string {
  if (p === null) return '—';
  return typeof p === 'number' ? String(Number(p.toPrecision(4))) : p;
}

export function PredictionCard(props: { store: PrototypeStore; model: DeployedModelInfo }): JSX.Element {
  const store = props.store;
  const current = () => store.state.current;
  const original = () => store.state.original;
  const classes = () => store.state.classes ?? props.model.classes;
  const probOf = (r: RowPrediction | null, cls: string | number | null) => {
    const k = classes()?.indexOf(String(cls)) ?? -1;
    return k >= 0 ? (r?.probabilities?.[k] ?? null) : null;
  };
  const changed = () => current()?.prediction !== original()?.prediction;
  const delta = () => {
    const a = current()?.prediction;
    const b = original()?.prediction;
    return typeof a === 'number' && typeof b === 'number' ? a - b : null;
  };
  const unscorable = () =>
    current()
      ?.drift.filter((d) => d.issue === 'missing')
      .map((d) => d.column) ?? [];
  return (
    <section class="proto-result train-section" aria-labelledby="proto-pred-title" aria-live="polite">
      <h2 id="proto-pred-title" class="train-h2">
        Prediction{' '}
        <Show when={store.state.predicting}>
          <span class="muted small" data-testid="proto-predicting">
            updating…
          </span>
        </Show>
      </h2>
      <Show when={store.state.predictError}>
        {(e) => (
          <p class="train-error small" role="alert">
            {e().message} {e().hint ?? ''}
          </p>
        )}
      </Show>
      <Show when={current()}>
        {(c) => (
          <>
            <p class="proto-prediction" data-testid="proto-prediction" classList={{ changed: changed() }}>
              <span class="proto-predicted">{predictionText(c().prediction)}</span>
              <Show when={probOf(c(), c().prediction) !== null}>
                <span class="muted"> · p = {probOf(c(), c().prediction)!.toFixed(3)}</span>
              </Show>
            </p>
            <Show when={c().prediction === null}>
              <p class="proto-flag" role="alert">
                The model cannot score this row
                {unscorable().length > 0 ? `: ${unscorable().join(', ')} is missing` : ''}.
              </p>
            </Show>
            <p class="small muted" data-testid="proto-change">
              <Show
                when={delta() !== null}
                fallback={
                  changed()
                    ? `was ${predictionText(original()?.prediction ?? null)} for ${store.state.base.label}`
                    : `same as ${store.state.base.label}`
                }
              >
                {delta()! === 0
                  ? 'no change'
                  : `${delta()! > 0 ? '+' : '−'}${predictionText(Math.abs(delta()!))}`}{' '}
                from {predictionText(original()?.prediction ?? null)} for {store.state.base.label}
              </Show>
              <Show when={store.state.base.actual !== null}>
                {' '}
                · actual value in the data: <strong>{valueText(store.state.base.actual)}</strong>
              </Show>
            </p>
            <Show when={classes() && c().probabilities}>
              <Chart
                label="probabilities"
                class="proto-probabilities"
                render={() =>
                  probabilityBars(
                    {
                      classes: classes()!,
                      probabilities: c().probabilities!,
                      original: original()?.probabilities ?? null,
                    },
                    { theme: 'auto', width: 340 },
                  )
                }
              />
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
