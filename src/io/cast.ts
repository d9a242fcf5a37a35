/**
 * Re-type one column of a table (the user picked another type in the UI). Values are read back
 * as JS values and rebuilt with the same coercion rules as loading; those that do not convert
 * become null and are counted.
 */
import { type Data, type DataType, makeData, Schema, Struct, Table } from 'apache-arrow';
import { EngineError } from '../core/errors';
import { type ColumnType, isColumnType, TYPE_METADATA_KEY } from '../core/types';
import { fieldFor, INFERRED_METADATA_KEY, recordBatchOf } from './build';
import { recordDateFormats } from './dates';
import { columnTypeOfArrow } from './normalize';
import { columnFromValues } from './values';

export function castColumn(
  table: Table,
  column: string,
  to: ColumnType,
  /** For text → date/datetime: the strftime format to read; detected from the values when absent. */
  dateFormat?: string,
): { table: Table; failed: number } {
  const index = table.schema.fields.findIndex((f) => f.name === column);
  const field = table.schema.fields[index];
  const vector = table.getChildAt(index);
  if (field === undefined || vector === null) {
    throw new EngineError('InvalidArgument', `There is no column "${column}".`, { columnName: column });
  }
  const declared = field.metadata.get(TYPE_METADATA_KEY);
  const natural: ColumnType = columnTypeOfArrow(field.type as DataType) ?? 'text';
  const from: ColumnType = isColumnType(declared) ? declared : natural;
  const values = new Array<unknown>(vector.length);
  let present = 0;
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i);
    values[i] = v === undefined ? null : v;
    if (v !== null && v !== undefined) present++;
  }
  // Missing markers were already turned into nulls at load time; text like "NA" typed later is data.
  const built = columnFromValues(values, {
    forced: to,
    sourceType: from,
    ...(dateFormat ? { dateFormat } : {}),
  });
  const stillPresent = built.data.length - built.data.nullCount;
  const failed = Math.max(built.failed, present - stillPresent);

  const originalInferred = field.metadata.get(INFERRED_METADATA_KEY);
  const inferred = isColumnType(originalInferred) ? originalInferred : from;
  const newField = fieldFor(column, to, built.data.type, inferred);
  if (built.dateFormat !== undefined) {
    const alternative = built.dateAlternative;
    recordDateFormats(
      [newField],
      new Map([[column, built.dateFormat]]),
      alternative === undefined ? undefined : new Map([[column, alternative]]),
    );
  }
  const fields = table.schema.fields.map((f, i) => (i === index ? newField : f));
  const schema = new Schema(fields, table.schema.metadata);
  let offset = 0;
  const batches = table.batches.map((batch) => {
    const slice: Data = built.data.slice(offset, batch.numRows);
    offset += batch.numRows;
    const children = batch.data.children.map((child, i) => (i === index ? slice : child));
    return recordBatchOf(
      schema,
      makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }),
    );
  });
  return { table: new Table(schema, batches), failed };
}
