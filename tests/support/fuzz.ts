/**
 * Generators and the one property of the reader fuzz tests (tests/io/fuzz.test.ts): valid seed
 * files of every format, byte-level mutations of them (bit flips, truncation, insertion, deletion,
 * splicing, "interesting" 32-bit values over length fields), and generated hostile text (CSV,
 * JSON, NDJSON). The property: a reader returns a usable table or throws a named, non-internal
 * EngineError whose message names the file, within a CPU-time budget proportional to the input.
 *
 * fast-check shrinks a failure to a small input; save it under tests/io/fuzz-regressions/ (the
 * regression test replays every file there).
 */
import {
  Table as ArrowTable,
  Bool,
  DateDay,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int8,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Struct,
  type Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { ENGINE_ERROR_NAMES, EngineError } from '../../src/core/errors';
import { tableMemoryBytes } from '../../src/io/memory';
import type { ParquetWasm } from '../../src/io/parquet';
import { readTableWithReport } from '../../src/io/read';

/** Seed of every fuzz run (FUZZ_SEED to explore others) and a multiplier of the case counts. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261207);
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
export const runs = (n: number): number => Math.max(1, Math.round(n * FUZZ_SCALE));

// ---------------------------------------------------------------- mutations of valid files

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'int32'; at: number; value: number }
  | { kind: 'splice'; from: number; length: number; at: number; insert: boolean };

/** 32-bit values that break length and offset fields (as unsigned; written little-endian). */
const INTERESTING = [
  0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7ffffff0, 0x7fffffff, 0x80000000,
  0xfffffff0, 0xffffffff,
];

const position = fc.nat({ max: 1 << 20 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('int32' as const),
    at: position,
    value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat({ max: 0xffffffff })),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    from: position,
    length: fc.integer({ min: 1, max: 256 }),
    at: position,
    insert: fc.boolean(),
  }),
);

/** Apply mutations in order to a copy of `base` (positions wrap around the current length). */
export function mutate(base: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = base.slice();
  for (const m of mutations) {
    const n = b.length;
    if (n === 0) break;
    switch (m.kind) {
      case 'flip':
        b[m.at % n]! ^= 1 << m.bit;
        break;
      case 'set':
        b[m.at % n] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, m.at % n);
        break;
      case 'insert': {
        const at = m.at % (n + 1);
        const out = new Uint8Array(n + m.bytes.length);
        out.set(b.subarray(0, at));
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const at = m.at % n;
        const out = new Uint8Array(n - Math.min(m.length, n - at));
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + m.length), at);
        b = out;
        break;
      }
      case 'int32': {
        if (n < 4) break;
        // Aligned, where flatbuffer and Thrift length fields live.
        const at = (m.at % (n - 3)) & ~3;
        new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, m.value >>> 0, true);
        break;
      }
      case 'splice': {
        const from = m.from % n;
        const piece = b.slice(from, from + m.length);
        const at = m.at % n;
        if (m.insert) {
          const out = new Uint8Array(n + piece.length);
          out.set(b.subarray(0, at));
          out.set(piece, at);
          out.set(b.subarray(at), at + piece.length);
          b = out;
        } else b.set(piece.subarray(0, n - at), at);
        break;
      }
    }
  }
  return b;
}

/** A valid base file and 1–4 mutations of it. */
export function mutatedArb(bases: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([i, ms]) => mutate(bases[i]!, ms));
}

// ---------------------------------------------------------------- valid seed files

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function csvBases(): Uint8Array[] {
  return [
    'id,name,score,when,flag\n1,"a, b",1.5,2024-01-02,true\n2,c,,2024-01-03,false\n3,"say ""hi""",-2e3,2024-02-29T10:11:12Z,yes\n',
    'a;b;c\n1;2;3\n4;5;6\n7;8\n9;10;11;12\n',
    'x\ty\n"multi\nline"\t2\nNA\t\n',
    'name,name,,name\nr,s,t,u\nv,w,x,y\n',
    '\uFEFFcity,temp\nZürich,3.5\nKøbenhavn,-1\nSão Paulo,28\n',
  ].map(utf8);
}

export function jsonBases(): Uint8Array[] {
  return [
    '[{"a": 1, "b": "x", "c": true, "d": "2024-01-02"}, {"a": 2.5, "b": null, "c": false, "d": null}]',
    '{"scale": [1, 2], "values": [{"id": 1, "user": {"name": "Ann", "age": 31}, "tags": ["a"]}, {"id": 2, "user": {"name": "Bo"}, "tags": []}]}',
    '[{"2": "two", "b": 1, "1": "one"}, {"b": 2, "z": {"10": 1, "y": 2}}]',
  ].map(utf8);
}

