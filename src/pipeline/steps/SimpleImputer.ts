import { cooperate } from '../../core/cooperate';
import { EngineError } from '../../core/errors';
import {
  boolData,
  column,
  type Frame,
  floatData,
  labelColumn,
  NUMERIC_TYPES,
  type OutColumn,
  outColumn,
  readLabels,
  readNumeric,
  rebuild,
  resolveColumns,
  typeOf,
} from '../../core/frame';
import { npPercentile } from '../../core/percentile';
import { nanMoments, sortedPresent } from '../../core/stats';
import type { ColumnType } from '../../core/types';
import { countCodes, sortCategories } from '../labels';
import { PY_FIT_COLUMNS, py } from '../python';
import { defineStep } from '../step';

const ACCEPTS: readonly ColumnType[] = ['integer', 'float', 'categorical', 'text', 'boolean'];
type Strategy = 'mean' | 'median' | 'most_frequent' | 'constant';
type Params = { columns: string[] | null; strategy: Strategy; fill_value: string };
export interface SimpleImputerState {
  columns: string[];
  /** The fill value per column: a number for numeric columns (0/1 for booleans), a string for
   * categorical/text ones. */
  statistics: (number | string)[];
  /** Columns with no value in the training rows, dropped as sklearn does (except for 'constant'). */
  dropped: string[];
}

const NAME = 'SimpleImputer';
const isNumeric = (t: ColumnType) => t === 'integer' || t === 'float';

