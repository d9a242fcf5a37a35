/**
 * Error analysis of one run, worker-side (like Microsoft's Error Analysis and SliceFinder): from
 * the run's out-of-fold predictions, (a) the worst rows — misclassified rows by the probability
 * the model gave its wrong class, or the largest absolute residuals — with their raw values, and
 * (b) the slices of the data where errors concentrate. A slice is one value range or category of
 * a raw input column (numbers in quantile bins, categories by value, missing as its own value), or
 * the combination of two of them for the features whose slices differ most. Each slice's error
 * rate (Wilson interval) or mean absolute error (t interval) is tested against the other rows
 * (two-proportion z-test, Welch's t-test) and the p-values are adjusted by Benjamini–Hochberg over
 * every slice tested; the worse-and-significant slices come first, by effect size.
 *
 * A two-feature slice is reported only when its interval lies above both one-feature slices it
 * combines: a slice inside a bad slice is bad too, and without this rule the luckiest of its
 * sub-slices would outrank the slice that explains the errors.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import type { ColumnType } from '../../core/types';
import { meanInterval, momentsFromSums, wilsonInterval } from '../../models/slice-stats';
import type { CellValue } from '../deploy/types';
import { isNumericType, labelColumn, numericColumn, typeOfColumn } from '../explore/columns';
import { type Analysed, analysedRows, type ErrorContext } from './analysed';
import { DEFAULTS, findSlices } from './find';
import { totalsOf } from './stats';
import type {
  ErrorAnalysisResult,
  ErrorAnalysisSpec,
  ErrorRowsQuery,
  SliceCondition,
  WorstRow,
} from './types';
import { formatNumber } from './words';

/** Raw columns listed with the worst rows. */
const MAX_COLUMNS = 40;

function cellValue(v: unknown, type: ColumnType): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return formatNumber(v.getTime(), type);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return null;
    return type === 'date' || type === 'datetime' ? formatNumber(v, type) : v;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

/** Analysed rows worst first: misclassified rows by confidence in the wrong class, or |residual|. */
function worstOrder(a: Analysed, spec: ErrorAnalysisSpec): number[] {
  const prob = spec.oof.probability;
  const byRow = (x: number, y: number) => a.datasetRows[x]! - a.datasetRows[y]!;
  const order = Array.from({ length: a.error.length }, (_, i) => i).filter((i) => a.error[i]! > 0);
  if (a.task === 'regression') return order.sort((x, y) => a.error[y]! - a.error[x]! || byRow(x, y));
  if (!prob) return order.sort(byRow);
  return order.sort(
    (x, y) => prob.predicted[y]! - prob.predicted[x]! || prob.truth[x]! - prob.truth[y]! || byRow(x, y),
  );
}

function worstRows(a: Analysed, spec: ErrorAnalysisSpec, limit: number, columns: string[]): WorstRow[] {
  const prob = spec.oof.probability;
  const order = worstOrder(a, spec);
  const vectors = columns.map((c) => ({ vector: a.base.getChild(c)!, type: typeOfColumn(a.base, c) }));
  const label = (v: number) => (a.task === 'classification' ? (spec.classes?.[v] ?? String(v)) : v);
  return order.slice(0, limit).map((i) => ({
    row: a.datasetRows[i]!,
    fold: spec.oof.fold[i] ?? 0,
    truth: label(spec.oof.truth[i]!),
    predicted: label(spec.oof.predicted[i]!),
    confidence: prob ? (prob.predicted[i] ?? null) : null,
    truthProbability: prob ? (prob.truth[i] ?? null) : null,
    error: a.error[i]!,
    values: vectors.map(({ vector, type }) => cellValue(vector.get(a.baseRows[i]!), type)),
  }));
}

