import { Dictionary, Int8, Table, tableFromArrays, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { loadParquetWasm } from '../../src/io/parquet';
import { readTableWithReport, sniffFormat } from '../../src/io/read';
import { arrowTypes, rejection, types, values } from './helpers';

function sampleTable(): Table {
  const n = 50;
  return new Table({
    id: vectorFromArray(Int32Array.from({ length: n }, (_, i) => i)),
    big: vectorFromArray(BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 10n)),
    x: vectorFromArray(Float32Array.from({ length: n }, (_, i) => i / 4)),
    name: vectorFromArray(
      Array.from({ length: n }, (_, i) => `name ${i}`),
      new Utf8(),
    ),
    color: vectorFromArray(
      Array.from({ length: n }, (_, i) => ['red', 'green', 'blue'][i % 3]!),
      new Dictionary(new Utf8(), new Int8()),
    ),
  });
}

describe('Arrow IPC', () => {
  it.each(['file', 'stream'] as const)('reads the %s format and normalizes types', async (kind) => {
    const bytes = tableToIPC(sampleTable(), kind);
    expect(sniffFormat(bytes, 'data.bin')).toBe('arrow');
    const { table, report } = await readTableWithReport(bytes, `t.arrow`);
    expect(report.format).toBe('arrow');
    expect(table.numRows).toBe(50);
    expect(types(table)).toEqual({
      id: 'integer',
      big: 'integer',
      x: 'float',
      name: 'text',
      color: 'categorical',
    });
    expect(arrowTypes(table)).toEqual({
      id: 'Int32',
      big: 'Int32',
      x: 'Float64',
      name: 'Utf8',
      color: 'Dictionary<Int32, Utf8>',
    });
    expect(values(table, 'big')[7]).toBe(70);
    expect(values(table, 'color').slice(0, 3)).toEqual(['red', 'green', 'blue']);
  });

  it.each(['file', 'stream'] as const)('rejects a truncated %s with a ParseError', async (kind) => {
    const bytes = tableToIPC(sampleTable(), kind);
    for (const cut of [Math.floor(bytes.length / 2), 12]) {
      const err = await rejection(readTableWithReport(bytes.subarray(0, cut), 'cut.arrow'));
      expect(err.name).toBe('ParseError');
      expect(err.message).toContain('cut.arrow');
      expect(err.message).not.toMatch(/Cannot read properties/);
      expect(err.detail.hint).toBeTruthy();
    }
  });

  it('applies user type overrides to Arrow columns', async () => {
    const { table } = await readTableWithReport(tableToIPC(sampleTable(), 'stream'), 't.arrow', {
      columnTypes: { id: 'text', name: 'categorical' },
    });
    expect(types(table).id).toBe('text');
    expect(values(table, 'id')[12]).toBe('12');
    expect(arrowTypes(table).name).toBe('Dictionary<Int32, Utf8>');
  });

  it('flattens struct columns', async () => {
    const table = tableFromArrays({ a: Int32Array.from([1, 2]) });
    const withStruct = new Table({
      a: table.getChild('a')!,
      s: vectorFromArray([
        { p: 1, q: 'x' },
        { p: 2, q: 'y' },
      ]),
    });
    const { table: out, report } = await readTableWithReport(tableToIPC(withStruct, 'stream'), 's.arrow');
    expect(out.schema.names).toEqual(['a', 's.p', 's.q']);
    expect(values(out, 's.q')).toEqual(['x', 'y']);
    expect(report.warnings.join(' ')).toMatch(/flattened/);
  });
});

describe('Parquet', () => {
  it.each(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD'] as const)(
    'reads a %s file written by parquet-wasm',
    async (codec) => {
      const wasm = await loadParquetWasm();
      const props = new wasm.WriterPropertiesBuilder()
        .setCompression(wasm.Compression[codec])
        .setDictionaryEnabled(codec !== 'UNCOMPRESSED')
        .build();
      const bytes = wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(sampleTable(), 'stream')), props);
      expect(sniffFormat(bytes, 'x')).toBe('parquet');
      const { table, report } = await readTableWithReport(bytes, `t.parquet`);
      expect(report.format).toBe('parquet');
      expect(table.numRows).toBe(50);
      expect(types(table)).toEqual({
        id: 'integer',
        big: 'integer',
        x: 'float',
        name: 'text',
        color: 'categorical',
      });
      expect(values(table, 'x')[3]).toBe(0.75);
      expect(values(table, 'name')[49]).toBe('name 49');
      expect(values(table, 'color')[4]).toBe('green');
    },
  );

  it('rejects a truncated file with a ParseError', async () => {
    const wasm = await loadParquetWasm();
    const bytes = wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(sampleTable(), 'stream')));
    const err = await rejection(readTableWithReport(bytes.subarray(0, bytes.length - 40), 'cut.parquet'));
    expect(err.name).toBe('ParseError');
    expect(err.message).toContain('cut.parquet');
    const junk = await rejection(
      readTableWithReport(new TextEncoder().encode('PAR1 not really'), 'j.parquet'),
    );
    expect(junk.name).toBe('ParseError');
  });
});
