/**
 * Column profile of a seeded 1M × 20 synthetic table (src/io/synthetic.ts; BENCH_ROWS to
 * change) against arquero 8.0.3 computing the same summary with `table.rollup` in the same
 * process: per numeric column valid/invalid counts, distinct, mean, stdev, min, q25, median, q75,
 * max; per other column valid/invalid, distinct and mode. Ours computes more (skewness, kurtosis,
 * zeros/negatives/infinities, histograms, top-10 categories, text lengths, date ranges).
 *
 * Both start from a table in memory: ours from the Arrow table, arquero from its own columns,
 * imported from Arrow IPC bytes during setup (not timed). In Node there is no WebGPU, so our
 * "GPU" kernels run their CPU references — this is the CPU fallback path, the one a browser without
 * WebGPU takes.
 */
import { tableToIPC } from 'apache-arrow';
import * as aq from 'arquero';
import { profileTable } from '../../src/analysis/profile/profile';
import { logicalType } from '../../src/core/frame';
import { syntheticTable } from '../../src/io/synthetic';
import type { BenchCase } from '../harness';

interface ProfileContext {
  table: ReturnType<typeof syntheticTable>;
  peer: ReturnType<typeof aq.fromArrow>;
  numeric: string[];
  other: string[];
}

export function profileCase(rows: number): BenchCase<ProfileContext> {
  return {
    name: `profile ${rows.toLocaleString('en')} × 20`,
    async setup() {
      const table = syntheticTable({ rows, seed: 42 });
      const numeric: string[] = [];
      const other: string[] = [];
      for (const f of table.schema.fields) {
        const t = logicalType(f);
        (t === 'integer' || t === 'float' ? numeric : other).push(f.name);
      }
      const peer = aq.fromArrow(tableToIPC(table, 'stream'));
      return { table, peer, numeric, other };
    },
    impls: [
      {
        name: 'benchtop profileTable (CPU references in Node)',
        ours: true,
        run: async (c) => {
          const profiles = await profileTable(c.table, null);
          if (profiles.length !== c.table.numCols) throw new Error('wrong number of profiles');
          return profiles;
        },
      },
      {
        name: 'arquero rollup',
        run: (c) => {
          const exprs: Record<string, string> = {};
          // arquero compiles string expressions; names are quoted with d["…"].
          for (const name of c.numeric) {
            const d = `d[${JSON.stringify(name)}]`;
            Object.assign(exprs, {
              [`${name}:valid`]: `op.valid(${d})`,
              [`${name}:invalid`]: `op.invalid(${d})`,
              [`${name}:distinct`]: `op.distinct(${d})`,
              [`${name}:mean`]: `op.mean(${d})`,
              [`${name}:stdev`]: `op.stdev(${d})`,
              [`${name}:min`]: `op.min(${d})`,
              [`${name}:q25`]: `op.quantile(${d}, 0.25)`,
              [`${name}:median`]: `op.median(${d})`,
              [`${name}:q75`]: `op.quantile(${d}, 0.75)`,
              [`${name}:max`]: `op.max(${d})`,
            });
          }
          for (const name of c.other) {
            const d = `d[${JSON.stringify(name)}]`;
            Object.assign(exprs, {
              [`${name}:valid`]: `op.valid(${d})`,
              [`${name}:invalid`]: `op.invalid(${d})`,
              [`${name}:distinct`]: `op.distinct(${d})`,
              [`${name}:mode`]: `op.mode(${d})`,
            });
          }
          return c.peer.rollup(exprs).objects();
        },
      },
    ],
  };
}
