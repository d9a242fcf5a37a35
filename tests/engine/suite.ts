/**
 * The engine contract, as one suite that runs in-process (engine.test.ts, Node, CPU kernels)
 * and through the worker (engine.browser.test.ts, Chromium, WebGPU kernels).
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { emptyNotebook, type ParamValue } from '../../src/spec/notebook';
import iris from '../fixtures/sklearn/iris.json';
import irisMissing from '../fixtures/sklearn/iris_missing.json';
import type { TestClient } from '../support/engine-harness';

const enc = new TextEncoder();

async function expectEngineError(p: Promise<unknown>, name: string): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).name).toBe(name);
    return e as EngineError;
  }
  throw new Error(`expected ${name}, but the call succeeded`);
}

export function engineSuite(
  label: string,
  makeClient: () => TestClient,
  opts: { kernels: 'webgpu' | 'cpu' },
) {
  // Generous timeouts: CI machines are shared, and these are correctness tests, not timings.
  describe(`engine (${label})`, { timeout: 60_000 }, () => {
    it(`reports its backend: kernels on ${opts.kernels}`, async () => {
      const { api } = makeClient();
      const info = await api.backendInfo();
      expect(info.kernels).toBe(opts.kernels);
      if (opts.kernels === 'webgpu') expect(info.adapter).not.toBeNull();
      else expect(info.fallbacks.length).toBeGreaterThan(0);
    });

    it('lists the built-in samples and loads iris with inferred types', async () => {
      const client = makeClient();
      const samples = await client.api.samples();
      expect(samples.map((s) => s.name)).toEqual(
        expect.arrayContaining(['iris', 'wine', 'breast_cancer', 'diabetes', 'digits']),
      );
      const info = await client.api.loadSample('iris');
      expect(info.rows).toBe(150);
      expect(info.columns.map((c) => c.name)).toEqual([...Object.keys(iris.stats), 'target']);
      expect(info.columns).toHaveLength(iris.columns);
      expect(info.columns.find((c) => c.name === 'sepal length (cm)')?.type).toBe('float');
      expect(info.columns.find((c) => c.name === 'target')?.type).toBe('categorical');
      expect(info.memoryBytes).toBeGreaterThan(150 * 4 * 8);
      const window = await client.rows(info.id, 10, 15);
      expect(window.numRows).toBe(5);
      expect(window.getChild('target')?.get(0)).toBe('setosa');
      expect(window.getChild('target')?.get(4)).toBe('setosa');
      // rows clamp to the table instead of failing on a window past the end
      expect((await client.rows(info.id, 148, 500)).numRows).toBe(2);
    });

    it('computes column statistics that match numpy on the sample', async () => {
      const client = makeClient();
      for (const fixture of [iris, irisMissing]) {
        const info = await client.api.loadSample(fixture.name);
        const stats = await client.api.columnStats(info.id);
        for (const s of stats) {
          const ref = (
            fixture.stats as Record<
              string,
              { mean?: number; std?: number; min?: number; max?: number; count?: number; missing?: number }
            >
          )[s.name];
          if (s.mean === null) continue;
          expect(ref?.mean, s.name).toBeDefined();
          if (ref?.mean === undefined) continue;
          // WebGPU computes in f32: 1e-5 relative is the kernel's stated tolerance.
          expect(s.mean).toBeCloseTo(ref.mean, 4);
          expect(Math.abs(s.mean - ref.mean) / Math.abs(ref.mean)).toBeLessThan(1e-5);
          const popVariance = (s.variance! * (s.count - 1)) / s.count;
          expect(Math.abs(Math.sqrt(popVariance) - ref.std!) / ref.std!).toBeLessThan(1e-4);
          expect(s.min).toBeCloseTo(ref.min!, 5);
          expect(s.max).toBeCloseTo(ref.max!, 5);
          expect(s.count).toBe(ref.count);
          expect(s.missing).toBe(ref.missing);
        }
      }
    });

    it('loads a CSV from bytes and a Blob, and re-types a column on request', async () => {
      const client = makeClient();
      const csv =
        'id,score,when,label\n1,0.5,2024-01-02,a\n2,,2024-02-03,b\n3,2.25,2024-03-04,a\n4,1,2024-04-05,b\n';
      const info = await client.api.loadBytes(enc.encode(csv), 'small.csv');
      expect(info.columns.map((c) => c.type)).toEqual([
        'integer',
        'float',
        'date',
        expect.stringMatching(/categorical|text/),
      ]);
      expect(info.columns[1]?.missing).toBe(1);
      const fromBlob = await client.api.loadFile(new Blob([csv]), 'blob.csv');
      expect(fromBlob.rows).toBe(4);
      const retyped = await client.api.setColumnType(info.id, 'id', 'text');
      expect(retyped.columns[0]?.type).toBe('text');
      expect(retyped.columns[0]?.inferredType).toBe('integer');
      const rows = await client.rows(info.id, 0, 4);
      expect(rows.getChild('id')?.get(2)).toBe('3');
    });

    it('rejects bad input with a named error and keeps what was loaded', async () => {
      const client = makeClient();
      const good = await client.api.loadSample('iris');
      const quote = await expectEngineError(
        client.api.loadBytes(enc.encode('a,b\n1,2\n3,"4\n5,6\n'), 'broken.csv'),
        'ParseError',
      );
      expect(quote.message).toContain('broken.csv');
      expect(quote.detail.line).toBe(3);
      await expectEngineError(client.api.loadBytes(new Uint8Array(0), 'empty.csv'), 'EmptyFile');
      await expectEngineError(client.api.loadFile(new Blob([]), 'empty.csv'), 'EmptyFile');
      const png = new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0,
        1, 0, 8, 6, 0, 0, 0,
      ]);
      const bin = await client.api.loadBytes(png, 'picture.csv').then(
        () => null,
        (e: unknown) => e as EngineError,
      );
      expect(bin).toBeInstanceOf(EngineError);
      expect(['UnsupportedFormat', 'ParseError', 'EncodingError']).toContain(bin?.name);
      expect(bin?.message).toContain('picture.csv');
      await expectEngineError(client.api.loadSample('no-such-sample'), 'NotFound');
      await expectEngineError(client.api.loadUrl('ftp://example.invalid/x.csv'), 'InvalidArgument');
      // the dataset loaded before is intact
      const all = await client.api.datasets();
      expect(all.some((d) => d.id === good.id && d.rows === 150)).toBe(true);
      expect((await client.rows(good.id, 0, 150)).numRows).toBe(150);
    });

    it('reports progress and can cancel a long job', async () => {
      const client = makeClient();
      const phases: string[] = [];
      const done = await client.start(
        (job) => client.api.generateSynthetic({ rows: 20_000, seed: 7 }, job),
        (p) => phases.push(p.phase),
      ).promise;
      expect(done.rows).toBe(20_000);
      const before = (await client.api.datasets()).length;
      const job = client.start((j) => client.api.generateSynthetic({ rows: 5_000_000, seed: 1 }, j));
      setTimeout(() => job.cancel(), 50);
      await expectEngineError(job.promise, 'Cancelled');
      expect((await client.api.datasets()).length).toBe(before);
      await expectEngineError(client.api.generateSynthetic({ rows: -5, seed: 1 }), 'InvalidArgument');
    });
  });
}

export function notebookSuite(label: string, makeClient: () => TestClient) {
  describe(`notebook runs (${label})`, { timeout: 60_000 }, () => {
    const step = (id: string, name: string, params: Record<string, ParamValue> = {}, columns?: string[]) => ({
      id,
      step: name,
      params,
      enabled: true,
      ...(columns ? { columns } : {}),
    });

    it('lists the registered steps with sklearn defaults', async () => {
      const { api } = makeClient();
      const catalog = await api.stepCatalog();
      const scaler = catalog.find((s) => s.name === 'StandardScaler');
      expect(scaler?.params.with_mean).toMatchObject({ type: 'boolean', default: true });
      const imputer = catalog.find((s) => s.name === 'SimpleImputer');
      expect(imputer?.params.strategy).toMatchObject({ type: 'enum', default: 'mean' });
    });

    it('imputes and scales, leaves the target alone, reports diffs, and re-runs only what changed', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris_missing');
      const nb = {
        ...emptyNotebook(),
        seed: 3,
        target: 'target',
        steps: [
          step('s1', 'SimpleImputer', { strategy: 'median' }, [
            'sepal length (cm)',
            'sepal width (cm)',
            'petal length (cm)',
            'petal width (cm)',
          ]),
          step('s2', 'StandardScaler'),
        ],
      };
      const first = await client.api.runNotebook(ds.id, nb);
      expect(first.steps.map((s) => s.status)).toEqual(['ok', 'ok']);
      const imputed = first.steps[0]!.diff!;
      expect(imputed.missingBefore).toBeGreaterThan(0);
      expect(imputed.missingAfter).toBeLessThan(imputed.missingBefore);
      expect(first.output.rows).toBe(150);
      const out = await client.rows(first.output.id, 0, 150);
      const sepal = out.getChild('sepal length (cm)')!.toArray() as Float64Array;
      const mean = sepal.reduce((a, b) => a + b, 0) / sepal.length;
      expect(Math.abs(mean)).toBeLessThan(1e-9);
      expect(out.getChild('target')?.get(0)).toBe('setosa');

      const again = await client.api.runNotebook(ds.id, nb);
      expect(again.steps.map((s) => s.status)).toEqual(['cached', 'cached']);
      const edited = { ...nb, steps: [nb.steps[0]!, step('s2', 'StandardScaler', { with_mean: false })] };
      const third = await client.api.runNotebook(ds.id, edited);
      expect(third.steps.map((s) => s.status)).toEqual(['cached', 'ok']);
    });

    it('reports a step that cannot run on its columns and keeps running the rest', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris');
      const nb = {
        ...emptyNotebook(),
        steps: [step('bad', 'StandardScaler', {}, ['target']), step('ok', 'MinMaxScaler')],
      };
      const result = await client.api.runNotebook(ds.id, nb);
      expect(result.steps[0]?.status).toBe('error');
      expect(result.steps[0]?.error?.name).toBe('SchemaError');
      expect(result.steps[0]?.error?.message).toContain('target');
      expect(result.steps[1]?.status).toBe('ok');
      const out = await client.rows(result.output.id, 0, 150);
      const x = out.getChild('petal width (cm)')!.toArray() as Float64Array;
      expect(Math.min(...x)).toBe(0);
      expect(Math.max(...x)).toBe(1);
    });
  });
}

export function exportSuite(label: string, makeClient: () => TestClient) {
  describe(`export (${label})`, { timeout: 60_000 }, () => {
    it('writes CSV, Arrow and Parquet that read back to the same table', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris_missing');
      const original = await client.rows(ds.id, 0, ds.rows);
      for (const format of ['csv', 'arrow', 'parquet'] as const) {
        const bytes = await client.api.exportDataset(ds.id, format);
        const back = await client.api.loadBytes(bytes, `roundtrip.${format === 'arrow' ? 'arrow' : format}`);
        expect(back.rows, format).toBe(ds.rows);
        expect(back.columns.map((c) => [c.name, c.type, c.missing])).toEqual(
          ds.columns.map((c) => [c.name, c.type, c.missing]),
        );
        const table = await client.rows(back.id, 0, back.rows);
        for (const f of original.schema.fields) {
          const a = original.getChild(f.name)!;
          const b = table.getChild(f.name)!;
          for (const i of [0, 7, 42, 149]) expect(b.get(i), `${format} ${f.name}[${i}]`).toEqual(a.get(i));
        }
      }
    });
  });
}

export function profileSuite(label: string, makeClient: () => TestClient) {
  describe(`profile and quality (${label})`, { timeout: 120_000 }, () => {
    it('profiles every column of a sample like numpy does', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris_missing');
      const profiles = await client.api.profile(ds.id);
      expect(profiles.map((p) => p.name)).toEqual(ds.columns.map((c) => c.name));
      const stats = irisMissing.stats as Record<
        string,
        { median: number; q25: number; q75: number; missing: number }
      >;
      for (const p of profiles) {
        const ref = stats[p.name];
        if (!p.numeric || !ref) continue;
        expect(p.missing).toBe(ref.missing);
        expect(p.numeric.median).toBeCloseTo(ref.median, 9);
        expect(p.numeric.q25).toBeCloseTo(ref.q25, 9);
        expect(p.numeric.q75).toBeCloseTo(ref.q75, 9);
        expect(p.numeric.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(p.count);
      }
      const target = profiles.find((p) => p.name === 'target');
      expect(target?.categories?.top.map((t) => t.count)).toEqual([50, 50, 50]);
    });

    it('reports missing values with a fix step, and checks the target once chosen', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris_missing');
      const warnings = await client.api.qualityReport(ds.id, { target: 'target' });
      const missing = warnings.filter((w) => w.kind === 'missing');
      expect(missing.length).toBeGreaterThan(0);
      for (const w of missing) expect(w.message.length).toBeGreaterThan(10);
      const perColumn = missing.filter((w) => w.columns.length === 1 && w.fix);
      expect(perColumn.map((w) => w.columns[0])).toEqual(
        expect.arrayContaining(['sepal length (cm)', 'petal width (cm)']),
      );
      expect(perColumn[0]?.fix?.step.step).toBe('SimpleImputer');
      await expect(client.api.qualityReport(ds.id, { target: 'nope' })).rejects.toMatchObject({
        name: 'NotFound',
      });
    });
  });
}

export function exploreSuite(label: string, makeClient: () => TestClient) {
  describe(`explore (${label})`, { timeout: 120_000 }, () => {
    const numbers = (t: Awaited<ReturnType<TestClient['rows']>>, name: string) =>
      Array.from({ length: t.numRows }, (_, i) => {
        const v = t.getChild(name)!.get(i) as number | null;
        return v === null || Number.isNaN(v) ? Number.NaN : Number(v);
      });
    const PL = 'petal length (cm)';
    const SL = 'sepal length (cm)';
    const SW = 'sepal width (cm)';

    it('bins a column like a plain loop and counts the selection (range AND categories) in every view', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris');
      const t = await client.rows(ds.id, 0, ds.rows);
      const pl = numbers(t, PL);
      const target = Array.from({ length: 150 }, (_, i) => String(t.getChild('target')!.get(i)));
      const summary = await client.api.columnSummary(ds.id, PL, { bins: 12 });
      if (summary.kind !== 'numeric') throw new Error('petal length should be numeric');
      const lo = Math.min(...pl);
      const hi = Math.max(...pl);
      expect(summary.edges[0]).toBe(lo);
      expect(summary.edges[12]).toBe(hi);
      const expected = new Array(12).fill(0);
      for (const v of pl) {
        let b = 0;
        while (b < 11 && v >= summary.edges[b + 1]!) b++;
        expected[b]++;
      }
      expect(Array.from(summary.counts)).toEqual(expected);
      expect(summary.selectedCounts).toBeUndefined();

      const range: [number, number] = [3, 5.1];
      const state = await client.api.setSelection(ds.id, [
        { kind: 'range', column: PL, range },
        { kind: 'categories', column: 'target', categories: ['versicolor', 'virginica'] },
      ]);
      const inSel = pl.map((v, i) => v >= range[0] && v < range[1] && target[i] !== 'setosa');
      const count = inSel.filter(Boolean).length;
      expect(count).toBeGreaterThan(20);
      expect(state.count).toBe(count);
      expect(Array.from(state.mask!)).toEqual(inSel.map(Number));
      expect(state.expression).toBe(
        '`petal length (cm)` >= 3 and `petal length (cm)` < 5.1 and (target == "versicolor" or target == "virginica")',
      );
      const ids = await client.api.selectedRows(ds.id, 0, 1000);
      expect(Array.from(ids)).toEqual(inSel.flatMap((s, i) => (s ? [i] : [])));
      const sw = await client.api.columnSummary(ds.id, SW);
      if (sw.kind !== 'numeric') throw new Error('sepal width should be numeric');
      expect(Array.from(sw.selectedCounts!).reduce((a, b) => a + b, 0)).toBe(count);
      const bars = await client.api.columnSummary(ds.id, 'target');
      if (bars.kind !== 'categorical') throw new Error('target should be categorical');
      expect(bars.labels).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(bars.counts).toEqual([50, 50, 50]);
      expect(bars.selectedCounts).toEqual(
        ['setosa', 'versicolor', 'virginica'].map((c) => inSel.filter((s, i) => s && target[i] === c).length),
      );
      // A range reaching the maximum includes it (the last bin is closed), and clearing works.
      const top = await client.api.setSelection(ds.id, [{ kind: 'range', column: PL, range: [6, hi] }]);
      expect(top.count).toBe(pl.filter((v) => v >= 6).length);
      const cleared = await client.api.setSelection(ds.id, null);
      expect(cleared).toMatchObject({ count: 150, mask: null, expression: null });
      const mask = new Uint8Array(150);
      mask[3] = mask[77] = 1;
      const masked = await client.api.setSelection(ds.id, [
        { kind: 'mask', mask },
        { kind: 'categories', column: 'target', categories: ['setosa'] },
      ]);
      expect(masked.count).toBe(1);
      expect(masked.expression).toBeNull();
    });

    it('computes pairwise-complete Pearson and Spearman as written out by hand', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris_missing');
      const t = await client.rows(ds.id, 0, ds.rows);
      const a = numbers(t, SL);
      const b = numbers(t, PL);
      const both = a.map((_, i) => !Number.isNaN(a[i]!) && !Number.isNaN(b[i]!));
      const xa = a.filter((_, i) => both[i]);
      const xb = b.filter((_, i) => both[i]);
      expect(xa.length).toBeLessThan(150);
      const r = (u: number[], v: number[]) => {
        const mu = u.reduce((s, x) => s + x, 0) / u.length;
        const mv = v.reduce((s, x) => s + x, 0) / v.length;
        let num = 0;
        let du = 0;
        let dv = 0;
        for (let i = 0; i < u.length; i++) {
          num += (u[i]! - mu) * (v[i]! - mv);
          du += (u[i]! - mu) ** 2;
          dv += (v[i]! - mv) ** 2;
        }
        return num / Math.sqrt(du * dv);
      };
      const ranks = (u: number[]) =>
        u.map((x) => {
          const below = u.filter((y) => y < x).length;
          const equal = u.filter((y) => y === x).length;
          return below + (equal + 1) / 2;
        });
      const pearson = await client.api.correlation(ds.id, { method: 'pearson' });
      const spearman = await client.api.correlation(ds.id, { method: 'spearman' });
      const at = (m: typeof pearson, p: string, q: string) =>
        m.values[m.labels.indexOf(p) * m.labels.length + m.labels.indexOf(q)]!;
      expect(pearson.labels).toEqual([SL, SW, PL, 'petal width (cm)', 'measured_on']);
      expect(at(pearson, SL, PL)).toBeCloseTo(r(xa, xb), 12);
      expect(at(spearman, SL, PL)).toBeCloseTo(r(ranks(xa), ranks(xb)), 12);
      expect(at(spearman, PL, SL)).toBe(at(spearman, SL, PL));
      expect(pearson.rowsUsed).toBe(150);
    });

    it('sends point data, grouped distributions and missingness', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris_missing');
      const t = await client.rows(ds.id, 0, ds.rows);
      const points = await client.api.scatterData(ds.id, { x: SL, y: PL, color: 'target', size: SW });
      expect(points.x).toBeInstanceOf(Float32Array);
      expect(Array.from(points.x)).toEqual(Array.from(Float32Array.from(numbers(t, SL))));
      expect(points.categories).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(points.color![0]).toBe(0);
      expect(points.color![149]).toBe(2);
      const grouped = await client.api.groupedDistribution(ds.id, PL, 'target');
      const pl = numbers(t, PL);
      const setosa = pl
        .filter((v, i) => t.getChild('target')!.get(i) === 'setosa' && !Number.isNaN(v))
        .sort((x, y) => x - y);
      const g = grouped.groups.find((x) => x.label === 'setosa')!;
      expect(g.n).toBe(setosa.length);
      const mid = (setosa.length - 1) / 2;
      expect(g.median).toBeCloseTo((setosa[Math.floor(mid)]! + setosa[Math.ceil(mid)]!) / 2, 12);
      expect(g.grid.length).toBe(g.density.length);
      expect(grouped.selected).toBeUndefined();
      // With a linked selection the same groups come back over the selected rows too.
      await client.api.setSelection(ds.id, [{ kind: 'range', column: PL, range: [1, 4.5] }]);
      const linked = await client.api.groupedDistribution(ds.id, PL, 'target');
      expect(linked.groups).toEqual(grouped.groups);
      expect(linked.selected!.map((x) => x.label)).toEqual(grouped.groups.map((x) => x.label));
      const inRange = (label: string) =>
        // Range selections are half-open, [lo, hi), like the histogram bins they come from.
        pl.filter((v, i) => t.getChild('target')!.get(i) === label && v >= 1 && v < 4.5).length;
      expect(linked.selected!.map((x) => x.n)).toEqual(grouped.groups.map((x) => inRange(x.label)));
      expect(linked.selected!.find((x) => x.label === 'virginica')!.n).toBe(0);
      await client.api.setSelection(ds.id, null);
      const missing = await client.api.missingness(ds.id);
      expect(missing.missingPerColumn).toEqual(ds.columns.map((c) => c.missing));
      expect(missing.patterns.reduce((s, p) => s + p.count, 0)).toBe(150);
      expect(missing.bitmap.length).toBe(150 * ds.columns.length);
    });

    it('embeds with PCA (standardised iris: 73% and 23% of the variance) and ranks insights', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris');
      const fractions: (number | null)[] = [];
      const pca = await client.start(
        (job) => client.api.embedding(ds.id, { method: 'pca', seed: 0 }, job),
        (p) => fractions.push(p.fraction),
      ).promise;
      expect(pca.x.length).toBe(150);
      expect(pca.columns).toHaveLength(4);
      // sklearn: PCA().fit(StandardScaler().fit_transform(iris)).explained_variance_ratio_
      expect(pca.explained![0]).toBeCloseTo(0.7296245, 5);
      expect(pca.explained![1]).toBeCloseTo(0.2285076, 5);
      expect(fractions.at(-1)).toBe(1);
      // UMAP on all rows: the three species stay apart (1-nearest-neighbour agreement in 2-D).
      const umap = await client.api.embedding(ds.id, { method: 'umap', seed: 1 });
      expect(umap.x.length).toBe(150);
      expect([...umap.x, ...umap.y].every(Number.isFinite)).toBe(true);
      const species = (i: number) => Math.floor(i / 50);
      let agree = 0;
      for (let i = 0; i < 150; i++) {
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        for (let j = 0; j < 150; j++) {
          const d = (umap.x[i]! - umap.x[j]!) ** 2 + (umap.y[i]! - umap.y[j]!) ** 2;
          if (j !== i && d < bestD) [best, bestD] = [j, d];
        }
        if (species(best) === species(i)) agree++;
      }
      expect(agree / 150).toBeGreaterThan(0.9);
      const insights = await client.api.insights(ds.id, { target: 'target' });
      expect(insights.length).toBeGreaterThan(3);
      const scores = insights.map((i) => i.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      const pair = insights.find((i) => i.id === `correlation:${PL}:petal width (cm)`);
      expect(pair?.text).toContain('0.96');
      expect(pair?.chart).toEqual({ kind: 'scatter', x: PL, y: 'petal width (cm)', color: 'target' });
      expect(insights.some((i) => i.kind === 'target' && i.columns[0] === 'petal width (cm)')).toBe(true);
      const sep = insights.find((i) => i.kind === 'separability');
      expect(sep?.text).toMatch(/accuracy 9\d%/);
    });
  });
}
