/**
 * The expression language of FilterRows and DerivedColumn, parsed by a small recursive-descent
 * parser into an AST and evaluated column-wise on typed arrays. Nothing is ever handed to eval or
 * Function: the only things an expression can do are listed in this file.
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | compare
 *   compare := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum | 'is' ['not'] 'missing')?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | power
 *   power   := primary ('^' unary)?                      (right-associative: 2^-1, a^b^c)
 *   primary := number | 'text' | "text" | name | `any name` | fn '(' expr (',' expr)* ')' | '(' expr ')'
 *
 * Functions: log, exp, sqrt, abs (one argument), min, max (two or more). Numeric and boolean
 * columns are numbers (true = 1); categorical and text columns compare with == and != only.
 * Missing values, as pandas: arithmetic on a missing value gives missing, comparisons with a
 * missing value are false except != which is true (NaN != "." keeps the row), test with
 * `is missing`; results that are not numbers (log(-1), 0/0) are missing.
 */
import { EngineError } from '../core/errors';
import { column, type Frame, readLabels, readNumeric, typeOf } from '../core/frame';

export const MAX_EXPRESSION_LENGTH = 2000;
const MAX_DEPTH = 64;

type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
type ArithOp = '+' | '-' | '*' | '/' | '^';
const FUNCTIONS: Record<string, { min: number; max: number }> = {
  log: { min: 1, max: 1 },
  exp: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  min: { min: 2, max: 64 },
  max: { min: 2, max: 64 },
};
const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'missing']);

export type Node =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'negate'; arg: Node; pos: number }
  | { kind: 'not'; arg: Node; pos: number }
  | { kind: 'arith'; op: ArithOp; left: Node; right: Node; pos: number }
  | { kind: 'compare'; op: CompareOp; left: Node; right: Node; pos: number }
  | { kind: 'logic'; op: 'and' | 'or'; left: Node; right: Node; pos: number }
  | { kind: 'call'; fn: string; args: Node[]; pos: number }
  | { kind: 'missing'; arg: Node; negated: boolean; pos: number };

type TokenKind = 'number' | 'string' | 'name' | 'quoted' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based character position in the expression. */
  pos: number;
}

function syntaxError(message: string, pos: number): EngineError {
  return new EngineError('InvalidArgument', `Expression error at position ${pos}: ${message}`, {
    position: pos,
    param: 'expression',
  });
}

const OPERATORS = ['<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '^', '(', ')', ','];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const pos = i + 1;
    const number = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], pos });
      i += number[0].length;
      if (/[A-Za-z_]/.test(text[i] ?? '')) throw syntaxError(`unexpected "${text[i]}" after a number`, i + 1);
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 400));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], pos });
      i += name[0].length;
      continue;
    }
    if (c === '`' || c === '"' || c === "'") {
      // Quoted: a doubled quote character stands for itself; no other escapes.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) {
          throw syntaxError(
            c === '`' ? 'the column name in backticks is not closed' : 'the text is not closed',
            pos,
          );
        }
        if (text[j] === c) {
          if (text[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: c === '`' ? 'quoted' : 'string', text: value, pos });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos });
      i += op.length;
      continue;
    }
    const shown = c === '=' ? '"=" (write == to compare)' : JSON.stringify(c);
    throw syntaxError(`unexpected character ${shown}`, pos);
  }
  tokens.push({ kind: 'end', text: '', pos: text.length + 1 });
  return tokens;
}

/** Parses an expression; errors name the position (1-based) and what was expected. */
export function parseExpression(text: string): Node {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw syntaxError(
      `the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`,
      MAX_EXPRESSION_LENGTH + 1,
    );
  }
  if (text.trim() === '') throw syntaxError('the expression is empty', 1);
  const parser = new Parser(tokenize(text));
  const root = parser.or();
  const rest = parser.peek();
  if (rest.kind !== 'end') throw syntaxError(`unexpected ${shown(rest)}`, rest.pos);
  return root;
}

