/**
 * The expression language (expr.ts) as a pandas expression, for the Python export of FilterRows
 * and DerivedColumn. The semantics carry over as they are pandas': arithmetic on NaN is NaN, a
 * comparison with a missing value is False except != (True), `is missing` is pd.isna; columns are
 * read by `col(frame, name)` (PY_COL: numbers and booleans as floats, text as it is).
 */
import { type Node, parseExpression } from './expr';
import { py } from './python';

const FUNCTIONS: Record<string, string> = { log: 'np.log', exp: 'np.exp', sqrt: 'np.sqrt', abs: 'np.abs' };

function emit(n: Node, frame: string): string {
  switch (n.kind) {
    case 'number':
      return py(n.value);
    case 'string':
      return JSON.stringify(n.value);
    case 'column':
      return `col(${frame}, ${JSON.stringify(n.name)})`;
    case 'negate':
      return `(-${emit(n.arg, frame)})`;
    case 'not':
      return `(~${emit(n.arg, frame)})`;
    case 'arith':
      return `(${emit(n.left, frame)} ${n.op === '^' ? '**' : n.op} ${emit(n.right, frame)})`;
    case 'compare':
      return `(${emit(n.left, frame)} ${n.op} ${emit(n.right, frame)})`;
    case 'logic':
      return `(${emit(n.left, frame)} ${n.op === 'and' ? '&' : '|'} ${emit(n.right, frame)})`;
    case 'missing':
      return `${n.negated ? '~' : ''}pd.isna(${emit(n.arg, frame)})`;
    case 'call': {
      const args = n.args.map((a) => emit(a, frame));
      if (FUNCTIONS[n.fn]) return `${FUNCTIONS[n.fn]}(${args[0]})`;
      // min/max of two or more: NaN when any argument is NaN (np.minimum / np.maximum).
      const f = n.fn === 'min' ? 'np.minimum' : 'np.maximum';
      return args.reduce((acc, a) => `${f}(${acc}, ${a})`);
    }
  }
}

/** `text` (a FilterRows or DerivedColumn expression) as pandas code over the DataFrame `frame`. */
export function pandasExpression(text: string, frame: string): string {
  return emit(parseExpression(text), frame);
}
