/**
 * The rows a training run splits. Filter steps drop rows, which would shift the fold indices
 * under the steps after them, so every filter runs once on all rows before the split — as a
 * pandas user filters the DataFrame before train_test_split — wherever it sits in the notebook:
 * the steps before a filter are fitted on every row for that purpose (they run again inside each
 * fold for the model). The folds then fit the other steps on their training rows only.
 */
import type { Table } from 'apache-arrow';
import { takeRows } from '../../core/frame';
import type { Compute } from '../../gpu/device';
import { NotebookPlanner } from '../../pipeline/plan';
import { getStep } from '../../pipeline/registry';
import type { Notebook, StepSpec } from '../../spec/notebook';
import { failOnStepError } from './step-errors';

export interface RowsContext {
  table: Table;
  /** Identifies the data version (notebook caches). */
  dataKey: string;
  compute: Compute | null;
  signal: AbortSignal;
}

export interface TrainingRows {
  /** The input rows the filters keep (all rows without filters), as loaded: sourceRows() maps
   * them back to the dataset's rows. */
  base: Table;
  /** The steps each fold fits: the notebook without its filters. */
  steps: StepSpec[];
  /** Identifies `base` in cache keys. */
  dataKey: string;
  /** One sentence when a filter comes after a transform: how its rows were chosen. */
  notes: string[];
  /** Fitted states (by step id) of the steps up to the last filter, fitted on every row. */
  states: Map<string, unknown>;
}

const isFilter = (s: StepSpec) => s.enabled && getStep(s.step)?.kind === 'filter';

export async function rowsBeforeSplit(
  ctx: RowsContext,
  notebook: Pick<Notebook, 'steps' | 'seed'>,
  target: string | null,
  planner: NotebookPlanner = new NotebookPlanner(),
): Promise<TrainingRows> {
  const steps = notebook.steps;
  const last = steps.findLastIndex(isFilter);
  if (last < 0)
    return { base: ctx.table, steps: [...steps], dataKey: ctx.dataKey, notes: [], states: new Map() };
  const out = await planner.run(
    { table: ctx.table, dataKey: ctx.dataKey, steps: steps.slice(0, last + 1), seed: notebook.seed, target },
    { compute: ctx.compute, signal: ctx.signal, progress: () => undefined },
  );
  failOnStepError(out.runs, steps, null, 1);
  const base = out.rows ? takeRows(ctx.table, out.rows, 'the filter steps') : ctx.table;
  const firstTransform = steps.findIndex((s) => s.enabled && !isFilter(s));
  const late = steps.filter((s, i) => isFilter(s) && firstTransform >= 0 && i > firstTransform);
  const notes =
    late.length === 0
      ? []
      : [
          `${late.map((s) => s.step).join(', ')} ${late.length === 1 ? 'comes' : 'come'} after ${steps[firstTransform]!.step}: ` +
            `its rows were chosen once before the split (${base.numRows} of ${ctx.table.numRows} kept), with the steps before it ` +
            'fitted on every row; each fold then fits the other steps on its training rows.',
        ];
  return {
    base,
    steps: steps.filter((s) => !isFilter(s)),
    dataKey: `${ctx.dataKey}|rows=${rowsKey(out.rows, ctx.table.numRows)}`,
    notes,
    states: out.states,
  };
}

function rowsKey(rows: Int32Array | null, n: number): string {
  if (!rows) return `all${n}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < rows.length; i++) h = Math.imul(h ^ rows[i]!, 0x01000193) >>> 0;
  return `${rows.length}:${h.toString(16)}`;
}
