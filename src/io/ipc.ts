/** Arrow IPC (file `ARROW1…` or stream) → a table normalized to the project's column contract. */
import { type RecordBatch, RecordBatchReader, Table } from 'apache-arrow';
import { EngineError } from '../core/errors';
import type { Progress } from '../core/job';
import { IpcInvalid, validateIpc } from './ipc-validate';
import { converting, normalizeOrExplain, PARSED } from './normalize';
import type { LoadReport } from './types';

function invalid(fileName: string, why: string): EngineError {
  return new EngineError('ParseError', `${fileName} is not a readable Arrow IPC file: ${why}.`, {
    file: fileName,
    hint: 'The file may be truncated or not Arrow; export it again (Arrow IPC / Feather v2).',
  });
}

/** How often the reader reports progress, at most (a file of 60,000 small batches reads each
 * in microseconds). */
const PROGRESS_MS = 100;

/** The share of the progress bar for checking the file's structure (`validateIpc`). */
const CHECKED = 0.1;

/**
 * Reads an Arrow IPC file or stream. The batches are decoded one by one (what `tableFromIPC`
 * does in one call) so that `onProgress` hears 'Checking' (bytes of the structure checked),
 * 'Parsing' (rows read out of the rows the batches claim), then 'Converting columns'.
 */
export function parseIpc(
  input: Uint8Array,
  fileName: string,
  onProgress?: (p: Progress) => void,
): { table: Table; report: LoadReport } {
  const started = performance.now();
  // apache-arrow views buffers in place as typed arrays, which need aligned offsets.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  // A stream ends with the end-of-stream marker (0xFFFFFFFF 0x00000000, or 4 zero bytes in the
  // pre-1.0 format); without it a stream cut between two messages would read as a shorter table.
  const isFile = bytes[0] === 0x41 && bytes[1] === 0x52 && bytes[5] === 0x31;
  const tail = bytes.subarray(Math.max(0, bytes.length - 8));
  const endsWithEos =
    (tail.length === 8 &&
      tail[0] === 0xff &&
      tail[1] === 0xff &&
      tail[2] === 0xff &&
      tail[3] === 0xff &&
      tail[4] === 0 &&
      tail[5] === 0 &&
      tail[6] === 0 &&
      tail[7] === 0) ||
    (tail.length >= 4 && tail.subarray(tail.length - 4).every((b) => b === 0));
  if (!isFile && !endsWithEos) throw invalid(fileName, 'the stream has no end marker, so it looks truncated');
  // 'Checking' the messages, then 'Parsing' the batches: each phase's first report, then at most
  // one per PROGRESS_MS.
  let reported = Number.NEGATIVE_INFINITY;
  let phase = '';
  const report = (p: Progress): void => {
    const now = performance.now();
    if (!onProgress || (p.phase === phase && now - reported < PROGRESS_MS)) return;
    reported = now;
    phase = p.phase;
    onProgress(p);
  };
  let total: number;
  try {
    total = validateIpc(bytes, (at) =>
      report({ phase: 'Checking', fraction: CHECKED * (at / bytes.length), done: at, total: bytes.length }),
    );
  } catch (e) {
    if (e instanceof IpcInvalid && e.unsupported) {
      throw new EngineError('UnsupportedFormat', `${fileName} cannot be read: ${e.message}.`, {
        file: fileName,
        hint: 'Save it again as uncompressed Arrow IPC (Feather v2) with common column types, or as Parquet.',
      });
    }
    throw invalid(fileName, e instanceof IpcInvalid ? e.message : 'its structure is damaged');
  }
  let raw: Table;
  try {
    const reader = RecordBatchReader.from(bytes);
    const batches: RecordBatch[] = [];
    let rows = 0;
    for (const batch of reader) {
      batches.push(batch);
      rows += batch.numRows;
      if (total > 0) {
        const fraction = CHECKED + (PARSED - CHECKED) * Math.min(1, rows / total);
        report({ phase: 'Parsing', fraction, done: rows, total });
      }
    }
    raw = new Table(batches);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw invalid(
      fileName,
      /Expected to read/.test(message)
        ? `it ends too early, the file looks truncated (${message})`
        : 'its structure is damaged or the file is truncated',
    );
  }
  // A stream cut inside its schema message decodes to an empty table without an error.
  if (raw.schema.fields.length === 0) throw invalid(fileName, 'no columns could be read');
  const { table, warnings } = normalizeOrExplain(raw, fileName, invalid, converting(onProgress));
  return {
    table,
    report: {
      format: 'arrow',
      raggedRows: [],
      raggedCount: 0,
      warnings,
      parseMs: performance.now() - started,
    },
  };
}
