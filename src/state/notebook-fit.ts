/**
 * Whether a notebook fits a dataset it was not made on: the columns it names (target, each step's
 * columns, the split's group and time columns) that the dataset lacks or holds with another type,
 * and whether the data itself differs (fingerprint). Opening a share link and "Apply this notebook
 * to…" both ask this before the notebook runs on new data, so the user hears it in one sentence
 * instead of as a string of step errors.
 */
import type { ColumnType } from '../core/types';
import type { ColumnInfo, DatasetInfo, StepInfo } from '../protocol/api';
import type { Notebook } from '../spec/notebook';
import { describeRef } from './dataset-ref';

export interface ColumnUse {
  column: string;
  /** Who names it: "the target", "step 2 (StandardScaler)", "the split's groups". */
  usedBy: string[];
}

export interface TypeChange {
  column: string;
  from: ColumnType;
  to: ColumnType;
}

export interface NotebookFit {
  /** Columns the notebook names that the dataset does not have. */
  missing: ColumnUse[];
  /** Columns the dataset has with another type than the data the notebook was made on. */
  retyped: TypeChange[];
  /** The notebook names a file whose content differs from this dataset's. */
  otherData: boolean;
  /** One paragraph for the user, or null when the notebook fits. */
  message: string | null;
}

/** Every column a notebook names, with who names it, in notebook order. */
export function columnsNamed(nb: Notebook, catalog: readonly StepInfo[] = []): ColumnUse[] {
  const uses = new Map<string, string[]>();
  const use = (column: string, by: string) => {
    const list = uses.get(column) ?? [];
    if (!list.includes(by)) list.push(by);
    uses.set(column, list);
  };
  if (nb.target) use(nb.target, 'the target');
  nb.steps.forEach((s, i) => {
    if (!s.enabled) return;
    const by = `step ${i + 1} (${s.label ?? s.step})`;
    for (const c of s.columns ?? []) use(c, by);
    const params = catalog.find((x) => x.name === s.step)?.params ?? {};
    for (const [key, info] of Object.entries(params)) {
      const value = s.params[key];
      if (info.type !== 'columns' || key === 'columns' || !Array.isArray(value)) continue;
      for (const c of value) if (typeof c === 'string') use(c, by);
    }
  });
  const split = nb.train?.split;
  if (split?.group) use(split.group, "the split's groups");
  if (split?.timeColumn) use(split.timeColumn, "the split's time order");
  return [...uses].map(([column, usedBy]) => ({ column, usedBy }));
}

/**
 * How `nb` fits `info`. With `source` (the columns of the data the notebook was made on), a column
 * an earlier step creates is not mistaken for a missing one, and type changes are found too.
 */
export function notebookFit(
  nb: Notebook,
  info: DatasetInfo,
  options: { catalog?: readonly StepInfo[]; source?: readonly ColumnInfo[] } = {},
): NotebookFit {
  const have = new Map(info.columns.map((c) => [c.name, c.type]));
  const before = options.source ? new Map(options.source.map((c) => [c.name, c.type])) : null;
  const named = columnsNamed(nb, options.catalog);
  const missing = named.filter((u) => !have.has(u.column) && (!before || before.has(u.column)));
  const retyped: TypeChange[] = [];
  if (before) {
    for (const u of named) {
      const from = before.get(u.column);
      const to = have.get(u.column);
      if (from && to && from !== to) retyped.push({ column: u.column, from, to });
    }
  }
  const ref = nb.dataset;
  const otherData =
    ref?.kind === 'file' &&
    !!ref.fingerprint &&
    !!info.fingerprint &&
    ref.fingerprint !== info.fingerprint &&
    nb.steps.length > 0;
  const parts: string[] = [];
  if (otherData && ref) {
    parts.push(
      `This notebook was made on ${describeRef(ref)}; ${info.name} (${info.rows.toLocaleString('en-US')} rows) holds different data, so its results will differ.`,
    );
  }
  if (missing.length > 0) {
    const list = missing.map((m) => `"${m.column}" (${m.usedBy.join(', ')})`).join('; ');
    parts.push(`${info.name} has no column ${list}${before ? '' : ', unless an earlier step makes it'}.`);
    // fittedTo() clears a missing target or split column; a step's columns are the user's to pick.
    const cleared = [...new Set(missing.flatMap((m) => m.usedBy.filter((by) => !by.startsWith('step '))))];
    if (missing.some((m) => m.usedBy.some((by) => by.startsWith('step '))))
      parts.push('Pick other columns in those steps, or remove them.');
    if (cleared.length > 0)
      parts.push(
        `On this data, ${cleared.join(' and ')} ${cleared.length > 1 ? 'are' : 'is'} left empty: pick again.`,
      );
  }
  if (retyped.length > 0) {
    const list = retyped.map((t) => `"${t.column}" is ${t.to} here, ${t.from} there`).join('; ');
    parts.push(`Some columns changed type: ${list}.`);
  }
  return { missing, retyped, otherData, message: parts.length > 0 ? parts.join(' ') : null };
}
