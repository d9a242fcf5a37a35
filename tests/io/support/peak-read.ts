/**
 * Child process of tests/io/memory-bound.test.ts: reads a small file (warm-up: code, wasm, JIT),
 * then a large one, and prints how far the process's peak resident memory (getrusage maxRSS: a
 * true peak, ArrayBuffers and wasm memory included) rose above its resident memory before the
 * large file's bytes were read from disk.
 *   node --expose-gc --import tsx tests/io/support/peak-read.ts small.csv big.csv
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { tableMemoryBytes } from '../../../src/io/memory';
import { readTableWithReport } from '../../../src/io/read';

const [small, big] = process.argv.slice(2) as [string, string];
const gc = (globalThis as { gc?: () => void }).gc;
await readTableWithReport(new Uint8Array(readFileSync(small)), basename(small));
gc?.();
const before = process.memoryUsage().rss;
const peakBefore = process.resourceUsage().maxRSS * 1024;
// A view of the Buffer readFileSync returns, not a copy of it: the input is counted once.
const file = readFileSync(big);
const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
const { table } = await readTableWithReport(bytes, basename(big));
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(
  `${JSON.stringify({ input: bytes.byteLength, rows: table.numRows, tableBytes: tableMemoryBytes(table), before, peakBefore, peak, growth: peak - before })}\n`,
);
