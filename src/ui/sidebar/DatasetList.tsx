import { For, type JSX, Show } from 'solid-js';
import type { DatasetSource } from '../../protocol/api';
import { useWorkbench } from '../context';
import { formatBytes, formatCount } from '../format';

function sourceLabel(source: DatasetSource): string {
  switch (source.kind) {
    case 'file':
      return 'file';
    case 'url':
      return 'url';
    case 'sample':
      return 'sample';
    case 'synthetic':
      return `synthetic · seed ${source.seed}`;
    case 'derived':
      return 'derived';
  }
}

function sourceTitle(source: DatasetSource): string {
  const where = 'held in memory in the worker';
  switch (source.kind) {
    case 'file':
      return `From the file ${source.name}; ${where}`;
    case 'url':
      return `From ${source.url}; ${where}`;
    case 'sample':
      return `The sample dataset "${source.sample}"; ${where}`;
    case 'synthetic':
      return `Generated (${formatCount(source.rows)} rows, seed ${source.seed}); ${where}`;
    case 'derived':
      return `Computed from ${source.from}; ${where}`;
  }
}

export function DatasetList(props: { onSelect: () => void }): JSX.Element {
  const wb = useWorkbench();
  return (
    <section class="side-section" aria-labelledby="datasets-heading">
      <h2 id="datasets-heading" class="side-heading">
        Datasets <span class="count">{wb.state.datasets.length || ''}</span>
      </h2>
      <Show when={wb.state.datasets.length > 0} fallback={<p class="muted small">No data loaded yet.</p>}>
        <ul class="dataset-list" aria-label="Loaded datasets">
          <For each={wb.state.datasets}>
            {(d) => (
              <li
                class="dataset-item"
                classList={{ selected: wb.state.selectedId === d.id && !wb.galleryOpen() }}
              >
                <button
                  type="button"
                  class="dataset-select"
                  aria-current={wb.state.selectedId === d.id ? 'true' : undefined}
                  title={sourceTitle(d.source)}
                  onClick={() => {
                    wb.select(d.id);
                    props.onSelect();
                  }}
                >
                  <span class="dataset-name">{d.name}</span>
                  <span class="dataset-meta">
                    {formatCount(d.rows)} × {d.columns.length} · {formatBytes(d.memoryBytes)}
                  </span>
                  <span class="dataset-source">{sourceLabel(d.source)} · held in memory in the worker</span>
                </button>
                <button
                  type="button"
                  class="icon-button dataset-remove"
                  aria-label={`Remove ${d.name}`}
                  title={`Remove ${d.name}`}
                  onClick={() => void wb.remove(d.id)}
                >
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
