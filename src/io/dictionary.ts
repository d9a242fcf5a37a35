/**
 * Dictionary encoding by bytes, shared by the CSV builder and the Arrow/Parquet normalizer: UTF-8
 * values are hashed (FNV-1a, open addressing) without making a JS string each, and encoding stops
 * as soon as there are more than `limit` distinct values, so a high-cardinality column costs one
 * partial pass before it is kept as text.
 */
import type { Data } from 'apache-arrow';
import { utf8Data, Validity } from './build';

export class ByteDictionary {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private bytes = new Uint8Array(1024);
  private offsets = new Int32Array(65);
  distinct = 0;

  /** `expected`: how many values will be added (sizes the table together with `limit`). */
  constructor(
    private readonly limit: number,
    expected: number,
  ) {
    // distinct ≤ limit: with twice as many slots the load factor never passes 1/2, so no rehashing.
    let size = 64;
    while (size < Math.min(limit, expected) * 2) size <<= 1;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The id of src[s, e) (a new one for a new value), or -1 once there would be more than `limit`. */
  add(src: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ src[i]!, 0x01000193);
    const { slots, mask } = this;
    let slot = h & mask;
    const len = e - s;
    for (;;) {
      const id = slots[slot]!;
      if (id < 0) break;
      const ds = this.offsets[id]!;
      if (this.offsets[id + 1]! - ds === len) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (this.bytes[ds + i] !== src[s + i]) {
            same = false;
            break;
          }
        }
        if (same) return id;
      }
      slot = (slot + 1) & mask;
    }
    if (this.distinct >= this.limit) return -1;
    const id = this.distinct++;
    slots[slot] = id;
    const start = this.offsets[id]!;
    if (start + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, start + len));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(src.subarray(s, e), start);
    if (this.distinct + 1 > this.offsets.length) {
      const grown = new Int32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.distinct] = start + len;
    return id;
  }

  /** The distinct values, in order of first appearance, as Utf8 data. */
  values(): Data {
    const n = this.distinct;
    return utf8Data(this.offsets.slice(0, n + 1), this.bytes.slice(0, this.offsets[n]), new Validity(n));
  }
}
