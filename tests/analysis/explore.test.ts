/** The Explore computations on their own: mutual information against sklearn, edge cases of bins,
 * ranks and masks, and the 2-D neighbour accuracy. */
import { describe, expect, it } from 'vitest';
import { correlationMatrix } from '../../src/analysis/explore/correlation';
import { discretise, knnAccuracy2d, mutualInformation } from '../../src/analysis/explore/insights';
import { rangeMask } from '../../src/analysis/explore/selection';
import { binEdges, histogramCounts } from '../../src/analysis/explore/summary';
import { createNodeEngine } from '../../workers/engine.node';
import fixture from './explore-mi.fixture.json';

describe('explore computations', () => {
  it('mutual information of binned columns with the target equals sklearn mutual_info_score', async () => {
    const engine = createNodeEngine();
    for (const [name, ref] of Object.entries(fixture.datasets)) {
      const info = await engine.loadSample(name);
      const table = engine.table(info.id);
      const t = discretise(table, ref.target, null);
      for (const [column, expected] of Object.entries(ref.mi)) {
        const mi = mutualInformation(t, discretise(table, column, null, fixture.bins));
        expect(mi, `${name} ${column}`).toBeCloseTo(expected, 12);
      }
    }
  });

  it('bins on [min, max] with the maximum in the last bin, and ranges that reach it include it', () => {
    const v = Float64Array.of(0, 0.1, 0.2, 0.3, 0.7, 1, Number.NaN);
    const edges = binEdges(v, 10);
    expect(edges[10]).toBe(1);
    const { counts, missing } = histogramCounts(v, edges, null);
    // 0.3 is exactly the 4th edge in decimal but 0.30000000000000004 in binary edges: counted by edges.
    expect(Array.from(counts)).toEqual(
      Array.from(
        { length: 10 },
        (_, b) =>
          [0, 0.1, 0.2, 0.3, 0.7, 1].filter((x) => x >= edges[b]! && (b === 9 ? x <= 1 : x < edges[b + 1]!))
            .length,
      ),
    );
    expect(missing).toBe(1);
    const mask = new Uint8Array(7).fill(1);
    rangeMask(v, 0.7, 1, mask);
    expect(Array.from(mask)).toEqual([0, 0, 0, 0, 1, 1, 0]);
    const open = new Uint8Array(7).fill(1);
    rangeMask(v, 0.1, 0.7, open);
    expect(Array.from(open)).toEqual([0, 1, 1, 1, 0, 0, 0]);
  });

  it('samples rows evenly above the row cap and says so', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadSample('wine');
    const c = correlationMatrix(engine.table(info.id), { maxRows: 50 });
    expect(c.rowsUsed).toBe(50);
    expect(c.totalRows).toBe(178);
  });

  it('scores separable classes near 1 and mixed ones near chance', () => {
    const n = 400;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    const classes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      classes[i] = i % 2;
      x[i] = (i % 2) * 10 + ((i * 7919) % 97) / 97;
      y[i] = ((i * 104729) % 89) / 89;
    }
    expect(knnAccuracy2d(x, y, classes).accuracy).toBe(1);
    const mixed = Float32Array.from(x, (v) => v % 10);
    const r = knnAccuracy2d(mixed, y, classes);
    expect(r.chance).toBe(0.5);
    expect(r.accuracy).toBeLessThan(0.7);
  });
});
