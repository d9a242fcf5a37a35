/**
 * Re-typing a column without losing it. The first time a column is re-typed, its data as loaded is
 * kept; every later type is cast from that original (never from an earlier cast, which may have
 * dropped values: categories read as integers are all missing), and choosing the original type
 * again puts the original data back exactly.
 */
import { type Data, type Field, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import { type ColumnType, isColumnType, TYPE_METADATA_KEY } from '../core/types';
import { castColumn } from './cast';
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

/**
 * Re-types `column` to `type`, casting from its original data (kept in `originals` on the first
 * call). Returns the new table and how many present values could not be read as `type`.
 */
export function retypeColumn(
  table: Table,
  column: string,
  type: ColumnType,
  originals: OriginalColumns,
): { table: Table; failed: number } {
  const index = table.schema.fields.findIndex((f) => f.name === column);
  const vector = index >= 0 ? table.getChildAt(index) : null;
  // castColumn names a missing column.
  if (index < 0 || vector === null) return castColumn(table, column, type);
  if (!originals.has(column))
    originals.set(column, { field: table.schema.fields[index]!, chunks: vector.data });
  const original = originals.get(column)!;
  const source = withColumn(table, index, original);
  // Batches re-cut since (not done by anything today): cast from the current data instead.
  if (!source) return castColumn(table, column, type);
  if (type === typeOf(original.field)) return { table: source, failed: 0 };
  return castColumn(source, column, type);
}
