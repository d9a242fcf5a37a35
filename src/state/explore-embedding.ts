/**
 * The Explore tab's embedding: a PCA, t-SNE or UMAP job of the dataset on screen, the layouts it
 * passes through while it optimises (fetched as its progress advances, for the animation) and
 * its final layout. One job at a time: a new run, or another dataset on screen, cancels the
 * running one.
 */
import { batch, createEffect, createSignal, on } from 'solid-js';
import { toEngineError } from '../core/errors';
import type {
  DatasetInfo,
  EmbeddingMethod,
  EmbeddingResult,
  EngineApi,
  JobOptions,
  Progress,
} from '../protocol/api';
import type { Job } from './client';

export interface EmbeddingLayout {
  x: Float32Array;
  y: Float32Array;
  method: EmbeddingMethod;
  /** PCA: the share of variance on each axis. */
  explained?: [number, number];
  /** False for an intermediate layout of a running job. */
  final: boolean;
}

interface Owned<T> {
  datasetId: string;
  value: T;
}

export function createEmbeddingRunner(
  api: Pick<EngineApi, 'embedding' | 'embeddingFrame'>,
  host: {
    startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
    progressOf(jobId: string): Progress | null;
    dataset(): DatasetInfo | null;
  },
  method: () => EmbeddingMethod,
) {
  const [layout, setLayout] = createSignal<Owned<EmbeddingLayout> | null>(null);
  const [running, setRunning] = createSignal<Owned<{
    job: Job<EmbeddingResult>;
    method: EmbeddingMethod;
  }> | null>(null);
  const [error, setError] = createSignal<Owned<string> | null>(null);
  const [result, setResult] = createSignal<Owned<EmbeddingResult> | null>(null);
  /** Only what belongs to the dataset on screen. */
  const mine = <T>(o: Owned<T> | null): T | null =>
    o && o.datasetId === host.dataset()?.id ? o.value : null;

  function cancel(): void {
    running()?.value.job.cancel();
  }

  function run(): void {
    const d = host.dataset();
    if (!d) return;
    cancel();
    const m = method();
    const job = host.startJob(`Embedding (${m.toUpperCase()})`, (o) =>
      api.embedding(d.id, { method: m, seed: 0 }, o),
    );
    const own = <T>(value: T) => ({ datasetId: d.id, value });
    batch(() => {
      setError(null);
      setResult(null);
      setRunning(own({ job, method: m }));
    });
    const current = () => running()?.value.job === job;
    job.promise.then(
      (r) => {
        if (!current()) return;
        batch(() => {
          setLayout(
            own({
              x: r.x,
              y: r.y,
              method: r.method,
              ...(r.explained ? { explained: r.explained } : {}),
              final: true,
            }),
          );
          setResult(own(r));
          setRunning(null);
        });
      },
      (e: unknown) => {
        if (!current()) return;
        batch(() => {
          setError(own(toEngineError(e).message));
          setRunning(null);
        });
      },
    );
  }

  const progress = () => {
    const r = mine(running());
    return r ? (host.progressOf(r.job.id)?.fraction ?? 0) : null;
  };

  return {
    /** The layout to draw: the final one, or the latest intermediate one while a job runs. */
    layout: () => mine(layout()),
    /** The finished run (what it ran on and how long it took), until the next run starts. */
    result: () => mine(result()),
    error: () => mine(error()),
    running: () => mine(running()) !== null,
    /** The running job's id (the status bar shows its progress too). */
    jobId: () => mine(running())?.job.id ?? null,
    /** 0–1 while running. */
    progress,
    run,
    cancel,
    /**
     * From the panel: fetches the intermediate layout whenever the running job reports progress,
     * and cancels a job of a dataset no longer on screen.
     */
    follow(): void {
      createEffect(
        on(
          () => host.dataset()?.id,
          (id) => {
            const r = running();
            if (r && r.datasetId !== id) r.value.job.cancel();
          },
        ),
      );
      createEffect(
        on(
          progress,
          () => {
            const r = running();
            if (!r || r.datasetId !== host.dataset()?.id) return;
            const { job, method: m } = r.value;
            api.embeddingFrame(job.id).then(
              (frame) => {
                if (!frame || running()?.value.job !== job) return;
                setLayout({ datasetId: r.datasetId, value: { ...frame, method: m, final: false } });
              },
              // A frame is only a preview; the job's own answer reports what went wrong.
              () => undefined,
            );
          },
          { defer: true },
        ),
      );
    },
  };
}
