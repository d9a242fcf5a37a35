/**
 * The Explore tab's worker-side state: per dataset, the current linked selection (its row mask,
 * so every view's "selected" counts come without sending the mask back and forth) and the last
 * embedding (for the separability insight), plus the latest intermediate layout of running
 * embedding jobs (the UI fetches it on each progress event to animate). Keyed by the Arrow table,
 * so a re-typed or replaced table starts clean.
 */
import { type Table, tableToIPC } from 'apache-arrow';
import { ownBytes } from '../../core/buffers';
import { EngineError } from '../../core/errors';
import { takeRows } from '../../core/frame';
import type { Compute } from '../../gpu/device';
import type { ColumnProfile } from '../profile/types';
import type { QualityWarning } from '../quality/types';
import { numericColumn } from './columns';
import { type CorrelationMethod, type CorrelationResult, correlationMatrix } from './correlation';
import {
  type EmbeddingMethod,
  type EmbeddingResult,
  type EmbedFn,
  embeddingColumns,
  pcaEmbedding,
  rowMajorStandardised,
  splitXY,
} from './embedding';
import { type GroupedDistribution, groupedWithSelection } from './grouped';
import { buildInsights, type Insight } from './insights';
import { type MissingnessResult, missingness } from './missingness';
import { type ScatterPoints, scatterPoints, toFloat32 } from './points';
import {
  countMask,
  type ExploreSelection,
  maskRowIds,
  selectionExpression,
  selectionMask,
} from './selection';
import { type ColumnSummary, columnSummary } from './summary';
import type { EmbeddingPlan, SelectionState } from './types';

interface DatasetState {
  table: Table;
  selection: ExploreSelection | null;
  mask: Uint8Array | null;
  embedding: EmbeddingResult | null;
}

type EmbedContext = {
  jobId?: string;
  compute: Compute;
  signal: AbortSignal;
  progress(fraction: number): void;
};

/** A t-SNE or UMAP of the standardised columns; intermediate layouts go to `frames` under the job id. */
async function neighbourEmbedding(
  embed: EmbedFn,
  table: Table,
  columns: string[],
  options: { method: 'tsne' | 'umap'; seed?: number },
  ctx: EmbedContext,
  frames: Map<string, { x: Float32Array; y: Float32Array }>,
): Promise<EmbeddingResult> {
  const X = rowMajorStandardised(table, columns);
  const started = performance.now();
  const planned: { plan?: EmbeddingPlan } = {};
  try {
    const hooks = {
      signal: ctx.signal,
      onPlan: (plan: EmbeddingPlan) => {
        planned.plan = plan;
      },
      onProgress(fraction: number, positions?: Float32Array) {
        if (positions && ctx.jobId) frames.set(ctx.jobId, splitXY(positions));
        ctx.progress(fraction);
      },
    };
    const seed = options.seed ?? 0;
    const positions = await embed(
      X,
      table.numRows,
      columns.length,
      { method: options.method, seed },
      ctx.compute,
      hooks,
    );
    const result: EmbeddingResult = { method: options.method, columns, ...splitXY(positions) };
    if (planned.plan) result.ran = { ...planned.plan, seconds: (performance.now() - started) / 1000 };
    return result;
  } finally {
    if (ctx.jobId) frames.delete(ctx.jobId);
  }
}

