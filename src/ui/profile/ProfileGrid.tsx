import { createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import type { ColumnProfile } from '../../protocol/api';
import { ColumnCard } from './ColumnCard';

/**
 * Cards come in pages: each holds an SVG chart, and wide data (digits: 65 columns, or thousands
 * in a wide file) would otherwise build every chart up front. A name filter finds a column fast.
 */
export const PAGE_SIZE = 24;

export function ProfileGrid(props: { profiles: readonly ColumnProfile[] }): JSX.Element {
  const [filter, setFilter] = createSignal('');
  const [shown, setShown] = createSignal(PAGE_SIZE);
  const matching = createMemo(() => {
    const f = filter().trim().toLowerCase();
    return f ? props.profiles.filter((p) => p.name.toLowerCase().includes(f)) : props.profiles;
  });
  const visible = () => matching().slice(0, shown());
  return (
    <section class="profile-section" aria-labelledby="profile-heading">
      <div class="section-head">
        <h2 id="profile-heading">Columns</h2>
        <Show when={props.profiles.length > 8}>
          <input
            type="search"
            class="profile-filter"
            placeholder="Filter columns"
            aria-label="Filter columns by name"
            value={filter()}
            onInput={(e) => {
              setFilter(e.currentTarget.value);
              setShown(PAGE_SIZE);
            }}
          />
        </Show>
        <span class="muted small" data-testid="cards-shown">
          {visible().length} of {matching().length} columns
        </span>
      </div>
      <div class="profile-grid">
        <For each={visible()}>{(p) => <ColumnCard profile={p} />}</For>
      </div>
      <Show when={matching().length > shown()}>
        <button type="button" class="button more-cards" onClick={() => setShown((n) => n + PAGE_SIZE)}>
          Show {Math.min(PAGE_SIZE, matching().length - shown())} more of {matching().length - shown()}
        </button>
      </Show>
    </section>
  );
}
