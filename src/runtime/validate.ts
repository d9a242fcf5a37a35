/**
 * Input rows → the Frame the fitted steps expect, checked against the data contract: values
 * outside the training range or categories never seen are flagged as drift (and still scored);
 * values of the wrong type count as missing; a missing value where the pipeline cannot fill it
 * makes the row unscorable (it is flagged, and its prediction is null — never a silent guess).
 */
import { DateDay, Utf8, vectorFromArray } from 'apache-arrow';
import { EngineError } from '../core/errors';
import {
  boolData,
  codeOf,
  type Frame,
  floatData,
  frameFrom,
  labelData,
  type OutColumn,
  outColumn,
} from '../core/frame';
import type { DataContract, FeatureContract } from './format';

import type { Drift } from './types';

export type { Drift, DriftIssue } from './types';

/** Column access to either JSON rows or an Arrow table. */
export interface RowSource {
  numRows: number;
  has(column: string): boolean;
  get(column: string, row: number): unknown;
}

export interface ValidatedInput {
  frame: Frame;
  /** Input row index of each frame row (rows that can be scored). */
  scored: Int32Array;
  drift: Drift[];
}

const isMissing = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

function toBool(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 1 || v === 0) return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1') return 1;
    if (s === 'false' || s === '0') return 0;
  }
  return Number.NaN;
}

function toDay(v: unknown): number {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : toNumber(v);
  return Number.isFinite(ms) ? ms : Number.NaN;
}

/** Reads one feature column: numbers (NaN = missing) or labels (null = missing), with its drift. */
function readFeature(source: RowSource, f: FeatureContract, drift: Drift[], unscorable: Uint8Array) {
  const n = source.numRows;
  const numeric =
    f.type === 'integer' ||
    f.type === 'float' ||
    f.type === 'boolean' ||
    f.type === 'date' ||
    f.type === 'datetime';
  const values = new Float64Array(n);
  const labels: (string | null)[] = numeric ? [] : new Array(n);
  const known = f.categories ? new Set(f.categories) : null;
  for (let i = 0; i < n; i++) {
    const raw = source.get(f.name, i);
    let missing = isMissing(raw);
    if (!missing) {
      if (numeric) {
        const x =
          f.type === 'boolean'
            ? toBool(raw)
            : f.type === 'date' || f.type === 'datetime'
              ? toDay(raw)
              : toNumber(raw);
        if (Number.isNaN(x) || (f.type === 'integer' && !Number.isInteger(x))) {
          drift.push({ row: i, column: f.name, issue: 'wrong-type', value: raw });
          missing = true;
        } else {
          values[i] = x;
          if ((f.min !== undefined && x < f.min) || (f.max !== undefined && x > f.max)) {
            drift.push({ row: i, column: f.name, issue: 'out-of-range', value: raw });
          }
        }
      } else if (typeof raw === 'object') {
        drift.push({ row: i, column: f.name, issue: 'wrong-type', value: raw });
        missing = true;
      } else {
        const s = String(raw);
        labels[i] = s;
        if (known && !known.has(s))
          drift.push({ row: i, column: f.name, issue: 'unseen-category', value: raw });
      }
    }
    if (missing) {
      values[i] = Number.NaN;
      if (!numeric) labels[i] = null;
      if (f.missing === 'rejected') {
        drift.push({ row: i, column: f.name, issue: 'missing', value: raw ?? null });
        unscorable[i] = 1;
      }
    }
  }
  return { values, labels };
}

function columnFor(f: FeatureContract, values: Float64Array, labels: (string | null)[]): OutColumn {
  switch (f.type) {
    case 'integer':
    case 'float':
      return outColumn(f.name, f.type, floatData(values));
    case 'boolean':
      return outColumn(f.name, 'boolean', boolData(Uint8Array.from(values, (x) => (x === 1 ? 1 : 0))));
    case 'date':
    case 'datetime': {
      const dates = Array.from(values, (x) => (Number.isNaN(x) ? null : new Date(x)));
      return { name: f.name, type: f.type, vector: vectorFromArray(dates, new DateDay()) };
    }
    case 'text':
      return { name: f.name, type: 'text', vector: vectorFromArray(labels, new Utf8()) };
    default: {
      const index = new Map<string, number>();
      const dict: string[] = [];
      const codes = Int32Array.from(labels, (s) => (s === null ? -1 : codeOf(s, index, dict)));
      return outColumn(f.name, f.type, labelData(codes, dict));
    }
  }
}

export function validateInput(source: RowSource, contract: DataContract): ValidatedInput {
  const absent = contract.features.filter((f) => !source.has(f.name)).map((f) => f.name);
  if (absent.length > 0) {
    throw new EngineError(
      'SchemaError',
      `The input is missing ${absent.length === 1 ? 'a required column' : 'required columns'}: ${absent.map((c) => `"${c}"`).join(', ')}.`,
      {
        columnName: absent[0]!,
        hint: 'Send every column listed in the artifact contract (contract.features).',
      },
    );
  }
  const n = source.numRows;
  const drift: Drift[] = [];
  const unscorable = new Uint8Array(n);
  const read = contract.features.map((f) => ({ f, ...readFeature(source, f, drift, unscorable) }));
  const scoredList: number[] = [];
  for (let i = 0; i < n; i++) if (!unscorable[i]) scoredList.push(i);
  const scored = Int32Array.from(scoredList);
  const columns = read.map(({ f, values, labels }) =>
    scored.length === n
      ? columnFor(f, values, labels)
      : columnFor(
          f,
          Float64Array.from(scored, (i) => values[i]!),
          labels.length === 0 ? [] : Array.from(scored, (i) => labels[i]!),
        ),
  );
  drift.sort((a, b) => a.row - b.row);
  return { frame: frameFrom(columns, scored.length, 'benchtop-runtime'), scored, drift };
}
