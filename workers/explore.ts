/**
 * The Explore part of the engine facade: linked selection, summaries, scatter/SPLOM data,
 * correlation, missingness, insights and embeddings, each bound to a dataset's table and
 * forwarded to src/analysis/explore. Typed arrays in the answers are transferred, not cloned.
 */
import type { createExploreSession } from '../src/analysis/explore/session';
import { qualityReport } from '../src/analysis/quality/quality';
import type { Compute } from '../src/gpu/device';
import type { ExploreApi } from '../src/protocol/api';
import type { Catalog } from './datasets';
import type { JobRunner } from './jobs';
import type { Keeper } from './kept';

export interface ExploreDeps {
  explore: ReturnType<typeof createExploreSession>;
  catalog: Catalog;
  runJob: JobRunner['run'];
  compute(): Promise<Compute>;
  /** Named slices, kept with their dataset in browser storage. */
  slices: Pick<Keeper, 'keepSlice' | 'keptSlices' | 'forgetSlice'>;
  transfer<T>(value: T): T;
}

export function exploreApi({ explore, catalog, runJob, compute, slices, transfer }: ExploreDeps): ExploreApi {
  return {
    async setSelection(datasetId, selection) {
      return transfer(explore.setSelection(datasetId, catalog.get(datasetId).table, selection));
    },
    async selectedRows(datasetId, offset, limit) {
      return transfer(explore.selectedRows(datasetId, catalog.get(datasetId).table, offset, limit));
    },
    async selectedTable(datasetId, offset, limit) {
      return transfer(explore.selectedTable(datasetId, catalog.get(datasetId).table, offset, limit));
    },
    async columnSummary(datasetId, column, options) {
      return transfer(explore.columnSummary(datasetId, catalog.get(datasetId).table, column, options));
    },
    async scatterData(datasetId, spec) {
      return transfer(explore.scatterData(catalog.get(datasetId).table, spec));
    },
    async columnsData(datasetId, columns) {
      return transfer(explore.columnsData(catalog.get(datasetId).table, columns));
    },
    async correlation(datasetId, options) {
      return transfer(explore.correlation(catalog.get(datasetId).table, options));
    },
    async groupedDistribution(datasetId, column, by) {
      return transfer(explore.groupedDistribution(datasetId, catalog.get(datasetId).table, column, by));
    },
    async missingness(datasetId) {
      return transfer(explore.missingness(catalog.get(datasetId).table));
    },
    insights(datasetId, options, job) {
      return runJob(job, async (signal, progress) => {
        const ds = catalog.get(datasetId);
        const profiles = await catalog.profileOf(ds, signal, progress);
        const target = options?.target ?? null;
        const warnings = await qualityReport(ds.table, profiles, { target }, signal);
        progress({ phase: 'Looking for insights', fraction: null });
        return explore.insights(datasetId, ds.table, { profiles, warnings, target });
      });
    },
    embedding(datasetId, options, job) {
      return runJob(job, async (signal, progress) => {
        const context = {
          ...(job ? { jobId: job.id } : {}),
          compute: await compute(),
          signal,
          progress: (fraction: number) => progress({ phase: `Embedding (${options.method})`, fraction }),
        };
        return transfer(await explore.embedding(datasetId, catalog.get(datasetId).table, options, context));
      });
    },
    async embeddingFrame(jobId) {
      return transfer(explore.embeddingFrame(jobId));
    },
    async keepSlice(datasetId, slice) {
      return transfer(await slices.keepSlice(datasetId, slice));
    },
    async keptSlices(datasetId) {
      return transfer(await slices.keptSlices(datasetId));
    },
    forgetSlice(datasetId, name) {
      return slices.forgetSlice(datasetId, name);
    },
  };
}
