/**
 * Evaluate's "Errors" section (error analysis, as in Microsoft's Error Analysis or SliceFinder):
 * the slices of the data where the run's out-of-fold errors concentrate — each with its size, its
 * error rate or mean absolute error with a 95% interval drawn against the rest of the rows, and its
 * adjusted p-value — and the worst rows with their values. Clicking a slice (or a confusion-matrix
 * cell, or "select") lists its rows and selects them in the Explore and Data views; a selection
 * can be kept as a named slice. Everything is computed in the worker (src/analysis/slices/slices.ts).
 */
import { createEffect, type JSX, on, Show } from 'solid-js';
import type { ErrorAnalysisResult, ExperimentResult } from '../../protocol/api';
import type { TrainRun } from '../../state/train';
import { formatCount } from '../format';
import { amount, percent } from './error-format';
import type { AnalysisProps, ErrorsContext } from './errors-context';
import { Picked } from './Picked';
import { SlicesTable } from './SlicesTable';
import { WorstRows } from './WorstRows';
import './errors.css';

export { type ErrorsContext, selectErrorRows } from './errors-context';

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

/** The overall error with its interval, how many slices were tested and how many are worse. */
function ErrorsSummary(props: { result: ErrorAnalysisResult }): JSX.Element {
  const r = () => props.result;
  const classification = () => r().task === 'classification';
  const significant = () => r().slices.filter((s) => s.significant).length;
  return (
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
  );
}

function Analysis(props: AnalysisProps): JSX.Element {
  const r = () => props.result;
  const classification = () => r().task === 'classification';
  const format = (v: number) => (classification() ? percent(v) : amount(v));
  const picked = () => {
    const p = props.ctx.errors.state.picked;
    return p && p.runId === props.run.id ? p : null;
  };

  return (
    <>
      <ErrorsSummary result={r()} />
      <SlicesTable ctx={props.ctx} run={props.run} result={r()} format={format} picked={picked} />
      <Show when={props.ctx.errors.state.pickError}>
        {(m) => (
          <p class="train-error" role="alert">
            {m()}
          </p>
        )}
      </Show>
      <Show when={picked()}>{(p) => <Picked ctx={props.ctx} picked={p()} />}</Show>
      <WorstRows ctx={props.ctx} run={props.run} experiment={props.experiment} result={r()} />
    </>
  );
}
