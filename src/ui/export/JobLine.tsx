/**
 * A section's running job (progress bar, phase, Cancel) and its last failure (message, what to do),
 * for the Export tab's Model and Score sections. Jobs are the workbench's, so the status bar shows
 * the same one.
 */
import { type JSX, Show } from 'solid-js';
import type { DeployFailure } from '../../state/deploy';
import { useWorkbench } from '../context';

export function JobLine(props: { jobIds: readonly (string | null)[]; testid: string }): JSX.Element {
  const wb = useWorkbench();
  const job = () => {
    const ids = props.jobIds.filter((id): id is string => id !== null);
    return wb.state.jobs.find((j) => ids.includes(j.id)) ?? null;
  };
  return (
    <Show when={job()}>
      {(j) => (
        <div class="export-job" data-testid={props.testid} role="status">
          <Show when={j().progress?.fraction != null} fallback={<progress />}>
            <progress max="1" value={j().progress?.fraction ?? 0} />
          </Show>
          <span class="small">
            {j().progress?.phase ?? j().label}
            {j().progress?.fraction != null ? ` ${Math.round((j().progress?.fraction ?? 0) * 100)}%` : '…'}
          </span>
          <button type="button" class="small-button" onClick={() => j().cancel()}>
            Cancel
          </button>
        </div>
      )}
    </Show>
  );
}

export function FailureNote(props: {
  failure: DeployFailure | null;
  testid: string;
  onDismiss: () => void;
}): JSX.Element {
  return (
    <Show when={props.failure}>
      {(f) => (
        <div class="export-error" role="alert" data-testid={props.testid}>
          <p>
            <strong>{f().message}</strong>
            <Show when={f().hint}>{(hint) => <span class="export-hint"> {hint()}</span>}</Show>
          </p>
          <button type="button" class="small-button" aria-label="Dismiss" onClick={() => props.onDismiss()}>
            ✕
          </button>
        </div>
      )}
    </Show>
  );
}
