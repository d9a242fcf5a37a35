/** Long jobs: progress reports and the options every long call takes (cancel by id). */

export interface Progress {
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  /** Short description of the current phase: "Parsing", "Inferring types", … */
  phase: string;
  /** Extra facts, e.g. bytes read. */
  done?: number;
  total?: number;
  /** Live values of an iterative job (training: `loss`, `validation`), for live curves. */
  metrics?: Record<string, number>;
  /** Where `metrics` belong on a curve: the series (e.g. "LogisticRegression · fold 2") and the step. */
  curve?: { series: string; step: number };
}

/** Passed with every long call. `id` lets `cancel(id)` stop it. */
export interface JobOptions {
  id: string;
  onProgress?: (p: Progress) => void;
  /** Set on the worker side by the transfer handler: closes the job's progress channel. The
   * engine calls it when the job ends. */
  release?: () => void;
}