export function ndjsonBases(): Uint8Array[] {
  return [
    '{"a": 1, "b": "x"}\n{"a": 2, "c": [1, 2]}\n\n{"b": "y", "d": {"e": 1.5}}\n',
    '{"id": 1, "k1": 1}\r\n{"id": 2, "k2": 2}\r\n{"id": 3, "k3": 3}\r\n',
  ].map(utf8);
}

/** Small tables covering the column types readers meet: ints of several widths, floats, bools,
 * dates, timestamps, strings (plain, large, dictionary), a struct and a list, with nulls, over
 * one or several batches. */
export function arrowTables(): Table[] {
  const n = 24;
  const withNulls = <T>(f: (i: number) => T): (T | null)[] =>
    Array.from({ length: n }, (_, i) => (i % 7 === 3 ? null : f(i)));
  const mixed = new ArrowTable({
    i8: vectorFromArray(
      withNulls((i) => i - 12),
      new Int8(),
    ),
    i32: vectorFromArray(
      withNulls((i) => i * 1000),
      new Int32(),
    ),
    i64: vectorFromArray(
      withNulls((i) => BigInt(i) * 3_000_000_000n),
      new Int64(),
    ),
    f32: vectorFromArray(
      withNulls((i) => i / 3),
      new Float32(),
    ),
    f64: vectorFromArray(
      withNulls((i) => i * 1.5),
      new Float64(),
    ),
    b: vectorFromArray(
      withNulls((i) => i % 2 === 0),
      new Bool(),
    ),
    day: vectorFromArray(
      withNulls((i) => new Date(Date.UTC(2020, 0, i + 1))),
      new DateDay(),
    ),
    ts: vectorFromArray(
      withNulls((i) => 1_700_000_000_000 + i * 1000),
      new TimestampMillisecond(),
    ),
    tsu: vectorFromArray(
      withNulls((i) => 1_700_000_000_000 + i),
      new TimestampMicrosecond(),
    ),
    s: vectorFromArray(
      withNulls((i) => `name ${i}`),
      new Utf8(),
    ),
    ls: vectorFromArray(
      withNulls((i) => ['x', 'y', 'z'][i % 3]!),
      new LargeUtf8(),
    ),
    cat: vectorFromArray(
      withNulls((i) => ['red', 'green', 'blue'][i % 3]!),
      new Dictionary(new Utf8(), new Int32()),
    ),
  });
  const nested = new ArrowTable({
    st: vectorFromArray(
      withNulls((i) => ({ a: i, b: `b${i % 4}` })),
      new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)]),
    ),
    list: vectorFromArray(
      withNulls((i) => Array.from({ length: i % 4 }, (_, k) => k)),
      new List(new Field('item', new Int32(), true)),
    ),
  });
  const part = (from: number): Table =>
    new ArrowTable({
      a: vectorFromArray(Int32Array.from({ length: 10 }, (_, i) => from + i)),
      s: vectorFromArray(
        Array.from({ length: 10 }, (_, i) => `v${(from + i) % 5}`),
        new Utf8(),
      ),
    });
  const batches = part(0).concat(part(10), part(20));
  return [mixed, nested, batches];
}

export function arrowBases(): Uint8Array[] {
  return arrowTables().flatMap((t) => [tableToIPC(t, 'file'), tableToIPC(t, 'stream')]);
}

export function parquetBases(wasm: ParquetWasm): Uint8Array[] {
  const tables = arrowTables();
  const write = (t: Table, codec: 'UNCOMPRESSED' | 'SNAPPY' | 'ZSTD', rowGroup: number): Uint8Array => {
    const props = new wasm.WriterPropertiesBuilder()
      .setCompression(wasm.Compression[codec])
      .setMaxRowGroupSize(rowGroup)
      .build();
    return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(t, 'stream')), props);
  };
  return [
    write(tables[0]!, 'UNCOMPRESSED', 1000),
    write(tables[0]!, 'SNAPPY', 10),
    write(tables[1]!, 'ZSTD', 1000),
    write(tables[2]!, 'UNCOMPRESSED', 7),
  ];
}

/** Column types for generated Arrow tables; nesting builds structs and lists of these. */
const leafTypes = [
  () => new Int8(),
  () => new Int32(),
  () => new Int64(),
  () => new Float32(),
  () => new Float64(),
  () => new Bool(),
  () => new DateDay(),
  () => new TimestampMillisecond(),
  () => new TimestampMicrosecond(),
  () => new Utf8(),
  () => new LargeUtf8(),
  () => new Dictionary(new Utf8(), new Int32()),
];

