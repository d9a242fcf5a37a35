import { For, type JSX, Show } from 'solid-js';
import type { ColumnProfile } from '../../protocol/api';
import { MiniChart } from './charts';
import { formatCount, formatPercent, formatStat } from './format';

/** One column's profile: type, counts, its chart and the statistics that apply to its type. */
export function ColumnCard(props: { profile: ColumnProfile }): JSX.Element {
  const p = props.profile;
  const n = p.numeric;
  const stats: [string, number | null, string][] = n
    ? [
        // Read row by row: centre and spread, then the five-number summary, then shape.
        ['mean', n.mean, 'Mean of the finite values'],
        ['std', n.std, 'Sample standard deviation (ddof = 1)'],
        ['skew', n.skewness, 'Skewness (adjusted Fisher–Pearson, as pandas)'],
        ['min', n.min, 'Smallest finite value'],
        ['median', n.median, '50th percentile'],
        ['max', n.max, 'Largest finite value'],
        ['q25', n.q25, '25th percentile'],
        ['q75', n.q75, '75th percentile'],
        ['kurt', n.kurtosis, 'Excess kurtosis (normal = 0, as pandas)'],
      ]
    : [];
  const extras = (): string[] => {
    if (!n) return [];
    const out: string[] = [];
    if (n.zeros > 0) out.push(`${formatCount(n.zeros)} zeros`);
    if (n.negatives > 0) out.push(`${formatCount(n.negatives)} negative`);
    if (n.posInf + n.negInf > 0) out.push(`${formatCount(n.posInf + n.negInf)} infinite`);
    if (n.monotonic) out.push(`strictly ${n.monotonic}`);
    return out;
  };
  return (
    <article class="pcard" data-column={p.name} aria-label={`Profile of ${p.name}`}>
      <header class="pcard-head">
        <h3 class="pcard-name" title={p.name}>
          {p.name}
        </h3>
        <span class={`type-badge type-${p.type}`}>{p.type}</span>
      </header>
      <dl class="pcard-counts">
        <div>
          <dt>count</dt>
          <dd data-stat="count">{formatCount(p.count)}</dd>
        </div>
        <div classList={{ 'has-missing': p.missing > 0 }}>
          <dt>missing</dt>
          <dd data-stat="missing">
            {formatCount(p.missing)}
            <Show when={p.missing > 0}>
              <span class="muted"> ({formatPercent(p.missing, p.rows)})</span>
            </Show>
          </dd>
        </div>
        <div>
          <dt>distinct</dt>
          <dd
            data-stat="distinct"
            title={p.distinctApprox ? 'Estimated with HyperLogLog (typically within ±0.8 %)' : 'Exact count'}
          >
            {formatCount(p.distinct, p.distinctApprox)}
          </dd>
        </div>
      </dl>
      <MiniChart profile={p} />
      <Show when={stats.length > 0}>
        <dl class="pcard-stats">
          <For each={stats}>
            {([label, value, title]) => (
              <div title={title}>
                <dt>{label}</dt>
                <dd data-stat={label}>{formatStat(value)}</dd>
              </div>
            )}
          </For>
        </dl>
      </Show>
      <Show when={extras().length > 0}>
        <p class="pcard-note muted small">{extras().join(' · ')}</p>
      </Show>
      <Show when={p.categories?.topApprox}>
        <p class="pcard-note muted small">
          Top values are approximate: counted over the first distinct values met.
        </p>
      </Show>
      <Show when={p.text}>
        {(t) => (
          <p class="pcard-note small" data-stat="length">
            Length {formatStat(t().minLength)}–{formatStat(t().maxLength)} characters, mean{' '}
            {formatStat(t().meanLength, 3)}
          </p>
        )}
      </Show>
      <Show when={p.dates}>
        {(d) => (
          <>
            <p class="pcard-note small" data-stat="range">
              {d().min} → {d().max}
            </p>
            <Show when={d().format}>
              {(format) => (
                <p class="pcard-note muted small" data-stat="date-format">
                  read as {format() === 'ISO8601' ? 'ISO 8601' : format()}
                </p>
              )}
            </Show>
          </>
        )}
      </Show>
      <Show when={p.dominant && p.dominant.count / Math.max(1, p.count) >= 0.5 && !n}>
        <p class="pcard-note muted small">
          “{p.dominant?.value}” in {formatPercent(p.dominant?.count ?? 0, p.count)} of values
        </p>
      </Show>
    </article>
  );
}