export async function analyzeErrors(
  ctx: ErrorContext,
  spec: ErrorAnalysisSpec,
): Promise<ErrorAnalysisResult> {
  ctx.progress({ fraction: 0, phase: 'Error analysis: reading the rows' });
  const a = await analysedRows(ctx, spec);
  ctx.progress({ fraction: 0.2, phase: 'Error analysis: slicing' });
  const found = findSlices(a, spec.target, spec.options, ctx.signal);
  const columns = a.base.schema.fields
    .map((f) => f.name)
    .filter((c) => c !== spec.target)
    .slice(0, MAX_COLUMNS);
  const all = totalsOf(a.error);
  const n = a.error.length;
  let overall: ErrorAnalysisResult['overall'];
  if (a.task === 'classification') {
    const ci = wilsonInterval(all.sum, n);
    overall = { value: all.sum / n, ciLow: ci.low, ciHigh: ci.high };
  } else {
    const m = momentsFromSums(all.sum, all.sumSquares, n);
    const ci = meanInterval(m);
    overall = { value: m.mean, ciLow: ci.low, ciHigh: ci.high };
  }
  let errors = 0;
  for (let i = 0; i < n; i++) if (a.error[i]! > 0) errors++;
  ctx.progress({ fraction: 1, phase: 'Error analysis: done' });
  return {
    task: a.task,
    metric: a.task === 'classification' ? 'error rate' : 'mean absolute error',
    rows: n,
    datasetRows: ctx.table.numRows,
    errors,
    overall,
    worst: worstRows(a, spec, spec.options?.worstRows ?? DEFAULTS.worstRows, columns),
    columns,
    ...found,
  };
}

/** Whether analysed row i (a row of `base`) meets a condition. */
function conditionTest(base: Table, c: SliceCondition): (row: number) => boolean {
  if (!base.schema.fields.some((f) => f.name === c.column)) {
    throw new EngineError('SchemaError', `Column "${c.column}" does not exist.`, { columnName: c.column });
  }
  const numeric = isNumericType(typeOfColumn(base, c.column));
  if (c.kind === 'missing') {
    if (numeric) {
      const v = numericColumn(base, c.column);
      return (r) => Number.isNaN(v[r]!);
    }
    const { codes } = labelColumn(base, c.column);
    return (r) => codes[r]! < 0;
  }
  if (c.kind === 'category') {
    const { codes, labels } = labelColumn(base, c.column);
    const k = labels.indexOf(c.value);
    return (r) => codes[r] === k && k >= 0;
  }
  const v = numericColumn(base, c.column);
  if (c.kind === 'equals') return (r) => v[r] === c.value;
  const low = c.low ?? Number.NEGATIVE_INFINITY;
  const high = c.high ?? Number.POSITIVE_INFINITY;
  return (r) => v[r]! > low && v[r]! <= high;
}

/** Dataset row ids (ascending) of the analysed rows a query picks. */
export async function errorRows(
  ctx: ErrorContext,
  spec: ErrorAnalysisSpec,
  query: ErrorRowsQuery,
): Promise<Uint32Array> {
  const a = await analysedRows(ctx, spec);
  let keep: (i: number) => boolean;
  if (query.kind === 'slice') {
    const tests = query.conditions.map((c) => conditionTest(a.base, c));
    keep = (i) => tests.every((t) => t(a.baseRows[i]!));
  } else if (query.kind === 'cell') {
    if (a.task !== 'classification')
      throw new EngineError('InvalidArgument', 'Confusion cells need a classification run.');
    keep = (i) => spec.oof.truth[i] === query.truth && spec.oof.predicted[i] === query.predicted;
  } else {
    const picked = new Uint8Array(a.error.length);
    for (const i of worstOrder(a, spec).slice(0, Math.max(0, query.count))) picked[i] = 1;
    keep = (i) => picked[i] === 1;
  }
  const out: number[] = [];
  for (let i = 0; i < a.error.length; i++) if (keep(i)) out.push(a.datasetRows[i]!);
  return Uint32Array.from(out).sort();
}
