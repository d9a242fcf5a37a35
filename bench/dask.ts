/**
 * The Dask export at a size no browser tab holds comfortably: BENCH_DASK_ROWS synthetic rows
 * (default 20,000,000; 16 mixed columns with missing cells, and a binary target) written as
 * BENCH_DASK_FILES partitioned CSV files, a notebook (an id column dropped, mean imputation, scaling, one-hot,
 * HistGradientBoostingClassifier on a 25% hold-out) exported with the first file as the sample the
 * columns are read from, then the script run on a LocalCluster of BENCH_DASK_WORKERS processes.
 * Prints the wall time, each worker's peak resident memory and the hold-out metrics.
 *
 *   node --import tsx bench/dask.ts                    # 20M rows, 20 files, 2 workers
 *   BENCH_DASK_ROWS=2000000 BENCH_DASK_FILES=4 node --import tsx bench/dask.ts
 *
 * Not part of `npm run bench` (minutes, and it needs python3 with dask, distributed, xgboost).
 * The files are kept in $BENCH_DIR (default $TMPDIR/benchtop-dask-bench) and reused.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticCsv } from '../src/io/synthetic';
import type { Notebook } from '../src/spec/notebook';
import { createNodeEngine } from '../workers/engine.node.ts';

const rows = Number(process.env.BENCH_DASK_ROWS ?? 20_000_000);
const files = Number(process.env.BENCH_DASK_FILES ?? 20);
const workers = Number(process.env.BENCH_DASK_WORKERS ?? 2);
const python = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const dir = process.env.BENCH_DIR ?? join(tmpdir(), 'benchtop-dask-bench', `${rows}x${files}`);
mkdirSync(dir, { recursive: true });

const per = Math.ceil(rows / files);
const paths: string[] = [];
let bytes = 0;
const t0 = Date.now();
for (let k = 0; k < files; k++) {
  const path = join(dir, `part-${String(k).padStart(3, '0')}.csv`);
  const n = Math.min(per, rows - k * per);
  // Each file from its own seed: the same distribution, different rows.
  if (!existsSync(path)) writeFileSync(path, syntheticCsv({ rows: n, seed: 1000 + k, columns: 16 }));
  bytes += statSync(path).size;
  paths.push(path);
}
console.error(
  `data: ${rows.toLocaleString('en-US')} rows in ${files} CSV files, ${(bytes / 2 ** 30).toFixed(2)} GiB (${((Date.now() - t0) / 1000).toFixed(0)} s to write or find)`,
);

const engine = createNodeEngine();
const sample = await engine.loadBytes(new Uint8Array(readFileSync(paths[0]!)), 'part-000.csv');
const numeric = sample.columns.filter(
  (c) => (c.type === 'integer' || c.type === 'float') && c.name !== 'target',
);
// c_user (1,000 ids) is dropped, as a user would, rather than one-hot encoded into 1,000 columns.
const categorical = sample.columns.filter(
  (c) => c.type === 'categorical' && c.name !== 'target' && c.name !== 'c_user',
);
const notebook: Notebook = {
  version: 1,
  seed: 7,
  dataset: null,
  target: 'target',
  steps: [
    { id: 'drop', step: 'DropColumns', params: {}, enabled: true, columns: ['c_user'] },
    { id: 'imp', step: 'SimpleImputer', params: {}, enabled: true, columns: numeric.map((c) => c.name) },
    { id: 'std', step: 'StandardScaler', params: {}, enabled: true },
    {
      id: 'hot',
      step: 'OneHotEncoder',
      params: { handle_unknown: 'ignore' },
      enabled: true,
      columns: categorical.map((c) => c.name),
    },
  ],
};
const script = await engine.exportDask(sample.id, {
  notebook,
  target: 'target',
  models: [{ name: 'HistGradientBoostingClassifier', params: {} }],
  split: { kind: 'holdout', testSize: 0.25 },
  seed: notebook.seed,
  dataFile: join(dir, 'part-*.csv'),
});
const scriptPath = join(dir, 'run_dask.py');
writeFileSync(scriptPath, script);

const started = Date.now();
const child = spawn(python, [scriptPath, join(dir, 'part-*.csv'), '--workers', String(workers)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stdout = '';
child.stdout.on('data', (d: Buffer) => {
  stdout += d.toString();
});
const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
if (code !== 0) {
  console.error(`the Dask script failed (exit ${code})`);
  process.exit(1);
}
const result = JSON.parse(stdout) as {
  metrics: Record<string, Record<string, { mean: number }>>;
  rows: number;
  partitions: number;
  workers: number;
  seconds: number;
  peak_memory_mb: Record<string, number>;
  versions: Record<string, string>;
};
const m = result.metrics.HistGradientBoostingClassifier!;
const peaks = Object.values(result.peak_memory_mb);
console.log(
  `| Dask export, ${result.rows.toLocaleString('en-US')} rows × 16 (${files} CSV files, ${(bytes / 2 ** 30).toFixed(2)} GiB) | ${result.partitions} | ${result.workers} | ${((Date.now() - started) / 1000).toFixed(0)} s | ${peaks.map((p) => `${p}`).join(' / ')} MB | accuracy ${m.accuracy!.mean.toFixed(4)}, ROC AUC ${m.roc_auc!.mean.toFixed(4)} |`,
);
console.log(JSON.stringify(result.versions));
process.exit(0);
