import { EngineError } from '../../core/errors';
import {
  column,
  type Frame,
  floatData,
  LABEL_TYPES,
  type OutColumn,
  outColumn,
  rebuild,
  typeOf,
} from '../../core/frame';
import {
  categoricalColumns,
  codesIn,
  columnCategories,
  countCodes,
  ENCODED_COLUMNS_PARAM,
  encodedColumns,
  firstUnknown,
  requireEncodedColumns,
} from '../labels';
import { replacing } from '../python';
import { defineStep } from '../step';
import type { StepFixProposal } from '../types';

/** More distinct values than this make a one-hot encoding useless (and huge) unless grouped. */
export const MAX_ONE_HOT_CATEGORIES = 1000;

type HandleUnknown = 'error' | 'ignore' | 'infrequent_if_exist';
type Params = {
  columns: string[] | null;
  handle_unknown: HandleUnknown;
  drop: 'first' | 'if_binary' | null;
  max_categories: number | null;
};
export interface OneHotColumn {
  name: string;
  /** sklearn's categories_ without the missing value. */
  categories: string[];
  /** Whether missing was seen in training: then it is the last category, output "<col>_nan". */
  missing_category: boolean;
  /** Output column per category (missing last), -1 where dropped. */
  output_of: number[];
  output_names: string[];
  /** Output index of "<col>_infrequent_sklearn", or -1. */
  infrequent_output: number;
}
export interface OneHotEncoderState {
  columns: OneHotColumn[];
  handle_unknown: HandleUnknown;
}

const NAME = 'OneHotEncoder';

function fitColumn(input: Frame, name: string, params: Params): OneHotColumn {
  const type = typeOf(input, name);
  const categories = columnCategories(input, name);
  const codes = codesIn(column(input, name), categories);
  const missing_category = codes.includes(-1);
  const size = categories.length + (missing_category ? 1 : 0);
  if (params.max_categories === null && size > MAX_ONE_HOT_CATEGORIES) {
    throw new EngineError(
      'SchemaError',
      `${NAME} cannot encode column "${name}" (type ${type}): it has ${size} distinct values, more than ${MAX_ONE_HOT_CATEGORIES} one-hot columns.`,
      {
        columnName: name,
        type,
        distinct: size,
        hint: 'Set max_categories to group rare values, or use OrdinalEncoder.',
      },
    );
  }
  const counts = countCodes(codes, categories.length);
  const allCounts = missing_category ? [...counts, codes.filter((c) => c === -1).length] : [...counts];
  const infrequent = new Uint8Array(size);
  if (params.max_categories !== null && params.max_categories < size + 1) {
    // sklearn: a stable sort by count marks the (size - max_categories + 1) rarest as infrequent.
    const order = allCounts.map((c, k) => [c, k] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [, k] of order.slice(0, size - params.max_categories + 1)) infrequent[k] = 1;
  }
  const labelOf = (k: number) => (k < categories.length ? categories[k]! : 'nan');
  const dropFirst = params.drop === 'first' || (params.drop === 'if_binary' && size === 2);
  const output_of: number[] = [];
  const output_names: string[] = [];
  for (let k = 0; k < size; k++) {
    if (infrequent[k] || (dropFirst && k === 0)) output_of.push(-1);
    else {
      output_of.push(output_names.length);
      output_names.push(`${name}_${labelOf(k)}`);
    }
  }
  let infrequent_output = -1;
  if (infrequent.includes(1)) {
    infrequent_output = output_names.length;
    output_names.push(`${name}_infrequent_sklearn`);
    for (let k = 0; k < size; k++) if (infrequent[k]) output_of[k] = infrequent_output;
  }
  return { name, categories, missing_category, output_of, output_names, infrequent_output };
}

/**
 * A category the training rows did not have (null: a missing value they did not have), with
 * the one-click fixes: ignore unknown categories, or treat the value as missing before encoding.
 */
function unknownCategory(name: string, value: string | null): EngineError {
  const shown = value === null ? 'missing' : `"${value}"`;
  const fixes: StepFixProposal[] = [
    { kind: 'set-params', label: 'Ignore unknown categories', params: { handle_unknown: 'ignore' } },
  ];
  if (value !== null) {
    fixes.push({
      kind: 'insert-step',
      label: `Treat "${value}" as missing`,
      step: { step: 'MarkMissing', params: { values: value }, columns: [name] },
    });
  }
  return new EngineError('SchemaError', `${NAME} found an unknown category ${shown} in column "${name}".`, {
    columnName: name,
    value,
    fixes,
    hint: "Set handle_unknown to 'ignore' to encode unseen categories as all zeros.",
  });
}

export default defineStep<Params, OneHotEncoderState>({
  name: NAME,
  kind: 'transform',
  description: 'Replaces each categorical column by one 0/1 column per category.',
  category: 'Encoding',
  params: {
    columns: ENCODED_COLUMNS_PARAM,
    handle_unknown: {
      type: 'enum',
      options: ['error', 'ignore', 'infrequent_if_exist'],
      default: 'error',
      description: 'A category not seen in training: fail, encode as all zeros, or count it as infrequent.',
    },
    drop: {
      type: 'enum',
      options: ['first', 'if_binary'],
      default: null,
      description:
        "Drop the first category's column (of every column, or only of two-category columns); null keeps all.",
    },
    max_categories: {
      type: 'integer',
      default: null,
      min: 2,
      description:
        'At most this many output columns per input column; rarer categories are grouped as infrequent.',
    },
  },
  accepts: LABEL_TYPES,
  defaultColumns: (input) => categoricalColumns(input),
  missing: 'handles',
  async fit(input, params) {
    if (params.drop !== null && params.max_categories !== null) {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: drop together with max_categories is not supported yet.`,
        {
          param: 'drop',
        },
      );
    }
    const names = encodedColumns(input, NAME, params.columns);
    return {
      columns: names.map((n) => fitColumn(input, n, params)),
      handle_unknown: params.handle_unknown,
    };
  },
  async transform(input, state) {
    requireEncodedColumns(
      input,
      NAME,
      state.columns.map((c) => c.name),
    );
    const replace = new Map<string, OutColumn[]>();
    const n = input.numRows;
    for (const c of state.columns) {
      const vector = column(input, c.name);
      const codes = codesIn(vector, c.categories);
      const outputs = c.output_names.map(() => new Float64Array(n));
      const missingOutput = c.missing_category ? c.output_of[c.categories.length]! : -2;
      for (let i = 0; i < n; i++) {
        const code = codes[i]!;
        let o = code >= 0 ? c.output_of[code]! : code === -1 ? missingOutput : -2;
        if (o === -2) {
          if (state.handle_unknown === 'error')
            throw unknownCategory(c.name, code === -1 ? null : firstUnknown(vector, codes));
          o = state.handle_unknown === 'infrequent_if_exist' ? c.infrequent_output : -1;
        }
        if (o >= 0) outputs[o]![i] = 1;
      }
      replace.set(
        c.name,
        outputs.map((v, k) => ({ ...outColumn(c.output_names[k]!, 'float', floatData(v)), encodedBy: NAME })),
      );
    }
    return rebuild(input, NAME, replace);
  },
  python: (params, at) =>
    replacing(
      'sklearn.preprocessing',
      'OneHotEncoder',
      {
        handle_unknown: params.handle_unknown,
        drop: params.drop,
        max_categories: params.max_categories,
        sparse_output: false,
      },
      at,
    ),
});
