/**
 * Fast non-cryptographic hashes of cell values as two independent 32-bit words, for the distinct
 * sketch (HyperLogLog), exact distinct counting by key and duplicate-row detection. Numbers hash
 * their float64 bits (−0 folded into 0), text hashes its UTF-8 bytes, so no string is created.
 */

/** murmur3's 32-bit finaliser: full avalanche of one word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);

/** The two hash words of a number, written to out[0], out[1]. */
export function hashNumber(x: number, out: Uint32Array): void {
  f64[0] = x + 0; // −0 → 0
  out[0] = hashWords0(words[0] as number, words[1] as number);
  out[1] = hashWords1(words[0] as number, words[1] as number);
}

/** First hash word of a float64 given as its low and high 32-bit words. */
export const hashWords0 = (lo: number, hi: number) =>
  fmix32(Math.imul(lo, 0xcc9e2d51) ^ fmix32(hi ^ 0x1b873593));
/** Second, independent hash word. */
export const hashWords1 = (lo: number, hi: number) =>
  fmix32(Math.imul(hi, 0x9e3779b1) ^ fmix32(lo + 0x6b43a9b5));

/** The two hash words of bytes[start, end) (e.g. one UTF-8 string of an Arrow Utf8 column). */
export function hashBytes(bytes: Uint8Array, start: number, end: number, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  const n = end - start;
  out[0] = fmix32(a ^ n);
  out[1] = fmix32(b ^ Math.imul(n, 0x27d4eb2d));
}

/** One number from the two words, exact in a double (53 bits): a Map/Set key. Two different
 * values share a key with probability ~ n² / 2^54 (≈ 6e-5 for a million distinct values). */
export function hashKey(h: Uint32Array): number {
  return (h[0] as number) * 2097152 + ((h[1] as number) >>> 11);
}
