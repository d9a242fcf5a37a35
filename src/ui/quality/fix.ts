import type { FixStep } from '../../protocol/api';

/** The notebook actions a fix needs (the notebook store satisfies it). */
export interface FixTarget {
  addStep(name: string): string | null;
  setParam(id: string, key: string, value: FixStep['params'][string]): void;
  setColumns(id: string, columns: readonly string[] | null): void;
}

/**
 * Appends a quality fix to the notebook as an enabled step with the fix's parameters and
 * columns. Returns the new step's id, or null when the notebook does not know the step.
 */
export function addFixToNotebook(notebook: FixTarget, fix: FixStep): string | null {
  const id = notebook.addStep(fix.step);
  if (id === null) return null;
  for (const [key, value] of Object.entries(fix.params)) notebook.setParam(id, key, value);
  if (fix.columns && fix.columns.length > 0) notebook.setColumns(id, fix.columns);
  return id;
}
