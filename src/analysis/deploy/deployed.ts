/**
 * Deployed models held by the engine (worker side): a model fitted here on a dataset, or an
 * artifact the user imported. Either way the app predicts through benchtop-runtime's own
 * `loadArtifact` on the exact JSON + weights a download would give, so what the Prototype tab
 * shows is what the runtime will compute after deployment — bit for bit.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import { column, readLabels, readNumeric } from '../../core/frame';
import { type FeatureContract, loadArtifact, type Predictor, type PredictResult } from '../../runtime';
import { unpackBundle } from '../../runtime/bundle';
import type { CellValue, DeployedModelInfo } from './types';

export type { CellValue, DeployedModelInfo } from './types';

export interface DeployedModel {
  info: DeployedModelInfo;
  predictor: Predictor;
  json: string;
  weights: Uint8Array;
}

const NUMERIC = new Set(['integer', 'float', 'boolean', 'date', 'datetime']);

function median(values: Float64Array): number | null {
  const finite = values.filter((x) => !Number.isNaN(x)).sort();
  if (finite.length === 0) return null;
  const m = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[m]! : (finite[m - 1]! + finite[m]!) / 2;
}

function typicalValue(f: FeatureContract, table: Table | null): CellValue {
  if (table?.schema.fields.some((x) => x.name === f.name)) {
    const col = column(table, f.name);
    if (NUMERIC.has(f.type)) {
      const m = median(readNumeric(col));
      if (m === null) return null;
      if (f.type === 'boolean') return m >= 0.5;
      if (f.type === 'integer') return Math.round(m);
      if (f.type === 'date' || f.type === 'datetime') return new Date(m).toISOString().slice(0, 10);
      return m;
    }
    const { codes, labels } = readLabels(col);
    const counts = new Int32Array(labels.length);
    for (const c of codes) if (c >= 0) counts[c]! += 1;
    let best = -1;
    for (let k = 0; k < counts.length; k++) if (best < 0 || counts[k]! > counts[best]!) best = k;
    return best < 0 ? null : labels[best]!;
  }
  if (f.categories && f.categories.length > 0) return f.categories[0]!;
  if (f.type === 'boolean') return false;
  if (f.min !== undefined && f.max !== undefined) {
    const mid = (f.min + f.max) / 2;
    return f.type === 'integer' ? Math.round(mid) : mid;
  }
  return null;
}

/** The registry of deployed models of one engine. */
export class DeployedModels {
  private readonly models = new Map<string, DeployedModel>();
  private next = 1;

  /**
   * Loads an artifact through benchtop-runtime (which checks format, version and checksum) and
   * keeps it. `table` is the raw dataset it was fitted on, for the typical row.
   */
  add(
    json: string,
    weights: Uint8Array,
    source: DeployedModelInfo['source'],
    table: Table | null,
    datasetId: string | null,
  ): DeployedModelInfo {
    const predictor = loadArtifact(json, weights);
    const a = predictor.artifact;
    const id = `m${this.next++}`;
    const target = a.contract.target?.name ?? null;
    const typicalRow: Record<string, CellValue> = {};
    for (const f of a.contract.features) typicalRow[f.name] = typicalValue(f, table);
    const info: DeployedModelInfo = {
      id,
      source,
      label: `${a.model.name}${target ? ` → ${target}` : ''}`,
      model: a.model.name,
      params: a.model.params,
      task: a.task,
      target,
      classes: a.contract.target?.classes ?? null,
      contract: a.contract,
      typicalRow,
      createdAt: a.createdAt,
      benchtopVersion: a.benchtopVersion,
      backend: a.backend,
      metrics: a.metrics ?? null,
      notebookLink: a.notebookLink,
      datasetId,
      weightBytes: weights.byteLength,
    };
    this.models.set(id, { info, predictor, json, weights });
    return info;
  }

  /** Puts back a model an earlier engine kept (same id and info); later ids follow it. */
  restore(info: DeployedModelInfo, json: string, weights: Uint8Array): void {
    const predictor = loadArtifact(json, weights);
    this.models.set(info.id, { info, predictor, json, weights });
    const n = Number(/^m(\d+)$/.exec(info.id)?.[1] ?? 0);
    if (n >= this.next) this.next = n + 1;
  }

  /** Imports a downloaded artifact: the JSON text and the weights, or one .benchtop file's bytes. */
  import(json: unknown, weights: unknown): DeployedModelInfo {
    if (json instanceof Uint8Array && weights === undefined) {
      const bundle = unpackBundle(json);
      return this.add(bundle.json, bundle.weights.slice(), 'imported', null, null);
    }
    if (typeof json !== 'string' || !(weights instanceof Uint8Array)) {
      throw new EngineError(
        'InvalidArgument',
        'importArtifact takes the JSON text and the weights bytes, or the bytes of one .benchtop file.',
      );
    }
    return this.add(json, weights, 'imported', null, null);
  }

  /** Predictions for rows given as plain objects (the what-if form). */
  predictRows(id: string, rows: unknown): Promise<PredictResult> {
    if (!Array.isArray(rows)) throw new EngineError('InvalidArgument', 'predictRows takes an array of rows.');
    return this.get(id).predictor.predict(rows as Record<string, unknown>[]);
  }

  get(id: string): DeployedModel {
    const m = this.models.get(id);
    if (!m) {
      throw new EngineError('NotFound', `No deployed model with id "${id}" (it may have been removed).`, {
        hint: 'Fit the model again in the Prototype tab, or import its artifact.',
      });
    }
    return m;
  }

  list(): DeployedModelInfo[] {
    return [...this.models.values()].map((m) => m.info);
  }

  remove(id: string): void {
    this.models.delete(id);
  }
}
