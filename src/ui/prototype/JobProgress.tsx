/** A prototype job's progress (bar, phase, Cancel) and its failure, shared by partial dependence and counterfactuals. */
import { type JSX, Show } from 'solid-js';
import type { Progress } from '../../protocol/api';
import type { Failure } from '../../state/prototype';

/** A progress bar; indeterminate (no value) while the fraction is unknown. */
export function ProgressBar(props: { fraction: number | null | undefined }): JSX.Element {
  return (
    <Show when={props.fraction != null} fallback={<progress />}>
      <progress max="1" value={props.fraction!} />
    </Show>
  );
}

export function JobProgress(props: {
  progress: Progress | null;
  onCancel: () => void;
  testid: string;
}): JSX.Element {
  return (
    <div class="train-progress" data-testid={props.testid}>
      <ProgressBar fraction={props.progress?.fraction} />
      <span class="small">
        {props.progress?.phase ?? 'Starting…'}
        {props.progress?.fraction != null ? ` · ${Math.round(props.progress.fraction * 100)}%` : ''}
      </span>
      <button type="button" class="button" onClick={() => props.onCancel()}>
        Cancel
      </button>
    </div>
  );
}

/** The job's last failure: "Cancelled." or its message and what to do. */
export function JobError(props: { error: Failure | null; testid: string }): JSX.Element {
  return (
    <Show when={props.error}>
      {(e) => (
        <p class="train-error small" role="alert" data-testid={props.testid}>
          {e().name === 'Cancelled' ? 'Cancelled.' : `${e().message} ${e().hint ?? ''}`}
        </p>
      )}
    </Show>
  );
}
