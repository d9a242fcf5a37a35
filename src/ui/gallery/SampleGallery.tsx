import { createSignal, For, type JSX, Show } from 'solid-js';
import { useWorkbench } from '../context';
import { formatCount } from '../format';

export function SampleGallery(): JSX.Element {
  const wb = useWorkbench();
  const [rows, setRows] = createSignal(1_000_000);
  const [seed, setSeed] = createSignal(42);
  const busy = () => wb.state.jobs.length > 0;

  const generate = (e: SubmitEvent) => {
    e.preventDefault();
    if (!Number.isFinite(rows()) || rows() < 1) return;
    void wb.generateSynthetic({ rows: Math.floor(rows()), seed: Math.floor(seed()) });
  };

  return (
    <section class="gallery" aria-labelledby="gallery-heading">
      <header class="gallery-header">
        <h1 id="gallery-heading">Start with data</h1>
        <p class="muted">
          Pick a sample, generate synthetic data, or open your own file (CSV, TSV, JSON, NDJSON, Arrow,
          Parquet). Data never leaves this browser.
        </p>
      </header>
      <h2 class="gallery-section">Samples</h2>
      <Show when={wb.state.samples.length > 0} fallback={<p class="muted">Loading the list of samples…</p>}>
        <ul class="cards" aria-label="Sample datasets">
          <For each={wb.state.samples}>
            {(s) => (
              <li>
                <button
                  type="button"
                  class="card"
                  aria-label={`Load sample ${s.title}`}
                  disabled={busy()}
                  onClick={() => void wb.loadSample(s.name)}
                >
                  <span class="card-title">{s.title}</span>
                  <span class="card-meta">
                    {formatCount(s.rows)} rows × {s.columns} columns
                    <span class={`badge task-${s.task}`}>{s.task === 'none' ? 'no target' : s.task}</span>
                  </span>
                  <span class="card-desc">{s.description}</span>
                  <span class="card-source">{s.source}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <h2 class="gallery-section">Synthetic data</h2>
      <form class="synthetic" onSubmit={generate} aria-label="Synthetic data">
        <p class="muted small">
          Mixed columns — floats, integers, categories, booleans, dates, some missing — generated in the
          worker from a seed, for trying things at scale.
        </p>
        <div class="synthetic-row">
          <label>
            Rows
            <input
              class="input"
              type="number"
              min="1"
              step="1"
              value={rows()}
              onInput={(e) => setRows(e.currentTarget.valueAsNumber)}
            />
          </label>
          <label>
            Seed
            <input
              class="input"
              type="number"
              step="1"
              value={seed()}
              onInput={(e) => setSeed(e.currentTarget.valueAsNumber)}
            />
          </label>
          <button type="submit" class="button primary" disabled={busy()}>
            Generate
          </button>
        </div>
      </form>
    </section>
  );
}
