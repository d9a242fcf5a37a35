/**
 * `npm run bench` — runs each case side by side with its peers in one process and prints
 * `case | impl | time ms | MB/s | peak RSS MB | ratio`. Env: BENCH_ROWS (default 1,000,000),
 * BENCH_CASES (comma-separated substrings of case names), BENCH_RUNS (default 3), BENCH_UMAP_ROWS
 * (rows of the synthetic UMAP case, default 70,000), BENCH_TUNE_ROWS (rows of the tuning cases, default 20,000),
 * BENCH_TSNE_ROWS (rows of the large t-SNE case, default 70,000).
 * Add a case: a file under bench/cases/ exporting a BenchCase factory, listed below.
 */
import { csvParseCase } from './cases/csv-parse';
import { kmeansCase, knnCase, logisticCase, tuneLogisticCases } from './cases/models';
import { profileCase } from './cases/profile';
import { pcaCase, standardScalerCase } from './cases/transforms';
import { tsneCases } from './cases/tsne';
import { umapCases } from './cases/umap';
import { type AnyBenchCase, formatTable, runCases } from './harness';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const selected = (process.env.BENCH_CASES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');

const umapRows = Number(process.env.BENCH_UMAP_ROWS ?? 70_000);
const all: AnyBenchCase[] = [
  csvParseCase(rows),
  profileCase(rows),
  standardScalerCase(Number(process.env.BENCH_SCALER_ROWS ?? rows * 10)),
  pcaCase(Number(process.env.BENCH_PCA_ROWS ?? rows)),
  logisticCase(rows),
  kmeansCase(rows),
  knnCase(Math.round(rows / 10)),
  ...tuneLogisticCases(Number(process.env.BENCH_TUNE_ROWS ?? 20_000)),
  ...umapCases(umapRows),
  ...tsneCases(Number(process.env.BENCH_TSNE_ROWS ?? 70_000)),
];
const cases = selected.length === 0 ? all : all.filter((c) => selected.some((s) => c.name.includes(s)));

const results = await runCases(cases, runs);
console.log(formatTable(results));
process.exit(0);
