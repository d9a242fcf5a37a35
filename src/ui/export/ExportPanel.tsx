/**
 * The Export tab: the transformed data (the notebook's output, else the dataset as loaded) as CSV,
 * Arrow IPC or Parquet; the model of a run (ModelSection: artifact, Python script, predictions,
 * HTML report); scoring new data (ScoreSection); and the notebook as JSON, which can be imported
 * again. An import that does not pass validation is reported and changes nothing.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { EngineError, toEngineError } from '../../core/errors';
import type { DeployStore } from '../../state/deploy';
import type { ModelExportStore } from '../../state/model-export';
import { importNotebookJson } from '../../state/notebook-session';
import type { TrainStore } from '../../state/train';
import { useWorkbench } from '../context';
import { formatCount } from '../format';
import { useNotebook } from '../notebook/context';
import { ShareLink } from '../notebook/ShareLink';
import { download } from './download';
import { FileButton } from './FileButton';
import { ModelSection } from './ModelSection';
import { fileSafe } from './model-choice';
import { ScoreSection } from './ScoreSection';
import './export.css';

const FORMATS = [
  { format: 'csv', label: 'CSV', ext: 'csv', mime: 'text/csv' },
  { format: 'arrow', label: 'Arrow IPC', ext: 'arrow', mime: 'application/vnd.apache.arrow.file' },
  { format: 'parquet', label: 'Parquet', ext: 'parquet', mime: 'application/vnd.apache.parquet' },
] as const;

export function ExportPanel(props: {
  /** Runs to export (Train tab); without it only deployed and imported models are listed. */
  train?: TrainStore | undefined;
  /** Deployed models and the model work; the Model and Score sections need both. */
  deploy?: DeployStore | undefined;
  models?: ModelExportStore | undefined;
}): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const [busy, setBusy] = createSignal(false);
  const [imported, setImported] = createSignal<string | null>(null);
  const source = () => nb.exportSource();
  const transformed = () => source() !== null && source() === nb.state.output;
  const dataName = () => {
    const d = nb.dataset();
    return d ? fileSafe(d.name, 'data') + (transformed() ? '-transformed' : '') : 'data';
  };

  const exportAs = async (f: (typeof FORMATS)[number]) => {
    setBusy(true);
    try {
      const bytes = await nb.exportData(f.format);
      download(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: f.mime }), `${dataName()}.${f.ext}`);
    } catch (e) {
      const error = toEngineError(e);
      if (error.name !== 'Cancelled') wb.report(`Exporting as ${f.label}`, error);
    } finally {
      setBusy(false);
    }
  };

  const exportNotebook = () => {
    const json = `${JSON.stringify(unwrap(nb.state.notebook), null, 2)}\n`;
    const title = nb.state.notebook.title ? fileSafe(nb.state.notebook.title, 'data') : dataName();
    download(new Blob([json], { type: 'application/json' }), `${title}.notebook.json`);
  };

  const importFile = async (file: File) => {
    setImported(null);
    if (file.size > 1024 * 1024) {
      wb.report(
        `Importing ${file.name}`,
        new EngineError('InvalidArgument', 'The file is larger than 1 MB; a notebook takes a few KB.'),
      );
      return;
    }
    const ok = await importNotebookJson(await file.text(), file.name, nb, wb);
    if (ok) setImported(`Imported ${file.name}: ${nb.state.notebook.steps.length} steps.`);
  };

  return (
    <div class="export-view">
      <h1 class="export-title">Export</h1>
      <section class="export-section" aria-labelledby="export-data-heading">
        <h2 id="export-data-heading">Data</h2>
        <Show when={source()} fallback={<p class="muted">Load a dataset first.</p>}>
          {(d) => (
            <>
              <p class="muted">
                {transformed()
                  ? `The output of the notebook: ${formatCount(d().rows)} rows × ${d().columns.length} columns.`
                  : `The dataset as loaded: ${formatCount(d().rows)} rows × ${d().columns.length} columns.`}
              </p>
              <div class="export-buttons">
                <For each={FORMATS}>
                  {(f) => (
                    <button type="button" class="button" disabled={busy()} onClick={() => void exportAs(f)}>
                      Download {f.label}
                    </button>
                  )}
                </For>
              </div>
            </>
          )}
        </Show>
      </section>
      <Show when={props.deploy && props.models}>
        <ModelSection train={props.train} deploy={props.deploy!} store={props.models!} />
        <ScoreSection train={props.train} deploy={props.deploy!} store={props.models!} />
      </Show>
      <section class="export-section" aria-labelledby="export-notebook-heading">
        <h2 id="export-notebook-heading">Notebook</h2>
        <p class="muted">
          The steps, parameters, seed, target and a reference to the data (never the data itself), as JSON or
          as a link.
        </p>
        <div class="export-buttons">
          <button type="button" class="button" onClick={exportNotebook}>
            Download notebook JSON
          </button>
          <FileButton
            label="Import notebook JSON…"
            accept=".json,application/json"
            testid="import-notebook"
            onFiles={(files) => void importFile(files[0]!)}
          />
          <ShareLink />
        </div>
        <Show when={imported()}>
          {(text) => (
            <p class="small" role="status">
              {text()}
            </p>
          )}
        </Show>
      </section>
    </div>
  );
}
