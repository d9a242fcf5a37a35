import { rebuild, resolveColumns } from '../../core/frame';
import { COLUMN_TYPES } from '../../core/types';
import { defineStep } from '../step';

type Params = { columns: string[] | null };
export interface DropColumnsState {
  columns: string[];
}

const NAME = 'DropColumns';

export default defineStep<Params, DropColumnsState>({
  name: NAME,
  kind: 'transform',
  description: 'Removes the chosen columns.',
  category: 'Cleaning',
  params: { columns: { type: 'columns', default: [], description: 'Columns to remove.' } },
  accepts: COLUMN_TYPES,
  missing: 'passes-through',
  async fit(input, params) {
    return { columns: resolveColumns(input, NAME, 'drop', COLUMN_TYPES, params.columns ?? []) };
  },
  async transform(input, state) {
    resolveColumns(input, NAME, 'drop', COLUMN_TYPES, state.columns);
    return rebuild(input, NAME, new Map(state.columns.map((c) => [c, []])));
  },
  python: (_params, at) => ({
    lines: [`train = train.drop(columns=${at.columns})`, `test = test.drop(columns=${at.columns})`],
  }),
});
