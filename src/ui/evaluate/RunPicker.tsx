/**
 * Evaluate's top row: the run to look at and the run to compare it with, and the comparison's
 * verdict in words (the test behind it named).
 */
import { createMemo, For, type JSX, Show } from 'solid-js';
import { metricName, paramsText } from '../../report/format';
import type { TrainStore } from '../../state/train';
import { distinctTitles } from '../format';
import { SelectField } from '../SelectField';
import { splitText } from '../train/RunsTable';

/** A <select> of every run, newest first, with "—" for none. */
function RunPicker(props: {
  store: TrainStore;
  label: string;
  value: string | null;
  onPick: (id: string | null) => void;
  testid: string;
}): JSX.Element {
  const runs = () => [...props.store.runs()].reverse();
  const titles = createMemo(() =>
    distinctTitles(
      runs(),
      (r) =>
        `${r.model.label} · ${paramsText(r.model.changed)} · ${splitText(
          props.store.experimentOf(r)?.split,
          props.store.experimentOf(r)?.folds ?? 0,
        )}`,
      (r) => r.at,
    ),
  );
  return (
    <SelectField
      label={props.label}
      testid={props.testid}
      value={props.value ?? ''}
      onPick={(value) => props.onPick(value || null)}
    >
      <option value="">—</option>
      <For each={runs()}>
        {(r) => (
          <option value={r.id} selected={r.id === props.value}>
            {titles().get(r)}
          </option>
        )}
      </For>
    </SelectField>
  );
}

export function ComparisonSection(props: { store: TrainStore }): JSX.Element {
  const store = props.store;
  return (
    <section class="train-section">
      <div class="train-row">
        <RunPicker
          store={store}
          label="Run"
          value={store.state.selected}
          onPick={(id) => store.select(id)}
          testid="eval-run"
        />
        <RunPicker
          store={store}
          label="Compare with"
          value={store.state.compareWith}
          onPick={(id) => store.selectCompare(id)}
          testid="eval-compare"
        />
      </div>
      <Show when={store.state.comparison}>
        {(c) => (
          <p class="verdict" classList={{ significant: c().significant }} data-testid="eval-verdict">
            {c().verdict}{' '}
            <span class="muted small">
              (on {metricName(c().metric)};{' '}
              {c().test === 'corrected t-test'
                ? 'Nadeau–Bengio corrected resampled t-test across folds'
                : "McNemar's test on the hold-out rows"}
              , significant at p &lt; 0.05)
            </span>
          </p>
        )}
      </Show>
      <Show when={store.state.comparisonError}>{(m) => <p class="muted small">{m()}</p>}</Show>
    </section>
  );
}
