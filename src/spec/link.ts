/**
 * Share links: `#nb=v1.<base64url(deflate-raw(canonical JSON))>`. The notebook lives in the URL
 * fragment, which browsers never send to a server. `v1` versions the link encoding; the notebook
 * inside carries its own document version. Decoding treats the link as hostile: every stage has a
 * bound (encoded length, inflated size, then the limits of parse.ts) and its own message.
 * Compression is the platform's CompressionStream (browsers, Node ≥ 18): no dependency.
 */
import { canonicalJson } from './canonical.ts';
import type { Notebook } from './notebook.ts';
import { type ParseOptions, type ParseResult, parseNotebook, parseNotebookJson } from './parse.ts';

export const LINK_PARAM = 'nb';
export const LINK_VERSION = 1;
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
export async function encodeNotebookLink(nb: Notebook): Promise<string> {
  const checked = parseNotebook(nb);
  if (!checked.ok) throw new Error(`Cannot make a link: ${checked.error}`);
  const bytes = await transform(
    new TextEncoder().encode(canonicalJson(checked.notebook)),
    new CompressionStream('deflate-raw'),
  );
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
  if (version !== LINK_VERSION) {
    return fail(
      version > LINK_VERSION
        ? `The link uses format v${version}, made by a newer Benchtop; reload the page to update, then open it again.`
        : `The link uses format v${version}, which this Benchtop cannot read.`,
    );
  }
  const payload = versioned[2] ?? '';
  if (payload === '') return fail('The link is empty after "v1.": it was probably cut off when copied.');
  const bad = /[^A-Za-z0-9_-]/.exec(payload);
  if (bad) {
    return fail(
      `The link contains ${JSON.stringify(bad[0])} at position ${bad.index + 1}, which cannot occur in a notebook link.`,
    );
  }
  if (payload.length % 4 === 1) return fail('The link is damaged: it was probably cut off when copied.');

  const inflated = await inflateLimited(fromBase64Url(payload), MAX_INFLATED_BYTES);
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
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return fail('The link does not contain text (invalid UTF-8).');
  }
  return parseNotebookJson(text, options);
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
