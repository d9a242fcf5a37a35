/**
 * The Data tab with a notebook: a switch between the dataset as loaded and the notebook's output
 * (a derived dataset in the worker, replaced by every run).
 */
import { createSignal, type JSX, Show } from 'solid-js';
import { EngineError } from '../../core/errors';
import type { DatasetInfo } from '../../protocol/api';
import { useWorkbench } from '../context';
import { DatasetView } from '../data/DatasetView';
import { VirtualTable } from '../data/VirtualTable';
import { formatCount } from '../format';
import { useNotebook } from './context';

export function NotebookDataView(props: { dataset: DatasetInfo }): JSX.Element {
  const nb = useNotebook();
  const [after, setAfter] = createSignal(true);
  const output = () =>
    nb.state.datasetId === props.dataset.id && nb.state.notebook.steps.length > 0 ? nb.state.output : null;
  return (
    <Show when={output()} fallback={<DatasetView dataset={props.dataset} />}>
      {(out) => (
        <div class="notebook-data">
          <fieldset class="view-switch" aria-label="Which data to show">
            <button
              type="button"
              class="switch-button"
              aria-pressed={!after()}
              onClick={() => setAfter(false)}
            >
              Original
            </button>
            <button type="button" class="switch-button" aria-pressed={after()} onClick={() => setAfter(true)}>
              After notebook
            </button>
            <Show when={nb.state.runJobId}>
              <span class="muted small">running…</span>
            </Show>
          </fieldset>
          <Show when={after()} fallback={<DatasetView dataset={props.dataset} />}>
            <OutputView output={out()} source={props.dataset} />
          </Show>
        </div>
      )}
    </Show>
  );
}

function OutputView(props: { output: DatasetInfo; source: DatasetInfo }): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const enabled = () => nb.state.notebook.steps.filter((s) => s.enabled).length;
  return (
    <div class="data-view">
      <header class="data-header">
        <h1 class="data-title">{props.source.name} after the notebook</h1>
        <p class="data-facts">
          <span data-testid="output-shape">
            {formatCount(props.output.rows)} rows × {props.output.columns.length} columns
          </span>
          <span>
            {enabled()} of {nb.state.notebook.steps.length} steps applied
          </span>
        </p>
      </header>
      <VirtualTable
        dataset={props.output}
        revision={nb.state.outputRevision}
        fetchRows={wb.rows}
        onSetType={async (column) => {
          const refusal = new EngineError(
            'InvalidArgument',
            "The notebook's output takes its types from the steps.",
            { hint: 'Switch to Original to change the type of a loaded column.' },
          );
          wb.report(`Changing the type of "${column}"`, refusal);
          return refusal;
        }}
      />
    </div>
  );
}
