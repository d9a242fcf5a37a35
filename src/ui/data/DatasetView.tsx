import { createSignal, For, type JSX, Show } from 'solid-js';
import type { DatasetInfo, LoadReport } from '../../protocol/api';
import { useWorkbench } from '../context';
import { formatBytes, formatCount } from '../format';
import {
  choiceFromReport,
  type LoadChoice,
  LoadOptionsFields,
  toLoadOptions,
} from '../options/LoadOptionsFields';
import { VirtualTable } from './VirtualTable';
import './data.css';

const DELIMITER_NAMES: Record<string, string> = {
  ',': 'comma',
  '\t': 'tab',
  ';': 'semicolon',
  '|': 'pipe',
  ' ': 'space',
};

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function reportFacts(dataset: DatasetInfo): string[] {
  const report = dataset.report;
  if (dataset.source.kind === 'synthetic') return [`generated in ${duration(report.parseMs)}`];
  const facts = [report.format.toUpperCase()];
  if (report.encoding) facts.push(report.encoding);
  if (report.delimiter)
    facts.push(`${DELIMITER_NAMES[report.delimiter] ?? JSON.stringify(report.delimiter)}-separated`);
  if (report.header !== undefined) facts.push(report.header ? 'header row' : 'no header row');
  if (report.parseMs > 0) facts.push(`parsed in ${duration(report.parseMs)}`);
  return facts;
}

function raggedSummary(report: LoadReport): string | null {
  if (report.raggedCount === 0) return null;
  const shown = report.raggedRows.map((r) => `line ${r.line} (${r.fields} fields)`).join(', ');
  const more = report.raggedCount - report.raggedRows.length;
  const noun = report.raggedCount === 1 ? 'row has' : 'rows have';
  return `${formatCount(report.raggedCount)} ${noun} a different number of fields than the header: ${shown}${more > 0 ? ` and ${formatCount(more)} more` : ''}. Missing fields were read as missing; extra fields were dropped.`;
}

export function DatasetView(props: { dataset: DatasetInfo }): JSX.Element {
  const wb = useWorkbench();
  const d = () => props.dataset;
  const notices = () => {
    const ragged = raggedSummary(d().report);
    return ragged ? [ragged, ...d().report.warnings] : d().report.warnings;
  };
  return (
    <div class="data-view">
      <header class="data-header">
        <h1 class="data-title">{d().name}</h1>
        <p class="data-facts">
          <span data-testid="shape">
            {formatCount(d().rows)} rows × {d().columns.length} columns
          </span>
          <span title="Bytes held by the Arrow table in the worker">
            {formatBytes(d().memoryBytes)} in memory
          </span>
          <Show when={d().fileBytes > 0}>
            <span>{formatBytes(d().fileBytes)} file</span>
          </Show>
          <For each={reportFacts(d())}>{(fact) => <span>{fact}</span>}</For>
        </p>
        {/* Keyed: a different dataset starts from its own detected options. */}
        <Show when={wb.canReload(d().id) ? d() : null} keyed>
          {(dataset) => <ReloadOptions dataset={dataset} />}
        </Show>
        <Show when={notices().length > 0}>
          <div class="notice" role="note" aria-label="Load warnings">
            <strong>While loading:</strong>
            <ul>
              <For each={notices()}>{(text) => <li>{text}</li>}</For>
            </ul>
          </div>
        </Show>
      </header>
      <VirtualTable
        dataset={d()}
        revision={wb.revision(d().id)}
        fetchRows={wb.rows}
        onSetType={(column, type, format) => wb.setColumnType(d().id, column, type, format)}
      />
    </div>
  );
}

/** Load the same file or URL again with explicit delimiter / header / encoding. */
function ReloadOptions(props: { dataset: DatasetInfo }): JSX.Element {
  const wb = useWorkbench();
  const [choice, setChoice] = createSignal<LoadChoice>(choiceFromReport(props.dataset.report));
  const busy = () => wb.state.jobs.length > 0;
  return (
    <details class="reload-options">
      <summary class="small">Load options</summary>
      <p class="muted small">Detected values are shown; change them and load the file again.</p>
      <LoadOptionsFields idPrefix="reload" value={choice()} onChange={setChoice} />
      <button
        type="button"
        class="button"
        disabled={busy()}
        onClick={() => void wb.reload(props.dataset.id, toLoadOptions(choice()))}
      >
        Reload with these options
      </button>
    </details>
  );
}
