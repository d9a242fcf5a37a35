/**
 * `npm run bench` — runs each case side by side with its peers and prints
 * `case | impl | time ms | MB/s | peak RSS MB | ratio`. Env: BENCH_ROWS (default 1,000,000),
 * BENCH_CASES (comma-separated substrings of case names), BENCH_RUNS (default 3), BENCH_UMAP_ROWS
 * (rows of the synthetic UMAP case, default 70,000), BENCH_TUNE_ROWS (rows of the tuning cases, default 20,000),
 * BENCH_PARQUET_ROWS (rows of the Parquet load case, default 3,000,000),
 * BENCH_TSNE_ROWS (rows of the large t-SNE case, default 70,000).
 * Add a case: a file under bench/cases/ exporting a BenchCase factory, listed in `modules` below.
 *
 * Each case module runs in its own Node process (this script again, with BENCH_MODULE set), which
 * loads that module alone: one library's import can slow another's code — importing apache-arrow
 * (which the table cases load) made umap-js 1.8× slower in Node 20 (digits: 4.7 s → 8.7 s, our
 * UMAP unchanged), so with every case module in one process the UMAP ratios were inflated.
 */
import { spawnSync } from 'node:child_process';
import { type AnyBenchCase, type BenchRow, formatTable, runCases } from './harness';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const selected = (process.env.BENCH_CASES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

const modules: Record<string, () => Promise<AnyBenchCase[]>> = {
  'csv-parse': async () => [(await import('./cases/csv-parse')).csvParseCase(rows)],
  parquet: async () => [(await import('./cases/parquet')).parquetCase(env('BENCH_PARQUET_ROWS', 3_000_000))],
  profile: async () => [(await import('./cases/profile')).profileCase(rows)],
  transforms: async () => {
    const m = await import('./cases/transforms');
    return [
      m.standardScalerCase(env('BENCH_SCALER_ROWS', rows * 10)),
      m.pcaCase(env('BENCH_PCA_ROWS', rows)),
    ];
  },
  models: async () => {
    const m = await import('./cases/models');
    return [
      m.logisticCase(rows),
      m.kmeansCase(rows),
      m.knnCase(Math.round(rows / 10)),
      ...m.tuneLogisticCases(env('BENCH_TUNE_ROWS', 20_000)),
    ];
  },
  umap: async () => (await import('./cases/umap')).umapCases(env('BENCH_UMAP_ROWS', 70_000)),
  tsne: async () => (await import('./cases/tsne')).tsneCases(env('BENCH_TSNE_ROWS', 70_000)),
};

const MARK = 'BENCH_ROWS_JSON ';
const only = process.env.BENCH_MODULE;
if (only) {
  const load = modules[only];
  if (!load) throw new Error(`BENCH_MODULE ${only}: not one of ${Object.keys(modules).join(', ')}`);
  const cases = (await load()).filter(
    (c) => selected.length === 0 || selected.some((s) => c.name.includes(s)),
  );
  const results = cases.length > 0 ? await runCases(cases, runs) : [];
  console.log(MARK + JSON.stringify(results));
} else {
  const results: BenchRow[] = [];
  for (const key of Object.keys(modules)) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!], {
      env: { ...process.env, BENCH_MODULE: key },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith(MARK));
    if (child.status !== 0 || !line) {
      process.stderr.write(`bench module ${key} failed (exit ${child.status})\n`);
      process.exitCode = 1;
      continue;
    }
    results.push(...(JSON.parse(line.slice(MARK.length)) as BenchRow[]));
  }
  console.log(formatTable(results));
}
process.exit(process.exitCode ?? 0);
