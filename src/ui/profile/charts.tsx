/**
 * The mini chart of a profile card: the viz histogram for numbers, the viz bars for categories,
 * and a small inline SVG for dates (the viz histogram's axis would print epoch milliseconds).
 */
import { For, type JSX, onCleanup } from 'solid-js';
import type { ColumnProfile, HistogramBins } from '../../protocol/api';
import { type BarData, bars, histogram } from '../../viz';

// Fits the content of the widest common card (3 per row at 1440 px); narrower cards scale it down.
const CHART_WIDTH = 336;
const CHART_HEIGHT = 132;
/** Categories shown as bars; the rest are folded into "other" so every card stays short. */
export const TOP_BARS = 5;

/** Hosts a d3 view built once per card; the card is keyed on its profile, so no update path. */
function View(props: { build: () => { node: Element; destroy(): void } }): JSX.Element {
  const view = props.build();
  onCleanup(() => view.destroy());
  return <div class="pcard-chart">{view.node}</div>;
}

export function binEdges(h: HistogramBins): Float64Array {
  const n = h.counts.length;
  const edges = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) edges[i] = i === n ? h.hi : h.lo + ((h.hi - h.lo) * i) / n;
  return edges;
}

/** Top categories for the card: the first TOP_BARS, everything else as "other", then missing. */
export function barData(p: ColumnProfile): BarData | null {
  const c = p.categories;
  if (!c || c.top.length === 0) return null;
  const shown = c.top.slice(0, TOP_BARS);
  const folded = c.top.slice(TOP_BARS).reduce((s, t) => s + t.count, 0);
  const other = c.other + folded;
  const otherCategories = p.distinctApprox ? undefined : Math.max(0, p.distinct - shown.length);
  return {
    labels: shown.map((t) => t.value),
    counts: shown.map((t) => t.count),
    ...(other > 0 ? { other, ...(otherCategories ? { otherCategories } : {}) } : {}),
    missing: p.missing,
  };
}

export function MiniChart(props: { profile: ColumnProfile }): JSX.Element {
  const p = props.profile;
  const h = p.numeric?.histogram;
  if (h && h.counts.length > 0)
    return (
      <View
        build={() =>
          histogram(
            { edges: binEdges(h), counts: Float64Array.from(h.counts), missing: p.missing },
            {
              column: p.name,
              width: CHART_WIDTH,
              height: CHART_HEIGHT,
              brushable: false,
              theme: 'auto',
              title: `Histogram of ${p.name} (${h.counts.length} bins, ${h.rule})`,
            },
          )
        }
      />
    );
  const dates = p.dates?.histogram;
  if (dates && dates.counts.length > 0) return <DateBars bins={dates} name={p.name} />;
  const data = barData(p);
  if (data)
    return (
      <View
        build={() =>
          bars(data, {
            column: p.name,
            width: CHART_WIDTH,
            height: 24 + 15 * (data.labels.length + (data.other ? 1 : 0) + (data.missing ? 1 : 0)),
            theme: 'auto',
            title: `Most frequent values of ${p.name}`,
          })
        }
      />
    );
  return <div class="pcard-chart pcard-nochart muted small">No chart for this column.</div>;
}

/** Counts over time as plain bars between the first and last date (labels are in the card). */
function DateBars(props: { bins: HistogramBins; name: string }): JSX.Element {
  const w = CHART_WIDTH;
  const h = 64;
  const max = Math.max(1, ...props.bins.counts);
  const bw = w / props.bins.counts.length;
  return (
    <div class="pcard-chart">
      <svg
        class="pcard-datebars"
        width={w}
        height={h}
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`Histogram of ${props.name} over time`}
      >
        <For each={props.bins.counts}>
          {(count, i) => (
            <rect
              x={i() * bw}
              y={h - (h * count) / max}
              width={Math.max(0.5, bw - (bw > 4 ? 1 : 0))}
              height={(h * count) / max}
            >
              <title>{`${count.toLocaleString('en-US')} rows`}</title>
            </rect>
          )}
        </For>
      </svg>
    </div>
  );
}
