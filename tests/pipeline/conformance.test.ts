/**
 * The conformance suite (scikit-learn's check_estimator for our steps): every registered step is
 * held to the Step contract — parameters, serializable state, fit on training rows only,
 * determinism, missing values, unsuitable columns, row counts — on one mixed-type table.
 */
import { readdirSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { missingMask } from '../../src/core/frame';
import { COLUMN_TYPES, TYPE_METADATA_KEY } from '../../src/core/types';
import { STEPS } from '../../src/pipeline/registry';
import { type AnyStepDef, type ParamDef, validateParams } from '../../src/pipeline/step';
import { col, context, snapshot, table } from './helpers';

/** Rows 0..11 are the training rows A, rows 12..19 the rows B it is applied to. */
const N_TRAIN = 12;
const N = 20;
const CATS = ['red', 'green', 'blue'];

/**
 * The test table: `prefix` rows of other values (unseen category "junk", huge numbers, missing)
 * and then rows 0..N-1, with B's numbers multiplied by bScale.
 */
function mixed(missing: boolean, bScale = 1, prefix = 0): Table {
  const gap = (i: number, k: number) => (i < 0 ? k % 2 === 0 : missing && (i * 7 + k * 3) % 5 === 0);
  const rows = Array.from({ length: N + prefix }, (_, i) => i - prefix);
  const scaleB = (i: number, v: number) => (i < 0 ? 1e6 + v : i >= N_TRAIN ? v * bScale : v);
  return table(
    col(
      'x',
      'float',
      rows.map((i) => (gap(i, 0) ? null : scaleB(i, 0.5 + ((i * 37) % 11) / 3))),
    ),
    col(
      'y',
      'integer',
      rows.map((i) => (gap(i, 1) ? null : scaleB(i, (i * 13) % 9))),
    ),
    col(
      'z',
      'float',
      rows.map((i) => (gap(i, 2) ? null : scaleB(i, 2 + Math.sin(i) * 1.5))),
    ),
    col(
      'cat',
      'categorical',
      rows.map((i) => (gap(i, 3) ? null : CATS[(i * 5) % 3]!)),
    ),
    col(
      'txt',
      'text',
      rows.map((i) => (gap(i, 4) ? null : `note ${(i * 3) % 7}`)),
    ),
    col(
      'flag',
      'boolean',
      rows.map((i) => i % 3 === 0),
    ),
    col(
      'day',
      'date',
      rows.map((i) => (gap(i, 6) ? null : `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`)),
    ),
  );
}

/** Parameters for steps whose defaults cannot run on the table above (they need a column named). */
const EXAMPLE_PARAMS: Record<string, Record<string, unknown>> = {
  RenameColumn: { column: 'x', new_name: 'x_renamed' },
  DropColumns: { columns: ['txt'] },
  FilterRows: { expression: 'x > 1 or cat == "red"' },
  DerivedColumn: { name: 'x2', expression: 'x * 2 + log(z) - `y`' },
  SelectKBest: { target: 'cat', k: 2 },
  TargetEncoder: { target: 'x', columns: ['cat', 'txt'] },
  CastType: { column: 'y', to: 'text' },
};

const ctx = context;

async function fitOn(def: AnyStepDef, input: Table, seed = 1) {
  return def.fit(input, validateParams(def, EXAMPLE_PARAMS[def.name] ?? {}), ctx(seed));
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  return null;
}

const columnsParam = (def: AnyStepDef): string | undefined =>
  Object.entries(def.params as Record<string, ParamDef>).find(([, p]) => p.type === 'columns')?.[0];

it('registers every file in src/pipeline/steps under the name of its file', () => {
  const files = readdirSync(new URL('../../src/pipeline/steps/', import.meta.url))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  expect([...STEPS.keys()].sort()).toEqual(files);
});

for (const def of STEPS.values()) {
  describe(`${def.name} conforms to the Step contract`, () => {
    const A = mixed(false).slice(0, N_TRAIN);
    const B = mixed(false).slice(N_TRAIN, N);

    it('describes itself and its parameters for the UI', () => {
      expect(def.description.length).toBeGreaterThan(10);
      expect(def.accepts.length).toBeGreaterThan(0);
      for (const [key, p] of Object.entries(def.params as Record<string, ParamDef>)) {
        expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(p.description.length, key).toBeGreaterThan(5);
      }
    });

    it('default params validate, and params round-trip through JSON unchanged', () => {
      const defaults = validateParams(def, {});
      expect(validateParams(def, clone(defaults))).toEqual(defaults);
      const example = validateParams(def, EXAMPLE_PARAMS[def.name] ?? {});
      expect(validateParams(def, clone(example))).toEqual(example);
      expect(clone(example)).toEqual(example);
    });

    it('rejects unknown parameters and wrong types with a message naming the parameter', () => {
      expect(() => validateParams(def, { no_such_param: 1 })).toThrow(/no_such_param/);
      const [key, p] = Object.entries(def.params as Record<string, ParamDef>)[0]!;
      const wrong =
        p.type === 'boolean' || p.type === 'columns' || p.type === 'range' ? 'yes' : { nested: true };
      expect(() => validateParams(def, { [key]: wrong })).toThrow(new RegExp(key));
    });

    it('has a JSON state, and transforming with the round-tripped state gives the same output', async () => {
      const state = await fitOn(def, A);
      const json = clone(state);
      expect(json).toEqual(state);
      const direct = await def.transform(B, state, ctx());
      const viaJson = await def.transform(B, json, ctx());
      expect(snapshot(viaJson)).toEqual(snapshot(direct));
    });

    it('fits on the training rows only: rows around them in memory do not change the state', async () => {
      const alone = await fitOn(def, mixed(false).slice(0, N_TRAIN));
      // A as a slice of a bigger table shares buffers with B; B's values must not leak into fit.
      const withB = await fitOn(def, mixed(false, 10).slice(0, N_TRAIN));
      expect(withB).toEqual(alone);
      // …and neither may rows before it (A at a non-zero offset into buffers that hold other values).
      const shifted = await fitOn(def, mixed(false, 1, 9).slice(9, 9 + N_TRAIN));
      expect(shifted).toEqual(alone);
      const before = clone(alone);
      await def.transform(mixed(false, 10).slice(N_TRAIN, N), alone, ctx());
      expect(alone, 'transform must not change the fitted state').toEqual(before);
    });

    it('is deterministic for the same seed', async () => {
      const s1 = await fitOn(def, A, 7);
      const s2 = await fitOn(def, A, 7);
      expect(s2).toEqual(s1);
      expect(snapshot(await def.transform(B, s2, ctx(7)))).toEqual(
        snapshot(await def.transform(B, s1, ctx(7))),
      );
    });

    if (def.kind === 'transform') {
      it('keeps the row count and transforms each row on its own', async () => {
        const state = await fitOn(def, A);
        const all = await def.transform(mixed(false), state, ctx());
        expect(all.numRows).toBe(N);
        const rest = await def.transform(B, state, ctx());
        expect(rest.numRows).toBe(B.numRows);
        expect(snapshot(all.slice(N_TRAIN, N))).toEqual(snapshot(rest));
      });
    }

    it('labels every output column with a logical type', async () => {
      const out = await def.transform(B, await fitOn(def, A), ctx());
      for (const f of out.schema.fields) expect(COLUMN_TYPES).toContain(f.metadata.get(TYPE_METADATA_KEY));
    });

    it(`missing values: ${def.missing}`, async () => {
      const input = mixed(true);
      const run = async () => def.transform(input, await fitOn(def, input.slice(0, N_TRAIN)), ctx());
      if (def.missing === 'rejects') {
        const e = await errorOf(run);
        expect(e).toBeInstanceOf(EngineError);
        expect((e as EngineError).name).toBe('SchemaError');
        expect((e as EngineError).message).toMatch(/missing/);
        return;
      }
      const out = await run();
      // The missing cells must be read at the right offset when A sits inside bigger buffers.
      const shifted = await fitOn(def, mixed(true, 1, 9).slice(9, 9 + N_TRAIN));
      expect(shifted).toEqual(await fitOn(def, input.slice(0, N_TRAIN)));
      if (def.kind === 'transform') expect(out.numRows).toBe(N);
      if (def.missing === 'passes-through') {
        for (const f of out.schema.fields) {
          const source = input.getChild(f.name);
          if (!source) continue;
          const was = missingMask(source);
          const now = missingMask(out.getChild(f.name)!);
          for (let i = 0; i < N; i++) if (was[i]) expect(now[i], `${f.name}[${i}] stays missing`).toBe(1);
        }
      }
    });

    const key = columnsParam(def);
    const unsuitable = COLUMN_TYPES.filter((t) => !def.accepts.includes(t));
    if (key && unsuitable.length > 0) {
      it('refuses unsuitable column types with a SchemaError naming the column and its type', async () => {
        const input = mixed(false);
        for (const type of unsuitable) {
          const name = input.schema.fields.find((f) => f.metadata.get(TYPE_METADATA_KEY) === type)?.name;
          if (!name) continue;
          const e = await errorOf(() =>
            def.fit(input, validateParams(def, { ...EXAMPLE_PARAMS[def.name], [key]: [name] }), ctx()),
          );
          expect(e, `${def.name} on ${type}`).toBeInstanceOf(EngineError);
          expect((e as EngineError).name).toBe('SchemaError');
          expect((e as EngineError).message).toContain(`"${name}" (type ${type})`);
        }
      });
    }

    if (def.fitTransform) {
      it('fitTransform returns the state of fit and the same columns and rows as transform', async () => {
        const params = validateParams(def, EXAMPLE_PARAMS[def.name] ?? {});
        const { state, output } = await def.fitTransform!(A, params, ctx(3));
        expect(clone(state)).toEqual(await fitOn(def, A, 3));
        const viaTransform = await def.transform(A, state, ctx(3));
        expect(output.numRows).toBe(A.numRows);
        expect(output.schema.fields.map((f) => f.name)).toEqual(
          viaTransform.schema.fields.map((f) => f.name),
        );
      });
    }

    if (def.gpuTransform) {
      it('GPU path equals the CPU reference', async () => {
        const state = await fitOn(def, A);
        const cpu = await def.transform(B, state, ctx());
        const gpu = await def.gpuTransform!(B, state, ctx());
        expect(snapshot(gpu)).toEqual(snapshot(cpu));
      });
    }
  });
}
