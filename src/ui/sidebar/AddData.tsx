import { createSignal, type JSX } from 'solid-js';
import { useWorkbench } from '../context';
import { DETECT_ALL, type LoadChoice, LoadOptionsFields, toLoadOptions } from '../options/LoadOptionsFields';

export const ACCEPTED_FILES = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,.arrow,.feather,.ipc,.parquet';

export function AddData(props: { onAction: () => void }): JSX.Element {
  const wb = useWorkbench();
  const [url, setUrl] = createSignal('');
  const [choice, setChoice] = createSignal<LoadChoice>(DETECT_ALL);
  let fileInput: HTMLInputElement | undefined;
  const options = () => toLoadOptions(choice());

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
        <LoadOptionsFields idPrefix="opt" value={choice()} onChange={setChoice} />
        <p class="muted small">Applied to the next file or URL you load.</p>
      </details>
      <p class="muted small drop-hint">…or drop files anywhere on the page.</p>
    </section>
  );
}
