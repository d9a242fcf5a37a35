/**
 * Re-typing a column without losing it. The first time a column is re-typed, its data as loaded is
 * kept; every later type is cast from that original (never from an earlier cast, which may have
 * dropped values: categories read as integers are all missing), and choosing the original type
 * again puts the original data back exactly.
 *
 * A date format re-reads the column's text: the original text when it was loaded as text, else
 * the text of its dates written back in the format they were read with on load (every value of
 * such a column fitted that format, and `formatDate` is its inverse, so this is the same text up
 * to padding, spacing and letter case — which no format tells apart).
 */
import {
  type Data,
  Field,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
} from 'apache-arrow';
import { type ColumnType, isColumnType, TYPE_METADATA_KEY } from '../core/types';
import { fieldFor, utf8FromStrings } from './build';
import { castColumn } from './cast';
import {
  checkDateFormat,
  DATE_ALTERNATIVE_METADATA_KEY,
  DATE_FORMAT_METADATA_KEY,
  dateFormatter,
  ISO_DATETIME_FORMAT,
} from './dates';
import { columnTypeOfArrow } from './normalize';

/** A column as loaded: its field and its data, one piece per record batch. */
export interface OriginalColumn {
  field: Field;
  chunks: readonly Data[];
}

/** The original of each column re-typed so far, by name (owned by the dataset). */
export type OriginalColumns = Map<string, OriginalColumn>;

function typeOf(field: Field): ColumnType {
  const declared = field.metadata.get(TYPE_METADATA_KEY);
  return isColumnType(declared) ? declared : (columnTypeOfArrow(field.type) ?? 'text');
}

/** `table` with column `index` replaced by `column`, when its pieces line up with the batches. */
function withColumn(table: Table, index: number, column: OriginalColumn): Table | null {
  const batches = table.batches;
  if (column.chunks.length !== batches.length) return null;
  if (column.chunks.some((c, i) => c.length !== batches[i]!.numRows)) return null;
  const fields = table.schema.fields.map((f, i) => (i === index ? column.field : f));
  const schema = new Schema(fields, table.schema.metadata);
  return new Table(
    schema,
    batches.map((batch, b) => {
      const children = batch.data.children.map((child, i) => (i === index ? column.chunks[b]! : child));
      return new RecordBatch(
        schema,
        makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }),
      );
    }),
  );
}

/** The original date column as text in the format it was read with, cut like the original. */
function datesAsText(original: OriginalColumn, type: ColumnType): OriginalColumn {
  const format = original.field.metadata.get(DATE_FORMAT_METADATA_KEY) ?? ISO_DATETIME_FORMAT;
  const write = dateFormatter(format, type === 'date');
  const chunks = original.chunks.map((chunk) => {
    const text: (string | null)[] = new Array(chunk.length);
    const vector = makeVector(chunk);
    for (let i = 0; i < chunk.length; i++) {
      const v = vector.get(i) as number | Date | null;
      text[i] = v === null ? null : write(typeof v === 'number' ? v : v.getTime());
    }
    return utf8FromStrings(text);
  });
  // Inferred stays what the load found (a date type), as for any other cast.
  return { field: fieldFor(original.field.name, 'text', new Utf8(), type), chunks };
}

/** The field without the "order was a guess" note: the user chose the format. */
function settled(table: Table, index: number): Table {
  const field = table.schema.fields[index]!;
  if (!field.metadata.has(DATE_ALTERNATIVE_METADATA_KEY)) return table;
  const metadata = new Map(field.metadata);
  metadata.delete(DATE_ALTERNATIVE_METADATA_KEY);
  const column = table.getChildAt(index)!;
  return (
    withColumn(table, index, {
      field: new Field(field.name, field.type, field.nullable, metadata),
      chunks: column.data,
    }) ?? table
  );
}

/**
 * Re-types `column` to `type`, casting from its original data (kept in `originals` on the first
 * call). With `dateFormat` (strftime, or "ISO8601"; only for date/datetime) the column's text is
 * read with exactly that format. Returns the new table and how many present values could not be
 * read as `type` (or did not fit the format) and are missing in it.
 */
export function retypeColumn(
  table: Table,
  column: string,
  type: ColumnType,
  originals: OriginalColumns,
  dateFormat?: string,
): { table: Table; failed: number } {
  const format = type === 'date' || type === 'datetime' ? dateFormat : undefined;
  // A bad format is refused before anything changes.
  if (format !== undefined) checkDateFormat(format);
  const index = table.schema.fields.findIndex((f) => f.name === column);
  const vector = index >= 0 ? table.getChildAt(index) : null;
  // castColumn names a missing column.
  if (index < 0 || vector === null) return castColumn(table, column, type, format);
  if (!originals.has(column))
    originals.set(column, { field: table.schema.fields[index]!, chunks: vector.data });
  const original = originals.get(column)!;
  const source = withColumn(table, index, original);
  // Batches re-cut since (not done by anything today): cast from the current data instead.
  if (!source) return castColumn(table, column, type, format);
  const originalType = typeOf(original.field);
  if (format === undefined) {
    if (type === originalType) return { table: source, failed: 0 };
    return castColumn(source, column, type);
  }
  const loadedFormat = original.field.metadata.get(DATE_FORMAT_METADATA_KEY);
  if (type === originalType && format === loadedFormat) return { table: settled(source, index), failed: 0 };
  if (originalType === 'date' || originalType === 'datetime') {
    const asText = withColumn(table, index, datesAsText(original, originalType));
    if (asText) return castColumn(asText, column, type, format);
  }
  return castColumn(source, column, type, format);
}
