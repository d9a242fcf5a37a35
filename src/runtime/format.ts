/**
 * The deployment artifact: one JSON document plus one binary blob. Typed arrays in step and model
 * states move into the blob (8-byte aligned, referenced by offset), so the JSON stays small and
 * the numbers stay bit-exact; non-finite numbers, which JSON cannot hold, are tagged.
 */

import { EngineError } from '../core/errors';
import type { ColumnType } from '../core/types';

export const ARTIFACT_FORMAT = 'benchtop-model';
export const ARTIFACT_VERSION = 1;

export type MissingPolicy = 'allowed' | 'imputed' | 'rejected';

export interface FeatureContract {
  name: string;
  type: ColumnType;
  /** Observed range of the training rows (numeric columns). */
  min?: number;
  max?: number;
  /** Values seen in the training rows (categorical/text/boolean columns). */
  categories?: string[];
  /** 'imputed'/'allowed': a step fills or handles missing values; 'rejected': the row cannot be scored. */
  missing: MissingPolicy;
  /**
   * The training rows' distribution, for drift scores (PSI) on new data. Numeric columns: `cuts`,
   * the distinct training deciles, split the line into cuts.length + 1 bins (bin k holds
   * cuts[k-1] ≤ x < cuts[k]) and `shares` is the fraction of training values in each. Categorical
   * columns: `shares` of each of `categories`. Missing values are not counted. Absent in artifacts
   * made before it existed.
   */
  distribution?: { cuts?: number[]; shares: number[] };
}

export interface DataContract {
  features: FeatureContract[];
  target: { name: string; type: ColumnType; classes?: string[] } | null;
}

export type ArtifactTask = 'classification' | 'regression' | 'clustering';

export interface Artifact {
  format: typeof ARTIFACT_FORMAT;
  version: number;
  createdAt: string;
  benchtopVersion: string;
  notebookLink: string | null;
  metrics?: Record<string, number>;
  backend: string;
  contract: DataContract;
  /** Fitted transform steps, in order (filter steps only ran at training and are listed here). */
  steps: { name: string; state: unknown }[];
  trainingOnlySteps: string[];
  model: { name: string; params: Record<string, unknown>; state: unknown; features: string[] };
  task: ArtifactTask;
  /** Byte length and FNV-1a hash of the weights blob, checked on load. */
  weights: { bytes: number; fnv1a: string };
}

type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

const TYPED: Record<
  string,
  { new (buffer: ArrayBuffer, offset: number, length: number): TypedArray; BYTES_PER_ELEMENT: number }
> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
};

/** The bin of `x` among the cut points of FeatureContract.distribution: how many cuts are ≤ x. */
export function binOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function corrupted(message: string): EngineError {
  return new EngineError('ParseError', `This model artifact is corrupted: ${message}`, {
    hint: 'Export the model from Benchtop again; keep the .json and .bin files of one export together.',
  });
}

export function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Replaces typed arrays by blob references and non-finite numbers by tags. */
export function packWeights(value: unknown): { json: unknown; weights: Uint8Array } {
  const chunks: { offset: number; bytes: Uint8Array }[] = [];
  let size = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
        throw new EngineError(
          'InternalError',
          `A fitted state holds a ${typeof v}, which cannot be exported.`,
        );
      }
      return v;
    }
    if (ArrayBuffer.isView(v)) {
      const type = v.constructor.name;
      if (!(type in TYPED))
        throw new EngineError('InternalError', `A fitted state holds a ${type}, which cannot be exported.`);
      const offset = Math.ceil(size / 8) * 8;
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      chunks.push({ offset, bytes });
      size = offset + bytes.length;
      return { $typed: type, offset, length: (v as TypedArray).length };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map || v instanceof Set) {
      throw new EngineError('InternalError', 'A fitted state holds a Map or Set, which cannot be exported.');
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  const json = walk(value);
  const weights = new Uint8Array(size);
  for (const c of chunks) weights.set(c.bytes, c.offset);
  return { json, weights };
}

/** The inverse of packWeights; every reference is checked against the blob. */
export function unpackWeights(value: unknown, weights: Uint8Array): unknown {
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const o = v as Record<string, unknown>;
    if (typeof o.$number === 'string') return Number(o.$number);
    if (typeof o.$typed === 'string') {
      const ctor = TYPED[o.$typed];
      const offset = o.offset;
      const length = o.length;
      if (!ctor || !Number.isInteger(offset) || !Number.isInteger(length)) {
        throw corrupted(`a weights reference is malformed (${JSON.stringify(o)}).`);
      }
      const start = offset as number;
      const end = start + (length as number) * ctor.BYTES_PER_ELEMENT;
      if (start < 0 || end > weights.byteLength) {
        throw corrupted(
          `a weights reference (bytes ${start}–${end}) lies outside the ${weights.byteLength}-byte weights file.`,
        );
      }
      // A copy: aligned, and independent of the caller's buffer.
      const copy = weights.slice(start, end);
      return new ctor(copy.buffer, 0, length as number);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(value);
}
