/**
 * apache-arrow 21's `Schema.prototype.assign` looks each incoming field up by name with
 * `findIndex` over the fields before it: quadratic in the column count. Every
 * `new RecordBatch(schema, data)` calls it (through `ensureSameLengthData`), including the one
 * per record batch inside `tableFromIPC`, so reading back a 100,000-column Arrow file — our own
 * stored copy of a wide CSV — took a minute of CPU (20,000 columns: 2.3 s). This replaces it with
 * the same algorithm over a name → index map: same result (first field of a name wins, its
 * metadata merged; unknown names appended in order; dictionaries collected), linear time.
 * Imported for its effect by build.ts, which every reader loads; tests/io/arrow-schema.test.ts
 * checks it against the original.
 */
import { DataType, type Field, Schema } from 'apache-arrow';

function mergeMaps<K, V>(a: Map<K, V> | null | undefined, b: Map<K, V> | null | undefined): Map<K, V> {
  return new Map([...(a ?? new Map<K, V>()), ...(b ?? new Map<K, V>())]);
}

function collectDictionaries(fields: readonly Field[], into: Map<number, DataType>): Map<number, DataType> {
  for (const field of fields) {
    const type = field.type as DataType & { id?: number; dictionary?: DataType };
    if (DataType.isDictionary(type)) {
      const known = into.get(type.id!);
      if (known === undefined) into.set(type.id!, type.dictionary!);
      else if (known !== type.dictionary) {
        throw new Error('Cannot create Schema containing two different dictionaries with the same Id');
      }
    }
    if (type.children && type.children.length > 0) collectDictionaries(type.children, into);
  }
  return into;
}

/** The original, kept for the equivalence test. */
export const originalAssign = Schema.prototype.assign;

export function linearAssign(this: Schema, ...args: unknown[]): Schema {
  const first = args[0];
  const other =
    first instanceof Schema
      ? first
      : Array.isArray(first)
        ? new Schema(first as Field[])
        : new Schema(args as Field[]);
  const current = [...this.fields];
  const metadata = mergeMaps(mergeMaps(new Map(), this.metadata), other.metadata);
  const index = new Map<string, number>();
  current.forEach((f, i) => {
    if (!index.has(f.name)) index.set(f.name, i);
  });
  const added = other.fields.filter((incoming) => {
    const i = index.get(incoming.name);
    if (i === undefined) return true;
    current[i] = incoming.clone({
      metadata: mergeMaps(mergeMaps(new Map(), current[i]!.metadata), incoming.metadata),
    });
    return false;
  });
  const dictionaries = collectDictionaries(added, new Map());
  return new Schema([...current, ...added], metadata, new Map([...this.dictionaries, ...dictionaries]));
}

(Schema.prototype as { assign: unknown }).assign = linearAssign;
