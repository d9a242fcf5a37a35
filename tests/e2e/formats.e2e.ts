/**
 * Arrow IPC, Parquet and JSON files in the built app: the engine worker reads them in a nested
 * sub-worker (workers/decode.web.ts) and the table arrives intact.
 */
import { expect, test } from '@playwright/test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadParquetWasm } from '../../src/io/parquet';
import { cell, openApp } from './helpers';

test('Arrow, Parquet and JSON files load through the reading sub-worker', async ({ page }) => {
  const source = tableFromArrays({ n: Int32Array.from([7, 8, 9]), s: ['x', 'y', 'z'] });
  const wasm = await loadParquetWasm();
  const files = [
    {
      name: 'three.arrow',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(tableToIPC(source, 'file')),
    },
    {
      name: 'three.parquet',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(source, 'stream')))),
    },
    {
      name: 'three.json',
      mimeType: 'application/json',
      buffer: Buffer.from('[{"n": 7, "s": "x"}, {"n": 8, "s": "y"}, {"n": 9, "s": "z"}]'),
    },
  ];
  await openApp(page);
  for (const file of files) {
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('shape')).toHaveText('3 rows × 2 columns');
    await expect(cell(page, 2, 0)).toHaveText('9');
    await expect(cell(page, 1, 1)).toHaveText('y');
  }
  // The reads ran in the nested sub-worker (not the in-thread fallback).
  expect(page.workers().some((w) => /decode\.worker/.test(w.url()))).toBe(true);
});
