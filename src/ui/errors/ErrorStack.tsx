import { For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { Notice } from '../../state/workbench';
import { useWorkbench } from '../context';
import { errorLocation, errorTitle } from './titles';
import './errors.css';

/** How long a "cancelled" note stays; errors stay until dismissed. */
const CANCELLED_MS = 10_000;

export function ErrorStack(): JSX.Element {
  const wb = useWorkbench();
  return (
    <div class="notices">
      <For each={wb.state.notices}>{(n) => <NoticeCard notice={n} onDismiss={() => wb.dismiss(n.id)} />}</For>
    </div>
  );
}

function NoticeCard(props: { notice: Notice; onDismiss: () => void }): JSX.Element {
  const e = () => props.notice.error;
  const cancelled = () => props.notice.kind === 'cancelled';
  onMount(() => {
    if (!cancelled()) return;
    const timer = setTimeout(props.onDismiss, CANCELLED_MS);
    onCleanup(() => clearTimeout(timer));
  });
  return (
    <div
      class="notice-card"
      classList={{ cancelled: cancelled(), error: !cancelled() }}
      role={cancelled() ? 'status' : 'alert'}
      data-error-name={e().name}
    >
      <div class="notice-head">
        <strong class="notice-title">{errorTitle(e().name)}</strong>
        <span class="badge">{e().name}</span>
        <button
          type="button"
          class="icon-button"
          aria-label="Dismiss"
          title="Dismiss"
          onClick={() => props.onDismiss()}
        >
          ×
        </button>
      </div>
      <Show
        when={!cancelled()}
        fallback={<p class="notice-message">{props.notice.action} was cancelled. Your data is unchanged.</p>}
      >
        <p class="notice-action muted small">{props.notice.action}</p>
        <p class="notice-message">{e().message}</p>
        <Show when={errorLocation(e().detail)}>
          {(where) => <p class="notice-where small">At {where()}</p>}
        </Show>
        <Show when={e().detail.hint}>{(hint) => <p class="notice-hint small">{hint()}</p>}</Show>
      </Show>
    </div>
  );
}
