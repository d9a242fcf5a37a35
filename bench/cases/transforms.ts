/**
 * Heavy notebook steps against their peers:
 * - StandardScaler on N × 10 float64 columns (default 10M rows, BENCH_SCALER_ROWS): ours (fit +
 *   transform through the Step contract, as the engine runs it), a plain copy of the same buffers
 *   (the memory-bandwidth ceiling), a hand-written two-pass typed-array loop, and natively
 *   sklearn's StandardScaler and plain numpy. Quality: the largest |mean| and |std − 1| of the
 *   output columns.
 * - PCA on N × 100 (default 1M rows, BENCH_PCA_ROWS; n_components = 10, svd_solver 'full'):
 *   ours, ml-pca 4.1.1 (covariance method; one run, it takes minutes at 1M), sklearn's PCA and
 *   numpy's eigh of the covariance matrix. Quality: the explained variance ratio of the 10
 *   components (and of the first).
 * In Node there is no WebGPU: our Gram-matrix kernel runs its CPU path, so these rows are what a
 * browser without a GPU gets. Our modules are imported in our process only (dynamic imports), so a
 * peer never runs next to apache-arrow.
 */
import type { Table } from 'apache-arrow';
import { createRng } from '../../src/core/rng';
import { cached, columnOf } from '../data';
import type { BenchCase } from '../harness';
import { threadRows, usePool } from '../threads';

function ctx() {
  return {
    rng: createRng(1),
    compute: null,
    signal: new AbortController().signal,
    progress: () => undefined,
  };
}

/** Correlated columns (5 latent factors, column j offset by j), column-major rows × cols. */
function floatColumns(rows: number, cols: number, seed: number): { data: Float64Array; path: string } {
  return cached(`floats-${rows}x${cols}-seed${seed}.f64`, Float64Array, () => {
    const rng = createRng(seed);
    const data = new Float64Array(rows * cols);
    const factors = Array.from({ length: 5 }, () => new Float64Array(rows));
    for (const f of factors) for (let i = 0; i < rows; i++) f[i] = rng.normal();
    for (let j = 0; j < cols; j++) {
      const c = columnOf(data, rows, j);
      const w = factors.map(() => rng.normal());
      for (let i = 0; i < rows; i++) {
        let v = 0.3 * rng.normal() + j;
        for (let k = 0; k < 5; k++) v += w[k]! * factors[k]![i]!;
        c[i] = v;
      }
    }
    return data;
  });
}

/** The columns as the engine holds a loaded dataset: with a multi-thread pool installed, in shared
 * memory (the catalog's `shareTable` at load, untimed here as there: once per dataset). */
async function tableOf(data: Float64Array, rows: number, cols: number): Promise<Table> {
  const { floatData, frameFrom, outColumn } = await import('../../src/core/frame');
  const { shareTable } = await import('../../src/core/shared');
  return shareTable(
    frameFrom(
      Array.from({ length: cols }, (_, j) => outColumn(`x${j}`, 'float', floatData(columnOf(data, rows, j)))),
      rows,
      'bench',
    ),
  );
}

interface Floats {
  data: Float64Array;
  path: string;
  rows: number;
  cols: number;
}

/** Σ with Neumaier's compensation: the check must not add its own rounding (bench/native.py uses
 * math.fsum), or the summation of the checker, not the scaler, decides the digits shown. */
function accurateSum(values: ArrayLike<number>, f: (x: number) => number = (x) => x): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const x = f(values[i]!);
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + comp;
}

/** max |mean| and max |std − 1| (ddof 0) over output columns, with accurate sums. */
function standardized(columns: Float64Array[]): string {
  let worstMean = 0;
  let worstStd = 0;
  for (const c of columns) {
    const mean = accurateSum(c) / c.length;
    const variance = accurateSum(c, (x) => (x - mean) ** 2) / c.length;
    worstMean = Math.max(worstMean, Math.abs(mean));
    worstStd = Math.max(worstStd, Math.abs(Math.sqrt(variance) - 1));
  }
  return `max abs(mean) ${worstMean.toExponential(1)}, max abs(std−1) ${worstStd.toExponential(1)}`;
}

