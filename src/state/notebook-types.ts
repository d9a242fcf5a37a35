/**
 * The Data tab's column types belong to the notebook (its `columnTypes`), so autosave, share links
 * and "Apply to…" carry them: a type the user picks is recorded in the bound dataset's notebook
 * (and dropped when the column is back to its inferred type), and a notebook shown on its data is
 * applied to it through the engine before its steps run. What does not apply — a column the data
 * lacks, a type or format the engine refuses, values that do not fit — is said in the warning
 * above the steps, where the column check of notebook-fit.ts speaks.
 */
import type { SetStoreFunction } from 'solid-js/store';
import type { DatasetInfo } from '../protocol/api';
import type { ColumnTypeChoice, Notebook } from '../spec/notebook';
import { typeProblems, typesNotRecorded, typesToApply } from './notebook-fit';
import type { ColumnTypeHost, NotebookState } from './notebook-state';
import type { ColumnTyped } from './workbench';

/** `nb` with `column`'s choice set (null: removed; an empty map goes too). */
export function setChoice(nb: Notebook, column: string, choice: ColumnTypeChoice | null): void {
  const map = { ...(nb.columnTypes ?? {}) };
  if (choice) map[column] = choice;
  else delete map[column];
  if (Object.keys(map).length > 0) nb.columnTypes = map;
  else delete nb.columnTypes;
}

export interface TypeSyncDeps {
  state: NotebookState;
  setState: SetStoreFunction<NotebookState>;
  host: ColumnTypeHost & { state: { readonly datasets: readonly DatasetInfo[] } };
  snapshot: () => Notebook;
  /** Puts a new document on screen without an undo entry (types follow the data, not history). */
  put: (nb: Notebook) => void;
  file: () => void;
  schedule: () => void;
}

export function createTypeSync(deps: TypeSyncDeps) {
  const { state, setState, host } = deps;

  /** A type the user picked in the Data tab, recorded in the notebook of its dataset. */
  function record(event: ColumnTyped): void {
    if (event.datasetId !== state.datasetId) return;
    const column = event.info.columns.find((c) => c.name === event.column);
    if (!column) return;
    const asInferred = event.type === column.inferredType && event.dateFormat === undefined;
    const choice: ColumnTypeChoice | null = asInferred
      ? null
      : event.dateFormat === undefined
        ? { type: event.type }
        : { type: event.type, dateFormat: event.dateFormat };
    const next = deps.snapshot();
    setChoice(next, event.column, choice);
    deps.put(next);
    deps.file();
    // The data changed under the steps: their results are stale.
    deps.schedule();
  }

  /** Appends a sentence to the warning above the steps. */
  function warn(text: string | null): void {
    if (!text) return;
    setState('warning', state.warning ? `${state.warning} ${text}` : text);
  }

  /**
   * Brings the data of the notebook on screen to its column types, then runs it. Returns false
   * when nothing had to change (the caller runs as usual); true when this took over the run.
   */
  function apply(info: DatasetInfo): boolean {
    const nb = deps.snapshot();
    const todo = typesToApply(nb, info);
    if (todo.length === 0 || !host.applyColumnTypes) {
      recordKept(info);
      return false;
    }
    const choices = todo.map(({ column, choice }) => ({ column, ...choice }));
    void host.applyColumnTypes(info.id, choices).then((result) => {
      if (state.datasetId !== info.id) return;
      const now = result.info ?? host.state.datasets.find((d) => d.id === info.id) ?? info;
      const next = deps.snapshot();
      for (const f of result.failed) setChoice(next, f.column, null);
      const failed = result.failed.map((f) => ({
        column: f.column,
        choice: nb.columnTypes?.[f.column] ?? { type: f.type },
        reason: f.error.message,
      }));
      const refused = new Set(failed.map((f) => f.column));
      const applied = todo.map((t) => t.column).filter((c) => !refused.has(c));
      const kept = typesNotRecorded(next, now);
      for (const k of kept) setChoice(next, k.column, k.choice);
      if (failed.length > 0 || kept.length > 0) {
        deps.put(next);
        deps.file();
      }
      warn(typeProblems(now, failed, applied, kept));
      deps.schedule();
    });
    return true;
  }

  /** Types the user chose on this data before the notebook recorded them: recorded now, and said. */
  function recordKept(info: DatasetInfo): void {
    const next = deps.snapshot();
    const kept = typesNotRecorded(next, info);
    if (kept.length === 0) return;
    for (const k of kept) setChoice(next, k.column, k.choice);
    deps.put(next);
    deps.file();
    warn(typeProblems(info, [], [], kept));
  }

  return { record, apply };
}