type ArrowType = ReturnType<(typeof leafTypes)[number]> | Struct | List;

const arrowTypeArb: fc.Arbitrary<ArrowType> = fc.letrec<{ type: ArrowType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.nat({ max: leafTypes.length - 1 }).map((i) => leafTypes[i]!()), weight: 6 },
    { arbitrary: tie('type').map((t) => new List(new Field('item', t, true)) as ArrowType), weight: 1 },
    {
      arbitrary: fc
        .array(tie('type'), { minLength: 1, maxLength: 3 })
        .map((ts) => new Struct(ts.map((t, i) => new Field(`f${i}`, t, true))) as ArrowType),
      weight: 1,
    },
  ),
})).type;

/** A JS value of an Arrow type (null with probability ~1/6). */
function sampleValue(type: ArrowType, r: number): unknown {
  if (r % 6 === 5) return null;
  if (type instanceof Struct) {
    return Object.fromEntries(
      type.children.map((c, i) => [c.name, sampleValue(c.type as ArrowType, r * 7 + i)]),
    );
  }
  if (type instanceof List) {
    return Array.from({ length: r % 3 }, (_, k) =>
      sampleValue(type.children[0]!.type as ArrowType, r + k + 1),
    );
  }
  const t = String(type);
  if (t.startsWith('Int64')) return BigInt(r) * 1_000_000_007n;
  if (t.startsWith('Int') || t.startsWith('Float')) return (r * 37) % 101;
  if (t === 'Bool') return r % 2 === 0;
  if (t.startsWith('Date')) return new Date(Date.UTC(2000, 0, 1 + r));
  if (t.startsWith('Timestamp')) return 946_684_800_000 + r * 1000;
  return `v${r % 7}`;
}

/** Generated tables (random types, nesting, lengths incl. 0, one or several batches) as IPC
 * files or streams, with up to `maxMutations` mutations. */
export function arrowGenerated(maxMutations: number): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.array(arrowTypeArb, { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.array(mutationArb, { maxLength: maxMutations }),
    )
    .map(([types, lengths, file, mutations]) => {
      const part = (rows: number, seed: number): Table =>
        new ArrowTable(
          Object.fromEntries(
            types.map((t, c) => [
              `c${c}`,
              vectorFromArray(
                Array.from({ length: rows }, (_, r) => sampleValue(t, seed + r * 5 + c)),
                t,
              ),
            ]),
          ),
        );
      const parts = lengths.map((rows, k) => part(rows, k * 100));
      // Replacement dictionaries exist only in streams.
      const table = parts.slice(1).reduce((a, b) => a.concat(b), parts[0]!);
      const kind = file && parts.length === 1 ? 'file' : 'stream';
      return mutate(tableToIPC(table, kind), mutations);
    });
}

export const arrowGeneratedArb = arrowGenerated(2);

// ---------------------------------------------------------------- generated hostile text

const csvField: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('', 'NA', 'null', 'true', 'no', '2024-01-02', '2024-13-45', '1e400', '-0', 'inf', '1,5'),
  fc.string({
    unit: fc.constantFrom('a', 'b', ' ', ',', ';', '\t', '|', '"', '\n', '\r', 'é', '\u0000'),
    maxLength: 12,
  }),
  fc.string({ maxLength: 8 }).map((s) => `"${s.replaceAll('"', '""')}"`),
  fc.string({ maxLength: 8 }).map((s) => `"${s}`),
);

/** Delimited text: ragged rows, stray quotes, mixed line ends, wide or duplicate headers. */
export const csvTextArb: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.array(csvField, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 30 }),
      )
      .map(([d, nl, rows]) => rows.map((r) => r.join(d)).join(nl)),
    weight: 4,
  },
  {
    // A wide first line over short lines, or many copies of one header name.
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 100 }), fc.boolean())
      .map(([width, rows, same]) => {
        const header = Array.from({ length: width }, (_, i) => (same ? 'a' : `c${i}`)).join(',');
        return `${header}\n${'1\n'.repeat(rows)}`;
      }),
    weight: 1,
  },
);

const key: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a', 'b', 'a.b', '', '0', '1', '10', '4294967295', 'value', '__proto__', 'constructor'),
  fc.string({ maxLength: 6 }),
);

const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('NA', '2024-01-02', '2024-01-02T03:04:05Z', '1.5', 'x'),
  fc.string({ maxLength: 10 }),
);

