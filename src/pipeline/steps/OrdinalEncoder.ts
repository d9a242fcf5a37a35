import { EngineError } from '../../core/errors';
import { column, LABEL_TYPES } from '../../core/frame';
import { replaceWithFloats } from '../columnwise';
import {
  categoricalColumns,
  codesIn,
  columnCategories,
  ENCODED_COLUMNS_PARAM,
  encodedColumns,
  firstUnknown,
  requireEncodedColumns,
} from '../labels';
import { inPlace } from '../python';
import { defineStep } from '../step';
import type { StepFixProposal } from '../types';

type HandleUnknown = 'error' | 'use_encoded_value';
type Params = { columns: string[] | null; handle_unknown: HandleUnknown; unknown_value: number | null };
export interface OrdinalEncoderState {
  columns: string[];
  categories: string[][];
  handle_unknown: HandleUnknown;
  /** The code of an unseen category; null encodes it as missing (sklearn's np.nan). */
  unknown_value: number | null;
}

const NAME = 'OrdinalEncoder';

export default defineStep<Params, OrdinalEncoderState>({
  name: NAME,
  kind: 'transform',
  description: 'Replaces each category by its index among the sorted categories (0, 1, 2, …).',
  category: 'Encoding',
  params: {
    columns: ENCODED_COLUMNS_PARAM,
    handle_unknown: {
      type: 'enum',
      options: ['error', 'use_encoded_value'],
      default: 'error',
      description: 'A category not seen in training: fail, or encode it as unknown_value.',
    },
    unknown_value: {
      type: 'integer',
      default: null,
      description: "The code for unseen categories with 'use_encoded_value'; null encodes them as missing.",
    },
  },
  accepts: LABEL_TYPES,
  defaultColumns: (input) => categoricalColumns(input),
  missing: 'passes-through',
  async fit(input, params) {
    const names = encodedColumns(input, NAME, params.columns);
    const categories = names.map((n) => columnCategories(input, n));
    const u = params.unknown_value;
    if (params.handle_unknown === 'use_encoded_value' && u !== null) {
      const clash = names.findIndex((_, j) => u >= 0 && u < categories[j]!.length);
      if (clash >= 0) {
        throw new EngineError(
          'InvalidArgument',
          `${NAME}: unknown_value ${u} is already the code of a category of column "${names[clash]}"; choose a negative number or null.`,
          { param: 'unknown_value' },
        );
      }
    }
    return { columns: names, categories, handle_unknown: params.handle_unknown, unknown_value: u };
  },
  async transform(input, state) {
    requireEncodedColumns(input, NAME, state.columns);
    return replaceWithFloats(input, NAME, state.columns, (name, j) => {
      const vector = column(input, name);
      const codes = codesIn(vector, state.categories[j]!);
      const out = new Float64Array(codes.length);
      const unknown = state.unknown_value ?? Number.NaN;
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i]!;
        if (c === -2 && state.handle_unknown === 'error') {
          const value = firstUnknown(vector, codes);
          const fixes: StepFixProposal[] = [
            {
              kind: 'set-params',
              label: 'Encode unknown categories as -1',
              params: { handle_unknown: 'use_encoded_value', unknown_value: -1 },
            },
            {
              kind: 'insert-step',
              label: `Treat "${value}" as missing`,
              step: { step: 'MarkMissing', params: { values: value ?? '' }, columns: [name] },
            },
          ];
          throw new EngineError(
            'SchemaError',
            `${NAME} found an unknown category "${value}" in column "${name}".`,
            { columnName: name, value, fixes, hint: "Set handle_unknown to 'use_encoded_value'." },
          );
        }
        out[i] = c >= 0 ? c : c === -1 ? Number.NaN : unknown;
      }
      return out;
    });
  },
  python: (params, at) =>
    inPlace(
      'sklearn.preprocessing',
      'OrdinalEncoder',
      {
        handle_unknown: params.handle_unknown,
        // sklearn wants np.nan for "encode unknown categories as missing".
        unknown_value:
          params.handle_unknown === 'use_encoded_value' ? (params.unknown_value ?? Number.NaN) : null,
      },
      at,
    ),
});
