/**
 * Text encodings for delimited files. The parser works on UTF-8 bytes, so every other encoding is
 * transcoded once up front; UTF-8 input (the common case) is only validated, never copied.
 */
import { EngineError } from '../core/errors';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

export interface DecodedText {
  /** UTF-8 bytes without a BOM (a view of the input when it already was UTF-8). */
  bytes: Uint8Array;
  encoding: TextEncodingName;
}

/** Index of the first byte of an invalid UTF-8 sequence, or -1 when `bytes` is valid UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  // ASCII is skipped four bytes at a time through an aligned Int32 view (a negative mask keeps the
  // values small integers for the JIT); only non-ASCII sequences are decoded byte by byte.
  const a0 = Math.min(n, (4 - (bytes.byteOffset & 3)) & 3);
  // Under 4 bytes there are no words, and the aligned offset may lie past the buffer's end.
  const words =
    n - a0 >= 4 ? new Int32Array(bytes.buffer, bytes.byteOffset + a0, (n - a0) >>> 2) : new Int32Array(0);
  const count = words.length;
  let i = 0;
  while (i < n) {
    if (i >= a0 && ((i - a0) & 3) === 0) {
      let w = (i - a0) >>> 2;
      while (w < count && (words[w]! & -2139062144) === 0) w++;
      i = a0 + w * 4;
      if (i >= n) break;
    }
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * True when the bytes look like a binary file (image, archive, executable) rather than text:
 * NUL bytes or many control characters in the first 4 KB. UTF-16 text has NULs too, so call this
 * only after BOM detection.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control / n > 0.02;
}

/** UTF-16 without a BOM shows as NUL bytes in every other position (ASCII-range text). */
export function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length & ~1, 4096);
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return 'utf-16be';
  return null;
}

function transcode(bytes: Uint8Array, label: string, fileName: string): Uint8Array {
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new EngineError('EncodingError', `${fileName} is not valid ${label} text.`, {
      file: fileName,
      hint: 'Save the file as UTF-8 (in a spreadsheet: "CSV UTF-8"), or choose the right encoding.',
    });
  }
  return new TextEncoder().encode(text);
}

/**
 * Detect the encoding (BOM, UTF-8 validity, Latin-1 fallback) or apply the forced one, and return
 * UTF-8 bytes. Throws EncodingError when the bytes cannot be the forced encoding.
 */
export function decodeToUtf8(bytes: Uint8Array, fileName: string, forced?: TextEncodingName): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const hasUtf8Bom = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf;
  const hasLeBom = b0 === 0xff && b1 === 0xfe;
  const hasBeBom = b0 === 0xfe && b1 === 0xff;
  const encoding: TextEncodingName =
    forced ??
    (hasLeBom ? 'utf-16le' : hasBeBom ? 'utf-16be' : hasUtf8Bom ? 'utf-8' : (sniffUtf16(bytes) ?? 'utf-8'));

  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const body = hasLeBom || hasBeBom ? bytes.subarray(2) : bytes;
    if (body.length % 2 !== 0) {
      throw new EngineError(
        'EncodingError',
        `${fileName} has an odd number of bytes, so it is not ${encoding}.`,
        {
          file: fileName,
          hint: 'Save the file as UTF-8, or choose another encoding.',
        },
      );
    }
    return { bytes: transcode(body, encoding, fileName), encoding };
  }
  if (encoding === 'latin1') {
    // WHATWG maps the label latin1 to windows-1252, which is what "Latin-1" files usually are.
    return { bytes: new TextEncoder().encode(new TextDecoder('windows-1252').decode(bytes)), encoding };
  }
  const body = hasUtf8Bom ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad === -1) return { bytes: body, encoding: 'utf-8' };
  if (forced === 'utf-8') {
    throw new EngineError(
      'EncodingError',
      `${fileName} is not valid UTF-8 (first bad byte at offset ${bad}).`,
      {
        file: fileName,
        offset: bad,
        hint: 'Choose the encoding the file was saved with (often Latin-1 / Windows-1252).',
      },
    );
  }
  return {
    bytes: new TextEncoder().encode(new TextDecoder('windows-1252').decode(body)),
    encoding: 'latin1',
  };
}
