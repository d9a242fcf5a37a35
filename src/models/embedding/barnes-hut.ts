/**
 * Barnes–Hut approximation of t-SNE's repulsion (van der Maaten 2014), as scikit-learn 1.2 builds
 * it (sklearn/neighbors/_quad_tree.pyx, sklearn/manifold/_barnes_hut_tsne.pyx): a quadtree over the
 * current positions, rebuilt every iteration; for each point the tree is walked from the root and
 * a cell stands in for all its points (at their barycentre, weighted by their count) when
 *
 *   max_width(cell)² / ‖yᵢ − barycentre‖² < angle²,
 *
 * otherwise its children are visited. Leaves holding the point itself (or its duplicates, within
 * 1e-6 in each coordinate) are skipped, as in sklearn. O(n log n) per iteration instead of n²/2
 * pair evaluations; angle 0 visits every leaf (the exact sums, up to duplicates).
 *
 * Unlike sklearn we compute in float64 and walk the tree with an explicit stack (children in the
 * same order), so the sums agree with sklearn's to float32 rounding, not bit for bit.
 */
import type { Repulsion } from '../../gpu/kernels/tsne/tsne.ref';

/** Points closer than this in every coordinate are duplicates (sklearn's EPSILON). */
const DUPLICATE = 1e-6;

/** An array-backed quadtree with sklearn's insertion rules; the arrays are reused between builds. */
export class QuadTree {
  /** Cells in use. */
  count = 0;
  private capacity = 0;
  /** Four child ids per cell, -1 where there is none. */
  child = new Int32Array(0);
  leaf = new Uint8Array(0);
  /** Points in the cell's subtree (duplicates included). */
  size = new Float64Array(0);
  baryX = new Float64Array(0);
  baryY = new Float64Array(0);
  private minX = new Float64Array(0);
  private maxX = new Float64Array(0);
  private minY = new Float64Array(0);
  private maxY = new Float64Array(0);
  /** The largest squared side of the cell. */
  squaredWidth = new Float64Array(0);

