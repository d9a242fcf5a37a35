/**
 * Count, missing, mean, sample variance (ddof = 1, as pandas' describe()), min and max of every
 * column — numeric ones through the colstats kernel (WebGPU or its CPU reference), the others
 * with counts only.
 */
import type { Table } from 'apache-arrow';
import { throwIfAborted } from '../../core/errors';
import { readNumeric } from '../../core/frame';
import type { Progress } from '../../core/job';
import type { Compute } from '../../gpu/device';
import { colStatsAll } from '../../gpu/kernels/colstats/colstats';
import type { ColumnInfo, ColumnStats } from '../../io/types';

export async function columnStats(
  table: Table,
  columns: readonly ColumnInfo[],
  compute: Compute,
  signal: AbortSignal,
  progress: (p: Progress) => void,
): Promise<ColumnStats[]> {
  const rows = table.numRows;
  const numeric = columns.filter((col) => col.type === 'integer' || col.type === 'float');
  progress({ phase: 'Column statistics', fraction: 0 });
  const arrays = numeric.map((col) => readNumeric(table.getChild(col.name)!));
  throwIfAborted(signal);
  const stats = await colStatsAll(compute, arrays, { signal });
  progress({ phase: 'Column statistics', fraction: 1 });
  const byName = new Map(numeric.map((col, i) => [col.name, stats[i]!]));
  return columns.map((col): ColumnStats => {
    const s = byName.get(col.name);
    if (!s) {
      const count = rows - col.missing;
      return {
        name: col.name,
        type: col.type,
        count,
        missing: col.missing,
        mean: null,
        variance: null,
        min: null,
        max: null,
      };
    }
    const present = s.count > 0;
    return {
      name: col.name,
      type: col.type,
      count: s.count,
      missing: rows - s.count,
      mean: present ? s.mean : null,
      variance: s.count > 1 ? s.m2 / (s.count - 1) : null,
      min: present ? s.min : null,
      max: present ? s.max : null,
    };
  });
}
