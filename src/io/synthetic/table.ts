/** The synthetic columns (./generate.ts) as an Arrow table, with progress and cancel. */
import {
  Bool,
  type Data,
  type DataType,
  DateDay,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { EngineError, throwIfAborted } from '../../core/errors';
import { TYPE_METADATA_KEY } from '../../core/types';
import type { SyntheticOptions } from '../types';
import { type Column, generate, generateSteps, MAX_WORDS, type TextColumn, WORDS } from './generate';

// ---------------------------------------------------------------------------------------------
// Arrow

const encoder = new TextEncoder();

function bitmap(bits: Uint8Array, rows: number): Uint8Array {
  const packed = new Uint8Array(Math.ceil(rows / 8));
  for (let i = 0; i < rows; i++) if (bits[i]) packed[i >> 3]! |= 1 << (i & 7);
  return packed;
}

function utf8Data(strings: string[]): Data<Utf8> {
  const encoded = strings.map((s) => encoder.encode(s));
  const offsets = new Int32Array(strings.length + 1);
  let total = 0;
  encoded.forEach((bytes, k) => {
    total += bytes.length;
    offsets[k + 1] = total;
  });
  const data = new Uint8Array(total);
  encoded.forEach((bytes, k) => {
    data.set(bytes, offsets[k]!);
  });
  return makeData({ type: new Utf8(), length: strings.length, nullCount: 0, valueOffsets: offsets, data });
}

function textData(text: TextColumn, rows: number, valid: Uint8Array | null, nullCount: number): Data<Utf8> {
  const wordBytes = WORDS.map((w) => encoder.encode(w));
  const offsets = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (!valid || valid[i]) {
      const count = text.counts[i]!;
      for (let w = 0; w < count; w++) total += wordBytes[text.words[i * MAX_WORDS + w]!]!.length;
      total += count - 1; // spaces
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < rows; i++) {
    let at = offsets[i]!;
    if (at === offsets[i + 1]) continue;
    const count = text.counts[i]!;
    for (let w = 0; w < count; w++) {
      if (w > 0) data[at++] = 0x20;
      const bytes = wordBytes[text.words[i * MAX_WORDS + w]!]!;
      data.set(bytes, at);
      at += bytes.length;
    }
  }
  return makeData({
    type: new Utf8(),
    length: rows,
    nullCount,
    nullBitmap: valid ? bitmap(valid, rows) : null,
    valueOffsets: offsets,
    data,
  });
}

/**
 * Dictionary ids are written into IPC, and arrow's default (a global counter) would make the same
 * seed give different bytes. A fixed id per column position is unique within a table, safe to share
 * between synthetic tables (same position → same kind → same dictionary) and far above the
 * counter's range, so it never meets another table's auto-numbered dictionary.
 */
const dictionaryId = (columnIndex: number): number => 1_000_000_000 + columnIndex;

function arrowData(column: Column, rows: number, columnIndex: number): Data {
  const nullBitmap = column.valid ? bitmap(column.valid, rows) : null;
  const common = { length: rows, nullCount: column.nullCount, nullBitmap };
  switch (column.type) {
    case 'float':
      return makeData({ type: new Float64(), ...common, data: column.values as Float64Array });
    case 'integer':
      return makeData({ type: new Int32(), ...common, data: column.values as Int32Array });
    case 'date':
      return makeData({ type: new DateDay(), ...common, data: column.values as Int32Array });
    case 'boolean':
      return makeData({ type: new Bool(), ...common, data: bitmap(column.values as Uint8Array, rows) });
    case 'datetime': {
      const ms = column.values as Float64Array;
      const data = new BigInt64Array(rows);
      // Write the int64s as two int32 halves: far faster than a BigInt per value.
      const halves = new Int32Array(data.buffer);
      for (let i = 0; i < rows; i++) {
        const v = ms[i]!;
        const high = Math.floor(v / 4294967296);
        halves[2 * i] = v - high * 4294967296;
        halves[2 * i + 1] = high;
      }
      return makeData({ type: new TimestampMillisecond(), ...common, data });
    }
    case 'categorical':
      return makeData({
        type: new Dictionary(new Utf8(), new Int32(), dictionaryId(columnIndex)),
        ...common,
        data: column.values as Int32Array,
        dictionary: makeVector(utf8Data(column.dictionary ?? [])),
      });
    case 'text':
      return textData(column.text!, rows, column.valid, column.nullCount);
    default:
      throw new EngineError('InternalError', `No Arrow type for column type ${column.type}.`);
  }
}

/**
 * A seeded synthetic Arrow table: `options.rows` rows, `options.columns` (default 20) feature
 * columns plus `target` (see the module comment). `onProgress` gets the fraction done; `signal`
 * cancels between columns with EngineError('Cancelled').
 */
export function syntheticTable(
  options: SyntheticOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Table {
  throwIfAborted(signal);
  const columns = generate(options, (done, total) => {
    throwIfAborted(signal);
    // Generating is ~80% of the work, building Arrow data the rest.
    onProgress?.((0.8 * done) / total);
  });
  return assemble(options.rows, columns, onProgress, signal);
}

/**
 * As syntheticTable, but yields to the event loop after every column, so that a worker stays
 * responsive while it generates: a cancel message is handled between columns.
 */
export async function syntheticTableAsync(
  options: SyntheticOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Table> {
  throwIfAborted(signal);
  const steps = generateSteps(options);
  let columns: Column[];
  for (;;) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfAborted(signal);
    const r = steps.next();
    if (r.done) {
      columns = r.value;
      break;
    }
    onProgress?.((0.8 * r.value[0]) / r.value[1]);
  }
  return assemble(options.rows, columns, onProgress, signal);
}

function assemble(
  rows: number,
  columns: Column[],
  onProgress: ((fraction: number) => void) | undefined,
  signal: AbortSignal | undefined,
): Table {
  const fields: Field[] = [];
  const children: Data[] = [];
  columns.forEach((column, j) => {
    const data = arrowData(column, rows, j);
    children.push(data);
    fields.push(
      new Field(
        column.name,
        data.type as DataType,
        column.missingRate > 0,
        new Map([[TYPE_METADATA_KEY, column.type]]),
      ),
    );
    throwIfAborted(signal);
    onProgress?.(0.8 + (0.2 * (j + 1)) / columns.length);
  });
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table([new RecordBatch(schema, struct)]);
}
