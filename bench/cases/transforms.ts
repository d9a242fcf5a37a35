/**
 * Heavy notebook steps against their peers (issue 4):
 * - StandardScaler on N × 10 float64 columns (default 10M rows, BENCH_SCALER_ROWS): ours
 *   (fit + transform through the Step contract, as the engine runs it) against a plain copy of the
 *   same buffers — the memory-bandwidth ceiling, so its MB/s column reads as "how close to memcpy"
 *   — and a hand-written two-pass typed-array loop (the best plain JS can do).
 * - PCA on N × 100 (default 1M rows, BENCH_PCA_ROWS; n_components = 10) against ml-pca 4.1.1
 *   (the peer DESIGN §6 names; it takes a dense array of rows and does SVD or covariance + eig).
 * In Node there is no WebGPU: our Gram-matrix kernel runs its CPU reference, so these rows are the
 * fallback path.
 */
import type { Table } from 'apache-arrow';
import { PCA as MlPca } from 'ml-pca';
import { floatData, frameFrom, outColumn } from '../../src/core/frame';
import { createRng } from '../../src/core/rng';
import { type Params, type RunContext, validateParams } from '../../src/pipeline/step';
import PCA from '../../src/pipeline/steps/PCA';
import StandardScaler from '../../src/pipeline/steps/StandardScaler';
import type { BenchCase } from '../harness';

function ctx(): RunContext {
  return {
    rng: createRng(1),
    compute: null,
    signal: new AbortController().signal,
    progress: () => undefined,
  };
}

function floatTable(rows: number, cols: number, seed: number): { table: Table; columns: Float64Array[] } {
  const rng = createRng(seed);
  const columns: Float64Array[] = [];
  // Correlated columns (a few latent factors) so that PCA has structure to find.
  const factors = Array.from({ length: 5 }, () => new Float64Array(rows));
  for (const f of factors) for (let i = 0; i < rows; i++) f[i] = rng.normal();
  for (let j = 0; j < cols; j++) {
    const c = new Float64Array(rows);
    const w = factors.map(() => rng.normal());
    for (let i = 0; i < rows; i++) {
      let v = 0.3 * rng.normal() + j;
      for (let k = 0; k < 5; k++) v += w[k]! * factors[k]![i]!;
      c[i] = v;
    }
    columns.push(c);
  }
  const table = frameFrom(
    columns.map((c, j) => outColumn(`x${j}`, 'float', floatData(c))),
    rows,
    'bench',
  );
  return { table, columns };
}

interface ScalerContext {
  table: Table;
  columns: Float64Array[];
  out: Float64Array[];
}

export function standardScalerCase(rows: number): BenchCase<ScalerContext> {
  return {
    name: `StandardScaler ${rows.toLocaleString('en')} × 10`,
    bytes: (c) => c.columns.reduce((s, col) => s + col.byteLength, 0),
    async setup() {
      const { table, columns } = floatTable(rows, 10, 3);
      return { table, columns, out: columns.map((c) => new Float64Array(c.length)) };
    },
    impls: [
      {
        name: 'benchtop StandardScaler',
        ours: true,
        async run({ table }) {
          const params = validateParams(StandardScaler, {} as Params);
          const state = await StandardScaler.fit(table, params, ctx());
          return StandardScaler.transform(table, state, ctx());
        },
      },
      {
        name: 'memory copy (ceiling)',
        run({ columns, out }) {
          for (let j = 0; j < columns.length; j++) out[j]!.set(columns[j]!);
        },
      },
      {
        name: 'plain typed-array loop',
        run({ columns }) {
          return columns.map((c) => {
            let mean = 0;
            for (let i = 0; i < c.length; i++) mean += c[i]!;
            mean /= c.length;
            let ss = 0;
            for (let i = 0; i < c.length; i++) ss += (c[i]! - mean) ** 2;
            const scale = Math.sqrt(ss / c.length) || 1;
            const o = new Float64Array(c.length);
            for (let i = 0; i < c.length; i++) o[i] = (c[i]! - mean) / scale;
            return o;
          });
        },
      },
    ],
  };
}

interface PcaContext {
  table: Table;
  rowsArray: number[][];
}

export function pcaCase(rows: number): BenchCase<PcaContext> {
  return {
    name: `PCA ${rows.toLocaleString('en')} × 100 (k = 10)`,
    async setup() {
      const { table, columns } = floatTable(rows, 100, 5);
      const rowsArray = Array.from({ length: rows }, (_, i) => columns.map((c) => c[i]!));
      return { table, rowsArray };
    },
    impls: [
      {
        name: 'benchtop PCA (full)',
        ours: true,
        async run({ table }) {
          const params = validateParams(PCA, { n_components: 10, svd_solver: 'full' } as Params);
          const state = await PCA.fit(table, params, ctx());
          return PCA.transform(table, state, ctx());
        },
      },
      {
        name: 'ml-pca (covariance)',
        run({ rowsArray }) {
          const pca = new MlPca(rowsArray, { method: 'covarianceMatrix', center: true });
          return pca.predict(rowsArray, { nComponents: 10 });
        },
      },
    ],
  };
}
