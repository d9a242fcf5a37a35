import { EngineError } from '../../core/errors';
import { boolData, type Frame, floatData, type OutColumn, outColumn, rebuild } from '../../core/frame';
import { evaluate, MAX_EXPRESSION_LENGTH, parseExpression } from '../expr';
import { pandasExpression } from '../expr-pandas';
import { PY_COL, py } from '../python';
import { defineStep } from '../step';

type Params = { name: string; expression: string };
export interface DerivedColumnState {
  name: string;
  expression: string;
}

const NAME = 'DerivedColumn';

/** The new column: a float for arithmetic, a boolean for a condition. Never evaluated as code. */
function derive(frame: Frame, name: string, expression: string): OutColumn {
  if (name.trim() === '') {
    throw new EngineError('InvalidArgument', `${NAME}: parameter "name" must name the new column.`, {
      param: 'name',
    });
  }
  const value = evaluate(parseExpression(expression), frame);
  if (value.type === 'number') {
    // ±Infinity (e.g. x / 0) and NaN (log(-1)) are not values a later step can use: missing.
    const v = value.values.map((x) => (Number.isFinite(x) ? x : Number.NaN));
    return outColumn(name, 'float', floatData(v));
  }
  if (value.type === 'bool') return outColumn(name, 'boolean', boolData(value.values));
  throw new EngineError(
    'InvalidArgument',
    `${NAME}: the expression gives text; it must give a number or a condition.`,
    {
      param: 'expression',
    },
  );
}

const PY_DERIVED = `def derived(value, index):
    """DerivedColumn: a condition stays boolean; numbers become floats, non-finite ones missing."""
    s = value if isinstance(value, pd.Series) else pd.Series(value, index=index)
    if pd.api.types.is_bool_dtype(s):
        return s
    s = s.astype(float)
    return s.where(np.isfinite(s))`;

export default defineStep<Params, DerivedColumnState>({
  name: NAME,
  kind: 'transform',
  description:
    'Adds a column computed from others by a safe arithmetic expression, e.g. `weight / height ^ 2` or `log(income + 1)`.',
  category: 'Feature extraction',
  params: {
    name: { type: 'string', default: 'derived', maxLength: 200, description: 'Name of the new column.' },
    expression: {
      type: 'string',
      default: '',
      maxLength: MAX_EXPRESSION_LENGTH,
      description:
        'Arithmetic with + - * / ^, parentheses, numbers, column names (in backticks when they have spaces) and log/exp/sqrt/abs/min/max.',
    },
  },
  accepts: ['integer', 'float', 'boolean', 'categorical', 'text'],
  missing: 'passes-through',
  async fit(input, params) {
    derive(input, params.name, params.expression); // reports errors at fit time
    return { name: params.name, expression: params.expression };
  },
  async transform(input, state) {
    return rebuild(input, NAME, new Map(), [derive(input, state.name, state.expression)]);
  },
  python: (params) => ({
    helpers: [PY_COL, PY_DERIVED],
    lines: [
      `train[${py(params.name)}] = derived(${pandasExpression(params.expression, 'train')}, train.index)`,
      `test[${py(params.name)}] = derived(${pandasExpression(params.expression, 'test')}, test.index)`,
    ],
  }),
});
