/**
 * Bring a table read from Arrow IPC or Parquet to the project's column contract: one canonical
 * Arrow type per ColumnType (see build.ts), TYPE_METADATA_KEY on every field, structs flattened
 * to `a.b` columns, lists/maps/binary kept as JSON text with a warning.
 */
import {
  type Data,
  type DataType,
  type Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Type,
  type Vector,
} from 'apache-arrow';
import { type ColumnType, isColumnType, TYPE_METADATA_KEY } from '../core/types';
import { fieldFor } from './build';
import { columnFromValues } from './values';

/** The ColumnType an Arrow type maps to, or null for types kept as JSON text. */
export function columnTypeOfArrow(type: DataType): ColumnType | null {
  switch (type.typeId) {
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64:
      return 'integer';
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
    case Type.Decimal:
      return 'float';
    case Type.Bool:
      return 'boolean';
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return 'date';
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond:
      return 'datetime';
    case Type.Dictionary:
      return 'categorical';
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return 'text';
    default:
      return null;
  }
}

/** Whether `type` already is the canonical Arrow type of `columnType`. */
function isCanonical(type: DataType, columnType: ColumnType): boolean {
  switch (columnType) {
    case 'integer':
      return (
        type.typeId === Type.Int &&
        (type as unknown as { bitWidth: number; isSigned: boolean }).bitWidth === 32 &&
        (type as unknown as { isSigned: boolean }).isSigned
      );
    case 'float':
      return type.typeId === Type.Float && (type as unknown as { precision: number }).precision === 2;
    case 'boolean':
      return type.typeId === Type.Bool;
    case 'date':
      return type.typeId === Type.Date && (type as unknown as { unit: number }).unit === 0;
    case 'datetime':
      return (
        type.typeId === Type.Timestamp &&
        (type as unknown as { unit: number; timezone: string | null }).unit === 1
      );
    case 'categorical': {
      if (type.typeId !== Type.Dictionary) return false;
      const d = type as unknown as { dictionary: DataType; indices: { bitWidth: number; isSigned: boolean } };
      return d.dictionary.typeId === Type.Utf8 && d.indices.bitWidth === 32 && d.indices.isSigned;
    }
    case 'text':
      return type.typeId === Type.Utf8;
  }
}

interface OutColumn {
  field: Field;
  chunks: Data[];
}

function vectorValues(vector: Vector): unknown[] {
  const out = new Array<unknown>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector.get(i);
  return out;
}

/** Split one Data into chunks of the given lengths (zero-copy slices). */
function sliceLike(data: Data, lengths: readonly number[]): Data[] {
  const chunks: Data[] = [];
  let offset = 0;
  for (const len of lengths) {
    chunks.push(data.slice(offset, len));
    offset += len;
  }
  return chunks;
}

export function normalizeTable(table: Table): { table: Table; warnings: string[] } {
  const warnings: string[] = [];
  const lengths = table.batches.map((b) => b.numRows);
  const out: OutColumn[] = [];

  const visit = (name: string, field: Field, vector: Vector): void => {
    const type = field.type as DataType;
    if (type.typeId === Type.Struct) {
      const children = (type as Struct).children;
      warnings.push(`Nested column "${name}" was flattened into ${children.length} columns (${name}.…).`);
      children.forEach((child, k) => {
        const childVector = vector.getChildAt(k);
        if (childVector) visit(`${name}.${child.name}`, child, childVector);
      });
      return;
    }
    const declared = field.metadata.get(TYPE_METADATA_KEY);
    const natural = columnTypeOfArrow(type);
    if (natural === null) {
      warnings.push(`Column "${name}" has Arrow type ${String(type)}; it was kept as JSON text.`);
      const built = columnFromValues(
        vectorValues(vector).map((v) => (v === null || v === undefined ? null : toJsonValue(v))),
        { forced: 'text' },
      );
      out.push({ field: fieldFor(name, 'text', built.data.type), chunks: sliceLike(built.data, lengths) });
      return;
    }
    const wanted: ColumnType = isColumnType(declared) ? declared : natural;
    if (isCanonical(type, wanted)) {
      const metadata = new Map(field.metadata);
      metadata.set(TYPE_METADATA_KEY, wanted);
      const f = fieldFor(name, wanted, type);
      for (const [k, v] of metadata) f.metadata.set(k, v);
      out.push({ field: f, chunks: vector.data as Data[] });
      return;
    }
    const built = columnFromValues(vectorValues(vector), { forced: wanted, sourceType: natural });
    if (built.failed > 0)
      warnings.push(`${built.failed} values of column "${name}" could not be read as ${wanted}.`);
    out.push({ field: fieldFor(name, wanted, built.data.type), chunks: sliceLike(built.data, lengths) });
  };

  table.schema.fields.forEach((field, i) => {
    const vector = table.getChildAt(i);
    if (vector) visit(field.name, field, vector);
  });
  const schema = new Schema(
    out.map((c) => c.field),
    table.schema.metadata,
  );
  const batches = lengths.map(
    (len, b) =>
      new RecordBatch(
        schema,
        makeData({
          type: new Struct(schema.fields),
          length: len,
          nullCount: 0,
          children: out.map((c) => c.chunks[b]!),
        }),
      ),
  );
  return { table: batches.length > 0 ? new Table(schema, batches) : new Table(schema), warnings };
}

function toJsonValue(v: unknown): unknown {
  if (
    v &&
    typeof v === 'object' &&
    'toJSON' in v &&
    typeof (v as { toJSON: unknown }).toJSON === 'function'
  ) {
    return JSON.stringify((v as { toJSON: () => unknown }).toJSON(), (_k, x) =>
      typeof x === 'bigint' ? Number(x) : x,
    );
  }
  if (v instanceof Uint8Array) return JSON.stringify(Array.from(v));
  return v;
}
