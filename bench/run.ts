/**
 * `npm run bench` — runs each case side by side with its peers and prints
 * `case | impl | time ms | quality | ratio | MB/s | peak RSS MB | load`, ratio = that row's time /
 * our time (> 1: we are faster). Env: BENCH_ROWS (default 1,000,000), BENCH_CASES (comma-separated
 * substrings of case names), BENCH_IMPLS / BENCH_SKIP (substrings of implementation names to keep /
 * to leave out, e.g. the slowest JS peers), BENCH_RUNS (default
 * 3), BENCH_NATIVE=0 (no Python peers), BENCH_PYTHON (the Python to use; default /usr/bin/python3,
 * then python3), and per-case sizes: BENCH_SCALER_ROWS, BENCH_PCA_ROWS, BENCH_KMEANS_ROWS,
 * BENCH_LOGISTIC_ROWS, BENCH_MLP_ROWS, BENCH_UMAP_ROWS, BENCH_TUNE_ROWS, BENCH_TSNE_ROWS,
 * BENCH_PARQUET_ROWS (the Parquet load case, default 3,000,000); BENCH_NATIVE_THREADS (pin the
 * native peers' BLAS/OpenMP threads, e.g. 1); BENCH_THREADS (threads of our compute-pool rows —
 * KMeans, LogisticRegression — default os.availableParallelism(); a 1-thread row runs beside them).
 * Add a case: a file under bench/cases/ exporting a BenchCase factory, listed in `modules` below.
 *
 * Every implementation runs in a process of its own — ours, each JS peer (this script again, with
 * BENCH_MODULE/BENCH_CASE/BENCH_IMPL set) and each native peer (bench/native.py). One library's
 * import can slow another's code: importing apache-arrow made umap-js 1.8× slower in Node 20, and a
 * shared heap or a warmed-up JIT would favour whoever runs second. A first child per case module
 * runs the setups, which write the inputs to $TMPDIR/benchtop-bench/ (bench/data.ts), so every
 * process reads the same numbers.
 *
 * Native peers run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from their environment
 * (set on some machines of this kind for old OpenBLAS builds; they slow a current numpy) — in that
 * command only; the BLAS and thread count that ran are printed above the table.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import {
  type AnyBenchCase,
  type BenchRow,
  formatTable,
  median,
  type NativeImpl,
  runImpl,
  withRatios,
} from './harness';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const list = (name: string) =>
  (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const selected = list('BENCH_CASES');
const selectedImpls = list('BENCH_IMPLS');
const skippedImpls = list('BENCH_SKIP');
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
      m.logisticCase(env('BENCH_LOGISTIC_ROWS', Math.round(rows / 5))),
      m.kmeansCase(env('BENCH_KMEANS_ROWS', rows)),
      m.knnCase(Math.round(rows / 10)),
      m.mlpCase(env('BENCH_MLP_ROWS', Math.round(rows / 5))),
      ...m.tuneLogisticCases(env('BENCH_TUNE_ROWS', 20_000)),
    ];
  },
  umap: async () => (await import('./cases/umap')).umapCases(env('BENCH_UMAP_ROWS', 70_000)),
  tsne: async () => (await import('./cases/tsne')).tsneCases(env('BENCH_TSNE_ROWS', 70_000)),
  realloop: async () => (await import('./cases/realloop')).realloopCases(),
};

interface CaseListing {
  name: string;
  impls: string[];
  native: NativeImpl[];
}

const MARK = 'BENCH_JSON ';
const emit = (value: unknown) => console.log(MARK + JSON.stringify(value));

async function loadCases(key: string): Promise<AnyBenchCase[]> {
  const load = modules[key];
  if (!load) throw new Error(`BENCH_MODULE ${key}: not one of ${Object.keys(modules).join(', ')}`);
  return (await load()).filter((c) => selected.length === 0 || selected.some((s) => c.name.includes(s)));
}

const wanted = (name: string) =>
  (selectedImpls.length === 0 || selectedImpls.some((s) => name.includes(s))) &&
  !skippedImpls.some((s) => name.includes(s));

function child(args: string[], extraEnv: Record<string, string>, command = process.execPath) {
  const result = spawnSync(command, args, {
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith(MARK));
  return {
    ok: result.status === 0 && line !== undefined,
    status: result.status,
    json: line?.slice(MARK.length),
  };
}

/** A Python with numpy, pandas and scikit-learn, or why there is none. */
function findPython(): { python: string | null; note: string } {
  if (process.env.BENCH_NATIVE === '0') return { python: null, note: 'native peers off (BENCH_NATIVE=0)' };
  const candidates = process.env.BENCH_PYTHON ? [process.env.BENCH_PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, [new URL('./native.py', import.meta.url).pathname, 'info'], {
      env: nativeEnv(),
      encoding: 'utf8',
    });
    if (probe.status === 0) return { python, note: probe.stdout.trim() };
  }
  return {
    python: null,
    note: `native peers skipped: no Python with numpy, pandas and scikit-learn (tried ${candidates.join(', ')}; Debian: apt install python3-sklearn python3-pandas)`,
  };
}

