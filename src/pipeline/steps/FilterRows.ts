import { EngineError } from '../../core/errors';
import { type Frame, takeRows } from '../../core/frame';
import { evaluate, MAX_EXPRESSION_LENGTH, parseExpression } from '../expr';
import { pandasExpression } from '../expr-pandas';
import { PY_COL } from '../python';
import { defineStep } from '../step';

type Params = { expression: string };
export interface FilterRowsState {
  expression: string;
}

const NAME = 'FilterRows';

/** Per row, 1 where the condition holds. Parsed, never evaluated as code (see expr.ts). */
function keepMask(frame: Frame, expression: string): Uint8Array {
  const value = evaluate(parseExpression(expression), frame);
  if (value.type !== 'bool') {
    throw new EngineError(
      'InvalidArgument',
      `${NAME} needs a condition such as \`x > 0 and cat == "red"\`, but the expression gives ${value.type === 'text' ? 'text' : 'a number'}.`,
      { param: 'expression' },
    );
  }
  return value.values;
}

export default defineStep<Params, FilterRowsState>({
  name: NAME,
  kind: 'filter',
  description:
    'Keeps the rows where a condition holds, e.g. `age >= 18 and country == "FR"` or `income is not missing`.',
  category: 'Cleaning',
  params: {
    expression: {
      type: 'string',
      default: '',
      maxLength: MAX_EXPRESSION_LENGTH,
      description:
        'Condition with < <= > >= == != and/or/not, `is missing`, + - * / ^, log/exp/sqrt/abs/min/max; names with spaces in backticks.',
    },
  },
  accepts: ['integer', 'float', 'boolean', 'categorical', 'text'],
  missing: 'handles',
  async fit(input, params) {
    keepMask(input, params.expression); // reports syntax, unknown columns and type errors now
    return { expression: params.expression };
  },
  async transform(input, state) {
    const keep = keepMask(input, state.expression);
    let kept = 0;
    for (let i = 0; i < keep.length; i++) kept += keep[i]!;
    if (kept === input.numRows) return input;
    const indices = new Int32Array(kept);
    for (let i = 0, k = 0; i < keep.length; i++) if (keep[i]) indices[k++] = i;
    return takeRows(input, indices, NAME);
  },
  python: (params) => ({
    helpers: [PY_COL],
    lines: [`df = df[${pandasExpression(params.expression, 'df')}]`],
  }),
});
