/**
 * A small side-by-side benchmark harness. A case prepares its input once (`setup`, cached on disk
 * by bench/data.ts so that every process reads the same numbers); bench/run.ts then runs each
 * implementation — ours, each JS peer, each native (Python) peer — in a process of its own, where
 * `prepare` builds what only that implementation needs (untimed), and `run` is timed `runs` times
 * with a GC before each. The median time is kept, with the peak RSS (sampled from a worker thread,
 * so synchronous peers are measured too) and the quality of the first run's result — the same
 * check on every side (inertia, accuracy, explained variance, trustworthiness…), so a fast row
 * with worse quality reads as such.
 */
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface BenchImpl<C, P = C> {
  name: string;
  /** Our implementation (the ratio column divides every row's time by its time). */
  ours?: boolean;
  /** Runs of a slow peer (default: BENCH_RUNS). */
  runs?: number;
  /** Untimed, in this implementation's own process: its data layout, its library import. */
  prepare?(context: C): P | Promise<P>;
  run(prepared: P): unknown | Promise<unknown>;
  /** The quality of the first run's result, computed after its time was taken. */
  quality?(context: C, result: unknown): string;
  /** A budget the row is held to (an issue's done-when): its verdict is printed in the row. */
  bound?: Bound;
}

/** At most `ms` (the median time) and `peakRssMb` (the process's peak resident memory). */
export interface Bound {
  ms: number;
  peakRssMb: number;
}

/** A native peer: `bench/native.py <task>` with `args` (JSON), run by a Python with numpy,
 * pandas and scikit-learn on the files the case's setup wrote. It times itself the same way and
 * computes the same quality. */
export interface NativeImpl {
  name: string;
  task: string;
  args: Record<string, unknown>;
  runs?: number;
}

export interface BenchCase<C = unknown> {
  name: string;
  /** Bytes processed per run, for the MB/s column. */
  bytes?: (context: C) => number;
  setup(): Promise<C>;
  // biome-ignore lint/suspicious/noExplicitAny: each implementation prepares its own input type
  impls: BenchImpl<C, any>[];
  /** Native peers, given the context the setup made (file paths, column types). */
  native?: (context: C) => NativeImpl[];
}

// biome-ignore lint/suspicious/noExplicitAny: each case has its own context type
export type AnyBenchCase = BenchCase<any>;

export interface BenchRow {
  case: string;
  impl: string;
  ours: boolean;
  ms: number;
  runs: number[];
  quality: string;
  mbPerS: number | null;
  peakRssMb: number;
  /** 1-minute load average when the implementation started (the machine is shared). */
  load: number;
  ratio: number | null;
  /** The row against its bound, e.g. "1,996 ms ≤ 3,000 ms ✓, 594 MB ≤ 1,024 MB ✓". */
  bound?: string;
}

const thousands = (x: number) => Math.round(x).toLocaleString('en-US');

/** "time ≤ budget ✓/✗, peak ≤ budget ✓/✗" for a row with a bound. */
export function boundVerdict(ms: number, peakRssMb: number, bound: Bound): string {
  const mark = (ok: boolean) => (ok ? '✓' : '✗ over');
  return `${thousands(ms)} ms ≤ ${thousands(bound.ms)} ms ${mark(ms <= bound.ms)}, peak ${thousands(peakRssMb)} MB ≤ ${thousands(bound.peakRssMb)} MB ${mark(peakRssMb <= bound.peakRssMb)}`;
}

const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const peak = new Float64Array(workerData);
setInterval(() => { const r = process.memoryUsage.rss(); if (r > peak[0]) peak[0] = r; }, 2);
parentPort.postMessage('ready');
`;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export const median = (times: number[]): number => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Times one implementation of a case (in this process, which should hold nothing else). */
export async function runImpl(benchCase: AnyBenchCase, implIndex: number, runs: number): Promise<BenchRow> {
  const impl = benchCase.impls[implIndex]!;
  const load = loadavg()[0]!;
  const context = await benchCase.setup();
  const prepared = impl.prepare ? await impl.prepare(context) : context;
  const shared = new SharedArrayBuffer(8);
  const peak = new Float64Array(shared);
  const sampler = new Worker(SAMPLER, { eval: true, workerData: shared });
  await new Promise((resolve) => sampler.once('message', resolve));
  const times: number[] = [];
  let quality = '–';
  try {
    gc();
    peak[0] = process.memoryUsage.rss();
    for (let r = 0; r < (impl.runs ?? runs); r++) {
      gc();
      const t0 = performance.now();
      let result: unknown = await impl.run(prepared);
      times.push(performance.now() - t0);
      if (r === 0 && impl.quality) quality = impl.quality(context, result);
      // Let the sampler see the retained result before it is dropped.
      await new Promise((resolve) => setTimeout(resolve, 5));
      result = null;
      void result;
    }
  } finally {
    await sampler.terminate();
  }
  const ms = median(times);
  const bytes = benchCase.bytes?.(context) ?? 0;
  const peakRssMb = peak[0]! / 2 ** 20;
  return {
    ...(impl.bound ? { bound: boundVerdict(ms, peakRssMb, impl.bound) } : {}),
    case: benchCase.name,
    impl: impl.name,
    ours: impl.ours === true,
    ms,
    runs: times,
    quality,
    mbPerS: bytes > 0 ? bytes / 1e6 / (ms / 1000) : null,
    peakRssMb,
    load,
    ratio: null,
  };
}

/** ratio = row time / our time of the same case (> 1: we are faster). */
export function withRatios(rows: BenchRow[]): BenchRow[] {
  return rows.map((row) => {
    const ours = rows.find((r) => r.case === row.case && r.ours);
    return { ...row, ratio: ours ? row.ms / ours.ms : null };
  });
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toPrecision(3));
/** A table cell: a '|' inside would end it. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function formatTable(rows: BenchRow[]): string {
  const header = '| case | impl | time ms | quality | ratio (time / our time) | MB/s | peak RSS MB | load |';
  const line = '|---|---|---:|---|---:|---:|---:|---:|';
  const body = rows.map(
    (r) =>
      `| ${cell(r.case)} | ${cell(r.impl)} | ${fmtMs(r.ms)} | ${cell(r.bound ? `${r.quality}; bound: ${r.bound}` : r.quality)} | ${r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`} | ${r.mbPerS === null ? '–' : r.mbPerS.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.load.toFixed(1)} |`,
  );
  return [header, line, ...body].join('\n');
}
