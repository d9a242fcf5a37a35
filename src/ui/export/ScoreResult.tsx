/**
 * What scoring a dataset found: how many rows were scored, the drift of each input column against
 * the training rows (PSI, values the model could not take as they are), and the first rows with
 * their predictions.
 */
import { For, type JSX, Show } from 'solid-js';
import type { ColumnDrift, ScoreReport } from '../../protocol/api';
import { num } from '../../report/format';
import { formatCount } from '../format';

const SHIFT_TEXT = { stable: 'stable', moderate: 'moderate shift', shifted: 'shifted' } as const;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  // Numbers as the data have them (to 6 significant digits), not padded to a fixed width.
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

/** One line per column that needs attention; empty when the data look like the training rows. */
export function driftNotes(c: ColumnDrift): string[] {
  const notes: string[] = [];
  const ex = c.examples.length > 0 ? ` (e.g. ${c.examples.join(', ')})` : '';
  if (c.wrongType > 0) notes.push(`${formatCount(c.wrongType)} not ${c.type}${ex}`);
  if (c.outOfRange > 0) notes.push(`${formatCount(c.outOfRange)} outside the training range${ex}`);
  if (c.unseenCategory > 0) notes.push(`${formatCount(c.unseenCategory)} unseen categories${ex}`);
  if (c.missing > 0) {
    notes.push(
      `${formatCount(c.missing)} missing — ${c.missingPolicy === 'rejected' ? 'those rows are not scored' : 'filled by the pipeline'}`,
    );
  }
  return notes;
}

function summary(r: ScoreReport): string {
  const drifted = r.columns.filter((c) => c.shift === 'shifted' || c.shift === 'moderate').length;
  const flagged = r.columns.filter((c) => driftNotes(c).length > 0).length;
  const parts = [`${formatCount(r.scored)} of ${formatCount(r.rows)} rows scored`];
  parts.push(drifted === 0 ? 'no column shifted' : `${drifted} column${drifted === 1 ? '' : 's'} shifted`);
  if (flagged > 0) parts.push(`${flagged} column${flagged === 1 ? '' : 's'} with odd values`);
  return parts.join(' · ');
}

export function ScoreResult(props: { report: ScoreReport }): JSX.Element {
  const r = () => props.report;
  const features = () => r().columns.map((c) => c.column);
  return (
    <div class="score-result" data-testid="score-report">
      <p class="score-summary">
        <strong>{summary(r())}</strong>
        <span class="muted small"> · {r().ms} ms</span>
        <Show when={r().classes && r().classCounts}>
          <span class="muted small">
            {' '}
            · predicted:{' '}
            {r()
              .classes!.map((c, k) => `${c} ${formatCount(r().classCounts![k] ?? 0)}`)
              .join(', ')}
          </span>
        </Show>
      </p>
      <Show when={r().ignoredColumns.length > 0}>
        <p class="muted small">Not read by the model: {r().ignoredColumns.join(', ')}.</p>
      </Show>
      <p class="small muted">
        Per input column: the values the model could not take as they are, and the population stability index
        against the training rows (PSI &lt; 0.1 stable, ≥ 0.25 shifted).
      </p>
      <table class="export-table score-drift" data-testid="score-drift">
        <thead>
          <tr>
            <th scope="col">column</th>
            <th scope="col">type</th>
            <th scope="col" class="num">
              PSI
            </th>
            <th scope="col">drift</th>
            <th scope="col">values</th>
          </tr>
        </thead>
        <tbody>
          <For each={r().columns}>
            {(c) => (
              <tr data-column={c.column} classList={{ flagged: driftNotes(c).length > 0 }}>
                <th scope="row">{c.column}</th>
                <td class="muted">{c.type}</td>
                <td class="num">{c.psi === null ? '–' : num(c.psi)}</td>
                <td>
                  <Show when={c.shift} fallback={<span class="muted">no training distribution</span>}>
                    {(s) => <span class={`shift ${s()}`}>{SHIFT_TEXT[s()]}</span>}
                  </Show>
                </td>
                <td class="small">{driftNotes(c).join('; ') || <span class="muted">as in training</span>}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="score-preview-wrap">
        <table class="export-table score-preview" data-testid="score-preview">
          <caption class="small muted">First {r().preview.length} rows with their predictions</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                row
              </th>
              <For each={features()}>{(f) => <th scope="col">{f}</th>}</For>
              <th scope="col">prediction</th>
              <Show when={r().classes && r().preview.some((p) => p.probabilities)}>
                <For each={r().classes ?? []}>{(c) => <th scope="col">P({c})</th>}</For>
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={r().preview}>
              {(p) => (
                <tr>
                  <td class="num muted">{p.row + 1}</td>
                  <For each={features()}>{(f) => <td class="num">{cell(p.values[f])}</td>}</For>
                  <td class="prediction">
                    {p.prediction === null ? <span class="muted">not scored</span> : cell(p.prediction)}
                  </td>
                  <Show when={r().classes && r().preview.some((q) => q.probabilities)}>
                    <For each={r().classes ?? []}>
                      {(_, k) => (
                        <td class="num">{p.probabilities ? num(p.probabilities[k()] ?? Number.NaN) : ''}</td>
                      )}
                    </For>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}
