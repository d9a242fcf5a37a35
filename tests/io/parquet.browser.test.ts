/**
 * A large Parquet file read in the page, through the wasm the app's worker loads (Vite `?url`):
 * 1M rows × 5 (int32, int64 past the int32 range, timestamp[µs], two large_utf8) written by
 * parquet-wasm in the page, then loaded by our reader row group by row group into one chunk per
 * column with the project's types. The 3M-row time and memory budget is a benchmark row
 * (`BENCH_CASES=parquet npm run bench`), not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { TYPE_METADATA_KEY } from '../../src/core/types';
import { tableMemoryBytes } from '../../src/io/memory';
import { loadParquetWasm } from '../../src/io/parquet';
import { readTableWithReport } from '../../src/io/read';
import { expectedRow, writeBigParquet } from '../support/big-parquet';

describe('Parquet at scale in the browser', () => {
  it('loads 1,000,000 rows × 5 with the right types and values', async () => {
    const rows = 1_000_000;
    const bytes = writeBigParquet(await loadParquetWasm(), rows);
    const { table, report } = await readTableWithReport(bytes, 'big.parquet');
    expect(report.format).toBe('parquet');
    expect(table.numRows).toBe(rows);
    expect(table.batches).toHaveLength(1);
    expect(
      Object.fromEntries(
        table.schema.fields.map((f) => [f.name, `${String(f.type)} ${f.metadata.get(TYPE_METADATA_KEY)}`]),
      ),
    ).toEqual({
      id: 'Int32 integer',
      count: 'Float64 integer',
      ts: 'Timestamp<MILLISECOND> datetime',
      label: 'Dictionary<Int32, Utf8> categorical',
      code: 'Utf8 text',
    });
    for (const i of [0, 1, 7, 131_071, 131_072, 524_287, rows - 1]) {
      expect(Object.fromEntries(table.schema.names.map((c) => [c, table.getChild(c)!.get(i)]))).toEqual(
        expectedRow(i),
      );
    }
    // One buffer per column, not the 49 GB a per-slice sum reported.
    expect(tableMemoryBytes(table)).toBeLessThan(rows * 40);
  });
});
