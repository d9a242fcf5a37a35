/** The ranked insights on top of the Explore tab; a click opens the panel that shows one in full. */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { Insight } from '../../protocol/api';
import type { Request } from '../../state/explore-request';

const SHOWN = 6;

const KIND_LABEL: Record<Insight['kind'], string> = {
  correlation: 'Correlation',
  skew: 'Skew',
  target: 'Target',
  separability: 'Embedding',
  quality: 'Quality',
};

export function InsightsSection(props: {
  insights: Request<Insight[]>;
  onOpen(i: Insight): void;
}): JSX.Element {
  const [all, setAll] = createSignal(false);
  props.insights.follow();
  const list = () => props.insights.value() ?? [];
  return (
    <section class="xinsights" aria-label="Insights" data-testid="explore-insights">
      <h2>Insights</h2>
      <Show when={!props.insights.loading()} fallback={<p class="muted small">Looking for insights…</p>}>
        <Show when={props.insights.error()}>
          {(e) => (
            <p class="muted small">
              Insights failed: {e()}{' '}
              <button type="button" class="small-button" onClick={() => props.insights.refetch()}>
                Try again
              </button>
            </p>
          )}
        </Show>
        <ol class="xinsight-list">
          <For each={list().slice(0, all() ? undefined : SHOWN)}>
            {(i) => (
              <li>
                <button
                  type="button"
                  class={`xinsight xinsight-${i.kind}`}
                  onClick={() => props.onOpen(i)}
                  title="Open the full view"
                >
                  <span class="xinsight-kind">{KIND_LABEL[i.kind]}</span>
                  <span class="xinsight-text">{i.text}</span>
                  <ScoreBar score={i.score} />
                </button>
              </li>
            )}
          </For>
        </ol>
        <Show when={list().length > SHOWN}>
          <button type="button" class="small-button" onClick={() => setAll(!all())}>
            {all() ? 'Show fewer' : `Show ${list().length - SHOWN} more`}
          </button>
        </Show>
      </Show>
    </section>
  );
}

/** The insight's strength as a small bar chart (its score, 0–1). */
function ScoreBar(props: { score: number }): JSX.Element {
  return (
    <svg
      class="xscore"
      width="60"
      height="10"
      viewBox="0 0 60 10"
      role="img"
      aria-label={`strength ${Math.round(props.score * 100)}%`}
    >
      <rect x="0" y="2" width="60" height="6" rx="3" class="xscore-track" />
      <rect x="0" y="2" width={Math.max(3, props.score * 60)} height="6" rx="3" class="xscore-fill" />
    </svg>
  );
}
