import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { TYPE_METADATA_KEY } from '../../src/core/types';
import { type ReadOptions, readTableWithReport } from '../../src/io/read';
import type { LoadReport } from '../../src/protocol/api';

export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${path}`, import.meta.url)));
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export async function readText(
  text: string,
  fileName = 'test.csv',
  options?: ReadOptions,
): Promise<{ table: Table; report: LoadReport }> {
  return readTableWithReport(utf8(text), fileName, options);
}

/** Column values as plain JS (nulls kept). */
export function values(table: Table, name: string): unknown[] {
  const v = table.getChild(name);
  if (v === null) throw new Error(`no column ${name}; have ${table.schema.names.join(', ')}`);
  return Array.from({ length: v.length }, (_, i) => v.get(i));
}

export function types(table: Table): Record<string, string | undefined> {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, f.metadata.get(TYPE_METADATA_KEY)]));
}

export function arrowTypes(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
}

export { rejection } from '../support/errors';
