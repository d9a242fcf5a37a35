/**
 * One regression test per class of hostile input from issue #15: small files that used to take
 * quadratic time or gigabytes, corrupt Arrow IPC that hung apache-arrow, errors that leaked
 * internal messages. Time bounds are CPU seconds (other processes on the machine do not count),
 * set far above the linear time and far below the old quadratic one.
 */
import {
  DateDay,
  Dictionary,
  Field,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { profileTable } from '../../src/analysis/profile/profile';
import { EngineError } from '../../src/core/errors';
import { cleanHeaderNames } from '../../src/io/csv/parse';
import { normalizeOrExplain } from '../../src/io/normalize';
import { readTableWithReport } from '../../src/io/read';
import { writeCsv } from '../../src/io/write';
import { rejection, utf8, values } from './helpers';

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/** A message that reads as ours: names the file, no JS engine or apache-arrow wording. */
function expectNamed(err: EngineError, fileName: string): void {
  expect(err.name).not.toBe('InternalError');
  expect(err.message).toContain(fileName);
  expect(err.message).not.toMatch(
    /Vector constructor|call stack|Cannot read prop|undefined|TypeError|RangeError/,
  );
  expect(err.detail.hint).toBeTruthy();
}

describe('wide, sparse and repetitive inputs stay linear', () => {
  it('reads a CSV with 100,000 columns, building its schema once', async () => {
    const n = 100_000;
    const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: n }, (_, i) => String(i % 10)).join(',');
    const started = process.cpuUsage();
    const { table } = await readTableWithReport(utf8(`${header}\n${row}\n`), 'wide.csv');
    expect(table.numCols).toBe(n);
    expect(table.schema.fields[n - 1]!.name).toBe(`c${n - 1}`);
    expect(table.getChildAt(n - 1)!.get(0)).toBe(9);
    // apache-arrow's RecordBatch constructor re-derives the schema field by field (Schema.assign,
    // quadratic: minutes here); built once, the batch shares the table's schema object.
    expect(table.batches[0]!.schema).toBe(table.schema);
    expect(cpuSeconds(started)).toBeLessThan(15);
  });

  it('refuses a line of 1,000,000 empty fields at once, naming the file', async () => {
    const started = process.cpuUsage();
    const err = await rejection(readTableWithReport(utf8(`${','.repeat(999_999)}\n`), 'commas.csv'));
    expect(err.name).toBe('SchemaError');
    expect(err.message).toMatch(/1,000,000 columns.*at most 100,000/);
    expectNamed(err, 'commas.csv');
    expect(cpuSeconds(started)).toBeLessThan(3);
  });

  it('refuses a wide first line over many short lines instead of padding them all', async () => {
    const text = `${Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',')}\n${'1\n'.repeat(50_000)}`;
    const err = await rejection(readTableWithReport(utf8(text), 'ragged.csv'));
    expect(err.name).toBe('SchemaError');
    expectNamed(err, 'ragged.csv');
  });

  it('de-duplicates 100,000 copies of one header name in linear time', async () => {
    const n = 100_000;
    const started = process.cpuUsage();
    const { table } = await readTableWithReport(
      utf8(`${Array(n).fill('a').join(',')}\n${Array(n).fill('1').join(',')}\n`),
      'dups.csv',
    );
    const names = table.schema.names;
    expect(names.slice(0, 3)).toEqual(['a', 'a_2', 'a_3']);
    expect(names[n - 1]).toBe(`a_${n}`);
    expect(new Set(names).size).toBe(n);
    expect(cpuSeconds(started)).toBeLessThan(15);
  });

  it('keeps the old suffixes when a made-up name is taken by a later header', () => {
    expect(cleanHeaderNames(['a', 'a', 'a_2', 'a', ' ', 'b '])).toEqual([
      'a',
      'a_2',
      'a_2_2',
      'a_3',
      'column_5',
      'b',
    ]);
  });

  it('refuses NDJSON whose 20,000 rows each add a new key (400M cells) without building them', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"k${i}":${i}}`).join('\n');
    expect(lines.length).toBeGreaterThan(250_000);
    const started = process.cpuUsage();
    const err = await rejection(readTableWithReport(utf8(lines), 'sparse.ndjson'));
    expect(err.name).toBe('SchemaError');
    expect(err.message).toMatch(/20,000 rows × 20,000 columns/);
    expectNamed(err, 'sparse.ndjson');
    expect(cpuSeconds(started)).toBeLessThan(5);
  });

  it('loads sparse NDJSON that fits, each value in its own row', async () => {
    const n = 2000;
    const lines = Array.from({ length: n }, (_, i) => `{"id":${i},"k${i}":"v${i}"}`).join('\n');
    const started = process.cpuUsage();
    const { table } = await readTableWithReport(utf8(lines), 'sparse.ndjson');
    expect(table.numCols).toBe(1 + n);
    expect(table.schema.names.slice(0, 3)).toEqual(['id', 'k0', 'k1']);
    const column = table.getChild('k1234')!;
    expect(column.nullCount).toBe(n - 1);
    expect(column.get(1234)).toBe('v1234');
    expect(column.get(1233)).toBeNull();
    expect(cpuSeconds(started)).toBeLessThan(10);
  });

  it('puts nested sparse keys in their rows too', async () => {
    const lines = '{"id":0,"x":{"a":1}}\n{"id":1}\n{"id":2,"x":{"b":"u","a":3}}\n';
    const { table } = await readTableWithReport(utf8(lines), 'nested.ndjson');
    expect(table.schema.names).toEqual(['id', 'x.a', 'x.b']);
    expect(values(table, 'x.a')).toEqual([1, null, 3]);
    expect(values(table, 'x.b')).toEqual([null, null, 'u']);
  });
});

describe('deeply nested JSON', () => {
  it.each([
    ['objects', `[${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]`],
    ['arrays in a record', `[{"a": ${'['.repeat(5000)}1${']'.repeat(5000)}}]`],
  ])('rejects 5,000 levels of %s with the depth limit, not a stack overflow', async (_kind, text) => {
    const err = await rejection(readTableWithReport(utf8(text), 'deep.json'));
    expect(err.name).toBe('ParseError');
    expect(err.message).toMatch(/more than 256 levels deep \(at line 1, column \d+\)/);
    expectNamed(err, 'deep.json');
  });

  it('names the NDJSON line that nests too deep', async () => {
    const text = `{"a":1}\n{"a":2}\n{"a":${'['.repeat(300)}${']'.repeat(300)}}\n`;
    const err = await rejection(readTableWithReport(utf8(text), 'deep.ndjson'));
    expect(err.detail.line).toBe(3);
  });

  it('flattens 200 levels (under the limit) without recursion', async () => {
    const { table } = await readTableWithReport(
      utf8(`[${'{"a":'.repeat(200)}7${'}'.repeat(200)}]`),
      'd.json',
    );
    expect(table.schema.names).toEqual([Array(200).fill('a').join('.')]);
    expect(table.getChildAt(0)!.get(0)).toBe(7);
  });
});

/** Offsets of `pattern` in `bytes`. */
function find(bytes: Uint8Array, pattern: readonly number[]): number[] {
  const hits: number[] = [];
  outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
    for (let k = 0; k < pattern.length; k++) if (bytes[i + k] !== pattern[k]) continue outer;
    hits.push(i);
  }
  return hits;
}
const le64 = (v: number): number[] => [...new Uint8Array(new BigInt64Array([BigInt(v)]).buffer)];
const le32 = (v: number): number[] => [...new Uint8Array(new Uint32Array([v]).buffer)];

/** An Int32 column of 1,000 rows as an IPC stream, and where its metadata fields sit. */
function int32Stream(): { bytes: Uint8Array; nodes: number; bufferLength: number } {
  const table = new Table({ x: vectorFromArray(Int32Array.from({ length: 1000 }, (_, i) => i)) });
  const bytes = tableToIPC(table, 'stream');
  // The field-node vector: [count = 1][length = 1000][null count = 0].
  const nodes = find(bytes, [...le32(1), ...le64(1000), ...le64(0)]);
  // The buffer vector: [count = 2][validity: offset 0, length 0][data: offset 0, length 4000].
  const buffer = find(bytes, [...le32(2), ...le64(0), ...le64(0), ...le64(0), ...le64(4000)]);
  expect(nodes).toHaveLength(1);
  expect(buffer).toHaveLength(1);
  return { bytes, nodes: nodes[0]!, bufferLength: buffer[0]! + 28 };
}

describe('corrupt Arrow IPC is refused before apache-arrow decodes it', () => {
  const patched = (at: number, value: number[]): Uint8Array => {
    const { bytes } = int32Stream();
    const out = bytes.slice();
    out.set(value, at);
    return out;
  };
  it.each([
    [
      'a field-node count of 2^31 (decodeFieldNodes looped for minutes)',
      (s: ReturnType<typeof int32Stream>) => patched(s.nodes, le32(0x7fffffff)),
    ],
    [
      'a node length of 2^40 rows',
      (s: ReturnType<typeof int32Stream>) => patched(s.nodes + 4, le64(2 ** 40)),
    ],
    [
      'a null count above the length',
      (s: ReturnType<typeof int32Stream>) => patched(s.nodes + 12, le64(5000)),
    ],
    [
      'a buffer longer than the body',
      (s: ReturnType<typeof int32Stream>) => patched(s.bufferLength, le64(1 << 30)),
    ],
    [
      'a buffer too short for its rows',
      (s: ReturnType<typeof int32Stream>) => patched(s.bufferLength, le64(400)),
    ],
  ])('%s', async (_what, make) => {
    const bytes = make(int32Stream());
    const started = process.cpuUsage();
    const err = await rejection(readTableWithReport(bytes, 'bad.arrow'));
    expect(err.name).toBe('ParseError');
    expectNamed(err, 'bad.arrow');
    expect(cpuSeconds(started)).toBeLessThan(2);
  });

  it('refuses dictionary indices outside their dictionary', async () => {
    const dict = makeData({
      type: new Dictionary(new Utf8(), new Int32()),
      length: 3,
      nullCount: 0,
      data: Int32Array.from([0, 1, 2]),
      dictionary: vectorFromArray(['a', 'b', 'c'], new Utf8()),
    });
    const fields = [new Field('c', dict.type, true)];
    const schema = new Schema(fields);
    const table = new Table(
      schema,
      new RecordBatch(
        schema,
        makeData({ type: new Struct(fields), length: 3, nullCount: 0, children: [dict] }),
      ),
    );
    const bytes = tableToIPC(table, 'stream');
    // The record batch body holds the indices 0, 1, 2: make the last one 7,777.
    const at = find(bytes, [...le32(0), ...le32(1), ...le32(2)]).at(-1)!;
    bytes.set(le32(7777), at + 8);
    const err = await rejection(readTableWithReport(bytes, 'dict.arrow'));
    expect(err.message).toMatch(/dictionary index points outside its dictionary/);
    expectNamed(err, 'dict.arrow');
  });

  it('reports an error inside normalization as the reader error, not apache-arrow wording', () => {
    const broken = {
      get numRows(): number {
        throw new TypeError('Vector constructor expects an Array of Data instances.');
      },
    } as unknown as Table;
    const invalid = (file: string, why: string): EngineError =>
      new EngineError('ParseError', `${file} is not readable: ${why}.`, { file, hint: 'Export it again.' });
    let caught: unknown;
    try {
      normalizeOrExplain(broken, 'n.arrow', invalid);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expectNamed(caught as EngineError, 'n.arrow');
  });
});

describe('dates outside what JavaScript can represent', () => {
  it('become missing at load with a warning, so profile and CSV export work', async () => {
    const n = 4;
    const ts = makeData({
      type: new TimestampMillisecond(),
      length: n,
      nullCount: 0,
      data: BigInt64Array.from([0n, 9_000_000_000_000_000n, -9_000_000_000_000_000n, 1_700_000_000_000n]),
    });
    const day = makeData({
      type: new DateDay(),
      length: n,
      nullCount: 0,
      data: Int32Array.from([0, 2e9, -2e9, 19000]),
    });
    const fields = [new Field('ts', ts.type, true), new Field('day', day.type, true)];
    const schema = new Schema(fields);
    const source = new Table(
      schema,
      new RecordBatch(
        schema,
        makeData({ type: new Struct(fields), length: n, nullCount: 0, children: [ts, day] }),
      ),
    );
    const { table, report } = await readTableWithReport(tableToIPC(source, 'file'), 'far.arrow');
    expect(values(table, 'ts')).toEqual([0, null, null, 1_700_000_000_000]);
    expect(values(table, 'day')).toEqual([0, null, null, 19000 * 86_400_000]);
    expect(report.warnings.join(' ')).toMatch(
      /2 values of column "ts" lie outside the dates JavaScript can represent/,
    );
    const csv = new TextDecoder().decode(writeCsv(table));
    expect(csv.split('\n')[1]).toBe('1970-01-01T00:00:00.000Z,1970-01-01');
    const profile = await profileTable(table, null);
    expect(profile.map((p) => p.name)).toEqual(['ts', 'day']);
  });
});

describe('JSON documents', () => {
  it('reads the largest array of records and says which key it took', async () => {
    const records = Array.from({ length: 60_480 }, (_, i) => ({ t: i, v: i % 7 }));
    const text = JSON.stringify({ scale: [0, 1], values: records });
    const { table, report } = await readTableWithReport(utf8(text), 'series.json');
    expect(table.numRows).toBe(60_480);
    expect(table.schema.names).toEqual(['t', 'v']);
    expect(report.warnings.join(' ')).toMatch(
      /60,480 records under the key "values"; "scale" \(2 values\) was not read/,
    );
  });

  it.each([
    ['JSON', 'k.json', '[{"b": 1, "2": 2, "a": 3, "1": 4}, {"z": {"y": 1, "10": 2}}]'],
    ['NDJSON', 'k.ndjson', '{"b": 1, "2": 2, "a": 3, "1": 4}\n{"z": {"y": 1, "10": 2}}\n'],
    [
      'JSON under a key',
      'k.json',
      '{"meta": [1], "rows": [{"b": 1, "2": 2, "a": 3, "1": 4}, {"z": {"y": 1, "10": 2}}, {}]}',
    ],
  ])('keeps integer-like keys in file order (%s)', async (_kind, name, text) => {
    const { table } = await readTableWithReport(utf8(text), name);
    expect(table.schema.names).toEqual(['b', '2', 'a', '1', 'z.y', 'z.10']);
    expect(values(table, '1')[0]).toBe(4);
  });
});
