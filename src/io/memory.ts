/**
 * Bytes a table holds in memory. Arrow's `Data.byteLength` counts each buffer of each chunk in
 * full, but chunks often share one buffer — slices of a string column keep the whole character
 * buffer, IPC columns are views into one file body — so summing it reported 49 GB for an 86 MB
 * table. Here every buffer view is an interval of its ArrayBuffer, and each ArrayBuffer counts
 * the union of its intervals once.
 */
import type { Data, Table, Vector } from 'apache-arrow';

export function tableMemoryBytes(table: Table): number {
  const ranges = new Map<ArrayBufferLike, [number, number][]>();
  const seenData = new Set<Data>();
  const seenDictionaries = new Set<Vector>();
  const addView = (view: ArrayBufferView | null | undefined): void => {
    if (!view || view.byteLength === 0) return;
    let list = ranges.get(view.buffer);
    if (!list) {
      list = [];
      ranges.set(view.buffer, list);
    }
    list.push([view.byteOffset, view.byteOffset + view.byteLength]);
  };
  const stack: Data[] = [];
  for (const batch of table.batches) stack.push(...batch.data.children);
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seenData.has(d)) continue;
    seenData.add(d);
    addView(d.values as ArrayBufferView | undefined);
    addView(d.valueOffsets as ArrayBufferView | undefined);
    addView(d.nullBitmap);
    addView(d.typeIds as ArrayBufferView | undefined);
    for (const b of (d as { variadicBuffers?: readonly Uint8Array[] }).variadicBuffers ?? []) addView(b);
    stack.push(...d.children);
    const dict = d.dictionary;
    if (dict && !seenDictionaries.has(dict)) {
      seenDictionaries.add(dict);
      stack.push(...dict.data);
    }
  }
  let total = 0;
  for (const list of ranges.values()) {
    list.sort((a, b) => a[0] - b[0]);
    let [start, end] = list[0]!;
    for (let i = 1; i < list.length; i++) {
      const [s, e] = list[i]!;
      if (s > end) {
        total += end - start;
        start = s;
        end = e;
      } else if (e > end) end = e;
    }
    total += end - start;
  }
  return total;
}