const isOp = (t: Token, op: string) => t.kind === 'op' && t.text === op;
const isWord = (t: Token, word: string) => t.kind === 'name' && t.text === word;
const shown = (t: Token) => (t.kind === 'end' ? 'the end' : `"${t.text}"`);

/**
 * Recursive descent, one method per precedence level (lowest first: or, and, not, comparison,
 * sum, product, unary minus, power, primary); `nested` bounds the recursion depth.
 */
class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.at]!;
  }

  private expectOp(op: string): void {
    const t = this.peek();
    if (!isOp(t, op)) throw syntaxError(`expected "${op}" but found ${shown(t)}`, t.pos);
    this.at++;
  }

  private nested<T>(pos: number, f: () => T): T {
    if (++this.depth > MAX_DEPTH)
      throw syntaxError(`the expression nests deeper than ${MAX_DEPTH} levels`, pos);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  or(): Node {
    return this.nested(this.peek().pos, () => {
      let left = this.and();
      while (isWord(this.peek(), 'or')) {
        const pos = this.tokens[this.at++]!.pos;
        left = { kind: 'logic', op: 'or', left, right: this.and(), pos };
      }
      return left;
    });
  }

  and(): Node {
    let left = this.not();
    while (isWord(this.peek(), 'and')) {
      const pos = this.tokens[this.at++]!.pos;
      left = { kind: 'logic', op: 'and', left, right: this.not(), pos };
    }
    return left;
  }

  not(): Node {
    const t = this.peek();
    if (isWord(t, 'not')) {
      this.at++;
      return this.nested(t.pos, () => ({ kind: 'not', arg: this.not(), pos: t.pos }));
    }
    return this.compare();
  }

  compare(): Node {
    const left = this.sum();
    const t = this.peek();
    if (t.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.text)) {
      this.at++;
      const right = this.sum();
      const next = this.peek();
      if (next.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(next.text)) {
        throw syntaxError('comparisons cannot be chained; join them with "and"', next.pos);
      }
      return { kind: 'compare', op: t.text as CompareOp, left, right, pos: t.pos };
    }
    if (isWord(t, 'is')) {
      this.at++;
      let negated = false;
      if (isWord(this.peek(), 'not')) {
        this.at++;
        negated = true;
      }
      const m = this.peek();
      if (!isWord(m, 'missing')) throw syntaxError(`expected "missing" but found ${shown(m)}`, m.pos);
      this.at++;
      return { kind: 'missing', arg: left, negated, pos: t.pos };
    }
    return left;
  }

  sum(): Node {
    let left = this.product();
    while (isOp(this.peek(), '+') || isOp(this.peek(), '-')) {
      const t = this.tokens[this.at++]!;
      left = { kind: 'arith', op: t.text as ArithOp, left, right: this.product(), pos: t.pos };
    }
    return left;
  }

  product(): Node {
    let left = this.unary();
    while (isOp(this.peek(), '*') || isOp(this.peek(), '/')) {
      const t = this.tokens[this.at++]!;
      left = { kind: 'arith', op: t.text as ArithOp, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  unary(): Node {
    const t = this.peek();
    if (isOp(t, '-')) {
      this.at++;
      return this.nested(t.pos, () => ({ kind: 'negate', arg: this.unary(), pos: t.pos }));
    }
    return this.power();
  }

  power(): Node {
    const base = this.primary();
    const t = this.peek();
    if (isOp(t, '^')) {
      this.at++;
      return this.nested(t.pos, () => ({
        kind: 'arith',
        op: '^',
        left: base,
        right: this.unary(),
        pos: t.pos,
      }));
    }
    return base;
  }

  primary(): Node {
    const t = this.peek();
    switch (t.kind) {
      case 'number': {
        this.at++;
        const value = Number(t.text);
        if (!Number.isFinite(value)) throw syntaxError(`the number ${t.text} is too large`, t.pos);
        return { kind: 'number', value, pos: t.pos };
      }
      case 'string':
        this.at++;
        return { kind: 'string', value: t.text, pos: t.pos };
      case 'quoted':
        this.at++;
        return { kind: 'column', name: t.text, pos: t.pos };
      case 'name': {
        this.at++;
        if (isOp(this.peek(), '(')) {
          const spec = Object.hasOwn(FUNCTIONS, t.text) ? FUNCTIONS[t.text] : undefined;
          if (!spec) {
            throw syntaxError(
              `unknown function "${t.text}" (functions: ${Object.keys(FUNCTIONS).join(', ')})`,
              t.pos,
            );
          }
          this.at++;
          const args: Node[] = [];
          if (!isOp(this.peek(), ')')) {
            args.push(this.or());
            while (isOp(this.peek(), ',')) {
              this.at++;
              args.push(this.or());
            }
          }
          this.expectOp(')');
          if (args.length < spec.min || args.length > spec.max) {
            const want = spec.min === spec.max ? `${spec.min}` : `at least ${spec.min}`;
            throw syntaxError(
              `${t.text}() takes ${want} argument${spec.min === 1 ? '' : 's'}, got ${args.length}`,
              t.pos,
            );
          }
          return { kind: 'call', fn: t.text, args, pos: t.pos };
        }
        if (KEYWORDS.has(t.text)) {
          throw syntaxError(`"${t.text}" is a keyword; write a column of that name as \`${t.text}\``, t.pos);
        }
        return { kind: 'column', name: t.text, pos: t.pos };
      }
      case 'op':
        if (t.text === '(') {
          this.at++;
          const inner = this.or();
          this.expectOp(')');
          return inner;
        }
        throw syntaxError(`expected a value but found "${t.text}"`, t.pos);
      default:
        throw syntaxError('the expression ends too early', t.pos);
    }
  }
}

/** The column names an expression reads, in order of first use. */
export function referencedColumns(node: Node): string[] {
  const out = new Set<string>();
  const visit = (n: Node): void => {
    switch (n.kind) {
      case 'column':
        out.add(n.name);
        break;
      case 'negate':
      case 'not':
      case 'missing':
        visit(n.arg);
        break;
      case 'arith':
      case 'compare':
      case 'logic':
        visit(n.left);
        visit(n.right);
        break;
      case 'call':
        n.args.forEach(visit);
        break;
    }
  };
  visit(node);
  return [...out];
}

/** A value per row: numbers (NaN = missing), booleans (1/0), or text (null = missing). */
export type Value =
  | { type: 'number'; values: Float64Array }
  | { type: 'bool'; values: Uint8Array }
  | { type: 'text'; at: (i: number) => string | null; constant?: string };

function typeError(message: string, pos: number): EngineError {
  return new EngineError('SchemaError', `Expression error at position ${pos}: ${message}`, {
    position: pos,
    param: 'expression',
  });
}

function columnValue(frame: Frame, node: { name: string; pos: number }): Value {
  if (!frame.schema.fields.some((f) => f.name === node.name)) {
    throw new EngineError(
      'SchemaError',
      `Expression error at position ${node.pos}: no column named "${node.name}".`,
      {
        position: node.pos,
        columnName: node.name,
        hint: 'Check the spelling; write names with spaces or symbols in backticks, like `petal width (cm)`.',
      },
    );
  }
  const type = typeOf(frame, node.name);
  const vector = column(frame, node.name);
  switch (type) {
    case 'integer':
    case 'float':
    case 'boolean':
      return { type: 'number', values: readNumeric(vector) };
    case 'categorical':
    case 'text': {
      const { codes, labels } = readLabels(vector);
      return { type: 'text', at: (i) => (codes[i]! < 0 ? null : labels[codes[i]!]!) };
    }
    default:
      throw typeError(
        `column "${node.name}" has type ${type}, which expressions do not support yet`,
        node.pos,
      );
  }
}

function describeType(v: Value): string {
  return v.type === 'bool' ? 'a condition' : v.type === 'text' ? 'text' : 'a number';
}

/** Evaluates `node` on every row of `frame`. */
export function evaluate(node: Node, frame: Frame): Value {
  const n = frame.numRows;
  const numeric = (child: Node, what: string): Float64Array => {
    const v = evaluate(child, frame);
    if (v.type === 'number') return v.values;
    throw typeError(`${what} needs a number, not ${describeType(v)}`, child.pos);
  };
  const condition = (child: Node, what: string): Uint8Array => {
    const v = evaluate(child, frame);
    if (v.type === 'bool') return v.values;
    throw typeError(`${what} needs a condition (such as x > 0), not ${describeType(v)}`, child.pos);
  };
  switch (node.kind) {
    case 'number':
      return { type: 'number', values: new Float64Array(n).fill(node.value) };
    case 'string':
      return { type: 'text', at: () => node.value, constant: node.value };
    case 'column':
      return columnValue(frame, node);
    case 'negate': {
      const a = numeric(node.arg, 'minus');
      return { type: 'number', values: a.map((x) => -x) };
    }
    case 'arith': {
      const a = numeric(node.left, `"${node.op}"`);
      const b = numeric(node.right, `"${node.op}"`);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        const y = b[i]!;
        out[i] =
          node.op === '+'
            ? x + y
            : node.op === '-'
              ? x - y
              : node.op === '*'
                ? x * y
                : node.op === '/'
                  ? x / y
                  : x ** y;
      }
      return { type: 'number', values: out };
    }
    case 'call': {
      const args = node.args.map((a) => numeric(a, `${node.fn}()`));
      const out = new Float64Array(n);
      const f = node.fn;
      for (let i = 0; i < n; i++) {
        const x = args[0]![i]!;
        if (f === 'log') out[i] = Math.log(x);
        else if (f === 'exp') out[i] = Math.exp(x);
        else if (f === 'sqrt') out[i] = Math.sqrt(x);
        else if (f === 'abs') out[i] = Math.abs(x);
        else {
          let r = x;
          for (let k = 1; k < args.length; k++) {
            const y = args[k]![i]!;
            r =
              Number.isNaN(r) || Number.isNaN(y) ? Number.NaN : f === 'min' ? Math.min(r, y) : Math.max(r, y);
          }
          out[i] = r;
        }
      }
      return { type: 'number', values: out };
    }
    case 'compare': {
      const left = evaluate(node.left, frame);
      const right = evaluate(node.right, frame);
      const out = new Uint8Array(n);
      if (left.type === 'number' && right.type === 'number') {
        const a = left.values;
        const b = right.values;
        for (let i = 0; i < n; i++) {
          const x = a[i]!;
          const y = b[i]!;
          const op = node.op;
          if (Number.isNaN(x) || Number.isNaN(y)) {
            out[i] = op === '!=' ? 1 : 0;
            continue;
          }
          out[i] = Number(
            op === '<'
              ? x < y
              : op === '<='
                ? x <= y
                : op === '>'
                  ? x > y
                  : op === '>='
                    ? x >= y
                    : op === '=='
                      ? x === y
                      : x !== y,
          );
        }
        return { type: 'bool', values: out };
      }
      if (left.type === 'text' && right.type === 'text') {
        if (node.op !== '==' && node.op !== '!=') {
          throw typeError(`text can only be compared with == or !=, not "${node.op}"`, node.pos);
        }
        const equal = node.op === '==';
        for (let i = 0; i < n; i++) {
          const x = left.at(i);
          const y = right.at(i);
          out[i] = x !== null && y !== null ? Number((x === y) === equal) : Number(!equal);
        }
        return { type: 'bool', values: out };
      }
      throw typeError(`cannot compare ${describeType(left)} with ${describeType(right)}`, node.pos);
    }
    case 'logic': {
      const a = condition(node.left, `"${node.op}"`);
      const b = condition(node.right, `"${node.op}"`);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = node.op === 'and' ? a[i]! & b[i]! : a[i]! | b[i]!;
      return { type: 'bool', values: out };
    }
    case 'not': {
      const a = condition(node.arg, '"not"');
      return { type: 'bool', values: a.map((x) => 1 - x) };
    }
    case 'missing': {
      const v = evaluate(node.arg, frame);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const missing =
          v.type === 'number' ? Number.isNaN(v.values[i]!) : v.type === 'text' ? v.at(i) === null : false;
        out[i] = Number(missing !== node.negated);
      }
      return { type: 'bool', values: out };
    }
  }
}
