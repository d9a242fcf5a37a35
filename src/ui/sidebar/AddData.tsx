import { createSignal, type JSX } from 'solid-js';
import type { LoadOptions } from '../../engine/api';
import { useWorkbench } from '../context';

export const ACCEPTED_FILES = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,.arrow,.feather,.ipc,.parquet';

const DELIMITERS: { value: string; label: string }[] = [
  { value: '', label: 'Detect' },
  { value: ',', label: 'Comma ,' },
  { value: '\t', label: 'Tab' },
  { value: ';', label: 'Semicolon ;' },
  { value: '|', label: 'Pipe |' },
];

export function AddData(props: { onAction: () => void }): JSX.Element {
  const wb = useWorkbench();
  const [url, setUrl] = createSignal('');
  const [delimiter, setDelimiter] = createSignal('');
  const [header, setHeader] = createSignal<'' | 'yes' | 'no'>('');
  const [encoding, setEncoding] = createSignal<'' | NonNullable<LoadOptions['encoding']>>('');
  let fileInput: HTMLInputElement | undefined;

  /** Only the overrides the user chose; everything else is detected by the engine. */
  const options = (): LoadOptions | undefined => {
    const o: LoadOptions = {};
    if (delimiter()) o.delimiter = delimiter();
    if (header()) o.header = header() === 'yes';
    const enc = encoding();
    if (enc) o.encoding = enc;
    return Object.keys(o).length > 0 ? o : undefined;
  };

  const onFiles = (list: FileList | null) => {
    const files = list ? Array.from(list) : [];
    if (fileInput) fileInput.value = '';
    if (files.length === 0) return;
    props.onAction();
    void wb.loadFiles(files, options());
  };

  const onUrl = (e: SubmitEvent) => {
    e.preventDefault();
    const target = url().trim();
    if (!target) return;
    props.onAction();
    void wb.loadUrl(target, options());
  };

  return (
    <section class="side-section" aria-labelledby="add-data-heading">
      <h2 id="add-data-heading" class="side-heading">
        Add data
      </h2>
      <div class="add-buttons">
        <button
          type="button"
          class="button"
          onClick={() => {
            wb.showGallery(true);
            props.onAction();
          }}
        >
          Samples…
        </button>
        <button type="button" class="button primary" onClick={() => fileInput?.click()}>
          Open files…
        </button>
        <input
          ref={fileInput}
          type="file"
          class="visually-hidden"
          aria-label="Open data files"
          data-testid="file-input"
          accept={ACCEPTED_FILES}
          multiple
          onChange={(e) => onFiles(e.currentTarget.files)}
        />
      </div>
      <form class="url-form" onSubmit={onUrl}>
        <label class="small muted" for="url-input">
          From a URL
        </label>
        <div class="url-row">
          <input
            id="url-input"
            type="url"
            class="input"
            placeholder="https://…/data.csv"
            value={url()}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={!url().trim()}>
            Load
          </button>
        </div>
      </form>
      <details class="load-options">
        <summary class="small">Options</summary>
        <div class="options-grid small">
          <label for="opt-delimiter">Delimiter</label>
          <select
            id="opt-delimiter"
            class="input"
            value={delimiter()}
            onChange={(e) => setDelimiter(e.currentTarget.value)}
          >
            {DELIMITERS.map((d) => (
              <option value={d.value}>{d.label}</option>
            ))}
          </select>
          <label for="opt-header">Header row</label>
          <select
            id="opt-header"
            class="input"
            value={header()}
            onChange={(e) => setHeader(e.currentTarget.value as '' | 'yes' | 'no')}
          >
            <option value="">Detect</option>
            <option value="yes">Yes</option>
            <option value="no">No</option>
          </select>
          <label for="opt-encoding">Encoding</label>
          <select
            id="opt-encoding"
            class="input"
            value={encoding()}
            onChange={(e) => setEncoding(e.currentTarget.value as '' | NonNullable<LoadOptions['encoding']>)}
          >
            <option value="">Detect</option>
            <option value="utf-8">UTF-8</option>
            <option value="latin1">Latin-1</option>
            <option value="utf-16le">UTF-16 LE</option>
            <option value="utf-16be">UTF-16 BE</option>
          </select>
        </div>
        <p class="muted small">Applied to the next file or URL you load.</p>
      </details>
      <p class="muted small drop-hint">…or drop files anywhere on the page.</p>
    </section>
  );
}
