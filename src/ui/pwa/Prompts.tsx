import { createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import { useWorkbench } from '../context';
import { useOffline } from './context';
import './pwa.css';

/**
 * Messages about the app itself, not about one action: a new version is ready, the engine
 * restarted (and what came back), a dataset could not be kept in browser storage.
 */
export function Prompts(): JSX.Element {
  const offline = useOffline();
  const wb = useWorkbench();
  const [seen, setSeen] = createSignal<ReadonlySet<string>>(new Set());
  // A dataset that works this session only because storage was full says so once.
  const notStored = createMemo(() =>
    wb.state.datasets.filter(
      (d) => d.storage?.kind === 'memory' && d.storage.reason === 'quota' && !seen().has(d.id),
    ),
  );
  const hide = (id: string) => setSeen((s) => new Set([...s, id]));
  return (
    <Show when={offline}>
      {(o) => (
        <div class="app-prompts" aria-live="polite">
          <Show when={o().pwa?.needRefresh()}>
            <div class="app-prompt" role="status" data-testid="update-prompt">
              <span>A new version is ready.</span>
              <button type="button" class="button small-button" onClick={() => void o().pwa?.update()}>
                Reload
              </button>
              <button
                type="button"
                class="icon-button"
                aria-label="Later"
                title="Later"
                onClick={() => o().pwa?.dismissUpdate()}
              >
                ×
              </button>
            </div>
          </Show>
          <Show when={o().recovery.notice()}>
            {(n) => (
              <div class="app-prompt" role="status" data-testid="recovery-notice">
                <span>{n().message}</span>
                <button
                  type="button"
                  class="icon-button"
                  aria-label="Dismiss"
                  title="Dismiss"
                  onClick={() => o().recovery.dismiss()}
                >
                  ×
                </button>
              </div>
            )}
          </Show>
          <For each={notStored()}>
            {(d) => (
              <div class="app-prompt warn" role="status" data-testid="not-stored">
                <span>{d.storage?.kind === 'memory' ? d.storage.message : ''}</span>
                <button
                  type="button"
                  class="icon-button"
                  aria-label="Dismiss"
                  title="Dismiss"
                  onClick={() => hide(d.id)}
                >
                  ×
                </button>
              </div>
            )}
          </For>
        </div>
      )}
    </Show>
  );
}
