/**
 * Groups for the "Add step" picker. Each step declares its group (StepInfo.category, from its
 * definition in src/pipeline/steps/) and the catalog lists the steps group by group, so this only
 * reads it: groups in catalog order, a step without a category under "Other transforms" or
 * "Other filters" by its kind.
 */
import type { StepInfo } from '../../protocol/api';

export interface StepGroup {
  title: string;
  steps: StepInfo[];
}

/** The catalog grouped for the picker, filtered by `query` (name or description, any case). */
export function groupSteps(catalog: readonly StepInfo[], query = ''): StepGroup[] {
  const q = query.trim().toLowerCase();
  const shown = catalog.filter(
    (s) => q === '' || s.name.toLowerCase().includes(q) || s.description.toLowerCase().includes(q),
  );
  const groups = new Map<string, StepInfo[]>();
  for (const s of shown) {
    if (!s.category) continue;
    groups.set(s.category, [...(groups.get(s.category) ?? []), s]);
  }
  const out = [...groups].map(([title, steps]) => ({ title, steps }));
  for (const kind of ['transform', 'filter'] as const) {
    const steps = shown.filter((s) => !s.category && s.kind === kind);
    if (steps.length > 0)
      out.push({ title: kind === 'transform' ? 'Other transforms' : 'Other filters', steps });
  }
  return out;
}

/**
 * The step Enter adds from the search box: the one whose name is the query, else the only step
 * the query matches; null when the choice is not clear.
 */
export function pickedStep(groups: readonly StepGroup[], query: string): StepInfo | null {
  const steps = groups.flatMap((g) => g.steps);
  const q = query.trim().toLowerCase();
  return steps.find((s) => s.name.toLowerCase() === q) ?? (steps.length === 1 ? (steps[0] ?? null) : null);
}
