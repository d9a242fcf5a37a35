/**
 * One step of the notebook: name, status, quality diff or error, enable/move/remove, and its
 * parameter form. Everything shown comes from the document, the catalog and the last run; text
 * from a link (labels, parameter values) is rendered as text only.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { ColumnInfo } from '../../protocol/api';
import type { StepSpec } from '../../spec/notebook';
import type { StepStatus } from '../../state/notebook';
import { runStepFailureOf, type StepFailure } from '../../state/step-failure';
import { useNotebook } from './context';
import { diffParts, formatDiff } from './diff';
import { ParamForm } from './ParamForm';

const STATUS_TEXT: Record<StepStatus, string> = {
  ok: 'ok',
  cached: 'cached',
  error: 'error',
  disabled: 'off',
  running: 'running',
  stale: 'stale',
  'no-data': 'no data',
};

const STATUS_TITLE: Record<StepStatus, string> = {
  ok: 'Ran on the current parameters.',
  cached: 'Unchanged since the last run: its result was reused.',
  error: 'This step failed; the steps after it ran without it.',
  disabled: 'Disabled: the data passes through unchanged.',
  running: 'Running…',
  stale: 'Changed since the last run.',
  'no-data': 'Load the dataset this notebook refers to, to run it.',
};

export const STEP_DRAG_TYPE = 'application/x-benchtop-step';

export function StepCard(props: {
  spec: StepSpec;
  index: number;
  count: number;
  columns: readonly ColumnInfo[];
}): JSX.Element {
  const nb = useNotebook();
  const info = () => nb.stepInfo(props.spec.step);
  const status = () => nb.stepStatus(props.spec.id);
  const run = () => nb.state.runs[props.spec.id];
  /** A fold of the last training failed in this step (the run on all rows may still be fine). */
  const failure = () => nb.stepFailure(props.spec.id);
  const fresh = () => status() === 'ok' || status() === 'cached' || status() === 'error';
  const title = () => props.spec.label ?? props.spec.step;
  const [dropping, setDropping] = createSignal(false);
  const progressText = () => {
    const p = nb.runProgress();
    return p?.fraction != null ? ` ${Math.round(p.fraction * 100)}%` : '';
  };
  return (
    <li
      class="step-card"
      classList={{ disabled: !props.spec.enabled, dropping: dropping(), failed: failure() !== null }}
      data-step={props.spec.step}
      data-step-id={props.spec.id}
      data-status={status()}
      aria-label={`Step ${props.index + 1}: ${title()}`}
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes(STEP_DRAG_TYPE)) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        setDropping(false);
        const id = e.dataTransfer?.getData(STEP_DRAG_TYPE);
        if (!id) return;
        e.preventDefault();
        nb.moveStep(id, props.index);
      }}
    >
      <div class="step-head">
        <span
          class="step-grip"
          draggable="true"
          title="Drag to reorder"
          aria-hidden="true"
          onDragStart={(e) => {
            e.dataTransfer?.setData(STEP_DRAG_TYPE, props.spec.id);
            if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
          }}
        >
          ⋮⋮
        </span>
        <input
          type="checkbox"
          class="step-enable"
          checked={props.spec.enabled}
          aria-label={`Enable ${title()}`}
          title={props.spec.enabled ? 'Disable this step' : 'Enable this step'}
          onChange={(e) => nb.setEnabled(props.spec.id, e.currentTarget.checked)}
        />
        <span class="step-title" title={info()?.description ?? props.spec.step}>
          <span class="step-index">{props.index + 1}.</span> {title()}
        </span>
      </div>
      <div class="step-meta">
        <span
          class={`step-status status-${status()}`}
          data-testid="step-status"
          title={STATUS_TITLE[status()]}
        >
          {STATUS_TEXT[status()]}
          {status() === 'running' ? progressText() : ''}
        </span>
        <StepActions id={props.spec.id} index={props.index} count={props.count} />
      </div>
      <Show when={!info()}>
        <p class="step-error small">This build has no step named {props.spec.step}.</p>
      </Show>
      <Show when={fresh() && run()?.diff}>
        {(diff) => (
          <p class="step-diff small" data-testid="step-diff" title={diffParts(diff()).ranges.join('\n')}>
            {formatDiff(diff())}
            <Show when={run()?.ms !== undefined && status() === 'ok'}>
              <span class="muted"> · {Math.round(run()?.ms ?? 0)} ms</span>
            </Show>
          </p>
        )}
      </Show>
      <Show when={status() === 'error' && run()?.error}>
        {(error) => (
          <div class="step-error small" role="alert">
            <p>{error().message}</p>
            <Show when={error().detail.hint}>{(hint) => <p class="muted">{String(hint())}</p>}</Show>
            {/* Its fixes, unless a training failure below already offers them on this card. */}
            <Show when={failure() ? null : runStepFailureOf(props.spec.id, props.spec.step, error())}>
              {(f) => <FixButtons stepId={props.spec.id} failure={f()} />}
            </Show>
          </div>
        )}
      </Show>
      <Show when={failure()}>
        {(f) => (
          <div class="step-error small" role="alert" data-testid="step-failure">
            <p>
              {f().fold !== null ? `Training failed here in fold ${f().fold! + 1}` : 'Training failed here'}
              {f().value !== null ? ` on the value “${f().value}”` : ''}: {f().message}
            </p>
            <FixButtons stepId={props.spec.id} failure={f()} />
          </div>
        )}
      </Show>
      <Show when={info()}>
        {(stepInfo) => (
          <details class="step-params">
            <summary class="small">Parameters</summary>
            <ParamForm spec={props.spec} info={stepInfo()} columns={props.columns} />
          </details>
        )}
      </Show>
    </li>
  );
}

/** The fixes a failure offers, as buttons that edit the step (e.g. handle_unknown='ignore'). */
function FixButtons(props: { stepId: string; failure: StepFailure }): JSX.Element {
  const nb = useNotebook();
  return (
    <Show when={props.failure.fixes.length > 0}>
      <span class="step-fixes">
        <For each={props.failure.fixes}>
          {(fix) => (
            <button type="button" class="button" onClick={() => nb.applyFix(props.stepId, fix)}>
              {fix.label}
            </button>
          )}
        </For>
      </span>
    </Show>
  );
}

/** Move up, move down, remove. */
function StepActions(props: { id: string; index: number; count: number }): JSX.Element {
  const nb = useNotebook();
  return (
    <span class="step-actions">
      <button
        type="button"
        class="icon-button"
        aria-label="Move up"
        title="Move up"
        disabled={props.index === 0}
        onClick={() => nb.moveStep(props.id, props.index - 1)}
      >
        ↑
      </button>
      <button
        type="button"
        class="icon-button"
        aria-label="Move down"
        title="Move down"
        disabled={props.index === props.count - 1}
        onClick={() => nb.moveStep(props.id, props.index + 1)}
      >
        ↓
      </button>
      <button
        type="button"
        class="icon-button"
        aria-label="Remove step"
        title="Remove step"
        onClick={() => nb.removeStep(props.id)}
      >
        ×
      </button>
    </span>
  );
}
