/**
 * The generated Python script, run with a python that has scikit-learn against the same CSV,
 * prints the metrics Benchtop's trainModels reports on the same folds (parity tolerances:
 * 1 pp for accuracy-like scores, 2% relative for regression errors and R²).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SplitSpec } from '../../src/protocol/api';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { PYTHON } from './python-env';

const nb = (steps: string[]): Notebook => ({
  version: 1,
  seed: 3,
  dataset: null,
  target: 'target',
  steps: steps.map((s, i) => ({ id: `s${i}`, step: s, params: {}, enabled: true })),
});

const CASES: { sample: string; model: string; split: SplitSpec; metrics: [string, 'abs' | 'rel'][] }[] = [
  {
    sample: 'iris',
    model: 'LogisticRegression',
    split: { kind: 'stratified-kfold', k: 5 },
    metrics: [
      ['accuracy', 'abs'],
      ['f1_macro', 'abs'],
    ],
  },
  {
    sample: 'diabetes',
    model: 'Ridge',
    split: { kind: 'kfold', k: 5 },
    metrics: [
      ['r2', 'rel'],
      ['mae', 'rel'],
      ['rmse', 'rel'],
    ],
  },
];

describe('Python export', () => {
  for (const c of CASES) {
    // The issue allows this one skip, only when no python3 with scikit-learn is installed.
    it.skipIf(!PYTHON)(
      `${c.sample}: StandardScaler + ${c.model} prints Benchtop's CV metrics`,
      async () => {
        const engine = createNodeEngine();
        const info = await engine.loadSample(c.sample);
        const spec = { notebook: nb(['StandardScaler']), target: 'target', split: c.split, seed: 11 };
        const ours = await engine.trainModels(info.id, { ...spec, models: [{ name: c.model, params: {} }] });
        const script = await engine.exportPython(info.id, {
          ...spec,
          model: { name: c.model, params: {} },
          csvFile: `${c.sample}.csv`,
        });
        const file = join(mkdtempSync(join(tmpdir(), 'benchtop-py-')), 'reproduce.py');
        writeFileSync(file, script);
        const csv = fileURLToPath(new URL(`../../public/samples/${c.sample}.csv`, import.meta.url));
        const out = JSON.parse(execFileSync(PYTHON!, [file, csv], { encoding: 'utf8' })) as {
          metrics: Record<string, number>;
          folds: unknown[];
        };
        expect(out.folds).toHaveLength(5);
        for (const [key, kind] of c.metrics) {
          const mine = ours.models[0]!.metrics[key]!.mean;
          const theirs = out.metrics[key]!;
          const tolerance = kind === 'abs' ? 0.01 : 0.02 * Math.abs(theirs);
          expect(Math.abs(mine - theirs), `${key}: ours ${mine}, sklearn ${theirs}`).toBeLessThanOrEqual(
            tolerance,
          );
        }
      },
      60_000,
    );
  }

  // Runs pandas on the file: skipped only where no python3 with pandas and scikit-learn exists.
  it.skipIf(!PYTHON)(
    'a ";" CSV with decimal commas ("10,75") is read by pandas with the same numbers (olive.csv)',
    async () => {
      // y = 2·x − z/2 + noise, every number written as a European spreadsheet writes it.
      const rows = Array.from({ length: 60 }, (_v, i) => {
        const x = ((i * 37) % 53) / 4;
        const z = ((i * 11) % 17) / 8;
        const y = 2 * x - z / 2 + (((i * 29) % 7) - 3) / 10;
        const comma = (v: number) => v.toFixed(2).replace('.', ',');
        return `${comma(x)};${comma(z)};${i % 3 === 0 ? '"Nord"' : '"Süd"'};${comma(y)}`;
      });
      const engine = createNodeEngine();
      const bytes = new TextEncoder().encode(`x;z;region;y\n${rows.join('\n')}\n`);
      const info = await engine.loadBytes(bytes, 'decimal.csv');
      expect(info.columns.map((c) => c.type)).toEqual(['float', 'float', 'categorical', 'float']);
      const notebook = { ...nb(['StandardScaler']), target: 'y' };
      const spec = { notebook, target: 'y', split: { kind: 'kfold', k: 5 } as SplitSpec, seed: 11 };
      const ours = await engine.trainModels(info.id, { ...spec, models: [{ name: 'Ridge', params: {} }] });
      const script = await engine.exportPython(info.id, {
        ...spec,
        model: { name: 'Ridge', params: {} },
        csvFile: 'decimal.csv',
      });
      expect(script).toContain(`DECIMAL = ","`);
      const dir = mkdtempSync(join(tmpdir(), 'benchtop-py-'));
      writeFileSync(join(dir, 'reproduce.py'), script);
      writeFileSync(join(dir, 'decimal.csv'), bytes);
      const out = JSON.parse(
        execFileSync(PYTHON!, [join(dir, 'reproduce.py'), join(dir, 'decimal.csv')], { encoding: 'utf8' }),
      ) as { metrics: Record<string, number> };
      const mine = ours.models[0]!.metrics.r2!.mean;
      expect(mine).toBeGreaterThan(0.9);
      expect(Math.abs(mine - out.metrics.r2!)).toBeLessThanOrEqual(0.02 * Math.abs(out.metrics.r2!));
    },
    60_000,
  );
});
