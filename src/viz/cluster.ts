export type Linkage = 'single' | 'average' | 'complete';

export interface ClusterOptions {
  linkage?: Linkage;
  /**
   * Turns a matrix entry into a distance. Default for correlations: 1 − |r|, so strongly
   * anti-correlated columns sit together too (they carry the same information).
   */
  distance?: (value: number) => number;
}

/**
 * Leaf order of an agglomerative clustering of a symmetric n×n similarity matrix (e.g.
 * correlations), given as rows or as a flat row-major array. Used to order heatmap rows and
 * columns so related columns form blocks. O(n³), fine for the few hundred columns a heatmap shows.
 * Deterministic: ties merge the pair with the lowest indices; within a merge the cluster holding the
 * lower original index goes first. Non-finite entries count as the largest distance.
 */
export function clusterOrder(
  matrix: ArrayLike<number> | readonly ArrayLike<number>[],
  options: ClusterOptions = {},
): number[] {
  const rows = toRows(matrix);
  const n = rows.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const toDistance = options.distance ?? ((v: number) => 1 - Math.abs(v));
  const linkage = options.linkage ?? 'average';
  const d: number[][] = rows.map((row, i) =>
    rows.map((_, j) => {
      if (i === j) return 0;
      const v = toDistance(((Number(row[j]) + Number(rows[j]![i])) / 2) as number);
      return Number.isFinite(v) ? v : Number.MAX_VALUE;
    }),
  );
  // Active clusters: members in leaf order, and size for average linkage.
  const clusters: ({ leaves: number[]; min: number } | null)[] = rows.map((_, i) => ({
    leaves: [i],
    min: i,
  }));
  for (let step = 0; step < n - 1; step++) {
    let bi = -1;
    let bj = -1;
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      if (!clusters[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!clusters[j]) continue;
        if (d[i]![j]! < best) {
          best = d[i]![j]!;
          bi = i;
          bj = j;
        }
      }
    }
    const a = clusters[bi]!;
    const b = clusters[bj]!;
    for (let k = 0; k < n; k++) {
      if (!clusters[k] || k === bi || k === bj) continue;
      const dik = d[bi]![k]!;
      const djk = d[bj]![k]!;
      const merged =
        linkage === 'single'
          ? Math.min(dik, djk)
          : linkage === 'complete'
            ? Math.max(dik, djk)
            : (dik * a.leaves.length + djk * b.leaves.length) / (a.leaves.length + b.leaves.length);
      d[bi]![k] = merged;
      d[k]![bi] = merged;
    }
    const [first, second] = a.min <= b.min ? [a, b] : [b, a];
    clusters[bi] = { leaves: [...first.leaves, ...second.leaves], min: Math.min(a.min, b.min) };
    clusters[bj] = null;
  }
  return clusters.find((c) => c !== null)!.leaves;
}

function toRows(matrix: ArrayLike<number> | readonly ArrayLike<number>[]): ArrayLike<number>[] {
  const first = (matrix as ArrayLike<unknown>)[0];
  if (first !== undefined && typeof first === 'object')
    return Array.from(matrix as readonly ArrayLike<number>[]);
  const flat = matrix as ArrayLike<number>;
  const n = Math.round(Math.sqrt(flat.length));
  if (n * n !== flat.length)
    throw new Error(`clusterOrder: a flat matrix needs n² entries, got ${flat.length}`);
  return Array.from(
    { length: n },
    (_, i) => Array.prototype.slice.call(flat, i * n, (i + 1) * n) as number[],
  );
}
