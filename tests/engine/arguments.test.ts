/**
 * Issue 15: every EngineApi method checks its arguments at the boundary (workers/arguments.ts) and
 * answers a bad one with a named InvalidArgument error that says which argument and what is
 * expected — the cases the issue found first, then one per method.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { LIMITS } from '../../src/core/limits';
import type { EngineApi } from '../../src/protocol/api';
import { emptyNotebook } from '../../src/spec/notebook';
import { checkArguments, SIGNATURES } from '../../workers/arguments';
import type { Engine } from '../../workers/engine';
import { createNodeEngine } from '../../workers/engine.node';
import { rejection } from '../support/errors';

async function invalid(p: Promise<unknown>, message: string | RegExp): Promise<EngineError> {
  const e = await rejection(p);
  expect(e.name).toBe('InvalidArgument');
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  return e;
}

let engine: Engine;
let id: string;

beforeAll(async () => {
  engine = createNodeEngine();
  id = (await engine.loadSample('iris')).id;
});

const train = () => ({
  notebook: { ...emptyNotebook(), target: 'target' },
  target: 'target',
  split: { kind: 'kfold' as const, k: 3 },
  models: [{ name: 'LogisticRegression', params: {} }],
  seed: 0,
});

describe('the cases issue 15 found', () => {
  it('columnSummary: bins NaN or -1', async () => {
    const e = await invalid(
      engine.columnSummary(id, 'sepal length (cm)', { bins: Number.NaN }),
      'columnSummary: options.bins must be a whole number from 1 to 10,000, not NaN.',
    );
    expect(e.detail).toMatchObject({ method: 'columnSummary', argument: 'options.bins' });
    await invalid(engine.columnSummary(id, 'sepal length (cm)', { bins: -1 }), /options\.bins .* not -1\.$/);
    // A valid call still works.
    expect((await engine.columnSummary(id, 'sepal length (cm)', { bins: 5 })).kind).toBe('numeric');
  });

  it("correlation: method 'bogus'", async () => {
    await invalid(
      engine.correlation(id, { method: 'bogus' as 'pearson' }),
      'correlation: options.method must be one of "pearson", "spearman", not "bogus".',
    );
  });

  it('setSelection({}) and other non-lists', async () => {
    await invalid(
      engine.setSelection(id, {} as never),
      /^setSelection: selection must be a list \(of an object whose "kind" is one of "range", "categories", "mask"\) or null, not an object\.$/,
    );
    await invalid(
      engine.setSelection(id, [{ kind: 'range', column: 'x', range: [0, Number.NaN] }]),
      'setSelection: selection[0].range[1] must be a number (not NaN), not NaN.',
    );
    await invalid(
      engine.setSelection(id, [{ kind: 'lasso' } as never]),
      /selection\[0\]\.kind must be one of/,
    );
    expect((await engine.setSelection(id, null)).count).toBe(150);
  });

  it('runNotebook(null), a non-array steps', async () => {
    await invalid(
      engine.runNotebook(id, null as never),
      'runNotebook: notebook is not valid: The notebook must be a JSON object.',
    );
    await invalid(
      engine.runNotebook(id, { ...emptyNotebook(), steps: 'StandardScaler' as never }),
      /^runNotebook: notebook is not valid: steps must be (a list|an array)/,
    );
  });

  it('trainModels(split: null), an empty model list, a fold count of 1', async () => {
    await invalid(
      engine.trainModels(id, { ...train(), split: null as never }),
      /^trainModels: spec\.split must be an object whose "kind" is one of "holdout", "kfold", "stratified-kfold", "group-kfold", not null\.$/,
    );
    await invalid(
      engine.trainModels(id, { ...train(), models: [] }),
      /spec\.models must be a list of 1 to 50/,
    );
    await invalid(
      engine.trainModels(id, { ...train(), split: { kind: 'kfold', k: 1 } }),
      'trainModels: spec.split.k must be a whole number from 2 to 1,000, not 1.',
    );
  });

  it('an unknown outlier method, encoding or column type', async () => {
    await invalid(
      engine.qualityReport(id, { outlierMethod: 'grubbs' as 'iqr' }),
      'qualityReport: options.outlierMethod must be one of "iqr", "zscore", "mad", not "grubbs".',
    );
    await invalid(
      engine.loadBytes(new TextEncoder().encode('a\n1\n'), 'a.csv', { encoding: 'ebcdic' as 'utf-8' }),
      /^loadBytes: options\.encoding must be one of "utf-8", "utf-16le", "utf-16be", "latin1", not "ebcdic"\.$/,
    );
    await invalid(
      engine.loadBytes(new TextEncoder().encode('a\n1\n'), 'a.csv', {
        columnTypes: { a: 'money' as 'float' },
      }),
      /^loadBytes: options\.columnTypes\["a"\] must be one of "integer", .* not "money"\.$/,
    );
    await invalid(
      engine.setColumnType(id, 'target', 'money' as 'float'),
      /^setColumnType: type must be one of "integer", "float", .*, not "money"\.$/,
    );
    await invalid(
      engine.setColumnType(id, 'target', 'date', 7 as unknown as string),
      'setColumnType: dateFormat must be text of 1 to 200 characters, not 7.',
    );
    await invalid(
      engine.loadBytes(new TextEncoder().encode('a\n1\n'), 'a.csv', {
        dateFormats: { a: 7 as unknown as string },
      }),
      'loadBytes: options.dateFormats["a"] must be text of 1 to 200 characters, not 7.',
    );
  });

  it('a URL with a malformed percent-escape', async () => {
    await invalid(
      engine.loadUrl('https://example.org/data/%E0%A4%A.csv'),
      'loadUrl: url must be an address whose %-escapes are complete (like %20), not "https://example.org/data/%E0%A4%A.csv".',
    );
    await invalid(
      engine.loadUrl('javascript:alert(1)'),
      /^loadUrl: url must be an http:\/\/ or https:\/\/ address/,
    );
  });

  it('synthetic rows: the one limit of src/core/limits.ts', async () => {
    await invalid(
      engine.generateSynthetic({ rows: LIMITS.syntheticRows + 1, seed: 1 }),
      `generateSynthetic: options.rows must be a whole number from 1 to ${LIMITS.syntheticRows.toLocaleString('en-US')}, not ${LIMITS.syntheticRows + 1}.`,
    );
  });
});

describe('every method has a schema', () => {
  it('checks each argument, and the checks run before any work', async () => {
    // A job with a bad id is refused before the job starts.
    await invalid(
      engine.profile(id, { id: 42 } as never),
      'profile: job.id must be text of 1 to 65,536 characters, not 42.',
    );
  });

  it('lists the methods of EngineApi and nothing else', () => {
    const methods = Object.keys(SIGNATURES).sort();
    const api = Object.keys(engine)
      .filter((k) => k !== 'table' && k !== 'compute')
      .sort();
    expect(methods).toEqual(api);
  });

  it('rejects a missing required argument of each method that has one', () => {
    for (const [method, signature] of Object.entries(SIGNATURES) as [keyof EngineApi, unknown[]][]) {
      if (signature.length === 0) continue;
      let error: unknown = null;
      try {
        checkArguments(method, []);
      } catch (e) {
        error = e;
      }
      // Methods whose arguments are all optional accept nothing; the others name the first one.
      if (error) {
        expect(error).toBeInstanceOf(EngineError);
        expect((error as EngineError).name).toBe('InvalidArgument');
        expect((error as EngineError).message.startsWith(`${method}: `)).toBe(true);
        expect((error as EngineError).message).toMatch(/ must be .*, not nothing\.$|is not valid/);
      }
    }
  });

  it('keeps valid calls working and returns rejected promises, never throws synchronously', async () => {
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = engine.rows(id, 0.5, 3);
    }).not.toThrow();
    await invalid(pending!, /^rows: start must be a whole number from .*, not 0\.5\.$/);
    expect(await engine.rows(id, -1, 3)).toBeInstanceOf(Uint8Array);
    await invalid(
      engine.exportDataset(id, 'xlsx' as 'csv'),
      /^exportDataset: format must be one of "csv", "arrow", "parquet", not "xlsx"\.$/,
    );
    await invalid(engine.predictRows('m1', { a: 1 } as never), /^predictRows: rows must be a list/);
    await invalid(
      engine.partialDependence('m1', id, 'x', { percentiles: [0.9, Number.POSITIVE_INFINITY] }),
      'partialDependence: options.percentiles[1] must be a number from 0 to 1, not Infinity.',
    );
  });
});
