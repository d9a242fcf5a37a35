/**
 * What the runtime tests compare against: an artifact exported by the in-process engine, and the
 * engine's own predictions for the same fit on its own table.
 */
import { createRng } from '../../src/core/rng';
import { fitForExport } from '../../src/export/artifact';
import { buildDataset } from '../../src/models/model';
import { getModel } from '../../src/models/registry';
import type { TrainParamValue } from '../../src/protocol/api';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';

export const step = (id: string, name: string, params: Record<string, unknown> = {}) => ({
  id,
  step: name,
  params: params as Notebook['steps'][number]['params'],
  enabled: true,
});

export const notebook = (steps: Notebook['steps'], seed: number): Notebook => ({
  version: 1,
  seed,
  dataset: null,
  target: 'target',
  steps,
});

export interface ExportCase {
  sample: string;
  notebook: Notebook;
  model: { name: string; params: Record<string, TrainParamValue> };
}

export async function exported(c: ExportCase) {
  const engine = createNodeEngine();
  const info = await engine.loadSample(c.sample);
  const spec = { notebook: c.notebook, target: 'target', model: c.model };
  const { json, weights } = await engine.exportArtifact(info.id, spec);
  const table = engine.table(info.id);
  const signal = new AbortController().signal;
  const fitted = await fitForExport(table, spec, { dataKey: 'check', compute: null, signal });
  const ctx = { rng: createRng(0), compute: null, signal, progress: () => undefined };
  const { X } = buildDataset(fitted.table, fitted.features, null, 'clustering');
  const codes = await getModel(c.model.name)!.predict(X, fitted.modelState, ctx);
  const expected = Array.from(codes, (v) => (fitted.classes ? fitted.classes[v]! : v));
  return { json, weights, expected, table };
}
