/** OutlierClipper / OutlierFilter: the bounds of each method on small data worked out by hand. */
import { describe, expect, it } from 'vitest';
import { getStep } from '../../src/pipeline/registry';
import { col, fitTransform, snapshot, table } from './helpers';

// 1..10 and one far value; Q1 = 3.5, Q3 = 8.5 (numpy linear) over the 11 values 1..10, 100.
const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100];
const frame = table(col('v', 'float', [...values, null]), col('w', 'integer', [...values.map(() => 5), 5]));

describe('outlier bounds', () => {
  it("iqr (default, k = 1.5): Tukey's fences", async () => {
    const { state, output } = await fitTransform(getStep('OutlierClipper')!, frame);
    const s = state as { lower: number[]; upper: number[]; threshold: number };
    expect(s.threshold).toBe(1.5);
    expect(s.lower[0]).toBeCloseTo(3.5 - 1.5 * 5, 12);
    expect(s.upper[0]).toBeCloseTo(8.5 + 1.5 * 5, 12);
    const v = snapshot(output)['v:float']!;
    expect(v.slice(0, 10)).toEqual(values.slice(0, 10));
    expect(v[10]).toBeCloseTo(16, 12);
    expect(v[11]).toBeNaN(); // missing stays missing
  });

  it('zscore (t = 3) uses the population standard deviation', async () => {
    const { state } = await fitTransform(getStep('OutlierClipper')!, frame, { method: 'zscore' });
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    const s = state as { lower: number[]; upper: number[] };
    expect(s.upper[0]).toBeCloseTo(mean + 3 * sd, 10);
    expect(s.lower[0]).toBeCloseTo(mean - 3 * sd, 10);
  });

  it('mad (t = 3.5): median ± 3.5·MAD/0.6745, and the mean deviation when MAD is 0', async () => {
    const { state } = await fitTransform(getStep('OutlierClipper')!, frame, { method: 'mad' });
    const s = state as { lower: number[]; upper: number[] };
    // median 6, absolute deviations 5,4,3,2,1,0,1,2,3,4,94 → MAD 3.
    expect(s.upper[0]).toBeCloseTo(6 + (3.5 * 3) / 0.6745, 10);
    expect(s.lower[0]).toBeCloseTo(6 - (3.5 * 3) / 0.6745, 10);
    // w is constant: MAD 0 and mean deviation 0, so the bounds collapse on the value and keep it.
    expect([s.lower[1], s.upper[1]]).toEqual([5, 5]);
  });

  it('OutlierFilter drops rows with an outlier in any column and keeps missing values', async () => {
    const { output } = await fitTransform(getStep('OutlierFilter')!, frame, { method: 'iqr', threshold: 1 });
    const v = snapshot(output)['v:float']!;
    expect(v).toHaveLength(11);
    expect(v.slice(0, 10)).toEqual(values.slice(0, 10));
    expect(v[10]).toBeNaN();
  });

  it('refuses text columns by name', async () => {
    const t = table(col('name', 'text', ['a', 'b']));
    await expect(fitTransform(getStep('OutlierFilter')!, t, { columns: ['name'] })).rejects.toThrow(
      /"name" \(type text\)/,
    );
  });
});
