/**
 * The single-file form of an artifact (`.benchtop`): one download, one file to pick on import, and
 * a JSON that can never be paired with the weights of another export. The two-file form (.json +
 * .bin) stays for people who want to read the JSON. Layout, little-endian:
 *
 *   0   "BTMODEL\0"            magic, 8 bytes
 *   8   uint32                 container version (1)
 *   12  uint32                 byte length L of the JSON
 *   16  L bytes                the artifact JSON, UTF-8
 *   16+L                       the weights blob, to the end of the file
 */
import { EngineError } from '../core/errors';
import { corrupted } from './format';

export const BUNDLE_EXTENSION = 'benchtop';
export const BUNDLE_VERSION = 1;
const MAGIC = [0x42, 0x54, 0x4d, 0x4f, 0x44, 0x45, 0x4c, 0x00]; // "BTMODEL\0"
const HEADER = 16;

/** Whether the bytes start like a single-file artifact. */
export function isBundle(bytes: Uint8Array): boolean {
  return bytes.byteLength >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

export function packBundle(json: string, weights: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(HEADER + text.byteLength + weights.byteLength);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, BUNDLE_VERSION, true);
  view.setUint32(12, text.byteLength, true);
  out.set(text, HEADER);
  out.set(weights, HEADER + text.byteLength);
  return out;
}

/** The JSON and the weights of a single-file artifact; the weights are a view into `bytes`. */
export function unpackBundle(bytes: Uint8Array): { json: string; weights: Uint8Array } {
  if (!isBundle(bytes)) {
    throw corrupted('it does not start like a .benchtop model file (wrong file, or damaged).');
  }
  if (bytes.byteLength < HEADER) throw corrupted('the file ends inside its header.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > BUNDLE_VERSION) {
    throw new EngineError(
      'UnsupportedFormat',
      `This model file was made by a newer Benchtop (file format v${version}); update benchtop-runtime (it reads up to v${BUNDLE_VERSION}).`,
    );
  }
  const length = view.getUint32(12, true);
  if (HEADER + length > bytes.byteLength) {
    throw corrupted(
      `the file has ${bytes.byteLength} bytes but its header announces ${HEADER + length} before the weights (truncated?).`,
    );
  }
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + length));
  } catch {
    throw corrupted('its JSON part is not valid UTF-8.');
  }
  return { json, weights: bytes.subarray(HEADER + length) };
}
