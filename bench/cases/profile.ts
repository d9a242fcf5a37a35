/**
 * Column profile of the seeded 1M × 20 synthetic CSV (src/io/synthetic.ts; BENCH_ROWS to change),
 * every side starting from that file parsed into its own table in memory (parsing not timed):
 * - ours: `profileTable(table, null)` — in Node there is no WebGPU, so the colstats and histogram
 *   kernels run their CPU path. Default (distinct counted exactly up to 100,000 values, HyperLogLog
 *   beyond) and with exact distinct counts everywhere.
 * - arquero 8.0.3 `rollup` of valid/invalid/distinct/mean/stdev/min/quartiles/max per numeric
 *   column and valid/invalid/distinct/mode per other column (a subset of ours).
 * - pandas `describe()` (numeric columns: count, mean, std, min, quartiles, max — far less), and
 *   pandas computing the same statistics as ours (bench/native.py: exact distinct, skew, kurtosis,
 *   zeros/negatives/infinities, monotonicity, histograms, top-10 categories, text lengths, date
 *   ranges).
 * Quality: Σ over numeric columns of mean, std and median, and Σ distinct over all columns — equal
 * digests mean equal statistics.
 */
import type { ColumnProfile } from '../../src/analysis/profile/profile';
import type { BenchCase } from '../harness';
import { type SyntheticCsv, syntheticCsvFile } from '../synthetic-csv';

const digest = (means: number[], stds: number[], medians: number[], distinct: number | null) => {
  const sum = (xs: number[]) => Number(xs.reduce((s, x) => s + x, 0).toPrecision(6));
  return `Σmean ${sum(means)}, Σstd ${sum(stds)}, Σmedian ${sum(medians)}, Σdistinct ${distinct ?? '–'}`;
};

function profileDigest(profiles: ColumnProfile[]): string {
  const numeric = profiles.filter((p) => p.numeric !== null);
  return digest(
    numeric.map((p) => p.numeric!.mean ?? 0),
    numeric.map((p) => p.numeric!.std ?? 0),
    numeric.map((p) => p.numeric!.median ?? 0),
    profiles.reduce((s, p) => s + p.distinct, 0),
  );
}

function ours(name: string, exactDistinctLimit?: number) {
  return {
    name,
    ours: exactDistinctLimit === undefined,
    async prepare(c: SyntheticCsv) {
      const { readTable } = await import('../../src/io/read');
      const { profileTable } = await import('../../src/analysis/profile/profile');
      const table = await readTable(c.bytes, 'bench.csv');
      return () => profileTable(table, null, exactDistinctLimit === undefined ? {} : { exactDistinctLimit });
    },
    run: (profile: () => Promise<ColumnProfile[]>) => profile(),
    quality: (_c: SyntheticCsv, r: unknown) => profileDigest(r as ColumnProfile[]),
  };
}

export function profileCase(rows: number): BenchCase<SyntheticCsv> {
  return {
    name: `profile ${rows.toLocaleString('en')} × 20`,
    setup: () => syntheticCsvFile(rows),
    impls: [
      ours('benchtop profileTable (CPU path)'),
      ours('benchtop profileTable, exact distinct', Number.POSITIVE_INFINITY),
      {
        name: 'arquero 8.0.3 rollup',
        async prepare(c: SyntheticCsv) {
          const aq = await import('arquero');
          const table = aq.fromCSV(new TextDecoder().decode(c.bytes));
          const exprs: Record<string, string> = {};
          // arquero compiles string expressions; names are quoted with d["…"].
          for (const [name, type] of Object.entries(c.types)) {
            const d = `d[${JSON.stringify(name)}]`;
            Object.assign(exprs, {
              [`${name}:valid`]: `op.valid(${d})`,
              [`${name}:invalid`]: `op.invalid(${d})`,
              [`${name}:distinct`]: `op.distinct(${d})`,
            });
            if (type === 'integer' || type === 'float') {
              Object.assign(exprs, {
                [`${name}:mean`]: `op.mean(${d})`,
                [`${name}:stdev`]: `op.stdev(${d})`,
                [`${name}:min`]: `op.min(${d})`,
                [`${name}:q25`]: `op.quantile(${d}, 0.25)`,
                [`${name}:median`]: `op.median(${d})`,
                [`${name}:q75`]: `op.quantile(${d}, 0.75)`,
                [`${name}:max`]: `op.max(${d})`,
              });
            } else {
              exprs[`${name}:mode`] = `op.mode(${d})`;
            }
          }
          return () => table.rollup(exprs).objects()[0] as Record<string, number>;
        },
        run: (rollup: () => Record<string, number>) => rollup(),
        quality: (c, r) => {
          const row = r as Record<string, number>;
          const numeric = Object.keys(c.types).filter(
            (n) => c.types[n] === 'integer' || c.types[n] === 'float',
          );
          // arquero counts a missing value as one more distinct value.
          const distinct = Object.keys(c.types).reduce(
            (s, n) => s + row[`${n}:distinct`]! - (row[`${n}:invalid`]! > 0 ? 1 : 0),
            0,
          );
          return digest(
            numeric.map((n) => row[`${n}:mean`]!),
            numeric.map((n) => row[`${n}:stdev`]!),
            numeric.map((n) => row[`${n}:median`]!),
            distinct,
          );
        },
      },
    ],
    native: (c) =>
      (['describe', 'same'] as const).map((impl) => ({
        name: impl === 'describe' ? 'pandas describe()' : 'pandas, the same statistics (exact distinct)',
        task: 'profile',
        args: { impl, csv: c.path, types: c.types },
      })),
  };
}
