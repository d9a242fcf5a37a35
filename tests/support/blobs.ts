/**
 * The seeded synthetic set of the embedding benches and large-embedding tests (bench/cases/umap.ts,
 * bench/browser-umap.ts, tests/models/{tsne,umap}-large.browser.test.ts), in one place so that
 * their numbers stay the same set: 10 centres drawn N(0, 3²) per coordinate, then per row a centre
 * `rng.int(10)` plus unit noise. Plain TypeScript on src/core/rng, so it runs in Node and in the page.
 */
import { createRng } from '../../src/core/rng';

/** n × d rows (row-major) around 10 seeded centres. */
export function blobs(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const centers = 10;
  const c = Array.from({ length: centers * d }, () => 3 * rng.normal());
  const X = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const center = rng.int(centers);
    for (let j = 0; j < d; j++) X[i * d + j] = c[center * d + j]! + rng.normal();
  }
  return X;
}

/**
 * `size` distinct rows drawn with `createRng(seed)`, of the inputs X (n × d) and of their 2-D layout
 * Y (n × 2): the sample whose trustworthiness stands in for the full O(n²) check at large n.
 */
export function sampleRows(
  X: Float32Array,
  Y: Float32Array,
  n: number,
  d: number,
  size: number,
  seed: number,
): { Xs: Float32Array; Ys: Float32Array } {
  if (size > n) throw new RangeError(`sampleRows: ${size} rows asked of ${n}.`);
  const rng = createRng(seed);
  const pick = new Set<number>();
  while (pick.size < size) pick.add(rng.int(n));
  const Xs = new Float32Array(size * d);
  const Ys = new Float32Array(size * 2);
  [...pick].forEach((i, r) => {
    Xs.set(X.subarray(i * d, (i + 1) * d), r * d);
    Ys.set(Y.subarray(2 * i, 2 * i + 2), 2 * r);
  });
  return { Xs, Ys };
}