  build(Y: Float64Array, n: number): void {
    this.count = 0;
    if (this.capacity < 2 * n + 16) this.grow(2 * n + 16);
    let loX = Number.POSITIVE_INFINITY;
    let loY = Number.POSITIVE_INFINITY;
    let hiX = Number.NEGATIVE_INFINITY;
    let hiY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x = Y[2 * i]!;
      const y = Y[2 * i + 1]!;
      if (x < loX) loX = x;
      if (x > hiX) hiX = x;
      if (y < loY) loY = y;
      if (y > hiY) hiY = y;
    }
    // sklearn: stretch the maximum so every point lies strictly inside the root.
    const stretch = (m: number) => Math.max(m * (1 + 1e-3 * Math.sign(m)), m + 1e-3);
    this.newCell(loX, stretch(hiX), loY, stretch(hiY));
    for (let i = 0; i < n; i++) this.insert(Y[2 * i]!, Y[2 * i + 1]!);
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
      per = 1,
    ) => {
      const b = make(capacity * per);
      b.set(a.subarray(0, this.count * per));
      return b;
    };
    this.child = copy(this.child, (m) => new Int32Array(m), 4);
    this.leaf = copy(this.leaf, (m) => new Uint8Array(m));
    this.size = copy(this.size, (m) => new Float64Array(m));
    this.baryX = copy(this.baryX, (m) => new Float64Array(m));
    this.baryY = copy(this.baryY, (m) => new Float64Array(m));
    this.minX = copy(this.minX, (m) => new Float64Array(m));
    this.maxX = copy(this.maxX, (m) => new Float64Array(m));
    this.minY = copy(this.minY, (m) => new Float64Array(m));
    this.maxY = copy(this.maxY, (m) => new Float64Array(m));
    this.squaredWidth = copy(this.squaredWidth, (m) => new Float64Array(m));
    this.capacity = capacity;
  }

  private newCell(loX: number, hiX: number, loY: number, hiY: number): number {
    if (this.count === this.capacity) this.grow(2 * this.capacity);
    const c = this.count++;
    this.child.fill(-1, 4 * c, 4 * c + 4);
    this.leaf[c] = 1;
    this.size[c] = 0;
    this.minX[c] = loX;
    this.maxX[c] = hiX;
    this.minY[c] = loY;
    this.maxY[c] = hiY;
    this.squaredWidth[c] = Math.max((hiX - loX) ** 2, (hiY - loY) ** 2);
    return c;
  }

  /** A new child of `cell` holding `size` points at (x, y); the cell becomes internal. */
  private newChild(cell: number, x: number, y: number, size: number): void {
    const cx = (this.minX[cell]! + this.maxX[cell]!) / 2;
    const cy = (this.minY[cell]! + this.maxY[cell]!) / 2;
    const right = x >= cx;
    const up = y >= cy;
    const c = this.newCell(
      right ? cx : this.minX[cell]!,
      right ? this.maxX[cell]! : cx,
      up ? cy : this.minY[cell]!,
      up ? this.maxY[cell]! : cy,
    );
    this.baryX[c] = x;
    this.baryY[c] = y;
    this.size[c] = size;
    this.leaf[cell] = 0;
    this.child[4 * cell + (right ? 2 : 0) + (up ? 1 : 0)] = c;
  }

  private insert(x: number, y: number): void {
    let cell = 0;
    for (;;) {
      const m = this.size[cell]!;
      if (m === 0) {
        this.size[cell] = 1;
        this.baryX[cell] = x;
        this.baryY[cell] = y;
        return;
      }
      if (!this.leaf[cell]) {
        this.baryX[cell] = (m * this.baryX[cell]! + x) / (m + 1);
        this.baryY[cell] = (m * this.baryY[cell]! + y) / (m + 1);
        this.size[cell] = m + 1;
        const cx = (this.minX[cell]! + this.maxX[cell]!) / 2;
        const cy = (this.minY[cell]! + this.maxY[cell]!) / 2;
        const next = this.child[4 * cell + (x >= cx ? 2 : 0) + (y >= cy ? 1 : 0)]!;
        if (next < 0) {
          this.newChild(cell, x, y, 1);
          return;
        }
        cell = next;
        continue;
      }
      if (Math.abs(x - this.baryX[cell]!) <= DUPLICATE && Math.abs(y - this.baryY[cell]!) <= DUPLICATE) {
        this.size[cell] = m + 1;
        return;
      }
      // A leaf with other point(s): move them into a child, then insert again into the now
      // internal cell.
      this.newChild(cell, this.baryX[cell]!, this.baryY[cell]!, m);
    }
  }
}

/**
 * The tree in depth-first order (children in sklearn's order) with, per cell, the index just past
 * its subtree: a walk is then one forward scan that either summarises a cell and jumps past it or
 * steps into it — no stack, and memory read in order.
 */
class FlatTree {
  count = 0;
  /** Per cell: barycentre x, y, point count, squared width — one cache line per cell. */
  cell = new Float64Array(0);
  /** First cell after this one's subtree; a leaf's is its own index + 1. */
  skip = new Int32Array(0);
  private stack = new Int32Array(64);

  from(tree: QuadTree): void {
    if (this.skip.length < tree.count) {
      const m = tree.count * 2;
      this.cell = new Float64Array(4 * m);
      this.skip = new Int32Array(m);
    }
    // Preorder numbering; a cell's skip is set once its subtree is numbered (second visit).
    let next = 0;
    let top = 0;
    const push = (v: number) => {
      if (top === this.stack.length) {
        const bigger = new Int32Array(2 * top);
        bigger.set(this.stack);
        this.stack = bigger;
      }
      this.stack[top++] = v;
    };
    push(0);
    while (top > 0) {
      const v = this.stack[--top]!;
      if (v < 0) {
        this.skip[-v - 1] = next;
        continue;
      }
      const at = next++;
      this.cell[4 * at] = tree.baryX[v]!;
      this.cell[4 * at + 1] = tree.baryY[v]!;
      this.cell[4 * at + 2] = tree.size[v]!;
      this.cell[4 * at + 3] = tree.squaredWidth[v]!;
      this.skip[at] = at + 1;
      if (tree.leaf[v]) continue;
      push(-at - 1);
      for (let s = 3; s >= 0; s--) {
        const k = tree.child[4 * v + s]!;
        if (k >= 0) push(k);
      }
    }
    this.count = next;
  }
}

