/**
 * Point data for the canvas views (scatter, SPLOM): one Float32Array per axis, every row (NaN
 * where missing; the views skip those), colour as a continuous Float32Array or category codes.
 * Float32 halves the bytes sent to the UI; the views draw in pixels, far coarser than float32.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import { fewDistinct, isNumericColumn, labelColumn, numericColumn } from './columns';
import type { ScatterPoints } from './types';

export interface ColourData {
  color: Float32Array | Uint32Array;
  /** Names of the codes when `color` is a Uint32Array; the last one is "(missing)" when any is. */
  categories?: string[];
}

/** A numeric column with at most this many distinct values is coloured as categories. */
export const MAX_COLOUR_CATEGORIES = 12;
/**
 * Categories named in a colour legend: the categorical palette's 8 colours (viz/theme OKABE_ITO).
 * Naming more made the palette wrap, so two legend entries shared one colour (txhousing's 46
 * cities: Abilene and Bryan-College Station both blue); beyond 8, the top 7 and "other".
 */
export const NAMED_COLOUR_CATEGORIES = 8;

export function toFloat32(values: Float64Array): Float32Array {
  return Float32Array.from(values);
}

/** Category codes (top categories; the rest as "other", missing as "(missing)") or numbers. */
export function colourData(table: Table, column: string): ColourData {
  if (isNumericColumn(table, column)) {
    const values = numericColumn(table, column);
    // A numeric column with few distinct values (a class label 0/1/2) reads better as categories.
    const distinct = fewDistinct(values, MAX_COLOUR_CATEGORIES);
    if (!distinct) return { color: toFloat32(values) };
    const index = new Map(distinct.map((v, k) => [v, k]));
    const codes = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) codes[i] = !Number.isNaN(values[i]) ? index.get(values[i]!)! : -1;
    return codesToColour(
      codes,
      distinct.map(String),
      distinct.map((_, k) => k),
    );
  }
  const { codes, labels } = labelColumn(table, column);
  const counts = new Float64Array(labels.length);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) counts[codes[i]!]!++;
  const order = labels.map((_, k) => k).sort((a, b) => counts[b]! - counts[a]! || a - b);
  return codesToColour(codes, labels, order);
}

function codesToColour(codes: Int32Array, labels: string[], order: number[]): ColourData {
  const keep = order.slice(0, NAMED_COLOUR_CATEGORIES - (order.length > NAMED_COLOUR_CATEGORIES ? 1 : 0));
  const remap = new Int32Array(labels.length).fill(keep.length);
  keep.forEach((k, i) => {
    remap[k] = i;
  });
  const categories = keep.map((k) => labels[k]!);
  const hasOther = keep.length < labels.length;
  if (hasOther) categories.push('other');
  const missingCode = categories.length;
  const color = new Uint32Array(codes.length);
  let anyMissing = false;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0) {
      color[i] = missingCode;
      anyMissing = true;
    } else color[i] = remap[c]!;
  }
  if (anyMissing) categories.push('(missing)');
  return { color, categories };
}

export function scatterPoints(
  table: Table,
  spec: { x: string; y: string; color?: string | null; size?: string | null },
): ScatterPoints {
  const out: ScatterPoints = {
    x: toFloat32(numericColumn(table, spec.x)),
    y: toFloat32(numericColumn(table, spec.y)),
  };
  if (spec.color) {
    const c = colourData(table, spec.color);
    out.color = c.color;
    if (c.categories) out.categories = c.categories;
  }
  if (spec.size) {
    if (!isNumericColumn(table, spec.size)) {
      throw new EngineError('SchemaError', `Size needs a numeric column; "${spec.size}" is not.`);
    }
    out.size = toFloat32(numericColumn(table, spec.size));
  }
  return out;
}

export type { ScatterPoints };
