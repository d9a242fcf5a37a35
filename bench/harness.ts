/**
 * A tiny side-by-side benchmark harness: each case prepares its input once (`setup`), then every
 * implementation runs `runs` times with a GC in between; we keep the median time and the peak RSS,
 * sampled from a worker thread so that synchronous peers (which block the main thread) are measured
 * too.
 */
import { Worker } from 'node:worker_threads';

export interface BenchImpl<C> {
  name: string;
  /** Our implementation (the ratio column compares peers with it). */
  ours?: boolean;
  run(context: C): unknown | Promise<unknown>;
  /** Checks a run's result after its time was taken (e.g. an embedding's trustworthiness): a line
   * for stderr, so a quality check never counts as the implementation's time. */
  check?(context: C, result: unknown): string;
}

export interface BenchCase<C = unknown> {
  name: string;
  /** Bytes processed per run, for the MB/s column. */
  bytes?: (context: C) => number;
  setup(): Promise<C>;
  impls: BenchImpl<C>[];
}

export interface BenchRow {
  case: string;
  impl: string;
  ms: number;
  mbPerS: number | null;
  peakRssMb: number;
  ratio: number | null;
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

// biome-ignore lint/suspicious/noExplicitAny: each case has its own context type
export type AnyBenchCase = BenchCase<any>;

export async function runCases(cases: AnyBenchCase[], runs: number): Promise<BenchRow[]> {
  const shared = new SharedArrayBuffer(8);
  const peak = new Float64Array(shared);
  const sampler = new Worker(SAMPLER, { eval: true, workerData: shared });
  await new Promise((resolve) => sampler.once('message', resolve));
  const rows: BenchRow[] = [];
  try {
    for (const benchCase of cases) {
      process.stderr.write(`${benchCase.name}: setting up…\n`);
      const context = await benchCase.setup();
      const bytes = benchCase.bytes?.(context) ?? 0;
      const caseRows: BenchRow[] = [];
      for (const impl of benchCase.impls) {
        const times: number[] = [];
        gc();
        const baseline = process.memoryUsage.rss();
        peak[0] = baseline;
        for (let r = 0; r < runs; r++) {
          gc();
          const t0 = performance.now();
          let result: unknown = await impl.run(context);
          times.push(performance.now() - t0);
          if (impl.check && r === 0)
            process.stderr.write(`    ${impl.name}: ${impl.check(context, result)}\n`);
          // Let the sampler see the retained result before it is dropped.
          await new Promise((resolve) => setTimeout(resolve, 5));
          result = null;
          void result;
        }
        times.sort((a, b) => a - b);
        const ms = times[Math.floor(times.length / 2)]!;
        process.stderr.write(
          `  ${impl.name}: ${times.map((t) => t.toFixed(0)).join(' / ')} ms, RSS before ${(baseline / 2 ** 20).toFixed(0)} MB\n`,
        );
        caseRows.push({
          case: benchCase.name,
          impl: impl.name,
          ms,
          mbPerS: bytes > 0 ? bytes / 1e6 / (ms / 1000) : null,
          peakRssMb: peak[0]! / 2 ** 20,
          ratio: null,
        });
      }
      const ours = caseRows.find((_row, i) => benchCase.impls[i]!.ours);
      for (const row of caseRows) row.ratio = ours ? row.ms / ours.ms : null;
      rows.push(...caseRows);
    }
  } finally {
    await sampler.terminate();
  }
  return rows;
}

export function formatTable(rows: BenchRow[]): string {
  const header = '| case | impl | time ms | MB/s | peak RSS MB | ratio (peer time / our time) |';
  const line = '|---|---|---:|---:|---:|---:|';
  const body = rows.map(
    (r) =>
      `| ${r.case} | ${r.impl} | ${r.ms.toFixed(0)} | ${r.mbPerS === null ? '–' : r.mbPerS.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`} |`,
  );
  return [header, line, ...body].join('\n');
}
