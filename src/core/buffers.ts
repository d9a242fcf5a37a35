/**
 * Buffers that cross the worker boundary are *transferred*, never cloned (DESIGN.md §1). A
 * transferred buffer is detached on the sender's side, so only a buffer the result owns alone may
 * go: these two helpers say which buffers those are, and copy a view when it shares its buffer.
 */

/** `bytes` itself when it spans its whole buffer, else a copy that does (safe to transfer). */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Buffers of the typed arrays in a result that span their whole buffer (safe to transfer). */
export function buffersOf(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength)
        out.add(v.buffer);
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...out];
}
