/**
 * A dataset row as the what-if form's values: each feature's Arrow value in the feature's type,
 * read from the worker (a later request wins; a bad index or missing column is a message).
 */
import type { Table } from 'apache-arrow';
import type { SetStoreFunction } from 'solid-js/store';
import type { CellValue, DeployedModelInfo, FeatureContract } from '../protocol/api';
import { failure } from './failure';
import type { PrototypeState } from './prototype-state';

/** One Arrow value as a form value of the feature's type. */
export function cellValue(v: unknown, f: FeatureContract): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date || ((f.type === 'date' || f.type === 'datetime') && typeof v === 'number')) {
    const d = new Date(v as Date | number);
    if (Number.isNaN(d.getTime())) return null;
    return f.type === 'date' ? d.toISOString().slice(0, 10) : d.toISOString();
  }
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

/**
 * The model's features (and its target, as the actual value) from the first row of `table`, or
 * the message naming the columns the model needs and the table lacks.
 */
export function formRow(
  table: Table,
  m: DeployedModelInfo,
): { row: Record<string, CellValue>; actual: CellValue | null } | { error: string } {
  const absent = m.contract.features.filter((f) => !table.getChild(f.name)).map((f) => `"${f.name}"`);
  if (absent.length > 0)
    return { error: `This dataset has no column ${absent.join(', ')} that the model needs.` };
  const row: Record<string, CellValue> = {};
  for (const f of m.contract.features) row[f.name] = cellValue(table.getChild(f.name)!.get(0), f);
  const target = m.target ? table.getChild(m.target) : null;
  const actual = target
    ? cellValue(target.get(0), { name: m.target!, type: m.contract.target!.type, missing: 'allowed' })
    : null;
  return { row, actual };
}

/** Loads row `index` (0-based) of a dataset into the form; a bad index leaves the form as it was. */
export function createRowLoader(
  client: { rows(datasetId: string, start: number, end: number): Promise<Table> },
  model: () => DeployedModelInfo | null,
  setState: SetStoreFunction<PrototypeState>,
  startFrom: (base: PrototypeState['base']) => void,
) {
  let rowSequence = 0;
  return {
    async load(datasetId: string, index: number, rowCount: number): Promise<boolean> {
      const m = model();
      if (!m) return false;
      if (!Number.isInteger(index) || index < 0 || index >= rowCount) {
        setState('rowError', `Pick a row from 1 to ${rowCount.toLocaleString('en-US')}.`);
        return false;
      }
      const seq = ++rowSequence;
      try {
        const table = await client.rows(datasetId, index, index + 1);
        if (seq !== rowSequence || model() !== m) return false;
        const read = formRow(table, m);
        if ('error' in read) {
          setState('rowError', read.error);
          return false;
        }
        setState('rowError', null);
        startFrom({ label: `row ${index + 1}`, row: read.row, index, actual: read.actual });
        return true;
      } catch (e) {
        if (seq === rowSequence) setState('rowError', failure(e).message);
        return false;
      }
    },
  };
}
