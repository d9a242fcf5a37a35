import { createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import { useWorkbench } from '../context';
import { formatBytes } from '../format';
import { backendDetails, backendLabel } from './backend';

interface ChromeMemory {
  usedJSHeapSize: number;
  jsHeapSizeLimit: number;
}

/** Chromium's non-standard heap figure, when the browser offers it. */
function readHeap(): ChromeMemory | null {
  const memory = (performance as Performance & { memory?: ChromeMemory }).memory;
  return memory && memory.usedJSHeapSize > 0 ? memory : null;
}

/** The phase, unless the label already says it ("Generating … · Generating"). */
function phaseNote(label: string, phase: string | undefined): string | null {
  if (!phase) return null;
  return label.toLowerCase().startsWith(phase.toLowerCase()) ? null : phase;
}

export function StatusBar(): JSX.Element {
  const wb = useWorkbench();
  const [showDetails, setShowDetails] = createSignal(false);
  const [heap, setHeap] = createSignal(readHeap());
  const timer = setInterval(() => setHeap(readHeap()), 2000);
  // The details popover closes on Escape or a click anywhere else.
  const close = (e: Event) => {
    if (e instanceof KeyboardEvent) {
      if (e.key !== 'Escape') return;
    } else if (e.target instanceof Element && e.target.closest('.status-backend')) {
      return;
    }
    setShowDetails(false);
  };
  document.addEventListener('pointerdown', close);
  document.addEventListener('keydown', close);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener('pointerdown', close);
    document.removeEventListener('keydown', close);
  });

  const label = () => backendLabel(wb.state.backend, wb.state.backendError);
  const details = () => backendDetails(wb.state.backend);
  const job = () => wb.state.jobs.at(-1);
  const percent = () => {
    const f = job()?.progress?.fraction;
    return f === null || f === undefined ? null : Math.round(f * 100);
  };

  return (
    <footer class="statusbar">
      <div class="status-backend">
        <button
          type="button"
          class="status-item status-button"
          data-testid="backend"
          classList={{
            gpu: wb.state.backend?.kernels === 'webgpu',
            cpu: wb.state.backend?.kernels === 'cpu',
          }}
          title={details().join('\n')}
          aria-expanded={showDetails()}
          onClick={() => setShowDetails((v) => !v)}
        >
          <span class="dot" aria-hidden="true" />
          {label()}
        </button>
        <Show when={showDetails() && details().length > 0}>
          <div class="popover" role="dialog" aria-label="Compute backend details">
            <ul>
              <For each={details()}>{(line) => <li>{line}</li>}</For>
            </ul>
          </div>
        </Show>
      </div>
      <span
        class="status-item"
        data-testid="memory"
        title="Arrow tables held by the worker; JS heap of this page"
      >
        Data {formatBytes(wb.memoryBytes())}
        <Show when={heap()}>{(h) => <> · JS heap {formatBytes(h().usedJSHeapSize)}</>}</Show>
      </span>
      <div class="status-job" data-testid="job" aria-live="polite">
        <Show when={job()} fallback={<span class="status-item muted">Ready</span>}>
          {(j) => (
            <>
              <span class="status-item job-label" title={j().label}>
                {j().label}
                <Show when={phaseNote(j().label, j().progress?.phase)}>{(phase) => <> · {phase()}</>}</Show>
                <Show when={wb.state.jobs.length > 1}> (+{wb.state.jobs.length - 1} more)</Show>
              </span>
              <span
                class="progress"
                role="progressbar"
                aria-label="Job progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent() ?? undefined}
                classList={{ indeterminate: percent() === null }}
              >
                <span class="progress-fill" style={{ width: `${percent() ?? 30}%` }} />
              </span>
              <span class="status-item percent">{percent() === null ? '' : `${percent()}%`}</span>
              <button type="button" class="button small-button" onClick={() => j().cancel()}>
                Cancel
              </button>
            </>
          )}
        </Show>
      </div>
    </footer>
  );
}