/**
 * Barnes–Hut repulsion with sklearn's `angle` (0.5 by default; 0 is exact). Keeps its trees
 * between calls, so one instance serves a whole run.
 */
export function barnesHutRepulsion(angle = 0.5): Repulsion {
  const tree = new QuadTree();
  const flat = new FlatTree();
  const theta2 = angle * angle;
  return (Y, n, force) => {
    tree.build(Y, n);
    flat.from(tree);
    const { cell, skip, count } = flat;
    let Z = 0;
    const order = spatialOrder(Y, n);
    for (let r = 0; r < n; r++) {
      const i = order ? order[r]! : r;
      const px = Y[2 * i]!;
      const py = Y[2 * i + 1]!;
      let fx = 0;
      let fy = 0;
      let z = 0;
      let c = 0;
      while (c < count) {
        const dx = px - cell[4 * c]!;
        const dy = py - cell[4 * c + 1]!;
        const d2 = dx * dx + dy * dy;
        const after = skip[c]!;
        if (after === c + 1) {
          // A leaf: itself (or its duplicates) is skipped, as in sklearn.
          if (Math.abs(dx) <= DUPLICATE && Math.abs(dy) <= DUPLICATE) {
            c = after;
            continue;
          }
        } else if (!(cell[4 * c + 3]! < theta2 * d2)) {
          c++; // into the first child
          continue;
        }
        const q = 1 / (1 + d2);
        const mq = cell[4 * c + 2]! * q;
        z += mq;
        fx += mq * q * dx;
        fy += mq * q * dy;
        c = after;
      }
      force[2 * i] = fx;
      force[2 * i + 1] = fy;
      Z += z;
    }
    return Z;
  };
}

let orderKeys = new Float64Array(0);

/**
 * Points along a Z-order curve (16 bits per axis over their bounding box), so that consecutive
 * walks visit mostly the same cells (a quarter less time at 70k points). null above 2²¹ points,
 * where the index no longer fits beside the code in a float64.
 */
function spatialOrder(Y: Float64Array, n: number): Uint32Array | null {
  if (n >= 2 ** 21) return null;
  let loX = Number.POSITIVE_INFINITY;
  let loY = Number.POSITIVE_INFINITY;
  let hiX = Number.NEGATIVE_INFINITY;
  let hiY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    loX = Math.min(loX, Y[2 * i]!);
    hiX = Math.max(hiX, Y[2 * i]!);
    loY = Math.min(loY, Y[2 * i + 1]!);
    hiY = Math.max(hiY, Y[2 * i + 1]!);
  }
  const sx = 65535 / Math.max(hiX - loX, Number.MIN_VALUE);
  const sy = 65535 / Math.max(hiY - loY, Number.MIN_VALUE);
  if (orderKeys.length < n) orderKeys = new Float64Array(n);
  const keys = orderKeys.subarray(0, n);
  for (let i = 0; i < n; i++) {
    const x = spread16(((Y[2 * i]! - loX) * sx) & 0xffff);
    const y = spread16(((Y[2 * i + 1]! - loY) * sy) & 0xffff);
    keys[i] = ((x | (y << 1)) >>> 0) * 2097152 + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) order[r] = keys[r]! % 2097152;
  return order;
}

/** The bits of a 16-bit integer spread to the even positions of 32. */
function spread16(v: number): number {
  let x = v;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}
