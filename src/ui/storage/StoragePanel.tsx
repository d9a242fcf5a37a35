import { createEffect, For, type JSX, on, Show } from 'solid-js';
import { useWorkbench } from '../context';
import { formatBytes, formatCount } from '../format';
import { useOffline } from '../pwa/context';
import './storage.css';

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/**
 * The sidebar's "Offline & storage" section: whether the app works offline (and Install), what
 * the browser keeps for next time with its size, the quota, persistent storage, and Delete.
 */
export function StoragePanel(): JSX.Element {
  const offline = useOffline();
  const wb = useWorkbench();
  return (
    <Show when={offline}>
      {(o) => {
        const storage = o().storage;
        const pwa = o().pwa;
        // Removing a dataset forgets its stored copy: re-read whenever the list changes.
        createEffect(
          on(
            () => wb.state.datasets.length,
            () => void storage.refresh(),
          ),
        );
        const estimate = () => storage.state.estimate;
        const percent = () => {
          const e = estimate();
          return e?.usage != null && e.quota ? Math.min(100, (e.usage / e.quota) * 100) : null;
        };
        return (
          <section class="side-section storage-panel" aria-labelledby="storage-heading">
            <h2 id="storage-heading" class="side-heading">
              Offline &amp; storage
            </h2>
            <p class="muted small" data-testid="offline-status">
              {pwa?.offlineReady()
                ? 'Works offline: the app is saved in this browser.'
                : 'Open once online to make the app work offline.'}
            </p>
            <Show when={pwa?.canInstall()}>
              <button type="button" class="button small-button" onClick={() => void pwa?.install()}>
                Install Benchtop
              </button>
            </Show>
            <Show
              when={estimate()?.available !== false}
              fallback={
                <p class="muted small">
                  This browser offers no storage here: data lives in memory for this session.
                </p>
              }
            >
              <Show
                when={storage.state.stored.length > 0}
                fallback={<p class="muted small">No datasets stored yet.</p>}
              >
                <ul class="stored-list" aria-label="Stored datasets">
                  <For each={storage.state.stored}>
                    {(s) => (
                      <li class="stored-item">
                        <span class="stored-name" title={s.name}>
                          {s.name}
                        </span>
                        <span class="stored-meta muted small">
                          {formatCount(s.rows)} × {s.columns} · {formatBytes(s.bytes)} ·{' '}
                          {formatDate(s.storedAt)}
                        </span>
                        <button
                          type="button"
                          class="icon-button"
                          aria-label={`Delete stored ${s.name}`}
                          title={`Delete the copy of ${s.name} kept in this browser`}
                          onClick={() => void storage.remove(s.fingerprint)}
                        >
                          ×
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <Show when={estimate()?.usage != null}>
                <div class="storage-usage small" data-testid="storage-usage">
                  <meter min={0} max={100} value={percent() ?? 0} aria-label="Browser storage used" />
                  <span>
                    {formatBytes(estimate()?.usage ?? 0)}
                    <Show when={estimate()?.quota}>{(q) => <> of {formatBytes(q())}</>}</Show> used
                  </span>
                </div>
              </Show>
              <Show when={storage.canPersist()}>
                <Show
                  when={storage.state.persisted}
                  fallback={
                    <>
                      <button
                        type="button"
                        class="button small-button"
                        title="Ask the browser not to clear stored datasets when disk space runs low"
                        onClick={() => void storage.requestPersistence()}
                      >
                        Keep data when space is low
                      </button>
                      <Show when={storage.state.persistRefused}>
                        <p class="muted small">
                          The browser declined for now (it often grants this to installed or bookmarked apps).
                        </p>
                      </Show>
                    </>
                  }
                >
                  <p class="muted small">Stored data is protected from automatic clean-up.</p>
                </Show>
              </Show>
            </Show>
          </section>
        );
      }}
    </Show>
  );
}
