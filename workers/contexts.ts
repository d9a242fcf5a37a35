/**
 * What the facade hands the analysis jobs: a training context (the dataset's table, its data key,
 * compute, cancel and progress), an inspection context, and an artifact fitted on every row.
 */

import type { ExperimentContext } from '../src/analysis/experiment/experiment';
import { EngineError } from '../src/core/errors';
import type { Progress } from '../src/core/job';
import { buildArtifact } from '../src/export/artifact';
import type { ExportSpec } from '../src/export/types';
import type { Compute } from '../src/gpu/device';
import type { Catalog } from './datasets';

export function createContexts(get: Catalog['get'], compute: () => Promise<Compute>) {
  /** The notebook and a model fitted on every row of a dataset, as an artifact (JSON + weights). */
  async function fitArtifact(
    datasetId: string,
    spec: ExportSpec,
    signal: AbortSignal,
    progress: (p: Progress) => void,
  ) {
    const ds = get(datasetId);
    const c = await compute();
    progress({ phase: 'Fitting the notebook and the model on every row', fraction: null });
    const options = { dataKey: `${datasetId}@${ds.version}`, compute: c, signal, backend: c.info().kernels };
    return buildArtifact(ds.table, spec, options);
  }

  async function trainContext(
    datasetId: string,
    signal: AbortSignal,
    progress: (p: Progress) => void,
  ): Promise<ExperimentContext> {
    const ds = get(datasetId);
    if (ds.info.source.kind === 'derived') {
      throw new EngineError(
        'InvalidArgument',
        'Train on the original dataset: the notebook runs inside each fold.',
      );
    }
    const dataKey = `${datasetId}@${ds.version}`;
    return { table: ds.table, datasetId, dataKey, compute: await compute(), signal, progress };
  }

  /** Options for the inspection algorithms: compute, cancel and progress as (fraction, note). */
  async function inspectContext(signal: AbortSignal, progress: (p: Progress) => void) {
    const report = (fraction: number, note: string) => progress({ phase: note, fraction });
    return { compute: await compute(), signal, progress: report };
  }

  return { fitArtifact, trainContext, inspectContext };
}
