import { For, type JSX, Show } from 'solid-js';
import type { DatasetInfo, LoadReport } from '../../engine/api';
import { useWorkbench } from '../context';
import { formatBytes, formatCount } from '../format';
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
        onSetType={(column, type) => wb.setColumnType(d().id, column, type)}
      />
    </div>
  );
}
