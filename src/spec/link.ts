/**
 * Share links: `#nb=v2.<base64url(deflate-raw(canonical JSON) ‖ CRC-32 of the deflated bytes)>`.
 * The notebook lives in the URL fragment, which browsers never send to a server. `v2` versions the
 * link encoding; the notebook inside carries its own document version (src/spec/migrate.ts
 * upgrades old documents; link formats are upgraded here, below, since they wrap the document).
 * Decoding treats the link as hostile: every stage has a bound (encoded length, inflated size,
 * then the limits of parse.ts) and its own message. The checksum makes a link with changed, lost
 * or added characters a damaged link — never a different notebook that happens to be valid — and
 * the deflate stream must end exactly where the payload ends (no trailing data).
 * Compression is the platform's CompressionStream (browsers, Node ≥ 18): no dependency.
 *
 * Link formats:
 * - v1 (the first release): no checksum. Still opened, with a warning, so old links keep working.
 * - v2: a 4-byte CRC-32 (big-endian) of the deflated bytes follows them inside the payload.
 */
import { canonicalJson } from './canonical.ts';
import type { Notebook } from './notebook.ts';
import { type ParseOptions, type ParseResult, parseNotebook, parseNotebookJson } from './parse.ts';

export const LINK_PARAM = 'nb';
/** The format encodeNotebookLink writes. */
export const LINK_VERSION = 2;
/** The oldest format still opened. */
export const OLDEST_LINK_VERSION = 1;
const CHECKSUM_BYTES = 4;
/** Characters of the `v1.…` value; far above any real notebook (20 steps take about 1 KB). */
export const MAX_LINK_CHARS = 64 * 1024;
/** Bytes the payload may inflate to; reading stops here, so a deflate bomb costs nothing. */
export const MAX_INFLATED_BYTES = 1024 * 1024;

/** Room for the page address in front of the fragment when a whole URL is pasted. */
const MAX_URL_PREFIX_CHARS = 8 * 1024;
/** Compressed bytes fed per write: bounds how far one write can inflate past the limit. */
const FEED_BYTES = 1024;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The fragment for `nb`, starting with '#'. Throws if the notebook is not valid (a link that could
 * not be opened again is worse than no link) or too large for a link.
 */
export async function encodeNotebookLink(nb: Notebook, options: ParseOptions = {}): Promise<string> {
  const checked = parseNotebook(nb, options);
  if (!checked.ok) throw new Error(`Cannot make a link: ${checked.error}`);
  const deflated = await transform(
    new TextEncoder().encode(canonicalJson(checked.notebook)),
    new CompressionStream('deflate-raw'),
  );
  const bytes = new Uint8Array(deflated.length + CHECKSUM_BYTES);
  bytes.set(deflated);
  new DataView(bytes.buffer).setUint32(deflated.length, crc32(deflated));
  const value = `v${LINK_VERSION}.${toBase64Url(bytes)}`;
  if (value.length > MAX_LINK_CHARS) {
    throw new Error(
      `Cannot make a link: the notebook takes ${value.length} characters, more than ${MAX_LINK_CHARS}.`,
    );
  }
  return `#${LINK_PARAM}=${value}`;
}

/** Whether a fragment (or URL) carries a notebook, valid or not, so the app knows to try opening it. */
export function fragmentHasNotebook(hashOrUrl: string): boolean {
  return notebookParam(hashOrUrl) !== undefined;
}

