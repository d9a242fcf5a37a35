import { EngineError } from '../../core/errors';
import { boolData, column, missingMask, outColumn, rebuild, resolveColumns } from '../../core/frame';
import { COLUMN_TYPES } from '../../core/types';
import { replacing, sklearnParams } from '../python';
import { defineStep } from '../step';

type Params = { columns: string[] | null; features: 'missing-only' | 'all'; error_on_new: boolean };
export interface MissingIndicatorState {
  /** Columns that get an indicator, in input order. */
  features: string[];
  /** Every column checked (with 'missing-only', the others must stay complete when error_on_new). */
  checked: string[];
  error_on_new: boolean;
}

const NAME = 'MissingIndicator';

export default defineStep<Params, MissingIndicatorState>({
  name: NAME,
  kind: 'transform',
  description: 'Adds a true/false column missingindicator_<column> marking where values are missing.',
  category: 'Missing values',
  params: {
    columns: { type: 'columns', default: null, description: 'Columns to check; null means every column.' },
    features: {
      type: 'enum',
      options: ['missing-only', 'all'],
      default: 'missing-only',
      description:
        "'missing-only': indicators only for columns with missing training values; 'all': for every column.",
    },
    error_on_new: {
      type: 'boolean',
      default: true,
      description: "With 'missing-only', fail when a column without missing training values has some later.",
    },
  },
  accepts: COLUMN_TYPES,
  missing: 'handles',
  async fit(input, params) {
    const checked = resolveColumns(input, NAME, 'check', COLUMN_TYPES, params.columns);
    const features =
      params.features === 'all' ? checked : checked.filter((n) => missingMask(column(input, n)).includes(1));
    return { features, checked, error_on_new: params.features === 'missing-only' && params.error_on_new };
  },
  async transform(input, state) {
    resolveColumns(input, NAME, 'check', COLUMN_TYPES, state.checked);
    if (state.error_on_new) {
      const indicated = new Set(state.features);
      for (const name of state.checked) {
        if (!indicated.has(name) && missingMask(column(input, name)).includes(1)) {
          throw new EngineError(
            'SchemaError',
            `${NAME} found missing values in column "${name}", which had none in the training rows.`,
            { columnName: name, hint: "Set features to 'all' or error_on_new to false." },
          );
        }
      }
    }
    const added = state.features.map((name) =>
      outColumn(`missingindicator_${name}`, 'boolean', boolData(missingMask(column(input, name)))),
    );
    return rebuild(input, NAME, new Map(), added);
  },
  python: (params, at) =>
    replacing(
      'sklearn.impute',
      'MissingIndicator',
      sklearnParams(params, ['features', 'error_on_new']),
      at,
      ', keep=True',
    ),
});
