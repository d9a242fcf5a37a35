/**
 * Whether a notebook fits a dataset it was not made on: the columns it names (target, each step's
 * columns, the split's group and time columns) that the dataset lacks or holds with another type,
 * and whether the data itself differs (fingerprint). Opening a share link and "Apply this notebook
 * to…" both ask this before the notebook runs on new data, so the user hears it in one sentence
 * instead of as a string of step errors.
 */
import type { ColumnType } from '../core/types';
import type { ColumnInfo, DatasetInfo, StepInfo } from '../protocol/api';
import type { ColumnTypeChoice, Notebook } from '../spec/notebook';
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
  /** Columns the notebook sets a type for (its `columnTypes`) that the dataset does not have. */
  typesMissing: string[];
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
  const typesMissing = Object.keys(nb.columnTypes ?? {}).filter((c) => !have.has(c));
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
  if (typesMissing.length > 0) {
    const list = typesMissing.map((c) => `"${c}" (${describeChoice(nb.columnTypes![c]!)})`).join(', ');
    parts.push(
      `The notebook sets the type of ${list}, which ${info.name} does not have; those types are left out.`,
    );
  }
  return { missing, retyped, typesMissing, otherData, message: parts.length > 0 ? parts.join(' ') : null };
}

/** "date, format %d/%m/%Y" */
export function describeChoice(choice: ColumnTypeChoice): string {
  return choice.dateFormat === undefined ? choice.type : `${choice.type}, format ${choice.dateFormat}`;
}

/** Whether a column already is what a choice asks for (no format asked: any format will do). */
export function hasChoice(column: ColumnInfo, choice: ColumnTypeChoice): boolean {
  return (
    column.type === choice.type &&
    (choice.dateFormat === undefined || column.dateFormat === choice.dateFormat)
  );
}

/** The notebook's column types the data does not have yet (columns it lacks are left out). */
export function typesToApply(
  nb: Notebook,
  info: DatasetInfo,
): { column: string; choice: ColumnTypeChoice }[] {
  const out: { column: string; choice: ColumnTypeChoice }[] = [];
  for (const [column, choice] of Object.entries(nb.columnTypes ?? {})) {
    const now = info.columns.find((c) => c.name === column);
    if (now && !hasChoice(now, choice)) out.push({ column, choice });
  }
  return out;
}

/**
 * Columns the user typed on this data (their type is not the inferred one) that the notebook
 * does not record: their choice is kept, and recorded so links carry it.
 */
export function typesNotRecorded(
  nb: Notebook,
  info: DatasetInfo,
): { column: string; choice: ColumnTypeChoice }[] {
  return info.columns
    .filter((c) => c.type !== c.inferredType && !nb.columnTypes?.[c.name])
    .map((c) => ({
      column: c.name,
      choice: c.dateFormat === undefined ? { type: c.type } : { type: c.type, dateFormat: c.dateFormat },
    }));
}

/** What applying a notebook's column types did not do as asked, in sentences; null when all fitted. */
export function typeProblems(
  info: DatasetInfo,
  failed: readonly { column: string; choice: ColumnTypeChoice; reason: string }[],
  applied: readonly string[],
  kept: readonly { column: string; choice: ColumnTypeChoice }[],
): string | null {
  const parts: string[] = [];
  for (const f of failed) {
    parts.push(
      `The notebook reads "${f.column}" as ${describeChoice(f.choice)}, which ${info.name} refused (${f.reason.replace(/\.$/, '')}); the column stays ${info.columns.find((c) => c.name === f.column)?.type ?? 'as it was'} and the notebook no longer sets its type.`,
    );
  }
  for (const column of applied) {
    const c = info.columns.find((x) => x.name === column);
    if (c?.unfit) {
      const n = c.unfit.toLocaleString('en-US');
      parts.push(
        `"${column}" is read as ${describeChoice({ type: c.type, ...(c.dateFormat ? { dateFormat: c.dateFormat } : {}) })} as the notebook says, but ${n} value${c.unfit === 1 ? '' : 's'} here did not fit and ${c.unfit === 1 ? 'is' : 'are'} missing; pick another type or format in the Data tab to read ${c.unfit === 1 ? 'it' : 'them'} again.`,
      );
    }
  }
  if (kept.length > 0) {
    const list = kept.map((k) => `"${k.column}" (${describeChoice(k.choice)})`).join(', ');
    parts.push(`Kept the types you chose here for ${list}; the notebook now records them.`);
  }
  return parts.length > 0 ? parts.join(' ') : null;
}
