/**
 * The quality report: on iris_missing.csv and a synthetic table, and on small handcrafted tables
 * for each warning kind — each must trigger when it should and stay silent otherwise.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Table, tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { profileTable } from '../../src/analysis/profile/profile';
import { type QualityOptions, type QualityWarning, qualityReport } from '../../src/analysis/quality/quality';
import { createRng } from '../../src/core/rng';
import { readTable } from '../../src/io/read';
import { syntheticTable } from '../../src/io/synthetic';
import { getStep } from '../../src/pipeline/registry';
import { validateParams } from '../../src/pipeline/step';

const samples = fileURLToPath(new URL('../../public/samples/', import.meta.url));

async function report(table: Table, options: QualityOptions = {}): Promise<QualityWarning[]> {
  return qualityReport(table, await profileTable(table, null), options);
}
const kinds = (ws: QualityWarning[], kind: string) => ws.filter((w) => w.kind === kind);
const range = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_v, i) => f(i));

describe('quality report on samples', () => {
  it('iris_missing: missing per column with imputer fixes, rows with missing, the collinear petals', async () => {
    const table = await readTable(
      new Uint8Array(readFileSync(`${samples}iris_missing.csv`)),
      'iris_missing.csv',
    );
    const ws = await report(table, { target: 'target' });
    const missing = kinds(ws, 'missing');
    expect(missing.map((w) => w.columns[0])).toEqual([
      'sepal length (cm)',
      'sepal width (cm)',
      'petal length (cm)',
      'petal width (cm)',
      'site',
      'measured_on',
    ]);
    expect(missing[0]!.message).toBe('"sepal length (cm)" is missing 5 of 150 values (3.3%).');
    expect(missing[0]!.fix!.step).toEqual({
      step: 'SimpleImputer',
      params: { strategy: 'median' },
      columns: ['sepal length (cm)'],
    });
    expect(missing[4]!.fix!.step.params).toEqual({ strategy: 'most_frequent' });
    expect(missing[5]!.fix).toBeUndefined(); // no imputer for dates
    const rows = kinds(ws, 'rows-with-missing');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message).toMatch(/^\d+ of 150 rows \(\d+\.\d%\) have at least one missing value/);
    const corr = kinds(ws, 'correlated');
    expect(corr.map((w) => w.columns)).toEqual([['petal length (cm)', 'petal width (cm)']]);
    expect(corr[0]!.fix!.step).toEqual({ step: 'DropColumns', params: {}, columns: ['petal width (cm)'] });
    // Balanced classes, no leakage, no duplicates, no ID column.
    for (const k of ['class-imbalance', 'target-leakage', 'duplicates', 'id-like', 'constant', 'mixed-types'])
      expect(kinds(ws, k), k).toEqual([]);
    expect(new Set(ws.map((w) => w.id)).size).toBe(ws.length);
  });

  it('synthetic: the ID column, the 1000-user categorical, outliers in x_outliers, no leakage', async () => {
    const ws = await report(syntheticTable({ rows: 5000, seed: 3 }), { target: 'target' });
    expect(kinds(ws, 'id-like').map((w) => w.columns[0])).toEqual(['n_id']);
    expect(kinds(ws, 'high-cardinality').map((w) => w.columns[0])).toEqual(['c_user']);
    expect(kinds(ws, 'outliers').map((w) => w.columns[0])).toContain('x_outliers');
    expect(kinds(ws, 'target-leakage')).toEqual([]);
    expect(kinds(ws, 'duplicates')).toEqual([]);
    for (const w of ws) {
      expect(w.message).toMatch(/\d/); // numbers in every sentence
      expect(w.message.endsWith('.')).toBe(true);
    }
  });
});

describe('each warning kind on a handcrafted table', () => {
  it('duplicates: counts exact repeats (missing equals missing), silent when rows differ', async () => {
    const dup = tableFromArrays({ a: Float64Array.of(1, 2, 1, NaN, NaN), b: ['x', 'y', 'x', 'z', 'z'] });
    const ws = kinds(await report(dup), 'duplicates');
    expect(ws).toHaveLength(1);
    expect(ws[0]!.message).toMatch(/^2 of 5 rows/);
    expect(ws[0]!.fix!.step).toEqual({ step: 'DropDuplicates', params: { keep: 'first' } });
    const unique = tableFromArrays({ a: Float64Array.of(1, 2, 1), b: ['x', 'y', 'y'] });
    expect(kinds(await report(unique), 'duplicates')).toEqual([]);
  });

  it('a share that rounds to 0.0% says "<0.1%" (credit_data: 1 duplicate row in 3,000 read "(0.0%)")', async () => {
    const a = range(3000, (i) => i);
    a[2999] = 0;
    const b = range(3000, (i) => i);
    b[2999] = 0;
    const ws = await report(tableFromArrays({ a, b }));
    expect(kinds(ws, 'duplicates')[0]!.message).toMatch(/^1 of 3,000 rows \(<0\.1%\)/);
  });

  it('constant and near-constant columns', async () => {
    const n = 500;
    const t = tableFromArrays({
      c: range(n, () => 7),
      near: range(n, (i) => (i < 3 ? 1 : 0)),
      spread: range(n, (i) => i % 10),
    });
    const ws = await report(t);
    expect(kinds(ws, 'constant').map((w) => w.columns[0])).toEqual(['c']);
    expect(kinds(ws, 'near-constant').map((w) => w.columns[0])).toEqual(['near']);
    expect(kinds(ws, 'near-constant')[0]!.message).toContain('99.4%');
    expect(kinds(ws, 'constant')[0]!.fix!.step.step).toBe('DropColumns');
  });

  it('mixed types: mostly numbers in a text column, not for real words', async () => {
    const mixed = ['1.5', '2', '3,000', 'n/a', '4e3', '-7', 'unknown', '8', '9', '10'];
    const words = ['red', 'blue', 'green', '3', 'red', 'blue', 'green', 'red', 'blue', 'green'];
    const t = tableFromArrays({ mixed, words });
    const ws = kinds(await report(t), 'mixed-types');
    expect(ws.map((w) => w.columns[0])).toEqual(['mixed']);
    expect(ws[0]!.message).toBe(
      '80.0% of the values of "mixed" read as numbers and 20.0% do not (e.g. "n/a", "unknown").',
    );
    // CastType's own parameters (column, to, errors), so that the fix runs as it is.
    expect(ws[0]!.fix!.step).toEqual({
      step: 'CastType',
      params: { column: 'mixed', to: 'float', errors: 'coerce' },
    });
  });

  it('ID-like: distinct monotonic integers and distinct codes; not floats or repeated integers', async () => {
    const n = 100;
    const t = tableFromArrays({
      row: Int32Array.from({ length: n }, (_v, i) => 1000 + i),
      code: Array.from({ length: n }, (_v, i) => `K${(i * 7919) % 100_003}`),
      measure: range(n, (i) => Math.sin(i) * 10),
      group: Int32Array.from({ length: n }, (_v, i) => i % 4),
    });
    const ws = kinds(await report(t), 'id-like');
    expect(ws.map((w) => w.columns[0])).toEqual(['row', 'code']);
    expect(ws[0]!.message).toContain('distinct and increasing');
  });

  it('high cardinality: > 50 categories warns, 10 does not', async () => {
    const rng = createRng(1);
    const many = Array.from({ length: 2000 }, () => `u${rng.int(200)}`);
    const few = Array.from({ length: 2000 }, () => `g${rng.int(10)}`);
    const t = await readTable(
      new TextEncoder().encode(`many,few\n${many.map((m, i) => `${m},${few[i]}`).join('\n')}\n`),
      'cats.csv',
    );
    const ws = kinds(await report(t), 'high-cardinality');
    expect(ws.map((w) => w.columns[0])).toEqual(['many']);
    expect(ws[0]!.fix!.step.step).toBe('OrdinalEncoder');
  });

  it('outliers by each method, with the default stated; none in a uniform column', async () => {
    const rng = createRng(4);
    const n = 1000;
    const x = range(n, () => rng.normal());
    x[10] = 50;
    x[20] = -40;
    const t = tableFromArrays({ x, flat: range(n, (i) => i / n) });
    for (const method of ['iqr', 'zscore', 'mad'] as const) {
      const ws = kinds(await report(t, { outlierMethod: method }), 'outliers');
      expect(
        ws.map((w) => w.columns[0]),
        method,
      ).toEqual(['x']);
      expect(ws[0]!.fix!.step).toEqual({ step: 'OutlierClipper', params: { method }, columns: ['x'] });
      expect(ws[0]!.message).toContain(method === 'iqr' ? 'the default' : 'the default is IQR');
    }
    const z = kinds(await report(t, { outlierMethod: 'zscore' }), 'outliers')[0]!;
    expect(z.message).toMatch(/^2 values of "x"/); // only the two planted beyond 3σ
  });

  it('correlated pairs at |r| ≥ 0.95 (also negative), not at 0.8', async () => {
    const rng = createRng(5);
    const n = 2000;
    const a = range(n, () => rng.normal());
    const t = tableFromArrays({
      a,
      b: range(n, (i) => -2 * a[i]! + 0.1 * rng.normal()),
      c: range(n, (i) => a[i]! + 0.75 * rng.normal()),
    });
    const ws = kinds(await report(t), 'correlated');
    expect(ws.map((w) => w.columns)).toEqual([['a', 'b']]);
    expect(ws[0]!.message).toMatch(/r = -0\.99\d/);
    const sampledWs = kinds(await report(t, { maxCorrelationRows: 500 }), 'correlated');
    expect(sampledWs[0]!.message).toContain('every 4th row');
  });

  it('class imbalance below 10% of rows, not at 20%', async () => {
    const y = (share: number) => Int32Array.from({ length: 1000 }, (_v, i) => (i < share * 1000 ? 1 : 0));
    const x = range(1000, (i) => (i * 37) % 101);
    const rare = kinds(await report(tableFromArrays({ x, y: y(0.05) }), { target: 'y' }), 'class-imbalance');
    expect(rare).toHaveLength(1);
    expect(rare[0]!.message).toContain('has only 50 of 1,000 rows (5.0%)');
    expect(
      kinds(await report(tableFromArrays({ x, y: y(0.2) }), { target: 'y' }), 'class-imbalance'),
    ).toEqual([]);
    // Without a target there is no class check.
    expect(kinds(await report(tableFromArrays({ x, y: y(0.05) })), 'class-imbalance')).toEqual([]);
  });

  it('target leakage: a near-copy of a numeric target, a categorical with pure groups; not a noisy feature', async () => {
    const rng = createRng(6);
    const n = 1000;
    const target = range(n, () => rng.normal() * 10);
    const labels = ['a', 'b', 'c', 'd'];
    const klass = Array.from({ length: n }, (_v, i) => labels[i % 4]!);
    const t = tableFromArrays({
      leak: range(n, (i) => target[i]! * 3 + rng.normal() * 0.01),
      noisy: range(n, (i) => target[i]! + rng.normal() * 10),
      target,
    });
    const ws = kinds(await report(t, { target: 'target' }), 'target-leakage');
    expect(ws.map((w) => w.columns)).toEqual([['leak', 'target']]);
    expect(ws[0]!.severity).toBe('error');
    expect(ws[0]!.fix!.step).toEqual({ step: 'DropColumns', params: {}, columns: ['leak'] });

    const pure = Array.from({ length: n }, (_v, i) => `g${i % 4}`); // same groups as the class
    const mixedGroups = Array.from({ length: n }, () => `h${rng.int(4)}`);
    const csv = `pure,mixed,klass\n${klass.map((k, i) => `${pure[i]},${mixedGroups[i]},${k}`).join('\n')}\n`;
    const cats = await readTable(new TextEncoder().encode(csv), 'leak.csv');
    const cw = kinds(await report(cats, { target: 'klass' }), 'target-leakage');
    expect(cw.map((w) => w.columns[0])).toEqual(['pure']);
    expect(cw[0]!.message).toContain('100.0% of rows share one class');
  });

  it('missing values: severity by share and a drop fix when mostly missing', async () => {
    const t = tableFromArrays({
      few: range(100, (i) => (i < 2 ? NaN : i)),
      most: range(100, (i) => (i < 70 ? NaN : i)),
      none: range(100, (i) => i),
    });
    const ws = kinds(await report(t), 'missing');
    expect(ws.map((w) => [w.columns[0], w.severity])).toEqual([
      ['few', 'info'],
      ['most', 'error'],
    ]);
    expect(ws[1]!.fix!.step).toEqual({ step: 'DropColumns', params: {}, columns: ['most'] });
  });
});

describe('advice that fits real data (issue #14)', () => {
  const corpus = (path: string) =>
    new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/corpus/${path}`, import.meta.url))));
  const fixOf = (ws: QualityWarning[], kind: string, column: string) =>
    ws.find((w) => w.kind === kind && w.columns[0] === column)?.fix?.step;

  it('penguins_raw: the lone "." in Sex is a placeholder to treat as missing; Individual ID is an identifier', async () => {
    const table = await readTable(corpus('penguins_raw/penguins_raw.csv'), 'penguins_raw.csv');
    const ws = await report(table, { target: 'Species' });
    const placeholder = kinds(ws, 'placeholder');
    expect(placeholder.map((w) => w.columns[0])).toEqual(['Sex']);
    expect(placeholder[0]!.message).toContain('"." (1×)');
    expect(placeholder[0]!.message).toContain('absent from a training fold');
    expect(placeholder[0]!.fix).toEqual({
      label: 'Treat "." in "Sex" as missing',
      step: { step: 'MarkMissing', params: { values: '.' }, columns: ['Sex'] },
    });
    expect(fixOf(ws, 'id-like', 'Individual ID')).toEqual({
      step: 'DropColumns',
      params: {},
      columns: ['Individual ID'],
    });
  });

  it('tate_text and titanic: titles and names are free text or identifiers, never filled with their mode', async () => {
    const tate = await readTable(corpus('tate_text/tate_text.ndjson'), 'tate_text.ndjson');
    const tw = await report(tate, { target: 'year' });
    expect(kinds(tw, 'free-text').map((w) => w.columns[0])).toEqual(['title']);
    expect(fixOf(tw, 'free-text', 'title')).toEqual({ step: 'DropColumns', params: {}, columns: ['title'] });
    expect(kinds(tw, 'id-like').map((w) => w.columns[0])).toEqual(['id']);
    // Repeated labels are categories with too many values, not prose.
    expect(kinds(tw, 'high-cardinality').map((w) => w.columns[0])).toEqual(['artist', 'medium']);
    const titanic = await readTable(corpus('titanic/titanic.csv'), 'titanic.csv');
    const nw = await report(titanic, { target: 'survived' });
    expect(kinds(nw, 'free-text').map((w) => w.columns[0])).toEqual(['name']);
  });

  it('missing values in a title, a code, a sparse category and a small category get different fixes', async () => {
    const rng = createRng(5);
    const n = 400;
    const words = ['red', 'quiet', 'river', 'night', 'old', 'house', 'of', 'the', 'song', 'glass'];
    const rows = Array.from({ length: n }, (_v, i) => {
      const title =
        i % 3 === 0 ? '' : `${words[rng.int(10)]} ${words[rng.int(10)]} ${words[rng.int(10)]} ${i}`;
      const code = i % 10 === 0 ? '' : `C${(i * 7919) % 100_003}`;
      const director = i % 5 < 2 ? '' : `d${rng.int(120)}`; // 40% missing, 120 distinct
      const color = i % 40 === 0 ? '' : ['red', 'green', 'blue'][i % 3]!;
      return `"${title}",${code},${director},${color},${i % 7}`;
    });
    const table = await readTable(
      new TextEncoder().encode(`Title,Code,Director,Color,y\n${rows.join('\n')}\n`),
      'films.csv',
    );
    const ws = await report(table, { target: 'y' });
    const fixes = Object.fromEntries(kinds(ws, 'missing').map((w) => [w.columns[0], w.fix?.step]));
    expect(fixes.Title).toEqual({
      step: 'MissingIndicator',
      params: { features: 'all' },
      columns: ['Title'],
    });
    expect(fixes.Code).toEqual({ step: 'DropColumns', params: {}, columns: ['Code'] });
    expect(fixes.Director).toEqual({
      step: 'SimpleImputer',
      params: { strategy: 'constant', fill_value: 'missing' },
      columns: ['Director'],
    });
    expect(fixes.Color).toEqual({
      step: 'SimpleImputer',
      params: { strategy: 'most_frequent' },
      columns: ['Color'],
    });
    for (const w of ws) {
      if (w.columns[0] === 'Color') continue;
      expect(w.fix?.label ?? '', w.id).not.toContain('most frequent');
    }
  });

  it('placeholders: punctuation in small counts and "unknown"-like words, not real categories', async () => {
    const n = 300;
    const t = tableFromArrays({
      sex: Array.from({ length: n }, (_v, i) =>
        i === 7 ? '.' : i % 9 === 0 ? null : i % 2 ? 'male' : 'female',
      ),
      origin: Array.from({ length: n }, (_v, i) =>
        i % 25 === 0 ? 'Unknown' : i % 31 === 0 ? '?' : `o${i % 4}`,
      ),
      rhesus: Array.from({ length: n }, (_v, i) => (i % 3 === 0 ? '-' : '+')),
      answer: Array.from({ length: n }, (_v, i) => (i % 3 === 0 ? 'yes' : 'unknown')),
      airbags: Array.from({ length: n }, (_v, i) => (i % 3 === 0 ? 'none' : 'driver')),
    });
    const ws = kinds(await report(t), 'placeholder');
    expect(ws.map((w) => w.columns[0])).toEqual(['sex', 'origin']);
    expect(ws[1]!.message).toBe(
      'The values "Unknown" (12×), "?" (9×) in "origin" look like placeholders for a missing value (7.0% of present values).',
    );
    expect(ws[1]!.fix!.step).toEqual({
      step: 'MarkMissing',
      params: { values: 'Unknown, ?' },
      columns: ['origin'],
    });
  });

  it('target classes rarer than 5 rows are named with a filter that drops them (trump_tweets)', async () => {
    // 40 × "a", 30 × "b", 3 × 'Say "hi"', 1 × "c", 2 missing: stratified 5-fold would stop.
    const labels = [
      ...Array<string | null>(40).fill('a'),
      ...Array<string | null>(30).fill('b'),
      ...Array<string | null>(3).fill('Say "hi"'),
      'c',
      null,
      null,
    ];
    const t = tableFromArrays({ x: range(labels.length, (i) => (i * 7) % 13), 'the source': labels });
    const [w, ...others] = kinds(await report(t, { target: 'the source' }), 'class-imbalance');
    expect(others).toEqual([]);
    expect(w!.message).toMatch(
      /^2 classes of the target "the source" have fewer than 5 rows: c \(1\), Say "hi" \(3\);/,
    );
    expect(w!.fix!.label).toBe('Drop the 4 rows of the 2 rare classes of "the source"');
    const filter = getStep('FilterRows')!;
    const ctx = {
      rng: createRng(1),
      compute: null,
      signal: new AbortController().signal,
      progress: () => {},
    };
    const kept = await filter.transform(t, await filter.fit(t, w!.fix!.step.params, ctx), ctx);
    // The rare classes' rows go; the rows without a target stay (their own fix drops them).
    expect(kept.numRows).toBe(72);
    expect(new Set(kept.getChild('the source')!.toArray())).toEqual(new Set(['a', 'b', null]));
    // A binary target has nothing to drop to: the usual imbalance warning, without a fix.
    const two = tableFromArrays({ x: range(44, (i) => i), y: [...Array(40).fill('a'), 'b', 'b', 'b', 'b'] });
    const [binary] = kinds(await report(two, { target: 'y' }), 'class-imbalance');
    expect(binary!.message).toContain('has only 4 of 44 rows');
    expect(binary!.fix).toBeUndefined();
  });

  it('an id of digits read as text is an identifier to drop, never a number to convert (tweet ids)', async () => {
    const ids = Array.from({ length: 40 }, (_v, i) => `9472138952860${String(54914 + i * 7919)}`);
    const ws = await report(tableFromArrays({ id_str: ids, x: range(40, (i) => i % 7) }));
    expect(kinds(ws, 'id-like')[0]!.fix!.step).toEqual({
      step: 'DropColumns',
      params: {},
      columns: ['id_str'],
    });
    expect(kinds(ws, 'mixed-types')).toEqual([]);
  });

  it('a boolean with gaps is filled with its most frequent value (house_votes_84)', async () => {
    const vote = Array.from({ length: 40 }, (_v, i) => (i % 8 === 0 ? null : i % 3 === 0));
    const [w] = kinds(await report(tableFromArrays({ vote })), 'missing');
    expect(w!.fix!.step).toEqual({
      step: 'SimpleImputer',
      params: { strategy: 'most_frequent' },
      columns: ['vote'],
    });
  });

  it('a missing target offers to drop those rows (a filter), not to fill them', async () => {
    const t = tableFromArrays({
      x: range(50, (i) => i),
      'the class': Array.from({ length: 50 }, (_v, i) => (i === 3 ? null : i % 2 ? 'a' : 'b')),
    });
    const ws = kinds(await report(t, { target: 'the class' }), 'missing');
    expect(ws[0]!.fix).toEqual({
      label: 'Drop the 1 row where the target "the class" is missing',
      step: { step: 'FilterRows', params: { expression: '`the class` is not missing' } },
    });
  });
});

describe('every fix runs as given', () => {
  it('names a registered step with parameters it accepts (corpus datasets and handcrafted columns)', async () => {
    const corpus = (path: string) =>
      new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/corpus/${path}`, import.meta.url))));
    const tables: [Table, string][] = [
      [await readTable(corpus('cars93/cars93.json'), 'cars93.json'), 'Price'],
      [await readTable(corpus('penguins_raw/penguins_raw.csv'), 'penguins_raw.csv'), 'Species'],
      [await readTable(corpus('survey/survey.ndjson'), 'survey.ndjson'), 'Sex'],
      [await readTable(corpus('polls_us_2016/polls_us_2016.csv'), 'polls_us_2016.csv'), 'adjpoll_clinton'],
      [await readTable(corpus('trump_tweets/trump_tweets.csv'), 'trump_tweets.csv'), 'source'],
      [await readTable(corpus('house_votes_84/house_votes_84.json'), 'house_votes_84.json'), 'Class'],
      [
        tableFromArrays({
          mixed: ['1', '2', 'x', '4', '5', '6'],
          d: ['2020-01-01', '2020-01-02', 'soon', '2020-01-04', '2020-01-05', '2020-01-06'],
        }),
        '',
      ],
    ];
    let checked = 0;
    for (const [table, target] of tables) {
      for (const w of await report(table, target ? { target } : {})) {
        if (!w.fix) continue;
        const def = getStep(w.fix.step.step);
        // MarkMissing (the "treat as missing" step) is added by another branch of issue #14;
        // until it is registered its parameters cannot be checked here.
        if (!def && w.fix.step.step === 'MarkMissing') continue;
        expect(def, `${w.id}: ${w.fix.step.step}`).toBeDefined();
        expect(() => validateParams(def!, w.fix!.step.params), w.id).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
