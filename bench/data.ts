/**
 * Benchmark inputs on disk: every implementation runs in its own process (bench/run.ts), and the
 * native peers in Python, so a case's data is generated once from the seeded Rng and written to
 * $TMPDIR/benchtop-bench/ as raw little-endian arrays; later processes read the same bytes back.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BENCH_DIR = join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'benchtop-bench');

export function benchPath(name: string): string {
  mkdirSync(BENCH_DIR, { recursive: true });
  return join(BENCH_DIR, name);
}

type Typed = Float64Array | Float32Array | Int32Array;

/** The array stored as `name`, made by `make` (and stored) the first time. */
export function cached<T extends Typed>(
  name: string,
  ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  make: () => T,
): { data: T; path: string } {
  const path = benchPath(name);
  if (existsSync(path)) {
    const bytes = readFileSync(path);
    const buffer = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(bytes);
    return { data: new ctor(buffer), path };
  }
  const data = make();
  // Write then rename, so a process that reads it never sees half a file.
  writeFileSync(`${path}.part`, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  renameSync(`${path}.part`, path);
  return { data, path };
}

/** Column j of a column-major rows × cols array, as a view. */
export function columnOf(data: Float64Array, rows: number, j: number): Float64Array {
  return data.subarray(j * rows, (j + 1) * rows);
}
