/**
 * benchtop-runtime: loads a model artifact exported by Benchtop and predicts on JSON rows or an
 * Arrow table, in the browser or Node. It runs the very same code as the app — each step's CPU
 * `transform` and the model's `predict` — so its predictions equal the app's. No UI, no GPU.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../core/errors';
import { createRng } from '../core/rng';
import type { Compute } from '../gpu/device';
import { buildDataset } from '../models/model';
import { getModel } from '../models/registry';
import { getStep } from '../pipeline/registry';
import type { RunContext } from '../pipeline/step';
import { unpackBundle } from './bundle';
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, type Artifact, corrupted, fnv1a, unpackWeights } from './format';
import { type RowSource, validateInput } from './validate';

export { BUNDLE_EXTENSION, isBundle, packBundle, unpackBundle } from './bundle';
export type { Artifact, DataContract, FeatureContract, MissingPolicy } from './format';
export { ARTIFACT_FORMAT, ARTIFACT_VERSION } from './format';
export type { Drift, DriftIssue, PredictResult } from './types';

import type { PredictResult } from './types';

/** Where an in-app caller (the engine) lets the model run: its GPU path and a cancel signal. The
 * deployed runtime passes nothing and runs on the CPU; GPU paths equal their CPU references. */
export interface PredictOptions {
  compute?: Compute | null;
  signal?: AbortSignal;
}

export interface Predictor {
  readonly artifact: Artifact;
  predict(rows: readonly Record<string, unknown>[] | Table, options?: PredictOptions): Promise<PredictResult>;
}

function isTable(x: unknown): x is Table {
  return typeof x === 'object' && x !== null && 'schema' in x && typeof (x as Table).getChild === 'function';
}

function sourceOf(rows: readonly Record<string, unknown>[] | Table): RowSource {
  if (isTable(rows)) {
    const names = new Set(rows.schema.fields.map((f) => f.name));
    const cache = new Map<string, ReturnType<Table['getChild']>>();
    return {
      numRows: rows.numRows,
      has: (c) => names.has(c),
      get: (c, i) => {
        if (!cache.has(c)) cache.set(c, rows.getChild(c));
        return cache.get(c)?.get(i);
      },
    };
  }
  if (!Array.isArray(rows))
    throw new EngineError('InvalidArgument', 'predict() takes an array of row objects or an Arrow table.');
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r ?? {})) names.add(k);
  return { numRows: rows.length, has: (c) => rows.length === 0 || names.has(c), get: (c, i) => rows[i]?.[c] };
}

function parse(json: string | object): Artifact {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw corrupted(`its JSON does not parse (${(e as Error).message}).`);
    }
  }
  if (typeof doc !== 'object' || doc === null) throw corrupted('it is not a JSON object.');
  const a = doc as Partial<Artifact>;
  if (a.format !== ARTIFACT_FORMAT)
    throw corrupted(`it is not a Benchtop model (format is ${JSON.stringify(a.format)}).`);
  if (typeof a.version !== 'number') throw corrupted('it has no version number.');
  if (a.version > ARTIFACT_VERSION) {
    throw new EngineError(
      'UnsupportedFormat',
      `This model was made by a newer Benchtop (v${a.version}); update benchtop-runtime (it reads up to v${ARTIFACT_VERSION}).`,
    );
  }
  if (
    !a.contract ||
    !Array.isArray(a.contract.features) ||
    !Array.isArray(a.steps) ||
    !a.model ||
    !a.weights
  ) {
    throw corrupted('parts of the document are missing (contract, steps, model or weights).');
  }
  return a as Artifact;
}

/**
 * Loads an artifact: its JSON (text or parsed) and its weights, or the bytes of a single-file
 * `.benchtop` artifact alone.
 */
export function loadArtifact(json: string | object | Uint8Array, weights?: Uint8Array): Predictor {
  if (json instanceof Uint8Array) {
    if (weights !== undefined)
      throw new EngineError('InvalidArgument', 'A .benchtop model file holds its weights: pass it alone.');
    const bundle = unpackBundle(json);
    return loadArtifact(bundle.json, bundle.weights);
  }
  if (!(weights instanceof Uint8Array)) {
    throw new EngineError('InvalidArgument', 'loadArtifact(json, weights) needs the weights (.bin) bytes.');
  }
  const doc = parse(json);
  if (weights.byteLength !== doc.weights.bytes) {
    throw corrupted(
      `the weights file has ${weights.byteLength} bytes, but the model expects ${doc.weights.bytes} (truncated, or from another export).`,
    );
  }
  if (fnv1a(weights) !== doc.weights.fnv1a)
    throw corrupted('the weights file does not match the model (checksum differs).');
  const steps = doc.steps.map((s, k) => {
    const def = getStep(s.name);
    if (!def) throw corrupted(`step ${k + 1} is "${s.name}", which this benchtop-runtime does not know.`);
    return { def, state: unpackWeights(s.state, weights) };
  });
  const model = getModel(doc.model.name);
  if (!model) throw corrupted(`the model is "${doc.model.name}", which this benchtop-runtime does not know.`);
  const modelState = unpackWeights(doc.model.state, weights);
  const classes = doc.task === 'classification' ? doc.contract.target?.classes : undefined;

  return {
    artifact: doc,
    async predict(rows, options) {
      const { frame: input, scored, drift } = validateInput(sourceOf(rows), doc.contract);
      const n = isTable(rows) ? rows.numRows : rows.length;
      const ctx: RunContext = {
        rng: createRng(0),
        compute: options?.compute ?? null,
        signal: options?.signal ?? new AbortController().signal,
        progress: () => undefined,
      };
      let frame = input;
      if (scored.length > 0) for (const s of steps) frame = await s.def.transform(frame, s.state, ctx);
      const predictions: (string | number | null)[] = new Array(n).fill(null);
      const result: PredictResult = { predictions, drift };
      if (scored.length === 0) return result;
      const { X } = buildDataset(frame, doc.model.features, null, 'clustering');
      const pred = await model.predict(X, modelState, ctx);
      scored.forEach((row, k) => {
        predictions[row] = classes ? (classes[pred[k]!] ?? null) : pred[k]!;
      });
      if (classes && model.predictProba) {
        const proba = await model.predictProba(X, modelState, ctx);
        const probabilities: (number[] | null)[] = new Array(n).fill(null);
        scored.forEach((row, k) => {
          probabilities[row] = Array.from(proba.data.subarray(k * proba.cols, (k + 1) * proba.cols));
        });
        result.probabilities = probabilities;
      }
      if (classes) result.classes = [...classes];
      return result;
    },
  };
}