export function createExploreSession(deps: { embed?: () => Promise<EmbedFn | null> } = {}) {
  const states = new Map<string, DatasetState>();
  const frames = new Map<string, { x: Float32Array; y: Float32Array }>();

  function stateOf(id: string, table: Table): DatasetState {
    let s = states.get(id);
    if (!s || s.table !== table) {
      s = { table, selection: null, mask: null, embedding: null };
      states.set(id, s);
    }
    return s;
  }

  return {
    setSelection(id: string, table: Table, selection: ExploreSelection | null): SelectionState {
      const s = stateOf(id, table);
      const mask = selectionMask(table, selection);
      s.selection = selection?.length ? selection : null;
      s.mask = mask;
      return {
        count: mask ? countMask(mask) : table.numRows,
        rows: table.numRows,
        mask: mask ? mask.slice() : null,
        expression: s.selection ? selectionExpression(table, s.selection) : null,
      };
    },

    selectedRows(id: string, table: Table, offset: number, limit: number): Uint32Array {
      const { mask } = stateOf(id, table);
      if (!mask) {
        const end = Math.min(table.numRows, offset + limit);
        return Uint32Array.from({ length: Math.max(0, end - offset) }, (_, i) => offset + i);
      }
      return maskRowIds(mask, offset, limit);
    },

    /** The selected rows [offset, offset + limit) as Arrow IPC stream bytes (the Data tab's list). */
    selectedTable(id: string, table: Table, offset: number, limit: number): Uint8Array {
      const ids = this.selectedRows(id, table, offset, limit);
      const bytes = tableToIPC(takeRows(table, Int32Array.from(ids), 'Selection'), 'stream');
      return ownBytes(bytes);
    },

    columnSummary(id: string, table: Table, column: string, options: { bins?: number } = {}): ColumnSummary {
      return columnSummary(table, column, { ...options, mask: stateOf(id, table).mask });
    },

    scatterData(
      table: Table,
      spec: { x: string; y: string; color?: string | null; size?: string | null },
    ): ScatterPoints {
      return scatterPoints(table, spec);
    },

    columnsData(table: Table, columns: readonly string[]): { name: string; values: Float32Array }[] {
      return columns.map((name) => ({ name, values: toFloat32(numericColumn(table, name)) }));
    },

    correlation(
      table: Table,
      options: { method?: CorrelationMethod; columns?: string[] | null } = {},
    ): CorrelationResult {
      return correlationMatrix(table, options);
    },

    /** Per group over all rows, plus the same groups over the selected rows when there is a selection. */
    groupedDistribution(id: string, table: Table, column: string, by: string | null): GroupedDistribution {
      return groupedWithSelection(table, column, by, stateOf(id, table).mask);
    },

    missingness(table: Table): MissingnessResult {
      return missingness(table);
    },

    insights(
      id: string,
      table: Table,
      inputs: { profiles: ColumnProfile[]; warnings: QualityWarning[]; target?: string | null },
    ): Insight[] {
      const s = stateOf(id, table);
      return buildInsights({
        table,
        profiles: inputs.profiles,
        warnings: inputs.warnings,
        correlation: correlationMatrix(table, { method: 'pearson' }),
        target: inputs.target ?? null,
        embedding: s.embedding,
      });
    },

    async embedding(
      id: string,
      table: Table,
      options: { method: EmbeddingMethod; columns?: string[] | null; seed?: number },
      ctx: EmbedContext,
    ): Promise<EmbeddingResult> {
      // Progress shows at once: loading t-SNE/UMAP and standardising the columns take a while.
      ctx.progress(0);
      const columns = embeddingColumns(table, options.columns);
      let result: EmbeddingResult;
      if (options.method === 'pca') {
        result = await pcaEmbedding(table, columns, ctx.compute, ctx.signal);
      } else {
        const embed = deps.embed ? await deps.embed() : null;
        if (!embed) {
          throw new EngineError(
            'InvalidArgument',
            `${options.method === 'tsne' ? 't-SNE' : 'UMAP'} is not available in this build yet; use PCA.`,
          );
        }
        result = await neighbourEmbedding(
          embed,
          table,
          columns,
          { ...options, method: options.method },
          ctx,
          frames,
        );
      }
      ctx.progress(1);
      stateOf(id, table).embedding = result;
      return { ...result, x: result.x.slice(), y: result.y.slice() };
    },

    /** The latest intermediate layout of a running embedding job (null when there is none yet). */
    embeddingFrame(jobId: string): { x: Float32Array; y: Float32Array } | null {
      const f = frames.get(jobId);
      return f ? { x: f.x.slice(), y: f.y.slice() } : null;
    },

    forget(id: string): void {
      states.delete(id);
    },
  };
}

export type ExploreSession = ReturnType<typeof createExploreSession>;

export type { SelectionState };
