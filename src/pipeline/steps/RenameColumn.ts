import { EngineError } from '../../core/errors';
import { column, rebuild, resolveColumns, typeOf } from '../../core/frame';
import { COLUMN_TYPES } from '../../core/types';
import { py } from '../python';
import { defineStep } from '../step';

type Params = { column: string; new_name: string };
export interface RenameColumnState {
  column: string;
  new_name: string;
}

const NAME = 'RenameColumn';

export default defineStep<Params, RenameColumnState>({
  name: NAME,
  kind: 'transform',
  description: 'Gives a column a new name.',
  category: 'Cleaning',
  params: {
    column: { type: 'string', default: '', maxLength: 500, description: 'The column to rename.' },
    new_name: { type: 'string', default: '', maxLength: 500, description: 'Its new name.' },
  },
  accepts: COLUMN_TYPES,
  missing: 'passes-through',
  async fit(input, params) {
    if (params.column === '' || params.new_name.trim() === '') {
      throw new EngineError('InvalidArgument', `${NAME} needs a column and a non-empty new name.`, {
        param: 'new_name',
      });
    }
    resolveColumns(input, NAME, 'rename', COLUMN_TYPES, [params.column]);
    return { column: params.column, new_name: params.new_name };
  },
  async transform(input, state) {
    resolveColumns(input, NAME, 'rename', COLUMN_TYPES, [state.column]);
    if (state.new_name === state.column) return input;
    const renamed = {
      name: state.new_name,
      type: typeOf(input, state.column),
      vector: column(input, state.column),
    };
    return rebuild(input, NAME, new Map([[state.column, [renamed]]]));
  },
  python: (params) => ({
    lines: [
      `train = train.rename(columns={${py(params.column)}: ${py(params.new_name)}})`,
      `test = test.rename(columns={${py(params.column)}: ${py(params.new_name)}})`,
    ],
  }),
});
