/**
 * The run's worst out-of-fold rows: misclassified ones, the most confident first (classification),
 * or the largest absolute residuals (regression), with their values; and a button that selects them.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { ErrorAnalysisResult } from '../../protocol/api';
import { formatCount } from '../format';
import { amount, cellText } from './error-format';
import { type AnalysisProps, selectErrorRows } from './errors-context';

const WORST_SHOWN = 10;
const WORST_COLUMNS = 8;

type WorstRow = ErrorAnalysisResult['worst'][number];

function WorstRowLine(props: {
  row: WorstRow;
  columns: string[];
  probabilities: boolean;
  classification: boolean;
}): JSX.Element {
  const w = () => props.row;
  return (
    <tr data-row={w().row}>
      <td class="num">{w().row + 1}</td>
      <td class="num">{w().fold + 1}</td>
      <td>{cellText(w().truth)}</td>
      <td>{cellText(w().predicted)}</td>
      <Show when={props.probabilities}>
        <td class="num">{w().confidence === null ? '–' : w().confidence!.toFixed(3)}</td>
        <td class="num">{w().truthProbability === null ? '–' : w().truthProbability!.toFixed(3)}</td>
      </Show>
      <Show when={!props.classification}>
        <td class="num">{amount(w().error)}</td>
      </Show>
      <For each={props.columns}>
        {(_, j) => (
          <td class={typeof w().values[j()] === 'number' ? 'num' : undefined}>{cellText(w().values[j()])}</td>
        )}
      </For>
    </tr>
  );
}

export function WorstRows(props: AnalysisProps): JSX.Element {
  const r = () => props.result;
  const classification = () => r().task === 'classification';
  const [allWorst, setAllWorst] = createSignal(false);
  const columns = () => r().columns.slice(0, WORST_COLUMNS);
  const hasProbability = () => r().worst.some((w) => w.confidence !== null);
  const selectWorst = () => {
    const count = classification() ? r().errors : r().worst.length;
    void selectErrorRows(
      props.ctx,
      props.run.id,
      { kind: 'worst', count },
      classification() ? 'misclassified rows' : `${count} largest residuals`,
    );
  };
  return (
    <>
      <h3 class="train-h3">
        Worst rows{' '}
        <span class="muted small">
          {classification()
            ? hasProbability()
              ? 'misclassified, the most confident first'
              : 'misclassified (this model gives no probabilities)'
            : 'largest absolute residuals first'}
        </span>
      </h3>
      <Show when={r().worst.length > 0} fallback={<p class="muted small">No errors out of fold.</p>}>
        <div class="runs-scroll">
          <table class="runs-table worst-rows" data-testid="worst-rows">
            <thead>
              <tr>
                <th scope="col" class="num">
                  row
                </th>
                <th scope="col" class="num">
                  fold
                </th>
                <th scope="col">{props.experiment.target} (true)</th>
                <th scope="col">predicted</th>
                <Show when={classification() && hasProbability()}>
                  <th scope="col" class="num" title="probability the model gave its (wrong) prediction">
                    p(predicted)
                  </th>
                  <th scope="col" class="num" title="probability the model gave the true class">
                    p(true)
                  </th>
                </Show>
                <Show when={!classification()}>
                  <th scope="col" class="num">
                    |residual|
                  </th>
                </Show>
                <For each={columns()}>{(c) => <th scope="col">{c}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={r().worst.slice(0, allWorst() ? undefined : WORST_SHOWN)}>
                {(w) => (
                  <WorstRowLine
                    row={w}
                    columns={columns()}
                    probabilities={classification() && hasProbability()}
                    classification={classification()}
                  />
                )}
              </For>
            </tbody>
          </table>
        </div>
        <div class="train-actions">
          <Show when={r().worst.length > WORST_SHOWN}>
            <button type="button" class="small-button" onClick={() => setAllWorst(!allWorst())}>
              {allWorst() ? 'Show fewer rows' : `Show all ${r().worst.length} rows`}
            </button>
          </Show>
          <button type="button" class="small-button" data-testid="select-worst" onClick={selectWorst}>
            {classification()
              ? `Select all ${formatCount(r().errors)} misclassified rows`
              : 'Select these rows'}
          </button>
        </div>
      </Show>
    </>
  );
}
