/**
 * Evaluate's "Errors" section (error analysis, as in Microsoft's Error Analysis or SliceFinder):
 * the slices of the data where the run's out-of-fold errors concentrate — each with its size, its
 * error rate or mean absolute error with a 95% interval drawn against the rest of the rows, and its
 * adjusted p-value — and the worst rows with their values. Clicking a slice (or a confusion-matrix
 * cell, or "select") lists its rows and selects them in the Explore and Data views; a selection
 * can be kept as a named slice. Everything is computed in the worker (src/analysis/slices/slices.ts).
 */
import { createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import type {
  ErrorAnalysisResult,
  ErrorRowsQuery,
  ErrorSlice,
  ExperimentResult,
  ExploreApi,
} from '../../protocol/api';
import type { ErrorAnalysisStore } from '../../state/error-analysis';
import type { ExploreStore } from '../../state/explore';
import type { TrainRun } from '../../state/train';
import { SelectedRows } from '../explore/DataSelection';
import { formatCount } from '../format';
import './errors.css';

export interface ErrorsContext {
  errors: ErrorAnalysisStore;
  /** The page's linked selection (Explore and Data tabs), when the engine offers it. */
  explore?: { api: ExploreApi; store: ExploreStore } | null;
  /** Opens the Explore or Data tab on a dataset. */
  onOpen?: (tab: 'explore' | 'data', datasetId: string) => void;
}

/** Lists rows of a run's errors and selects them in the Explore and Data views. */
export async function selectErrorRows(
  ctx: ErrorsContext,
  runId: string,
  query: ErrorRowsQuery,
  label: string,
): Promise<void> {
  const picked = await ctx.errors.pick(runId, query, label);
  if (picked && ctx.explore) {
    await ctx.explore.store.selectRows(picked.datasetId, picked.rows, picked.datasetRows, label);
  }
}

const SLICES_SHOWN = 8;
const WORST_SHOWN = 10;
const WORST_COLUMNS = 8;

function percent(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const p = v * 100;
  return `${p > 0 && p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

function amount(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return String(Number(v.toPrecision(3)));
}

function pValue(q: number): string {
  if (!Number.isFinite(q)) return '–';
  if (q < 0.001) return '< 0.001';
  return q.toFixed(3);
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
  return String(v);
}

/** The slice's interval as a bar, its value as a dot and the rest's value as a tick, on one scale. */
function CiBar(props: { slice: ErrorSlice; max: number; format: (v: number) => string }): JSX.Element {
  const W = 150;
  const x = (v: number) => Math.max(0, Math.min(W, (v / props.max) * W));
  const s = () => props.slice;
  return (
    <svg
      class="ci-bar"
      classList={{ muted: !s().significant }}
      width={W}
      height="14"
      viewBox={`0 0 ${W} 14`}
      role="img"
      aria-label={`${props.format(s().value)}, 95% interval ${props.format(s().ciLow)} to ${props.format(s().ciHigh)}; rest ${props.format(s().rest)}`}
    >
      <rect class="ci-track" x="0" y="6" width={W} height="2" />
      <rect
        class="ci-range"
        x={x(s().ciLow)}
        y="3"
        width={Math.max(2, x(s().ciHigh) - x(s().ciLow))}
        height="8"
        rx="2"
      />
      <line class="ci-rest" x1={x(s().rest)} x2={x(s().rest)} y1="0" y2="14" />
      <circle class="ci-value" cx={x(s().value)} cy="7" r="3" />
    </svg>
  );
}

export function ErrorsSection(props: {
  ctx: ErrorsContext;
  run: TrainRun;
  experiment: ExperimentResult;
}): JSX.Element {
  const errors = () => props.ctx.errors;
  const entry = () => errors().entry(props.run.id);
  createEffect(
    on(
      () => props.run.id,
      (id) => void errors().analyze(id),
    ),
  );
  return (
    <section class="train-section errors-section" aria-labelledby="errors-title" data-testid="eval-errors">
      <h2 id="errors-title" class="train-h2">
        Errors <span class="muted small">where the out-of-fold errors concentrate</span>
      </h2>
      <Show when={entry()?.status === 'running'}>
        <p class="muted small">Analysing the errors…</p>
      </Show>
      <Show when={entry()?.status === 'error' ? entry() : undefined}>
        {(e) => (
          <p class="train-error" role="alert">
            {e().error} {e().hint ?? ''}{' '}
            <button type="button" class="small-button" onClick={() => errors().analyze(props.run.id, true)}>
              Try again
            </button>
          </p>
        )}
      </Show>
      <Show when={entry()?.status === 'done' ? entry()?.result : undefined}>
        {(r) => <Analysis ctx={props.ctx} run={props.run} experiment={props.experiment} result={r()} />}
      </Show>
    </section>
  );
}

function Analysis(props: {
  ctx: ErrorsContext;
  run: TrainRun;
  experiment: ExperimentResult;
  result: ErrorAnalysisResult;
}): JSX.Element {
  const r = () => props.result;
  const classification = () => r().task === 'classification';
  const format = (v: number) => (classification() ? percent(v) : amount(v));
  const [allSlices, setAllSlices] = createSignal(false);
  const [allWorst, setAllWorst] = createSignal(false);
  const significant = () => r().slices.filter((s) => s.significant).length;
  const shownSlices = () => r().slices.slice(0, allSlices() ? undefined : SLICES_SHOWN);
  const scaleMax = () =>
    Math.max(1e-9, r().overall.ciHigh, ...shownSlices().flatMap((s) => [s.ciHigh, s.rest, s.value]));
  const picked = () => {
    const p = props.ctx.errors.state.picked;
    return p && p.runId === props.run.id ? p : null;
  };
  const pickSlice = (s: ErrorSlice) =>
    void selectErrorRows(
      props.ctx,
      props.run.id,
      { kind: 'slice', conditions: JSON.parse(JSON.stringify(s.conditions)) },
      s.description,
    );
  const isPicked = (s: ErrorSlice) => {
    const p = picked();
    return p?.query.kind === 'slice' && p.label === s.description;
  };
  const columns = () => r().columns.slice(0, WORST_COLUMNS);
  const hasProbability = () => r().worst.some((w) => w.confidence !== null);

  return (
    <>
      <p class="small errors-summary" data-testid="errors-summary">
        <Show
          when={classification()}
          fallback={
            <>
              Mean absolute error {amount(r().overall.value)} [{amount(r().overall.ciLow)},{' '}
              {amount(r().overall.ciHigh)}] over {formatCount(r().rows)} out-of-fold rows.{' '}
            </>
          }
        >
          {formatCount(r().errors)} of {formatCount(r().rows)} out-of-fold rows misclassified: error rate{' '}
          {percent(r().overall.value)} [{percent(r().overall.ciLow)}, {percent(r().overall.ciHigh)}].{' '}
        </Show>
        {formatCount(r().tested)} slices tested (at least {formatCount(r().minSize)} rows each):{' '}
        <strong>{significant()}</strong> significantly worse than the rest (Benjamini–Hochberg, q &lt;{' '}
        {r().alpha})
        {r().explained > 0 ? `; ${r().explained} more are explained by the slices listed above them` : ''}.
        <Show when={r().skipped.length > 0}>
          {' '}
          <span class="muted">
            Not sliced:{' '}
            {r()
              .skipped.map((s) => `${s.column} (${s.reason})`)
              .join(', ')}
            .
          </span>
        </Show>
      </p>

      <Show
        when={r().slices.length > 0}
        fallback={<p class="muted small">No slice is worse than the rest of the rows.</p>}
      >
        <div class="runs-scroll">
          <table class="runs-table errors-slices" data-testid="error-slices">
            <caption class="small muted">
              Worst slices first: {classification() ? 'error rate' : 'mean absolute error'} with its 95%
              interval ({classification() ? 'Wilson' : 'Student t'}), the tick is the rest of the rows. Click
              a slice to list and select its rows.
            </caption>
            <thead>
              <tr>
                <th scope="col">slice</th>
                <th scope="col" class="num">
                  rows
                </th>
                <th scope="col" class="num">
                  {classification() ? 'error' : 'MAE'}
                </th>
                <th scope="col">95% interval · rest</th>
                <th scope="col" class="num">
                  rest
                </th>
                <th scope="col" class="num" title="Benjamini–Hochberg adjusted p-value, slice vs rest">
                  q
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={shownSlices()}>
                {(s, i) => (
                  <tr
                    data-slice={i()}
                    classList={{ selected: isPicked(s), insignificant: !s.significant }}
                    title={s.sentence}
                    onClick={() => pickSlice(s)}
                  >
                    <th scope="row">
                      <button
                        type="button"
                        class="link-button"
                        data-testid="slice-button"
                        onClick={(e) => {
                          e.stopPropagation();
                          pickSlice(s);
                        }}
                      >
                        {s.description}
                      </button>
                    </th>
                    <td class="num" data-testid="slice-size">
                      {formatCount(s.size)}
                    </td>
                    <td class="num">
                      {format(s.value)}{' '}
                      <span class="muted small">
                        [{format(s.ciLow)}, {format(s.ciHigh)}]
                      </span>
                    </td>
                    <td>
                      <CiBar slice={s} max={scaleMax()} format={format} />
                    </td>
                    <td class="num">{format(s.rest)}</td>
                    <td class="num">
                      {s.significant ? pValue(s.qValue) : <span class="muted">{pValue(s.qValue)}</span>}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Show when={r().slices.length > SLICES_SHOWN}>
          <button type="button" class="small-button" onClick={() => setAllSlices(!allSlices())}>
            {allSlices() ? 'Show fewer slices' : `Show all ${r().slices.length} slices`}
          </button>
        </Show>
      </Show>

      <Show when={props.ctx.errors.state.pickError}>
        {(m) => (
          <p class="train-error" role="alert">
            {m()}
          </p>
        )}
      </Show>
      <Show when={picked()}>{(p) => <Picked ctx={props.ctx} picked={p()} />}</Show>

      <h3 class="train-h3">
        Worst rows{' '}
        <span class="muted small">
          {classification()
            ? hasProbability()
              ? 'misclassified, the most confident first'
              : 'misclassified (this model gives no probabilities)'
            : 'largest absolute residuals first'}
        </span>
      </h3>
      <Show when={r().worst.length > 0} fallback={<p class="muted small">No errors out of fold.</p>}>
        <div class="runs-scroll">
          <table class="runs-table worst-rows" data-testid="worst-rows">
            <thead>
              <tr>
                <th scope="col" class="num">
                  row
                </th>
                <th scope="col" class="num">
                  fold
                </th>
                <th scope="col">{props.experiment.target} (true)</th>
                <th scope="col">predicted</th>
                <Show when={classification() && hasProbability()}>
                  <th scope="col" class="num" title="probability the model gave its (wrong) prediction">
                    p(predicted)
                  </th>
                  <th scope="col" class="num" title="probability the model gave the true class">
                    p(true)
                  </th>
                </Show>
                <Show when={!classification()}>
                  <th scope="col" class="num">
                    |residual|
                  </th>
                </Show>
                <For each={columns()}>{(c) => <th scope="col">{c}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={r().worst.slice(0, allWorst() ? undefined : WORST_SHOWN)}>
                {(w) => (
                  <tr data-row={w.row}>
                    <td class="num">{w.row + 1}</td>
                    <td class="num">{w.fold + 1}</td>
                    <td>{cellText(w.truth)}</td>
                    <td>{cellText(w.predicted)}</td>
                    <Show when={classification() && hasProbability()}>
                      <td class="num">{w.confidence === null ? '–' : w.confidence.toFixed(3)}</td>
                      <td class="num">{w.truthProbability === null ? '–' : w.truthProbability.toFixed(3)}</td>
                    </Show>
                    <Show when={!classification()}>
                      <td class="num">{amount(w.error)}</td>
                    </Show>
                    <For each={columns()}>
                      {(_, j) => (
                        <td class={typeof w.values[j()] === 'number' ? 'num' : undefined}>
                          {cellText(w.values[j()])}
                        </td>
                      )}
                    </For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <div class="train-actions">
          <Show when={r().worst.length > WORST_SHOWN}>
            <button type="button" class="small-button" onClick={() => setAllWorst(!allWorst())}>
              {allWorst() ? 'Show fewer rows' : `Show all ${r().worst.length} rows`}
            </button>
          </Show>
          <button
            type="button"
            class="small-button"
            data-testid="select-worst"
            onClick={() => {
              const count = classification() ? r().errors : r().worst.length;
              void selectErrorRows(
                props.ctx,
                props.run.id,
                { kind: 'worst', count },
                classification() ? 'misclassified rows' : `${count} largest residuals`,
              );
            }}
          >
            {classification()
              ? `Select all ${formatCount(r().errors)} misclassified rows`
              : 'Select these rows'}
          </button>
        </div>
      </Show>
    </>
  );
}

/** The picked rows: how many, where they are selected, save as a named slice, and the rows themselves. */
function Picked(props: {
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