function numericFill(values: Float64Array, strategy: Strategy, fill: string, name: string): number | null {
  if (strategy === 'constant') {
    const v = fill === '' ? 0 : Number(fill);
    if (!Number.isFinite(v)) {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: fill_value "${fill}" is not a number, but column "${name}" is numeric.`,
        {
          param: 'fill_value',
        },
      );
    }
    return v;
  }
  if (strategy === 'mean') {
    const m = nanMoments(values);
    return m.count > 0 ? m.mean : null;
  }
  const sorted = sortedPresent(values);
  if (sorted.length === 0) return null;
  if (strategy === 'median') return npPercentile(sorted, 50);
  // most_frequent: the smallest of the most frequent values, as sklearn's _most_frequent.
  let best = sorted[0]!;
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = sorted[i]!;
    }
    i = j;
  }
  return best;
}

/** By default mean/median impute the numeric columns only, constant the numeric and label
 * columns, most_frequent those and the booleans too (a boolean's only sensible fill is one of its
 * two values). */
function defaultSelection(input: Frame, params: Params): string[] {
  const types =
    params.strategy === 'mean' || params.strategy === 'median'
      ? NUMERIC_TYPES
      : params.strategy === 'constant'
        ? ACCEPTS.filter((t) => t !== 'boolean')
        : ACCEPTS;
  return resolveColumns(input, NAME, 'impute', types, null);
}

const PY_IMPUTE = `def impute(strategy, fill_value, columns, train, test):
    """SimpleImputer on the numeric and the text columns apart (one dtype per sklearn array);
    a column without any training value is dropped, as sklearn does (except 'constant')."""
    empty = [c for c in columns if train[c].notna().sum() == 0 and strategy != "constant"]
    train, test = train.drop(columns=empty), test.drop(columns=empty)
    columns = [c for c in columns if c not in empty]
    numeric = [c for c in columns if pd.api.types.is_numeric_dtype(train[c])]
    text = [c for c in columns if c not in numeric]
    # The numeric fill is read only when there are numeric columns: a text fill ("missing") for
    # categorical columns alone is no number.
    fills = (lambda: 0.0 if fill_value == "" else float(fill_value), lambda: "missing_value" if fill_value == "" else fill_value)
    for cols, fill in zip((numeric, text), fills):
        if cols:
            step = SimpleImputer(strategy=strategy, fill_value=fill() if strategy == "constant" else None)
            train, test = fit_columns(step, cols, train, test)
    return train, test`;

export default defineStep<Params, SimpleImputerState>({
  name: NAME,
  kind: 'transform',
  description: 'Fills missing values with the column mean, median, most frequent value or a constant.',
  category: 'Missing values',
  params: {
    columns: {
      type: 'columns',
      default: null,
      description:
        "Columns to impute; null means the numeric columns for 'mean' and 'median' (as sklearn, which cannot average text), every numeric, categorical and text column for 'constant', and the boolean columns too for 'most_frequent'.",
    },
    strategy: {
      type: 'enum',
      options: ['mean', 'median', 'most_frequent', 'constant'],
      default: 'mean',
      description:
        'How the fill value is computed from the training rows (mean and median only for numbers).',
    },
    fill_value: {
      type: 'string',
      default: '',
      maxLength: 200,
      description:
        "The value for strategy 'constant'; empty means 0 for numbers and 'missing_value' for text.",
    },
  },
  accepts: ACCEPTS,
  defaultColumns: (input, params) => defaultSelection(input, params),
  missing: 'handles',
  async fit(input, params, ctx) {
    const names =
      params.columns === null
        ? defaultSelection(input, params)
        : resolveColumns(input, NAME, 'impute', ACCEPTS, params.columns);
    const columns: string[] = [];
    const statistics: (number | string)[] = [];
    const dropped: string[] = [];
    for (const name of names) {
      // A turn for cancel before each pass over a column (tens of ms on a million rows).
      await cooperate(ctx.signal);
      const type = typeOf(input, name);
      let fill: number | string | null;
      if (type === 'boolean' && params.strategy !== 'most_frequent') {
        throw new EngineError(
          'SchemaError',
          `${NAME} fills the boolean column "${name}" with its most frequent value only (strategy ${params.strategy} would make it a number or text).`,
          { columnName: name, type, hint: "Use strategy 'most_frequent' for boolean columns." },
        );
      }
      if (isNumeric(type) || type === 'boolean') {
        // Booleans as 0/1: the most frequent of them (false on a tie, as sklearn's smallest).
        const values = readNumeric(column(input, name));
        await cooperate(ctx.signal);
        fill = numericFill(values, params.strategy, params.fill_value, name);
      } else if (params.strategy === 'mean' || params.strategy === 'median') {
        throw new EngineError(
          'SchemaError',
          `${NAME} cannot take the ${params.strategy} of column "${name}" (type ${type}): use strategy 'most_frequent' or 'constant'.`,
          { columnName: name, type },
        );
      } else if (params.strategy === 'constant') {
        fill = params.fill_value === '' ? 'missing_value' : params.fill_value;
      } else {
        const { codes, labels } = readLabels(column(input, name));
        await cooperate(ctx.signal);
        const counts = countCodes(codes, labels.length);
        const sorted = sortCategories(labels, type);
        const countOf = new Map(labels.map((l, k) => [l, counts[k]!]));
        fill = null;
        let best = 0;
        for (const l of sorted) {
          const c = countOf.get(l)!;
          if (c > best) {
            best = c;
            fill = l;
          }
        }
      }
      if (fill === null) dropped.push(name);
      else {
        columns.push(name);
        statistics.push(fill);
      }
    }
    return { columns, statistics, dropped };
  },
  async transform(input, state, ctx) {
    const replace = new Map<string, OutColumn[]>();
    for (const name of state.dropped) {
      column(input, name);
      replace.set(name, []);
    }
    resolveColumns(input, NAME, 'impute', ACCEPTS, state.columns);
    for (const [j, name] of state.columns.entries()) {
      await cooperate(ctx.signal);
      const fill = state.statistics[j]!;
      const type = typeOf(input, name);
      const vector = column(input, name);
      if (typeof fill === 'number' && type === 'boolean') {
        const v = readNumeric(vector);
        const bits = new Uint8Array(v.length);
        for (let i = 0; i < v.length; i++) bits[i] = (Number.isNaN(v[i]!) ? fill : v[i]!) ? 1 : 0;
        replace.set(name, [outColumn(name, 'boolean', boolData(bits))]);
      } else if (typeof fill === 'number') {
        if (!isNumeric(type)) {
          throw new EngineError(
            'SchemaError',
            `${NAME} was fitted on a numeric column "${name}", which is now ${type}.`,
          );
        }
        const v = readNumeric(vector);
        await cooperate(ctx.signal);
        for (let i = 0; i < v.length; i++) if (Number.isNaN(v[i]!)) v[i] = fill;
        replace.set(name, [outColumn(name, 'float', floatData(v))]);
      } else if (type === 'text' || type === 'categorical') {
        const { codes, labels } = readLabels(vector);
        await cooperate(ctx.signal);
        let k = labels.indexOf(fill);
        if (k < 0) {
          k = labels.length;
          labels.push(fill);
        }
        for (let i = 0; i < codes.length; i++) if (codes[i]! < 0) codes[i] = k;
        replace.set(name, [labelColumn(name, type, codes, labels)]);
      } else {
        throw new EngineError(
          'SchemaError',
          `${NAME} cannot fill column "${name}" (type ${type}) with the text "${fill}".`,
        );
      }
    }
    return rebuild(input, NAME, replace);
  },
  python: (params, at) => ({
    imports: ['from sklearn.impute import SimpleImputer'],
    helpers: [PY_FIT_COLUMNS, PY_IMPUTE],
    lines: [
      `train, test = impute(${py(params.strategy)}, ${py(params.fill_value)}, ${at.columns}, train, test)`,
    ],
  }),
});
