/**
 * The byte-level JSON/NDJSON path (src/io/json-stream.ts) must read exactly what JSON.parse and
 * flattening read. Property: a generated array of records gives the same table and warnings
 * through the fast path (a top-level array, or NDJSON lines) as through the general path (the
 * same array under a key of an object document, which only the general path reads). The
 * documents are written as text, so number spellings (exponents, -0, 17+ digits, 1e400),
 * escapes, non-ASCII, whitespace, repeated keys, index-like keys and "a.b" beside {"a": {"b"}}
 * all occur.
 */
import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamRecords } from '../../src/io/json-stream';
import { readTableWithReport } from '../../src/io/read';
import { FUZZ_SEED } from '../support/fuzz';

const numberText = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '1',
    '-1',
    '0.1',
    '0.30000000000000004',
    '1e5',
    '1E+2',
    '2.5e-3',
    '-12.500',
    '123456789012345678',
    '9007199254740993',
    '1.7976931348623157e308',
    '5e-324',
    '1e400',
    '-1e-400',
    '0.000001234',
    '1234567.0000001',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.integer().map(String),
  fc.integer({ min: 0, max: 9999 }).map((x) => `${x / 100}`),
);
const stringText = fc.oneof(
  fc.constantFrom(
    '"2024-01-02"',
    '"2024-01-02T03:04:05Z"',
    '"03/04/2024"',
    '"NA"',
    '""',
    '"12"',
    '"x"',
    '"\\u00e9"',
  ),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => JSON.stringify(s)),
);
const scalarText = fc.oneof(
  { weight: 4, arbitrary: numberText },
  { weight: 4, arbitrary: stringText },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') },
);
const key = fc.oneof(
  {
    weight: 60,
    arbitrary: fc.constantFrom('a', 'b', 'c', 'name', 'x y', 'é', '07', '1a', '__proto__', '"q"', ''),
  },
  // Rare: the general path's cases (JS lists "0" first; "a.b" may meet {"a": {"b"}}).
  { weight: 1, arbitrary: fc.constantFrom('0', 'a.b') },
);
const space = fc.constantFrom('', '', ' ', '\t', '  ');
const arrayText = fc
  .array(fc.oneof(scalarText, fc.constant('{"k": 1}')), { maxLength: 3 })
  .map((a) => `[${a.join(', ')}]`);

const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { weight: 6, arbitrary: scalarText },
    { weight: 1, arbitrary: arrayText },
    { weight: 1, arbitrary: tie('object') },
  ),
  object: fc
    .oneof(
      {
        weight: 30,
        arbitrary: fc.uniqueArray(fc.tuple(key, space, tie('value') as fc.Arbitrary<string>), {
          maxLength: 5,
          selector: (p) => p[0],
          depthIdentifier: 'o',
        }),
      },
      // Sometimes a key twice in one object.
      {
        weight: 1,
        arbitrary: fc.array(fc.tuple(key, space, tie('value') as fc.Arbitrary<string>), {
          maxLength: 5,
          depthIdentifier: 'o',
        }),
      },
    )
    .map((pairs) => `{${pairs.map(([k, s, v]) => `${s}${JSON.stringify(k)}${s}:${s}${v}`).join(',')}}`),
}));

const value = anyValue as fc.Arbitrary<string>;

/** Records with mostly the same keys (so columns are dense, sparse, mixed), some non-records. */
const element = fc.oneof(
  { weight: 8, arbitrary: value.filter((v) => v.startsWith('{')) },
  { weight: 1, arbitrary: value },
);
const elements = fc.array(element, { minLength: 1, maxLength: 25 });

const bytes = (text: string) => new TextEncoder().encode(text);

/** Types, metadata, every value (Object.is: -0 and NaN count) and the warnings. */
function describeTable(table: Table, warnings: string[]): unknown {
  return {
    fields: table.schema.fields.map((f) => `${f.name}: ${String(f.type)} ${JSON.stringify([...f.metadata])}`),
    rows: table.numRows,
    columns: table.schema.fields.map((_, c) => {
      const v = table.getChildAt(c)!;
      return Array.from({ length: table.numRows }, (_, i) => {
        const x: unknown = v.get(i);
        return Object.is(x, -0) ? '-0' : typeof x === 'number' && Number.isNaN(x) ? 'NaN' : x;
      });
    }),
    warnings,
  };
}

async function read(text: string, fileName: string): Promise<unknown> {
  try {
    const { table, report } = await readTableWithReport(bytes(text), fileName);
    return describeTable(table, report.warnings);
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message };
  }
}

describe('JSON fast path = JSON.parse + flattening', () => {
  it('reads generated arrays of records like the general path', async () => {
    let fast = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(elements, space, async (items, s) => {
        runs++;
        const array = `[${s}${items.join(`,${s}`)}${s}]`;
        if ((await streamRecords(bytes(array), false, items.length, undefined)) !== null) fast++;
        expect(await read(array, 'doc.json')).toEqual(await read(`{"records": ${array}}`, 'doc.json'));
      }),
      { seed: FUZZ_SEED, numRuns: 400 },
    );
    // Many documents take the fast path (the rest give up on a repeated or index-like key).
    expect(fast).toBeGreaterThan(runs / 3);
  });

  it('reads generated NDJSON like the general path reads the same records', async () => {
    let fast = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        elements,
        fc.constantFrom('\n', '\r\n', '\n\n', '\n \t\n', '\r'),
        async (items, eol) => {
          runs++;
          const lines = items.join(eol);
          if ((await streamRecords(bytes(lines), true, items.length * 2, undefined)) !== null) fast++;
          const viaLines = (await read(lines, 'doc.ndjson')) as { warnings?: string[] };
          const viaDocument = (await read(`{"records": [${items.join(',')}]}`, 'doc.json')) as {
            warnings?: string[];
          };
          expect(viaLines).toEqual(viaDocument);
        },
      ),
      { seed: FUZZ_SEED + 1, numRuns: 400 },
    );
    expect(fast).toBeGreaterThan(runs / 3);
  });

  it('gives up on the shapes only the general path reads', async () => {
    for (const text of [
      '{"records": [{"a": 1}]}', // an object document
      '[{"a": 1, "a": 2}]', // a repeated key
      '[{"a": {"x": 1}, "a": {"y": 2}}]', // a repeated object key
      '[{"a.b": 1, "a": {"b": 2}}]', // one name twice in a record
      '[{"b": 1, "7": 2}]', // JS lists "7" first
      '[{"a": 1},]', // a syntax error (JSON.parse words it)
      '[{"a": 01}]',
      '[{"a": "\\x"}]',
    ]) {
      expect(await streamRecords(bytes(text), false, 2, undefined), text).toBeNull();
    }
    expect(await streamRecords(bytes('{"a": [1,\n2]}'), true, 2, undefined)).toBeNull();
    expect(await streamRecords(bytes('{"a": 1} {"a": 2}'), true, 2, undefined)).toBeNull();
  });
});
