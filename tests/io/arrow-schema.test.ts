/** The linear `Schema.assign` (src/io/arrow-schema.ts) gives what apache-arrow's own gives. */
import { Dictionary, Field, Float64, Int32, Schema, Struct, Utf8 } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearAssign, originalAssign } from '../../src/io/arrow-schema';
import { FUZZ_SEED } from '../support/fuzz';

// The third reuses id 1 for other values: a schema holding it and the first must throw.
const dictionaries = [
  new Dictionary(new Utf8(), new Int32(), 1),
  new Dictionary(new Utf8(), new Int32(), 2),
  new Dictionary(new Float64(), new Int32(), 1),
];

const fieldArb = fc
  .record({
    name: fc.constantFrom('a', 'b', 'c', 'd', ''),
    type: fc.nat({ max: 5 }),
    nullable: fc.boolean(),
    meta: fc.dictionary(fc.constantFrom('k', 'benchtop.type'), fc.constantFrom('x', 'integer')),
  })
  .map(({ name, type, nullable, meta }) => {
    const types = [
      new Int32(),
      new Float64(),
      dictionaries[0]!,
      dictionaries[1]!,
      new Struct([new Field('s', dictionaries[0]!)]),
      dictionaries[2]!,
    ];
    return new Field(name, types[type]!, nullable, new Map(Object.entries(meta)));
  });

const view = (s: Schema) => ({
  fields: s.fields.map((f) => [f.name, String(f.type), f.nullable, [...f.metadata]]),
  metadata: [...s.metadata],
  dictionaries: [...s.dictionaries].map(([id, t]) => [id, String(t)]),
});

describe('linear Schema.assign', () => {
  it('is installed on apache-arrow Schema', () => {
    expect(Schema.prototype.assign).toBe(linearAssign);
  });

  it('matches the original for any fields, duplicates and metadata, in all three call forms', () => {
    fc.assert(
      fc.property(
        fc.array(fieldArb, { maxLength: 8 }),
        fc.array(fieldArb, { maxLength: 8 }),
        fc.nat({ max: 2 }),
        (mine, theirs, form) => {
          let base: Schema;
          try {
            base = new Schema(mine, new Map([['m', '1']]));
          } catch {
            return; // the fields themselves clash: nothing to assign to
          }
          let args: unknown[];
          try {
            args = form === 0 ? [new Schema(theirs, new Map([['n', '2']]))] : form === 1 ? [theirs] : theirs;
          } catch {
            return;
          }
          const run = (assign: (...a: unknown[]) => Schema): unknown => {
            try {
              return view(assign.apply(base, args));
            } catch (e) {
              return `throws ${(e as Error).message}`;
            }
          };
          expect(run(linearAssign as never)).toEqual(run(originalAssign as never));
        },
      ),
      { seed: FUZZ_SEED, numRuns: 500 },
    );
  });
});
