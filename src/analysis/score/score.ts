/**
 * Scoring new data with a deployed model (worker side): the dataset is checked against the
 * artifact's data contract, each input column gets a drift summary (missing, wrong-type,
 * out-of-range and unseen values, and a PSI against the training distribution the artifact
 * carries), and every row is predicted by benchtop-runtime's own predictor — in chunks, so a long
 * job reports progress and stops when cancelled. The predictions CSV is the input rows with the
 * prediction and one probability column per class appended.
 */

import { Float64, Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { EngineError } from '../../core/errors';
import { column, missingMask, readLabels, readNumeric } from '../../core/frame';
import type { Progress } from '../../core/job';
import { writeCsv } from '../../io/write';
import { binOf, type FeatureContract } from '../../runtime/format';
import type { Drift, PredictResult } from '../../runtime/types';
import type { DeployedModel } from '../deploy/deployed';
import type { CellValue } from '../deploy/types';
import type { ColumnDrift, ScoredRow, ScoreReport } from './types';

export type { ColumnDrift, ScoredRow, ScoreReport } from './types';

export interface ScoreOptions {
  signal: AbortSignal;
  progress(p: Progress): void;
  /** For messages: the dataset's name. */
  datasetName: string;
  /** Rows predicted per step (progress and cancel happen between steps). */
  chunkRows?: number;
  previewRows?: number;
}

const CHUNK_ROWS = 20_000;
const PREVIEW_ROWS = 20;
const MAX_EXAMPLES = 3;
/** PSI's floor for an empty bin (as in the split report), so a bin seen on one side only stays finite. */
const PSI_EPS = 1e-4;
const NUMERIC = new Set(['integer', 'float']);

/** The contract's columns the table lacks, as an error that names them. */
function checkColumns(model: DeployedModel, table: Table, datasetName: string): void {
  const have = new Set(table.schema.fields.map((f) => f.name));
  const features = model.info.contract.features;
  const absent = features.filter((f) => !have.has(f.name)).map((f) => `"${f.name}"`);
  if (absent.length === 0) return;
  throw new EngineError(
    'SchemaError',
    `${datasetName} is missing ${absent.length === 1 ? 'a column' : 'columns'} the model needs: ${absent.join(', ')}.`,
    {
      columnName: absent[0]!.slice(1, -1),
      hint: `The model reads ${features.length} columns: ${features.map((f) => f.name).join(', ')}. Names must match exactly (case and spaces).`,
    },
  );
}

/** Every row predicted, chunk by chunk; `onChunk` sees each chunk's drift with dataset row numbers. */
async function predictAll(
  model: DeployedModel,
  table: Table,
  options: ScoreOptions,
  onDrift: (d: Drift) => void,
): Promise<Required<Pick<PredictResult, 'predictions'>> & Pick<PredictResult, 'probabilities' | 'classes'>> {
  checkColumns(model, table, options.datasetName);
  const n = table.numRows;
  const step = Math.max(1, options.chunkRows ?? CHUNK_ROWS);
  const predictions: (string | number | null)[] = new Array(n);
  const classes = model.info.classes;
  let probabilities: (number[] | null)[] | undefined;
  for (let start = 0; start < n || start === 0; start += step) {
    await cooperate(options.signal);
    options.progress({ phase: 'Scoring rows', fraction: n === 0 ? 1 : start / n });
    const end = Math.min(n, start + step);
    const res = await model.predictor.predict(table.slice(start, end));
    for (let i = 0; i < res.predictions.length; i++) predictions[start + i] = res.predictions[i]!;
    if (res.probabilities) {
      probabilities ??= new Array(n).fill(null);
      for (let i = 0; i < res.probabilities.length; i++) probabilities[start + i] = res.probabilities[i]!;
    }
    for (const d of res.drift) onDrift({ ...d, row: d.row + start });
    if (n === 0) break;
  }
  options.progress({ phase: 'Scoring rows', fraction: 1 });
  return { predictions, ...(probabilities ? { probabilities } : {}), ...(classes ? { classes } : {}) };
}

function psiOf(expected: readonly number[], counts: ArrayLike<number>, total: number): number | null {
  if (total === 0) return null;
  let s = 0;
  for (let k = 0; k < counts.length; k++) {
    const pa = Math.max(PSI_EPS, expected[k] ?? 0);
    const pb = Math.max(PSI_EPS, counts[k]! / total);
    s += (pb - pa) * Math.log(pb / pa);
  }
  return s;
}

/** PSI of one column against the training distribution in its contract entry. */
function columnPsi(f: FeatureContract, table: Table): number | null {
  const dist = f.distribution;
  if (!dist) return null;
  const vector = column(table, f.name);
  if (dist.cuts && NUMERIC.has(f.type)) {
    const counts = new Float64Array(dist.cuts.length + 1);
    let total = 0;
    for (const v of readNumeric(vector)) {
      if (Number.isNaN(v)) continue;
      counts[binOf(dist.cuts, v)]! += 1;
      total += 1;
    }
    return psiOf(dist.shares, counts, total);
  }
  if (!f.categories) return null;
  // Categories in the contract's order, then one bin for every category training never saw.
  const at = new Map(f.categories.map((c, k) => [c, k]));
  const { codes, labels } = readLabels(vector);
  const bin = labels.map((l) => at.get(l) ?? f.categories!.length);
  const counts = new Float64Array(f.categories.length + 1);
  let total = 0;
  for (const c of codes) {
    if (c < 0) continue;
    counts[bin[c]!]! += 1;
    total += 1;
  }
  return psiOf([...dist.shares, 0], counts, total);
}

function shiftOf(psi: number | null): ColumnDrift['shift'] {
  if (psi === null) return null;
  return psi < 0.1 ? 'stable' : psi < 0.25 ? 'moderate' : 'shifted';
}

function countMissing(table: Table, name: string): number {
  let k = 0;
  for (const m of missingMask(column(table, name))) k += m;
  return k;
}

function cellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Validates `table` against the model's contract, reports drift per column, and predicts every row. */
export async function scoreDataset(
  model: DeployedModel,
  table: Table,
  ids: { modelId: string; datasetId: string },
  options: ScoreOptions,
): Promise<ScoreReport> {
  const started = Date.now();
  const features = model.info.contract.features;
  const issues = new Map(
    features.map((f) => [
      f.name,
      { wrongType: 0, outOfRange: 0, unseenCategory: 0, examples: [] as string[] },
    ]),
  );
  const result = await predictAll(model, table, options, (d) => {
    const c = issues.get(d.column);
    if (!c || d.issue === 'missing') return;
    if (d.issue === 'wrong-type') c.wrongType += 1;
    else if (d.issue === 'out-of-range') c.outOfRange += 1;
    else c.unseenCategory += 1;
    const text = String(d.value);
    if (c.examples.length < MAX_EXAMPLES && !c.examples.includes(text)) c.examples.push(text);
  });
  await cooperate(options.signal);
  options.progress({ phase: 'Comparing with the training data', fraction: null });
  const columns: ColumnDrift[] = [];
  for (const f of features) {
    // A turn for cancel per column: each reads the whole column (~50 ms per million rows).
    await cooperate(options.signal);
    const psi = columnPsi(f, table);
    columns.push({
      column: f.name,
      type: f.type,
      missing: countMissing(table, f.name),
      missingPolicy: f.missing,
      ...issues.get(f.name)!,
      psi,
      shift: shiftOf(psi),
    });
  }
  await cooperate(options.signal);
  const used = new Set(features.map((f) => f.name));
  const target = model.info.target;
  const classes = result.classes ?? null;
  let classCounts: number[] | null = null;
  if (classes) {
    const index = new Map(classes.map((c, k) => [c, k]));
    classCounts = new Array(classes.length).fill(0);
    for (const p of result.predictions) {
      const k = p === null ? undefined : index.get(String(p));
      if (k !== undefined) classCounts[k]! += 1;
    }
  }
  const preview: ScoredRow[] = [];
  const shown = Math.min(table.numRows, options.previewRows ?? PREVIEW_ROWS);
  const vectors = features.map((f) => [f.name, table.getChild(f.name)!] as const);
  for (let i = 0; i < shown; i++) {
    preview.push({
      row: i,
      values: Object.fromEntries(vectors.map(([name, v]) => [name, cellValue(v.get(i))])),
      prediction: result.predictions[i] ?? null,
      probabilities: result.probabilities?.[i] ?? null,
    });
  }
  return {
    ...ids,
    rows: table.numRows,
    scored: result.predictions.filter((p) => p !== null).length,
    columns,
    ignoredColumns: table.schema.fields.map((f) => f.name).filter((c) => !used.has(c) && c !== target),
    task: model.info.task,
    classes,
    classCounts,
    preview,
    ms: Date.now() - started,
  };
}

/** `base`, or `base_2`, `base_3`… — whichever no column of the table is called yet. */
function freshName(base: string, taken: Set<string>): string {
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

/**
 * The dataset as CSV with the prediction and (classifiers) one `probability_<class>` column per
 * class appended; a row the model could not score has empty cells there.
 */
export async function predictionsCsv(
  model: DeployedModel,
  table: Table,
  options: ScoreOptions,
): Promise<Uint8Array> {
  const result = await predictAll(model, table, options, () => undefined);
  await cooperate(options.signal);
  options.progress({ phase: 'Writing CSV', fraction: null });
  const taken = new Set(table.schema.fields.map((f) => f.name));
  const numeric = model.info.task !== 'classification';
  const added: Record<string, Vector> = {
    [freshName('prediction', taken)]: numeric
      ? vectorFromArray(result.predictions as (number | null)[], new Float64())
      : vectorFromArray(
          result.predictions.map((p) => (p === null ? null : String(p))),
          new Utf8(),
        ),
  };
  if (result.probabilities && result.classes) {
    result.classes.forEach((c, k) => {
      added[freshName(`probability_${c}`, taken)] = vectorFromArray(
        result.probabilities!.map((p) => (p ? p[k]! : null)),
        new Float64(),
      );
    });
  }
  return writeCsv(table.assign(new Table(added)), options.signal);
}
