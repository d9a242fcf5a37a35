import { easeCubicInOut, timer } from 'd3';
import type { ViewHandle } from './dom.ts';
import { finiteExtent } from './domain.ts';
import { type ScatterData, type ScatterOptions, type ScatterView, scatter } from './scatter.ts';

/** A 2-D embedding (PCA / t-SNE / UMAP output from the worker), coloured by class. */
export interface EmbeddingData {
  x: Float32Array;
  y: Float32Array;
  /** Class code per row (Uint32Array) or a continuous value (Float32Array, e.g. the target). */
  color?: ScatterData['color'];
  classes?: string[];
  selected?: Uint8Array | null;
  /** Axis titles, e.g. "PC1" / "PC2"; t-SNE and UMAP axes have no units, so none by default. */
  labels?: { x?: string; y?: string; color?: string };
}

export interface EmbeddingOptions extends ScatterOptions {
  /** Length of the move to new positions, ms (0: jump). Default 400. */
  duration?: number;
}

export interface EmbeddingUpdate {
  /** New positions (both, same rows): animated like `moveTo`. */
  x?: Float32Array;
  y?: Float32Array;
  selected?: Uint8Array | null;
}

export interface EmbeddingView extends ViewHandle<HTMLDivElement, EmbeddingUpdate> {
  readonly scatter: ScatterView;
  /**
   * Moves points to new positions (same rows), animated; resolves when the move ends. A newer call
   * interrupts the running one and starts from where the points are.
   */
  moveTo(x: Float32Array, y: Float32Array): Promise<void>;
}

/**
 * Scatter specialised for embeddings: animated updates in a frame fitted to the first layout, which
 * grows when the points would leave it (a UMAP starts in a [0, 10] box and spreads beyond it) and
 * shrinks once they fill less than 40% of it on both axes (an optimising t-SNE starts tiny).
 */
export function embedding(data: EmbeddingData, options: EmbeddingOptions = {}): EmbeddingView {
  const view = scatter(
    {
      x: data.x,
      y: data.y,
      ...(data.color ? { color: data.color } : {}),
      ...(data.classes ? { categories: data.classes } : {}),
      selected: data.selected ?? null,
      labels: data.labels ?? {},
    },
    { source: 'embedding', ...options },
  );
  const duration = options.duration ?? 400;
  let shownX = Float32Array.from(data.x);
  let shownY = Float32Array.from(data.y);
  let running: { stop(): void; done(): void } | null = null;

  function moveTo(x: Float32Array, y: Float32Array): Promise<void> {
    if (x.length !== shownX.length || y.length !== shownY.length) {
      return Promise.reject(new Error(`embedding: ${x.length} positions for ${shownX.length} rows`));
    }
    running?.stop();
    running?.done();
    const [tx0, tx1] = finiteExtent(x);
    const [ty0, ty1] = finiteExtent(y);
    const frame = view.frame();
    if (tx0 < frame.x[0] || tx1 > frame.x[1] || ty0 < frame.y[0] || ty1 > frame.y[1]) {
      // Animate inside a frame holding both where the points are and where they go.
      const [sx0, sx1] = finiteExtent(shownX);
      const [sy0, sy1] = finiteExtent(shownY);
      view.update({
        frame: { x: [Math.min(sx0, tx0), Math.max(sx1, tx1)], y: [Math.min(sy0, ty0), Math.max(sy1, ty1)] },
      });
    }
    const fromX = shownX;
    const fromY = shownY;
    const curX = new Float32Array(x.length);
    const curY = new Float32Array(y.length);
    return new Promise<void>((resolve) => {
      const finish = () => {
        shownX = Float32Array.from(x);
        shownY = Float32Array.from(y);
        const now = view.frame();
        const small = tx1 - tx0 < 0.4 * (now.x[1] - now.x[0]) && ty1 - ty0 < 0.4 * (now.y[1] - now.y[0]);
        view.update({ x: shownX, y: shownY, ...(small ? { frame: { x: [tx0, tx1], y: [ty0, ty1] } } : {}) });
        view.render();
        running = null;
        resolve();
      };
      if (duration <= 0) {
        finish();
        return;
      }
      const t = timer((elapsed) => {
        const e = easeCubicInOut(Math.min(1, elapsed / duration));
        for (let i = 0; i < x.length; i++) {
          curX[i] = fromX[i]! + (x[i]! - fromX[i]!) * e;
          curY[i] = fromY[i]! + (y[i]! - fromY[i]!) * e;
        }
        shownX = curX;
        shownY = curY;
        view.update({ x: curX, y: curY });
        if (elapsed >= duration) {
          t.stop();
          finish();
        }
      });
      running = { stop: () => t.stop(), done: resolve };
    });
  }

  return {
    node: view.node,
    scatter: view,
    moveTo,
    update(change) {
      if (change.selected !== undefined) view.update({ selected: change.selected });
      if (change.x && change.y) {
        if (change.x.length !== shownX.length || change.y.length !== shownY.length) {
          throw new Error(`embedding: ${change.x.length} positions for ${shownX.length} rows`);
        }
        void moveTo(change.x, change.y);
      }
    },
    destroy() {
      running?.stop();
      view.destroy();
    },
  };
}
