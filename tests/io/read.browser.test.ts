/**
 * The readers in real Chromium: the CSV path (no Node APIs) and the Parquet path, whose wasm is
 * loaded through Vite's `?url` import — the code path the app's worker uses.
 */
import { Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { TYPE_METADATA_KEY } from '../../src/core/types';
import { loadParquetWasm } from '../../src/io/parquet';
import { readTableWithReport } from '../../src/io/read';

const typeOf = (t: Table, name: string) =>
  t.schema.fields.find((f) => f.name === name)?.metadata.get(TYPE_METADATA_KEY);

describe('readers in the browser', () => {
  it('reads CSV with types, quotes and missing values', async () => {
    const csv = 'id,name,score,when\n1,"a, b",1.5,2024-01-02\n2,c,,2024-01-03\n';
    const { table, report } = await readTableWithReport(new TextEncoder().encode(csv), 'b.csv');
    expect(report.header).toBe(true);
    expect(table.getChild('name')?.get(0)).toBe('a, b');
    expect(table.getChild('score')?.get(1)).toBeNull();
    expect(typeOf(table, 'when')).toBe('date');
  });

  it('writes and reads Parquet through the lazily loaded wasm', async () => {
    const wasm = await loadParquetWasm();
    const source = new Table({
      n: vectorFromArray(Int32Array.from([1, 2, 3])),
      s: vectorFromArray(['x', 'y', 'z'], new Utf8()),
    });
    const props = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.ZSTD).build();
    const bytes = wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(source, 'stream')), props);
    const { table, report } = await readTableWithReport(bytes, 'b.parquet');
    expect(report.format).toBe('parquet');
    expect(table.getChild('n')?.toArray()).toEqual(Int32Array.from([1, 2, 3]));
    expect(typeOf(table, 's')).toBe('text');
  });
});