/** Opens a link given as a whole URL, a fragment (`#nb=…`) or the bare `nb=…` parameter. */
export async function decodeNotebookLink(
  hashOrUrl: string,
  options: ParseOptions = {},
): Promise<ParseResult> {
  const fail = (error: string): ParseResult => ({ ok: false, error });
  if (hashOrUrl.length > MAX_LINK_CHARS + MAX_URL_PREFIX_CHARS) {
    return fail(
      `The link is too long (${hashOrUrl.length} characters); notebook links are at most ${MAX_LINK_CHARS}.`,
    );
  }
  const value = notebookParam(hashOrUrl);
  if (value === undefined) return fail(`The link has no notebook in it (nothing after "#${LINK_PARAM}=").`);
  if (value.length > MAX_LINK_CHARS) {
    return fail(
      `The link is too long (${value.length} characters); notebook links are at most ${MAX_LINK_CHARS}.`,
    );
  }
  const versioned = /^v(\d{1,6})\.(.*)$/s.exec(value);
  if (!versioned) return fail(`The link's notebook must start with "v${LINK_VERSION}."; this one does not.`);
  const version = Number(versioned[1]);
  if (version > LINK_VERSION || version < OLDEST_LINK_VERSION) {
    return fail(
      version > LINK_VERSION
        ? `The link uses format v${version}, made by a newer Benchtop; reload the page to update, then open it again.`
        : `The link uses format v${version}, which this Benchtop cannot read.`,
    );
  }
  const payload = versioned[2] ?? '';
  if (payload === '')
    return fail(`The link is empty after "v${version}.": it was probably cut off when copied.`);
  const bad = /[^A-Za-z0-9_-]/.exec(payload);
  if (bad) {
    return fail(
      `The link contains ${JSON.stringify(bad[0])} at position ${bad.index + 1}, which cannot occur in a notebook link.`,
    );
  }
  if (payload.length % 4 === 1) return fail('The link is damaged: it was probably cut off when copied.');
  const bytes = fromBase64Url(payload);

  const warnings: string[] = [];
  let deflated = bytes;
  if (version >= 2) {
    if (bytes.length <= CHECKSUM_BYTES)
      return fail('The link is damaged: it was probably cut off when copied.');
    deflated = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
    const expected = new DataView(bytes.buffer, bytes.byteOffset).getUint32(deflated.length);
    if (crc32(deflated) !== expected) return fail(DAMAGED);
  } else {
    warnings.push(
      'This link was made by an older Benchtop (link format v1, without a checksum), so a damaged copy cannot be told from the original: check the steps before relying on the results.',
    );
  }

  const inflated = await inflateLimited(deflated, MAX_INFLATED_BYTES);
  if (inflated === 'corrupt') {
    return fail(
      'The link is damaged: its compressed data is incomplete or corrupt (was it cut off when copied?).',
    );
  }
  if (inflated === 'too-large') {
    return fail(
      `The link expands to more than ${MAX_INFLATED_BYTES / 1024} KB, far more than any notebook; it was refused.`,
    );
  }
  // The compressed notebook must end where the payload ends: one byte less must be incomplete.
  // (Browsers refuse trailing data themselves; Node's DecompressionStream ignores it.)
  if ((await inflateLimited(deflated.subarray(0, deflated.length - 1), MAX_INFLATED_BYTES)) !== 'corrupt') {
    return fail(
      'The link has extra data after the notebook: it was changed or joined with other text when copied.',
    );
  }
  // The last character may carry bits beyond the last byte; a writer leaves them 0, so a last
  // character changed only in them is still a changed link.
  if (toBase64Url(bytes) !== payload) {
    return fail(version >= 2 ? DAMAGED : 'The link is damaged: its last character was changed when copied.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return fail('The link does not contain text (invalid UTF-8).');
  }
  const result = parseNotebookJson(text, options);
  return result.ok ? { ...result, warnings: [...warnings, ...result.warnings] } : result;
}

const DAMAGED =
  'The link is damaged: its checksum does not match, so characters were changed, lost or added when it was copied. Ask for the link again.';

let crcTable: Uint32Array | undefined;

/** CRC-32 (the polynomial of zip, PNG and gzip). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The raw `nb` value from `a&nb=…&b` in the fragment of a URL, a fragment, or a bare parameter list. */
function notebookParam(hashOrUrl: string): string | undefined {
  const hash = hashOrUrl.indexOf('#');
  const fragment = hash >= 0 ? hashOrUrl.slice(hash + 1) : hashOrUrl;
  const prefix = `${LINK_PARAM}=`;
  for (const part of fragment.split('&')) if (part.startsWith(prefix)) return part.slice(prefix.length);
  return undefined;
}

/**
 * Inflates `bytes`, stopping as soon as the output passes `limit`. Input is fed in small writes so
 * the stream's backpressure keeps the decompressor from running far ahead of this reader.
 */
async function inflateLimited(
  bytes: Uint8Array<ArrayBuffer>,
  limit: number,
): Promise<Uint8Array | 'corrupt' | 'too-large'> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  const feeding = (async () => {
    for (let at = 0; at < bytes.length && !stopped; at += FEED_BYTES) {
      await writer.write(bytes.subarray(at, at + FEED_BYTES));
    }
    if (!stopped) await writer.close();
  })();
  // Its failures are the reader's failures too, and are reported there.
  feeding.catch(() => {});

  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        stopped = true;
        await reader.cancel().catch(() => {});
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    stopped = true;
    return 'corrupt';
  }
  return concat(chunks, total);
}

async function transform(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes).then(() => writer.close());
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  await written;
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += BASE64URL[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** Decodes unpadded base64url; the caller has checked the alphabet and that length % 4 !== 1. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    buffer = ((buffer << 6) | BASE64URL.indexOf(text.charAt(i))) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}