export function standardScalerCase(rows: number): BenchCase<Floats> {
  const cols = 10;
  const setup = async () => ({ ...floatColumns(rows, cols, 3), rows, cols });
  const columns = (c: Floats) => Array.from({ length: cols }, (_, j) => columnOf(c.data, rows, j));
  return {
    name: `StandardScaler ${rows.toLocaleString('en')} × ${cols}`,
    bytes: (c) => c.data.byteLength,
    setup,
    impls: [
      ...threadRows((threads, label) => ({
        name: `benchtop StandardScaler (fit + transform, ${label})`,
        ours: threads === undefined,
        async prepare(c: Floats) {
          await usePool(threads);
          const { validateParams } = await import('../../src/pipeline/step');
          const StandardScaler = (await import('../../src/pipeline/steps/StandardScaler')).default;
          const table = await tableOf(c.data, rows, cols);
          const params = validateParams(StandardScaler, {});
          return async () => {
            const state = await StandardScaler.fit(table, params, ctx());
            return StandardScaler.transform(table, state, ctx());
          };
        },
        run: (fitTransform: () => Promise<Table>) => fitTransform(),
        quality: (_c: Floats, out: unknown) =>
          standardized(
            Array.from({ length: cols }, (_, j) => (out as Table).getChildAt(j)!.toArray() as Float64Array),
          ),
      })),
      {
        name: 'memory copy (ceiling)',
        prepare: (c: Floats) => ({ from: columns(c), to: columns(c).map((x) => new Float64Array(x.length)) }),
        run: (p: { from: Float64Array[]; to: Float64Array[] }) => {
          for (let j = 0; j < p.from.length; j++) p.to[j]!.set(p.from[j]!);
        },
      },
      {
        name: 'plain typed-array loop',
        prepare: columns,
        run: (cs: Float64Array[]) =>
          cs.map((c) => {
            let mean = 0;
            for (let i = 0; i < c.length; i++) mean += c[i]!;
            mean /= c.length;
            let ss = 0;
            for (let i = 0; i < c.length; i++) ss += (c[i]! - mean) ** 2;
            const scale = Math.sqrt(ss / c.length) || 1;
            const o = new Float64Array(c.length);
            for (let i = 0; i < c.length; i++) o[i] = (c[i]! - mean) / scale;
            return o;
          }),
        quality: (_c, out) => standardized(out as Float64Array[]),
      },
    ],
    native: (c) =>
      (['sklearn', 'numpy'] as const).map((impl) => ({
        name: impl === 'sklearn' ? 'sklearn StandardScaler().fit_transform' : 'numpy (X − mean) / std',
        task: 'scaler',
        args: { impl, file: c.path, rows, cols },
      })),
  };
}

export function pcaCase(rows: number): BenchCase<Floats> {
  const cols = 100;
  const k = 10;
  return {
    name: `PCA ${rows.toLocaleString('en')} × ${cols} (k = ${k})`,
    setup: async () => ({ ...floatColumns(rows, cols, 5), rows, cols }),
    impls: [
      ...threadRows((threads, label) => ({
        name: `benchtop PCA (svd_solver full, ${label})`,
        ours: threads === undefined,
        async prepare(c: Floats) {
          await usePool(threads);
          const { validateParams } = await import('../../src/pipeline/step');
          const PCA = (await import('../../src/pipeline/steps/PCA')).default;
          const table = await tableOf(c.data, rows, cols);
          const params = validateParams(PCA, { n_components: k, svd_solver: 'full' });
          return async () => {
            const state = await PCA.fit(table, params, ctx());
            return { state, out: await PCA.transform(table, state, ctx()) };
          };
        },
        run: (job: () => Promise<unknown>) => job(),
        quality: (_c: Floats, r: unknown) =>
          evr((r as { state: { explained_variance_ratio: number[] } }).state.explained_variance_ratio),
      })),
      {
        name: 'ml-pca 4.1.1 (covariance)',
        runs: 1,
        async prepare(c: Floats) {
          const { PCA: MlPca } = await import('ml-pca');
          const rowsArray = Array.from({ length: rows }, (_, i) =>
            Array.from({ length: cols }, (_, j) => c.data[j * rows + i]!),
          );
          return () => {
            const pca = new MlPca(rowsArray, { method: 'covarianceMatrix', center: true });
            pca.predict(rowsArray, { nComponents: k });
            return pca.getExplainedVariance();
          };
        },
        run: (job: () => number[]) => job(),
        quality: (_c, r) => evr(r as number[]),
      },
    ],
    native: (c) =>
      (['sklearn', 'numpy'] as const).map((impl) => ({
        name: impl === 'sklearn' ? 'sklearn PCA(svd_solver=full)' : 'numpy eigh of the covariance',
        task: 'pca',
        args: { impl, file: c.path, rows, cols, k },
      })),
  };
}

const evr = (ratios: number[]) =>
  `EVR(10) ${ratios
    .slice(0, 10)
    .reduce((s, x) => s + x, 0)
    .toFixed(6)}, EVR₁ ${ratios[0]!.toFixed(6)}`;
