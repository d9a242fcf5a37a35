import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { DEFAULT_MISSING_MARKERS, TYPE_METADATA_KEY } from '../../src/core/types';
import { readTable } from '../../src/io/read';
import { SAMPLES, SAMPLES_DIR, sampleFile } from '../../src/io/samples';

const root = fileURLToPath(new URL('../../', import.meta.url));
const samplesDir = `${root}public/${SAMPLES_DIR}`;
const fixturesDir = `${root}tests/fixtures/sklearn/`;

interface ColumnFixture {
  count: number;
  missing: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}
interface Fixture {
  name: string;
  file: string;
  rows: number;
  columns: number;
  task: string;
  target: string;
  targetType: 'categorical' | 'integer' | 'float';
  stats: Record<string, ColumnFixture>;
  classCounts?: Record<string, number>;
  generator: { sklearn: string };
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(`${fixturesDir}${name}.json`, 'utf8')) as Fixture;
}

/** Our sample files never quote (make_samples.py refuses cells that would need it), so splitting is exact. */
function readSimpleCsv(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(`${samplesDir}${file}`, 'utf8').split('\n');
  expect(lines.at(-1)).toBe(''); // ends with a newline, no blank lines inside
  const [headerLine, ...body] = lines.slice(0, -1);
  return { header: (headerLine ?? '').split(','), rows: body.map((l) => l.split(',')) };
}

function columnValues(csv: { header: string[]; rows: string[][] }, column: string): string[] {
  const j = csv.header.indexOf(column);
  expect(j, `column ${column}`).toBeGreaterThanOrEqual(0);
  return csv.rows.map((r) => r[j] ?? '');
}

function numericStats(cells: string[]) {
  const values = cells.filter((c) => !DEFAULT_MISSING_MARKERS.includes(c)).map(Number);
  for (const v of values) expect(Number.isFinite(v)).toBe(true);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return {
    count: n,
    missing: cells.length - n,
    mean,
    std: Math.sqrt(variance),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

function expectRelClose(actual: number, expected: number, rel: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}

describe('SAMPLES', () => {
  it('lists every CSV in public/samples exactly once', () => {
    const files = readdirSync(samplesDir)
      .filter((f) => f.endsWith('.csv'))
      .sort();
    expect(SAMPLES.map((s) => sampleFile(s.name)).sort()).toEqual(files);
    expect(new Set(SAMPLES.map((s) => s.name)).size).toBe(SAMPLES.length);
  });

  it('sampleFile throws NotFound naming the known samples for an unknown name', () => {
    expect(sampleFile('iris')).toBe('iris.csv');
    let error: unknown;
    try {
      sampleFile('titanic');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).name).toBe('NotFound');
    for (const s of SAMPLES) expect((error as EngineError).message).toContain(s.name);
  });

  for (const sample of SAMPLES) {
    describe(sample.name, () => {
      const fx = fixture(sample.name);
      const csv = readSimpleCsv(sampleFile(sample.name));

      it('has the rows, columns, task and target its entry promises', () => {
        expect(csv.rows.length).toBe(sample.rows);
        expect(csv.header.length).toBe(sample.columns);
        for (const row of csv.rows) expect(row.length).toBe(sample.columns);
        expect(fx.rows).toBe(sample.rows);
        expect(fx.columns).toBe(sample.columns);
        expect(fx.task).toBe(sample.task);
        expect(sample.target).toBe(fx.target);
        expect(csv.header.at(-1)).toBe(sample.target);
        expect(sample.source.length).toBeGreaterThan(20);
      });

      it(`numeric columns match scikit-learn ${fx.generator.sklearn}'s statistics`, () => {
        const names = Object.keys(fx.stats);
        expect(names.length).toBeGreaterThan(0);
        for (const name of names) {
          const want = fx.stats[name]!;
          const got = numericStats(columnValues(csv, name));
          expect(got.count, name).toBe(want.count);
          expect(got.missing, name).toBe(want.missing);
          expectRelClose(got.mean, want.mean, 1e-9);
          expectRelClose(got.std, want.std, 1e-9);
          expect(got.min, name).toBe(want.min);
          expect(got.max, name).toBe(want.max);
        }
      });

      it('has the class counts of the original', () => {
        if (!fx.classCounts) {
          expect(sample.task).toBe('regression');
          return;
        }
        const counts: Record<string, number> = {};
        for (const label of columnValues(csv, fx.target)) counts[label] = (counts[label] ?? 0) + 1;
        expect(counts).toEqual(fx.classCounts);
        if (fx.targetType === 'categorical') {
          // Class names, not codes, so the app shows a categorical target.
          for (const label of Object.keys(counts)) expect(label).toMatch(/[a-z]/);
        }
      });
    });
  }

  it('iris_missing has missing cells in every measurement and in the added columns', () => {
    const csv = readSimpleCsv(sampleFile('iris_missing'));
    const fx = fixture('iris_missing') as Fixture & { missing: Record<string, number> };
    for (const [column, missing] of Object.entries(fx.missing)) {
      const cells = columnValues(csv, column);
      expect(cells.filter((c) => DEFAULT_MISSING_MARKERS.includes(c)).length, column).toBe(missing);
    }
    const measurements = csv.header.slice(0, 4).flatMap((c) => columnValues(csv, c));
    const share =
      measurements.filter((c) => DEFAULT_MISSING_MARKERS.includes(c)).length / measurements.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.1);
    for (const d of columnValues(csv, 'measured_on')) if (d !== '') expect(d).toMatch(/^2023-\d\d-\d\d$/);
  });
});

describe('readTable on the samples', () => {
  for (const sample of SAMPLES) {
    it(`reads ${sample.name} with the right shape and target type`, async () => {
      const file = sampleFile(sample.name);
      const table = await readTable(new Uint8Array(readFileSync(`${samplesDir}${file}`)), file);
      expect(table.numRows).toBe(sample.rows);
      expect(table.numCols).toBe(sample.columns);
      const fx = fixture(sample.name);
      const target = table.schema.fields.find((f) => f.name === sample.target);
      expect(target?.metadata.get(TYPE_METADATA_KEY)).toBe(fx.targetType);
    });
  }
});
