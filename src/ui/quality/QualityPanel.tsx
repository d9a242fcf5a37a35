import { For, type JSX, Match, Show, Switch } from 'solid-js';
import type { DatasetInfo, FixStep, OutlierMethod, Progress, QualityWarning } from '../../protocol/api';
import type { Fetched, ProfileStore } from '../../state/profile';
import { formatCount, formatPercent } from '../profile/format';
import { ProfileGrid } from '../profile/ProfileGrid';
import { WarningList } from './WarningList';
import './quality.css';

export const OUTLIER_METHODS: { value: OutlierMethod; label: string }[] = [
  { value: 'iqr', label: 'IQR (k = 1.5, default)' },
  { value: 'zscore', label: 'z-score (|z| > 3)' },
  { value: 'mad', label: 'MAD (> 3.5)' },
];

/**
 * The report carries the duplicate count only inside its sentence ("12 of 1,000 rows (1.2%)
 * repeat…"); no warning means none. null while the report is not there yet.
 */
export function duplicateRows(warnings: readonly QualityWarning[] | undefined): number | null {
  if (!warnings) return null;
  const w = warnings.find((x) => x.kind === 'duplicates');
  if (!w) return 0;
  const m = /^([\d,]+) of /.exec(w.message);
  return m?.[1] ? Number(m[1].replaceAll(',', '')) : null;
}

export interface QualityPanelProps {
  dataset: DatasetInfo;
  /** The notebook's output for this dataset, when its notebook has run (the "after notebook" view). */
  output?: DatasetInfo | null;
  store: ProfileStore;
  /** Adds a fix step to the notebook (false: it could not); absent when there is no notebook. */
  onFix?: (step: FixStep, warning: QualityWarning) => boolean;
  /** Progress of a running job by id (the workbench's job list). */
  progressOf?: (jobId: string) => Progress | null;
}

/** The Quality tab: counts, report controls, the findings with their fixes, the column profiles. */
export function QualityPanel(props: QualityPanelProps): JSX.Element {
  const store = props.store;
  store.follow();
  const after = () => store.view() === 'notebook' && props.output;
  const d = () => (after() ? (props.output as DatasetInfo) : props.dataset);
  const missingCells = () => d().columns.reduce((s, c) => s + c.missing, 0);
  const report = () => store.report();
  const warnings = () => (report()?.status === 'ready' ? report()?.value : undefined);
  const methodLabel = () => OUTLIER_METHODS.find((m) => m.value === store.outlierMethod())?.label ?? '';

  const fix = (w: QualityWarning) => {
    if (!w.fix || !props.onFix) return;
    if (props.onFix(w.fix.step, w)) store.markFixAdded(w.id);
  };

  return (
    <div class="quality-view">
      <header class="quality-header">
        <h1 class="data-title">
          Quality of {props.dataset.name}
          {after() ? ' after the notebook' : ''}
        </h1>
        <Show when={props.output && store.hasOutput()}>
          <fieldset class="view-switch" aria-label="Which data to check">
            <button
              type="button"
              class="switch-button"
              aria-pressed={!after()}
              onClick={() => store.setView('raw')}
            >
              Raw data
            </button>
            <button
              type="button"
              class="switch-button"
              aria-pressed={!!after()}
              onClick={() => store.setView('notebook')}
            >
              After notebook
            </button>
          </fieldset>
        </Show>
        <dl class="quality-counts">
          <div>
            <dt>rows</dt>
            <dd data-testid="count-rows">{formatCount(d().rows)}</dd>
          </div>
          <div>
            <dt>columns</dt>
            <dd data-testid="count-columns">{formatCount(d().columns.length)}</dd>
          </div>
          <div>
            <dt>missing cells</dt>
            <dd data-testid="count-missing">
              {formatCount(missingCells())}
              <span class="muted small">
                {' '}
                ({formatPercent(missingCells(), d().rows * d().columns.length)})
              </span>
            </dd>
          </div>
          <div>
            <dt>duplicate rows</dt>
            <dd data-testid="count-duplicates">
              {(() => {
                const n = duplicateRows(warnings());
                return n === null ? '…' : formatCount(n);
              })()}
            </dd>
          </div>
        </dl>
        <div class="quality-controls">
          <label>
            Target column{' '}
            <select
              class="input"
              aria-label="Target column"
              title="Enables the class-balance and target-leakage checks; shared with the notebook"
              value={store.target() ?? ''}
              onChange={(e) => store.setTarget(e.currentTarget.value || null)}
            >
              <option value="">(none)</option>
              <For each={d().columns}>{(c) => <option value={c.name}>{c.name}</option>}</For>
            </select>
          </label>
          <label>
            Outliers by{' '}
            <select
              class="input"
              aria-label="Outliers by"
              value={store.outlierMethod()}
              onChange={(e) => store.setOutlierMethod(e.currentTarget.value as OutlierMethod)}
            >
              <For each={OUTLIER_METHODS}>{(m) => <option value={m.value}>{m.label}</option>}</For>
            </select>
          </label>
        </div>
      </header>

      <Switch>
        <Match when={store.profile()?.status !== 'ready' && store.profile()}>
          {(p) => <JobState what="Profiling the columns" entry={p()} {...props} />}
        </Match>
        <Match when={store.profile()?.status === 'ready'}>
          <section class="quality-report" aria-labelledby="report-heading">
            <div class="section-head">
              <h2 id="report-heading">Findings</h2>
              <span class="muted small" data-testid="report-caption">
                <Show when={report()?.status === 'ready'} fallback="Checking…">
                  {formatCount(warnings()?.length ?? 0)} findings · target:{' '}
                  {store.target() ? `“${store.target()}”` : 'none'} · outliers by {methodLabel()}
                </Show>
              </span>
            </div>
            <Switch>
              <Match when={warnings()}>
                {(list) => (
                  <WarningList
                    warnings={list()}
                    fixAdded={store.fixAdded}
                    {...(props.onFix ? { onFix: fix } : {})}
                  />
                )}
              </Match>
              <Match when={report()}>
                {(r) => <JobState what="Checking the data" entry={r()} {...props} />}
              </Match>
            </Switch>
          </section>
          <ProfileGrid profiles={store.profile()?.value ?? []} />
        </Match>
      </Switch>
    </div>
  );
}

/** A fetch that is not done: its progress and Cancel, or what went wrong and Try again. */
function JobState(props: QualityPanelProps & { what: string; entry: Fetched<unknown> }): JSX.Element {
  const progress = () => (props.entry.jobId ? (props.progressOf?.(props.entry.jobId) ?? null) : null);
  return (
    <div class={`quality-job ${props.entry.status}`} role="status">
      <Switch>
        <Match when={props.entry.status === 'loading'}>
          <span>
            {props.what}…{' '}
            <Show when={progress()}>
              {(p) => (
                <span class="muted">
                  {p().phase}
                  {p().fraction !== null ? ` ${Math.round((p().fraction ?? 0) * 100)}%` : ''}
                </span>
              )}
            </Show>
          </span>
          <button type="button" class="button" onClick={() => props.store.cancel()}>
            Cancel
          </button>
        </Match>
        <Match when={props.entry.status === 'cancelled' || props.entry.status === 'error'}>
          <span>
            {props.entry.status === 'cancelled'
              ? `${props.what} was cancelled.`
              : `${props.what} failed: ${props.entry.error?.message ?? 'unknown error'}`}
          </span>
          <button type="button" class="button" onClick={() => props.store.retry()}>
            Try again
          </button>
        </Match>
      </Switch>
    </div>
  );
}
