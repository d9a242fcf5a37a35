/**
 * Limits that more than one layer enforces (the link check in src/spec, the generator in src/io,
 * the engine's argument checks in workers/). One table, so a limit cannot differ between the
 * place that accepts a request and the place that carries it out.
 */
export const LIMITS = {
  /** Rows of generated (synthetic) data. Keeps the text column's Int32 byte offsets and the CSV
   * export well inside what a browser tab can hold. The notebook schema's maximum for a synthetic
   * dataset reference is the same number (tests/spec/schema.test.ts checks it). */
  syntheticRows: 20_000_000,
  /** Columns of generated data. */
  syntheticColumns: 1000,
  /** Largest seed anywhere (the notebook's Seed type: an unsigned 32-bit integer). */
  seed: 4_294_967_295,
} as const;