/** BENCH_NATIVE_THREADS=1 pins numpy/scikit-learn to one thread (OpenBLAS, OpenMP, MKL), to
 * compare one core with one core — on a shared machine, where a peer's second thread competes
 * with other jobs, that is the comparison that holds still. */
const nativeThreads = process.env.BENCH_NATIVE_THREADS;

function nativeEnv(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.OPENBLAS_CORETYPE;
  delete e.OPENBLAS_L2_SIZE;
  if (nativeThreads) {
    for (const name of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'])
      e[name] = nativeThreads;
  }
  return e;
}

const self = process.argv[1]!;
const mode = process.env.BENCH_MODE;
if (mode === 'list') {
  const cases = await loadCases(process.env.BENCH_MODULE!);
  const listing: CaseListing[] = [];
  for (const c of cases) {
    process.stderr.write(`${c.name}: setting up…\n`);
    const context = await c.setup(); // writes the cached inputs
    listing.push({ name: c.name, impls: c.impls.map((i) => i.name), native: c.native?.(context) ?? [] });
  }
  emit(listing);
} else if (mode === 'impl') {
  const cases = await loadCases(process.env.BENCH_MODULE!);
  const benchCase = cases[Number(process.env.BENCH_CASE)]!;
  emit(await runImpl(benchCase, Number(process.env.BENCH_IMPL), runs));
} else {
  const started = new Date();
  const load0 = loadavg();
  const { python, note } = findPython();
  process.stderr.write(`${note}\n`);
  const results: BenchRow[] = [];
  for (const key of Object.keys(modules)) {
    const listed = child([...process.execArgv, self], { BENCH_MODULE: key, BENCH_MODE: 'list' });
    if (!listed.ok) {
      process.stderr.write(`bench module ${key}: setup failed (exit ${listed.status})\n`);
      process.exitCode = 1;
      continue;
    }
    const cases = JSON.parse(listed.json!) as CaseListing[];
    for (const [ci, c] of cases.entries()) {
      for (const [ii, implName] of c.impls.entries()) {
        if (!wanted(implName)) continue;
        process.stderr.write(`${c.name} — ${implName}\n`);
        const r = child([...process.execArgv, self], {
          BENCH_MODULE: key,
          BENCH_MODE: 'impl',
          BENCH_CASE: String(ci),
          BENCH_IMPL: String(ii),
        });
        if (!r.ok) {
          process.stderr.write(`  failed (exit ${r.status})\n`);
          process.exitCode = 1;
          continue;
        }
        const row = JSON.parse(r.json!) as BenchRow;
        process.stderr.write(`  ${row.runs.map((t) => t.toFixed(0)).join(' / ')} ms; ${row.quality}\n`);
        if (row.bound) process.stderr.write(`  bound: ${row.bound}\n`);
        results.push(row);
      }
      for (const n of c.native) {
        if (!python || !wanted(n.name)) continue;
        process.stderr.write(`${c.name} — ${n.name}\n`);
        const load = loadavg()[0]!;
        const native = new URL('./native.py', import.meta.url).pathname;
        const r = child(
          [native, n.task, JSON.stringify(n.args), String(n.runs ?? runs)],
          nativeEnv() as Record<string, string>,
          python,
        );
        if (!r.ok) {
          process.stderr.write(`  failed (exit ${r.status})\n`);
          process.exitCode = 1;
          continue;
        }
        const out = JSON.parse(r.json!) as { runs: number[]; quality: string; peakRssMb: number };
        process.stderr.write(`  ${out.runs.map((t) => t.toFixed(0)).join(' / ')} ms; ${out.quality}\n`);
        results.push({
          case: c.name,
          impl: nativeThreads
            ? `${n.name} (${nativeThreads} thread${nativeThreads === '1' ? '' : 's'})`
            : n.name,
          ours: false,
          ms: median(out.runs),
          runs: out.runs,
          quality: out.quality,
          mbPerS: null,
          peakRssMb: out.peakRssMb,
          load,
          ratio: null,
        });
      }
    }
  }
  const cpu = cpus();
  console.log(
    [
      `${started.toISOString()} · ${cpu.length} × ${cpu[0]?.model ?? 'cpu'} · Node ${process.version} · load average ${load0.map((x) => x.toFixed(1)).join(' ')} at start, ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} at end`,
      python ? `native: ${python} — ${note.replace(/\n/g, '; ')}` : note,
      '',
      formatTable(withRatios(results)),
    ].join('\n'),
  );
}
process.exit(process.exitCode ?? 0);
