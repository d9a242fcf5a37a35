import { EngineError } from '../../core/errors';
import {
  column,
  floatData,
  labelColumn,
  type OutColumn,
  outColumn,
  readLabels,
  readNumeric,
  rebuild,
  resolveColumns,
  typeOf,
} from '../../core/frame';
import type { ColumnType } from '../../core/types';
import { intData } from '../integers';
import { PY_MARK_MISSING } from '../python';
import { defineStep } from '../step';

const ACCEPTS: readonly ColumnType[] = ['integer', 'float', 'categorical', 'text'];
const INT32_MAX = 2 ** 31 - 1;
type Params = { columns: string[] | null; values: string };
export interface MarkMissingState {
  columns: string[];
  /** The placeholders, as written (text columns compare the text, numeric columns the number). */
  values: string[];
}

const NAME = 'MarkMissing';

/** "., ?, -999" → [".", "?", "-999"]: comma-separated, trimmed, empty entries ignored. */
export function placeholders(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
}

function marked(input: Parameters<typeof column>[0], name: string, values: readonly string[]): OutColumn {
  const type = typeOf(input, name);
  const vector = column(input, name);
  if (type === 'integer' || type === 'float') {
    const numbers = new Set(values.map(Number).filter((v) => Number.isFinite(v)));
    const v = readNumeric(vector);
    let fitsInt32 = true;
    for (let i = 0; i < v.length; i++) {
      if (numbers.has(v[i]!)) v[i] = Number.NaN;
      else if (Math.abs(v[i]!) > INT32_MAX) fitsInt32 = false;
    }
    return type === 'integer' && fitsInt32
      ? outColumn(name, 'integer', intData(v))
      : outColumn(name, 'float', floatData(v));
  }
  const { codes, labels } = readLabels(vector);
  const gone = new Set(values);
  const out = Int32Array.from(codes, (c) => (c >= 0 && gone.has(labels[c]!) ? -1 : c));
  return labelColumn(name, type === 'categorical' ? type : 'text', out, labels);
}

export default defineStep<Params, MarkMissingState>({
  name: NAME,
  kind: 'transform',
  description:
    'Treats placeholder values such as ".", "?", "unknown" or -999 as missing (pandas’ na_values), so imputers and encoders see them as missing.',
  category: 'Missing values',
  params: {
    columns: {
      type: 'columns',
      default: null,
      description: 'Columns to clean; null means every numeric, categorical and text column.',
    },
    values: {
      type: 'string',
      default: '.',
      maxLength: 500,
      description:
        'The placeholders, comma-separated (e.g. "., ?, unknown, -999"); numbers match numeric columns.',
    },
  },
  accepts: ACCEPTS,
  missing: 'handles',
  async fit(input, params) {
    const values = placeholders(params.values);
    if (values.length === 0) {
      throw new EngineError('InvalidArgument', `${NAME}: list at least one placeholder value in "values".`, {
        param: 'values',
      });
    }
    return { columns: resolveColumns(input, NAME, 'clean', ACCEPTS, params.columns), values };
  },
  async transform(input, state) {
    resolveColumns(input, NAME, 'clean', ACCEPTS, state.columns);
    return rebuild(input, NAME, new Map(state.columns.map((c) => [c, [marked(input, c, state.values)]])));
  },
  python: (params, at) => ({
    helpers: [PY_MARK_MISSING],
    lines: [
      `train = mark_missing(train, ${at.columns}, ${JSON.stringify(placeholders(params.values))})`,
      `test = mark_missing(test, ${at.columns}, ${JSON.stringify(placeholders(params.values))})`,
    ],
  }),
});
