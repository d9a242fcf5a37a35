/**
 * Test helpers for the pipeline: small typed tables, the sample CSVs as Arrow tables (a minimal
 * reader for our own well-formed samples, so these tests do not depend on src/io/read.ts), and
 * a RunContext.
 */
import { readFileSync } from 'node:fs';
import { Bool, DateDay, Int32, makeData, type Table, Utf8, vectorFromArray } from 'apache-arrow';
import {
  boolData,
  floatData,
  frameFrom,
  labelData,
  type OutColumn,
  outColumn,
  readLabels,
  readNumeric,
} from '../../src/core/frame';
import { createRng } from '../../src/core/rng';
import { type ColumnType, DEFAULT_MISSING_MARKERS } from '../../src/core/types';
import { type AnyStepDef, type RunContext, validateParams } from '../../src/pipeline/step';

export function context(seed = 42): RunContext {
  return { rng: createRng(seed), compute: null, signal: new AbortController().signal, progress: () => {} };
}

function nullBitmap(missing: readonly boolean[]): { bitmap: Uint8Array | undefined; nullCount: number } {
  const n = missing.length;
  const count = missing.filter(Boolean).length;
  if (count === 0) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((n + 7) >>> 3).fill(0xff);
  missing.forEach((m, i) => {
    if (m) bitmap[i >>> 3]! &= ~(1 << (i & 7));
  });
  return { bitmap, nullCount: count };
}

/** A column from JS values; null = missing. */
export function col(
  name: string,
  type: ColumnType,
  values: readonly (number | string | boolean | null)[],
): OutColumn {
  const missing = values.map((v) => v === null);
  switch (type) {
    case 'float':
      return outColumn(
        name,
        type,
        floatData(Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v)))),
      );
    case 'integer': {
      const { bitmap, nullCount } = nullBitmap(missing);
      const data = Int32Array.from(values, (v) => (v === null ? 0 : Number(v)));
      return outColumn(
        name,
        type,
        makeData({ type: new Int32(), length: values.length, nullCount, nullBitmap: bitmap, data }),
      );
    }
    case 'boolean': {
      const { bitmap, nullCount } = nullBitmap(missing);
      const bits = boolData(Uint8Array.from(values, (v) => (v ? 1 : 0))).values;
      return outColumn(
        name,
        type,
        makeData({ type: new Bool(), length: values.length, nullCount, nullBitmap: bitmap, data: bits }),
      );
    }
    case 'date': {
      const { bitmap, nullCount } = nullBitmap(missing);
      const data = Int32Array.from(values, (v) =>
        v === null ? 0 : Math.floor(Date.parse(String(v)) / 86_400_000),
      );
      return outColumn(
        name,
        type,
        makeData({ type: new DateDay(), length: values.length, nullCount, nullBitmap: bitmap, data }),
      );
    }
    case 'categorical': {
      const labels: string[] = [];
      const codes = Int32Array.from(values, (v) => {
        if (v === null) return -1;
        const s = String(v);
        let k = labels.indexOf(s);
        if (k < 0) k = labels.push(s) - 1;
        return k;
      });
      return outColumn(name, type, labelData(codes, labels));
    }
    default:
      return {
        name,
        type,
        vector: vectorFromArray(
          values.map((v) => (v === null ? null : String(v))),
          new Utf8(),
        ),
      };
  }
}

export function table(...columns: OutColumn[]): Table {
  return frameFrom(columns, columns[0]?.vector.length ?? 0, 'test');
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** public/samples/<name>.csv as a table: integer/float/date/categorical by content. */
export function loadSample(name: string): Table {
  const text = readFileSync(new URL(`../../public/samples/${name}.csv`, import.meta.url), 'utf8');
  const lines = text.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const columns = header.map((h, j) => {
    const raw = rows.map((r) => {
      const v = (r[j] ?? '').trim();
      return DEFAULT_MISSING_MARKERS.includes(v) ? null : v;
    });
    const present = raw.filter((v): v is string => v !== null);
    let type: ColumnType = 'categorical';
    if (present.every((v) => NUMBER.test(v)))
      type = present.every((v) => /^-?\d+$/.test(v)) ? 'integer' : 'float';
    else if (present.every((v) => DATE.test(v))) type = 'date';
    return col(
      h,
      type,
      type === 'integer' || type === 'float' ? raw.map((v) => (v === null ? null : Number(v))) : raw,
    );
  });
  return table(...columns);
}

export async function fitTransform(
  def: AnyStepDef,
  input: Table,
  raw: Record<string, unknown> = {},
  seed = 42,
) {
  const params = validateParams(def, raw);
  const state = await def.fit(input, params, context(seed));
  const output = await def.transform(input, state, context(seed));
  return { params, state, output };
}

/** Every column of a table as plain arrays (numbers with NaN for missing, or strings/null), for deep equality. */
export function snapshot(t: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of t.schema.fields) {
    const v = t.getChild(f.name)!;
    const meta = f.metadata.get('benchtop.type');
    if (meta === 'integer' || meta === 'float' || meta === 'boolean')
      out[`${f.name}:${meta}`] = Array.from(readNumeric(v));
    else {
      const { codes, labels } = readLabels(v);
      out[`${f.name}:${meta}`] = Array.from(codes, (c) => (c < 0 ? null : labels[c]));
    }
  }
  return out;
}

/** Rows [start, end) of a table. */
export function sliceRows(t: Table, start: number, end: number): Table {
  return t.slice(start, end);
}
