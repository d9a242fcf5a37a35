/**
 * Getting the bytes of a file or a URL into the worker, with progress and cancel, before any
 * parsing: size limits (a tab cannot hold more than a few GiB), chunked reads, and the messages
 * for empty files, bad addresses and failed downloads.
 */
import { EngineError, throwIfAborted } from '../src/core/errors';
import { formatBytes } from '../src/core/format';
import type { Progress } from '../src/core/job';

/** Chrome caps a single ArrayBuffer at a few GiB, and the parsed table needs room too. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;

export function checkSize(size: number, fileName: string, max: number): void {
  if (size > max) {
    throw new EngineError(
      'OutOfMemory',
      `"${fileName}" is ${formatBytes(size)}, more than this tab can hold in memory (${formatBytes(max)}).`,
      {
        file: fileName,
        size,
        hint: 'Split the file, or convert it to Parquet, which is several times smaller.',
      },
    );
  }
}

/** The bytes of a picked or dropped file. */
export async function readFileBytes(
  file: Blob,
  fileName: string,
  max: number,
  signal: AbortSignal,
  progress: (p: Progress) => void,
): Promise<Uint8Array> {
  if (file.size === 0) {
    throw new EngineError('EmptyFile', `"${fileName}" is empty (0 bytes).`, {
      file: fileName,
      hint: 'Check that you picked the right file and that it finished downloading.',
    });
  }
  checkSize(file.size, fileName, max);
  return readBlob(file, signal, (done) =>
    progress({ phase: 'Reading file', fraction: done / file.size, done, total: file.size }),
  );
}

/** Reads a Blob in chunks into one buffer, so that progress shows and cancel works mid-read. */
async function readBlob(
  blob: Blob,
  signal: AbortSignal,
  onBytes: (done: number) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(blob.size);
  const reader = blob.stream().getReader();
  let offset = 0;
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, offset);
      offset += value.byteLength;
      onBytes(offset);
    }
  } finally {
    reader.releaseLock();
  }
  return offset === out.byteLength ? out : out.subarray(0, offset);
}

/** Downloads a user-given http(s) URL; the file name is the last path segment. */
export async function downloadUrl(
  url: string,
  max: number,
  signal: AbortSignal,
  progress: (p: Progress) => void,
): Promise<{ bytes: Uint8Array; fileName: string; href: string }> {
  const parsed = parseUserUrl(url);
  const last = parsed.pathname.split('/').filter(Boolean).pop();
  const fileName = last ? decodePathSegment(last) : parsed.hostname;
  const bytes = await fetchUrl(parsed, signal, max, (done, total) =>
    progress({
      phase: 'Downloading',
      fraction: total ? done / total : null,
      done,
      ...(total ? { total } : {}),
    }),
  );
  return { bytes, fileName, href: parsed.href };
}

/** A path segment as text; a malformed percent-escape stays as written instead of throwing. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseUserUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url).trim());
  } catch {
    throw new EngineError('InvalidArgument', `"${url}" is not a valid URL.`, {
      hint: 'Enter a full address starting with https://',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new EngineError(
      'InvalidArgument',
      `Only http and https URLs can be loaded, not "${parsed.protocol}".`,
    );
  }
  return parsed;
}

async function fetchUrl(
  url: URL,
  signal: AbortSignal,
  max: number,
  onBytes: (done: number, total: number | null) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    if (signal.aborted) throw new EngineError('Cancelled', 'The job was cancelled.');
    throw new EngineError('NetworkError', `Could not download ${url.href}: ${(e as Error).message}.`, {
      file: url.href,
      hint: 'Check the address and your connection. The server must allow cross-origin requests (CORS); if it does not, download the file and open it from disk.',
    });
  }
  if (!response.ok) {
    throw new EngineError(
      'NetworkError',
      `Downloading ${url.href} failed: HTTP ${response.status} ${response.statusText}.`,
      {
        file: url.href,
        status: response.status,
        hint: 'Check that the address is right and the file is public.',
      },
    );
  }
  const total = Number(response.headers.get('content-length')) || null;
  if (total !== null) checkSize(total, url.href, max);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let done = 0;
  const reader = response.body.getReader();
  for (;;) {
    throwIfAborted(signal);
    const r = await reader.read();
    if (r.done) break;
    chunks.push(r.value);
    done += r.value.byteLength;
    checkSize(done, url.href, max);
    onBytes(done, total);
  }
  const out = new Uint8Array(done);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
