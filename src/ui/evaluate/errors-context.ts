/** What the error analysis needs from the page, and the one way its rows get selected. */
import type { ErrorAnalysisResult, ErrorRowsQuery, ExperimentResult, ExploreApi } from '../../protocol/api';
import type { ErrorAnalysisStore } from '../../state/error-analysis';
import type { ExploreStore } from '../../state/explore';
import type { TrainRun } from '../../state/train';

export interface ErrorsContext {
  errors: ErrorAnalysisStore;
  /** The page's linked selection (Explore and Data tabs), when the engine offers it. */
  explore?: { api: ExploreApi; store: ExploreStore } | null;
  /** Opens the Explore or Data tab on a dataset. */
  onOpen?: (tab: 'explore' | 'data', datasetId: string) => void;
}

/** What each part of a run's error analysis is drawn from. */
export interface AnalysisProps {
  ctx: ErrorsContext;
  run: TrainRun;
  experiment: ExperimentResult;
  result: ErrorAnalysisResult;
}

/** Lists rows of a run's errors and selects them in the Explore and Data views. */
export async function selectErrorRows(
  ctx: ErrorsContext,
  runId: string,
  query: ErrorRowsQuery,
  label: string,
): Promise<void> {
  const picked = await ctx.errors.pick(runId, query, label);
  if (picked && ctx.explore) {
    await ctx.explore.store.selectRows(picked.datasetId, picked.rows, picked.datasetRows, label);
  }
}
