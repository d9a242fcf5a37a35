import { describe, expect, it } from 'vitest';
import { readTableWithReport, sniffFormat } from '../../src/io/read';
import { fixture, readText, rejection, types, utf8, values } from './helpers';

describe('JSON and NDJSON', () => {
  it('reads an array of records with inference like CSV', async () => {
    const { table, report } = await readText(
      '[{"a": 1, "b": "x", "c": true, "d": "2024-01-02"}, {"a": 2.5, "b": "y", "c": false, "d": null}]',
      'r.json',
    );
    expect(report.format).toBe('json');
    expect(types(table)).toEqual({ a: 'float', b: 'text', c: 'boolean', d: 'date' });
    expect(values(table, 'a')).toEqual([1, 2.5]);
    expect(values(table, 'd')).toEqual([Date.UTC(2024, 0, 2), null]);
  });

  it('reads the array under a single top-level key, flattens nested objects, keeps arrays as JSON text', async () => {
    const { table, report } = await readTableWithReport(fixture('data/nested.json'), 'nested.json');
    expect(table.schema.names).toEqual(['id', 'user.name', 'user.age', 'tags']);
    expect(values(table, 'user.age')).toEqual([31, null]);
    expect(values(table, 'tags')).toEqual(['["a","b"]', '[]']);
    expect(report.warnings.some((w) => w.includes('"tags"') && w.includes('JSON text'))).toBe(true);
    expect(report.warnings.some((w) => /flattened/.test(w))).toBe(true);
  });

  it('keeps digit strings beyond 2^53 as text, every digit, as the CSV reader does (tweet ids)', async () => {
    const ids = ['947213895286054914', '947213895286054915', '12'];
    const ndjson = ids.map((id, i) => JSON.stringify({ id_str: id, n: i })).join('\n');
    const json = await readText(ndjson, 't.ndjson');
    const csv = await readText(`id_str,n\n${ids.map((id, i) => `${id},${i}`).join('\n')}\n`, 't.csv');
    expect(types(json.table)).toEqual(types(csv.table));
    expect(values(json.table, 'id_str')).toEqual(ids);
    expect(types(json.table).n).toBe('integer');
  });

  it('fills keys missing from some records with nulls', async () => {
    const { table } = await readText('[{"a": 1}, {"b": "x"}, {"a": 3, "b": "y"}]', 'k.json');
    expect(values(table, 'a')).toEqual([1, null, 3]);
    expect(values(table, 'b')).toEqual([null, 'x', 'y']);
  });

  it('reads NDJSON by extension and by sniffing, skipping blank lines', async () => {
    const bytes = fixture('data/records.ndjson');
    const { table, report } = await readTableWithReport(bytes, 'records.ndjson');
    expect(report.format).toBe('ndjson');
    expect(table.numRows).toBe(3);
    expect(values(table, 'c')).toEqual([true, false, true]);
    expect(types(table).b).toBe('text');
    expect(sniffFormat(bytes, 'records.txt')).toBe('ndjson');
  });

  it('reports invalid JSON with its line and column', async () => {
    const err = await rejection(readTableWithReport(fixture('bad/invalid.json'), 'invalid.json'));
    expect(err.name).toBe('ParseError');
    expect(err.detail.line).toBe(3);
    expect(err.detail.column).toBeGreaterThan(1);
    expect(err.message).toContain('invalid.json');
    expect(err.message).toMatch(/line 3, column \d+/);
  });

  it('reports an invalid NDJSON line with its number', async () => {
    const err = await rejection(readTableWithReport(fixture('bad/invalid.ndjson'), 'bad.ndjson'));
    expect(err.name).toBe('ParseError');
    expect(err.detail.line).toBe(3);
  });

  it('rejects a lone JSON value and an empty JSON file', async () => {
    expect((await rejection(readText('42', 'n.json'))).name).toBe('ParseError');
    expect((await rejection(readTableWithReport(utf8('  \n'), 'e.json'))).name).toBe('EmptyFile');
  });

  it('forces types on JSON columns', async () => {
    const { table, report } = await readText('[{"a": "1"}, {"a": "x"}]', 'f.json', {
      columnTypes: { a: 'integer' },
    });
    expect(values(table, 'a')).toEqual([1, null]);
    expect(report.warnings.join(' ')).toMatch(/1 value in column "a"/);
  });
});