const { record: jsonRecord } = fc.letrec((tie) => ({
  value: fc.oneof(
    { arbitrary: jsonLeaf, weight: 6 },
    { arbitrary: tie('record'), weight: 1 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 1 },
  ),
  record: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
}));

/** Deeply nested text (objects or arrays), sometimes past the depth limit. */
const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 600 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? `[{"a": ${'['.repeat(depth)}1${']'.repeat(depth)}}]`
      : `[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`,
  );

export const jsonTextArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(jsonRecord, { maxLength: 20 }).map((r) => JSON.stringify(r)), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.dictionary(key, fc.array(jsonRecord, { maxLength: 8 }), { maxKeys: 4 }), jsonRecord)
      .map(([arrays, extra]) => JSON.stringify({ ...extra, ...arrays })),
    weight: 2,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: deepJson, weight: 1 },
);

export const ndjsonTextArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { arbitrary: jsonRecord.map((r) => JSON.stringify(r)), weight: 8 },
        { arbitrary: fc.constantFrom('', '   ', '{"a": ', '[1, 2]', '42', '{"a": 1}}'), weight: 1 },
      ),
      { minLength: 1, maxLength: 30 },
    ),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([lines, nl]) => lines.join(nl));

// ---------------------------------------------------------------- the property

/** CPU milliseconds a read of `bytes` may take: generous (a loaded 2-core machine, GC), but a
 * hang or a quadratic blow-up on a few KB takes far longer. CPU time, not wall time, so other
 * processes on the machine do not count. */
export function cpuBudgetMs(bytes: number): number {
  return 1500 + bytes / 1000;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

export interface Outcome {
  table: Table | null;
  error: EngineError | null;
  cpuMs: number;
}

/** Read `bytes` and check the property; throws (fails the case) with what went wrong. */
export async function checkReader(bytes: Uint8Array, fileName: string): Promise<Outcome> {
  const started = process.cpuUsage();
  let table: Table | null = null;
  let error: EngineError | null = null;
  try {
    table = (await readTableWithReport(bytes, fileName)).table;
  } catch (e) {
    if (!(e instanceof EngineError)) {
      throw new Error(
        `${fileName}: not an EngineError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      );
    }
    error = e;
  }
  const spent = cpuMs(started);
  if (spent > cpuBudgetMs(bytes.length)) {
    throw new Error(`${fileName}: ${bytes.length} bytes took ${spent.toFixed(0)} ms of CPU`);
  }
  if (error) {
    if (!(ENGINE_ERROR_NAMES as readonly string[]).includes(error.name) || error.name === 'InternalError') {
      throw new Error(`${fileName}: error named ${error.name}: ${error.message}`);
    }
    if (!error.message.includes(fileName)) {
      throw new Error(`${fileName}: the message does not name the file: ${error.message}`);
    }
    if (
      /Cannot read prop|is not a function|undefined|Vector constructor|Maximum call stack|RangeError|TypeError/.test(
        error.message,
      )
    ) {
      throw new Error(`${fileName}: internal wording in the message: ${error.message}`);
    }
  }
  if (table) checkTable(table, bytes.length, fileName);
  return { table, error, cpuMs: spent };
}

/** A loaded table is usable the way the engine uses it: every column reads, dates format, the
 * table writes back to IPC, and it is not much larger than its file. */
function checkTable(table: Table, inputBytes: number, fileName: string): void {
  const memory = tableMemoryBytes(table);
  if (memory > 256 * inputBytes + (64 << 20)) {
    throw new Error(`${fileName}: ${inputBytes} bytes became a table of ${memory} bytes`);
  }
  if (table.batches.length > 1)
    throw new Error(`${fileName}: ${table.batches.length} batches (readers make one)`);
  table.schema.fields.forEach((field, c) => {
    const column = table.getChildAt(c);
    if (!column || column.length !== table.numRows)
      throw new Error(`${fileName}: column ${field.name} has the wrong length`);
    if (column.length > 0) column.get(0) && column.get(column.length - 1);
    // What profile and CSV export do with every date (a value out of range throws RangeError).
    if (/^(Date|Timestamp)/.test(String(field.type))) {
      for (let i = 0; i < column.length; i++) {
        const v = column.get(i);
        if (v !== null) new Date(Number(v)).toISOString();
      }
    }
  });
  const names = new Set(table.schema.names);
  if (names.size !== table.schema.names.length) throw new Error(`${fileName}: repeated column names`);
  tableToIPC(table, 'stream');
}
