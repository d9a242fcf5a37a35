/** Evaluate's metrics table: every metric of a run as mean ± std, its 95% CI and the per-fold values. */
import { For, type JSX } from 'solid-js';
import type { ExperimentResult } from '../../protocol/api';
import { ci, meanStd, metricName, num, paramsText } from '../../report/format';
import type { TrainRun } from '../../state/train';
import { splitText } from '../train/RunsTable';

export function MetricsSection(props: {
  run: TrainRun;
  experiment: ExperimentResult | null | undefined;
}): JSX.Element {
  const r = () => props.run;
  return (
    <section class="train-section" aria-labelledby="metrics-title">
      <h2 id="metrics-title" class="train-h2">
        {r().model.label}{' '}
        <span class="muted small">
          {paramsText(r().model.changed)} · {splitText(props.experiment?.split, props.experiment?.folds ?? 0)}{' '}
          · {r().model.backend}
        </span>
      </h2>
      <table class="runs-table metrics-table" data-testid="eval-metrics">
        <thead>
          <tr>
            <th scope="col">metric</th>
            <th scope="col" class="num">
              mean ± std
            </th>
            <th scope="col" class="num">
              95% CI
            </th>
            <th scope="col">per fold</th>
          </tr>
        </thead>
        <tbody>
          <For each={Object.entries(r().model.metrics)}>
            {([key, s]) => (
              <tr data-metric={key}>
                <th scope="row">{metricName(key)}</th>
                <td class="num">{meanStd(s)}</td>
                <td class="num">{ci(s, key)}</td>
                <td class="small muted">
                  {(r().model.foldMetrics[key] ?? [])
                    .slice(0, 10)
                    .map((v) => num(v))
                    .join('  ')}
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
