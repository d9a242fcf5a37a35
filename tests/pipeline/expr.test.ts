/**
 * The expression language of FilterRows/DerivedColumn: what it computes, and that hostile input
 * is rejected with a message and a position — never run as code.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { evaluate, MAX_EXPRESSION_LENGTH, parseExpression, referencedColumns } from '../../src/pipeline/expr';
import { getStep } from '../../src/pipeline/registry';
import { col, fitTransform, snapshot, table } from './helpers';

const frame = table(
  col('x', 'float', [1, 2, null, 4, -1]),
  col('y', 'integer', [10, 0, 30, 40, 50]),
  col('petal width (cm)', 'float', [0.5, 1, 1.5, 2, 2.5]),
  col('cat', 'categorical', ['red', 'blue', 'red', null, "it's"]),
  col('flag', 'boolean', [true, false, true, false, true]),
  col('day', 'date', ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']),
);

function numbers(expression: string): number[] {
  const v = evaluate(parseExpression(expression), frame);
  if (v.type !== 'number') throw new Error(`not numeric: ${v.type}`);
  return Array.from(v.values);
}

function condition(expression: string): number[] {
  const v = evaluate(parseExpression(expression), frame);
  if (v.type !== 'bool') throw new Error(`not a condition: ${v.type}`);
  return Array.from(v.values);
}

function errorOf(run: () => unknown): EngineError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an error');
}

describe('expressions: values', () => {
  it('follows the usual precedence: ^ before unary minus before * / before + -', () => {
    expect(numbers('1 + 2 * 3')).toEqual([7, 7, 7, 7, 7]);
    expect(numbers('(1 + 2) * 3')[0]).toBe(9);
    expect(numbers('2 ^ 3 ^ 2')[0]).toBe(512); // right-associative
    expect(numbers('-2 ^ 2')[0]).toBe(-4);
    expect(numbers('2 ^ -1')[0]).toBe(0.5);
    expect(numbers('10 - 4 - 3')[0]).toBe(3);
    expect(numbers('1e2 / .5')[0]).toBe(200);
  });

  it('reads columns by name or in backticks, with missing values propagating', () => {
    expect(numbers('x * 2 + y')).toEqual([12, 4, Number.NaN, 48, 48]);
    expect(numbers('`petal width (cm)` * 2')).toEqual([1, 2, 3, 4, 5]);
    expect(numbers('flag + 0')).toEqual([1, 0, 1, 0, 1]);
    expect(referencedColumns(parseExpression('x + `petal width (cm)` * x'))).toEqual([
      'x',
      'petal width (cm)',
    ]);
  });

  it('has log, exp, sqrt, abs, min and max', () => {
    expect(numbers('log(exp(x))')).toEqual([1, 2, Number.NaN, 4, -1].map((v) => Math.log(Math.exp(v))));
    expect(numbers('sqrt(abs(x * 4))')).toEqual([2, Math.sqrt(8), Number.NaN, 4, 2]);
    expect(numbers('max(x, 3, y / 10)')).toEqual([3, 3, Number.NaN, 4, 5]);
    expect(numbers('min(x, 0)')).toEqual([0, 0, Number.NaN, 0, -1]);
  });

  it('compares numbers and text; a missing value makes a comparison false except != (as pandas)', () => {
    expect(condition('x > 1')).toEqual([0, 1, 0, 1, 0]);
    expect(condition('x != 2')).toEqual([1, 0, 1, 1, 1]);
    expect(condition('cat == "red"')).toEqual([1, 0, 1, 0, 0]);
    expect(condition("cat != 'red'")).toEqual([0, 1, 0, 1, 1]);
    expect(condition("cat == 'it''s'")).toEqual([0, 0, 0, 0, 1]); // doubled quote inside text
  });

  it('combines conditions with and/or/not and tests for missing', () => {
    expect(condition('x > 1 and y >= 40')).toEqual([0, 0, 0, 1, 0]);
    expect(condition('x < 0 or cat == "blue"')).toEqual([0, 1, 0, 0, 1]);
    expect(condition('not x > 1')).toEqual([1, 0, 1, 0, 1]);
    expect(condition('x is missing or cat is missing')).toEqual([0, 0, 1, 1, 0]);
    expect(condition('not (x is not missing)')).toEqual([0, 0, 1, 0, 0]);
  });
});

describe('expressions: hostile and broken input', () => {
  it('never evaluates code: JavaScript-looking input is a syntax error at a position', () => {
    const attempts: [string, number][] = [
      ['constructor.constructor("return process")()', 12],
      ['x; process.exit(1)', 2],
      ['globalThis["process"]', 11],
      ['this.x', 5],
      ['`x` + require("fs")', 7],
      ['__proto__.polluted = 1', 10],
      ['x => x', 3],
      ['x = 1', 3],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the hostile input
      ['${x}', 1],
    ];
    for (const [text, pos] of attempts) {
      const e = errorOf(() => evaluate(parseExpression(text), frame));
      expect(e.message, text).toMatch(/^Expression error at position \d+: /);
      expect(e.detail?.position, text).toBe(pos);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('calls only its own functions: names of globals are unknown functions or columns', () => {
    expect(errorOf(() => parseExpression('eval("1")')).message).toMatch(/unknown function "eval"/);
    expect(errorOf(() => parseExpression('Function("x")')).message).toMatch(/unknown function "Function"/);
    expect(errorOf(() => parseExpression('constructor(1)')).message).toMatch(
      /unknown function "constructor"/,
    );
    expect(errorOf(() => parseExpression('toString(1)')).message).toMatch(/unknown function/);
    // A name that is not a column is a clear SchemaError, even for names on Object.prototype.
    for (const name of ['constructor', '__proto__', 'toString', 'process']) {
      const e = errorOf(() => evaluate(parseExpression(name), frame));
      expect(e.name).toBe('SchemaError');
      expect(e.message).toContain(`no column named "${name}"`);
    }
  });

  it('says what is wrong and where', () => {
    const cases: [string, RegExp, number][] = [
      ['', /empty/, 1],
      ['x +', /ends too early/, 4],
      ['(x + 1', /expected "\)" but found the end/, 7],
      ['x + 1)', /unexpected "\)"/, 6],
      ['x = 1', /write == to compare/, 3],
      ['x > 1 > 0', /cannot be chained/, 7],
      ['"open', /text is not closed/, 1],
      ['`open', /backticks is not closed/, 1],
      ['log(1, 2)', /log\(\) takes 1 argument, got 2/, 1],
      ['max(1)', /takes at least 2 arguments/, 1],
      ['x is nothing', /expected "missing"/, 6],
      ['2x', /after a number/, 2],
      ['1e999', /too large/, 1],
      ['x @ 2', /unexpected character "@"/, 3],
      ['and > 1', /keyword/, 1],
    ];
    for (const [text, message, pos] of cases) {
      const e = errorOf(() => parseExpression(text));
      expect(e.message, text).toMatch(message);
      expect(e.detail?.position, text).toBe(pos);
    }
  });

  it('checks types against the columns with positions', () => {
    expect(errorOf(() => evaluate(parseExpression('x + cat'), frame)).message).toMatch(
      /position 5: "\+" needs a number, not text/,
    );
    expect(errorOf(() => evaluate(parseExpression('cat > "a"'), frame)).message).toMatch(
      /only be compared with ==/,
    );
    expect(errorOf(() => evaluate(parseExpression('x and y > 1'), frame)).message).toMatch(
      /needs a condition/,
    );
    expect(errorOf(() => evaluate(parseExpression('x == "a"'), frame)).message).toMatch(
      /cannot compare a number with text/,
    );
    expect(errorOf(() => evaluate(parseExpression('day > 1'), frame)).message).toMatch(/type date/);
  });

  it('bounds length and nesting so that input cannot exhaust the stack', () => {
    expect(errorOf(() => parseExpression(`${'1+'.repeat(MAX_EXPRESSION_LENGTH)}1`)).message).toMatch(
      /longer than/,
    );
    expect(errorOf(() => parseExpression(`${'('.repeat(500)}1${')'.repeat(500)}`)).message).toMatch(
      /nests deeper/,
    );
    expect(errorOf(() => parseExpression(`${'-'.repeat(500)}1`)).message).toMatch(/nests deeper/);
    expect(errorOf(() => parseExpression(`${'not '.repeat(300)}x > 1`)).message).toMatch(/nests deeper/);
    expect(errorOf(() => parseExpression(`2${'^2'.repeat(300)}`)).message).toMatch(/nests deeper/);
    // Long but flat expressions are fine.
    expect(numbers(Array.from({ length: 300 }, () => '1').join('+'))[0]).toBe(300);
  });
});

describe('FilterRows and DerivedColumn', () => {
  it('FilterRows keeps the rows where the condition holds', async () => {
    const { output } = await fitTransform(getStep('FilterRows')!, frame, {
      expression: 'x > 1 or cat == "red"',
    });
    expect(snapshot(output)['x:float']).toEqual([1, 2, Number.NaN, 4]);
    const none = await fitTransform(getStep('FilterRows')!, frame, { expression: 'x > 100' });
    expect(none.output.numRows).toBe(0);
  });

  it('FilterRows refuses an expression that is not a condition, at fit time', async () => {
    await expect(fitTransform(getStep('FilterRows')!, frame, { expression: 'x + 1' })).rejects.toThrow(
      /needs a condition/,
    );
  });

  it('DerivedColumn appends a float (non-finite results missing) or a boolean column', async () => {
    const { output } = await fitTransform(getStep('DerivedColumn')!, frame, {
      name: 'ratio',
      expression: 'y / (x - 1)',
    });
    expect(output.schema.fields.map((f) => f.name)).toEqual([
      ...frame.schema.fields.map((f) => f.name),
      'ratio',
    ]);
    expect(snapshot(output)['ratio:float']).toEqual([Number.NaN, 0, Number.NaN, 40 / 3, -25]);
    const flag = await fitTransform(getStep('DerivedColumn')!, frame, { name: 'big', expression: 'y > 20' });
    expect(snapshot(flag.output)['big:boolean']).toEqual([0, 0, 1, 1, 1]);
  });

  it('DerivedColumn refuses an existing name', async () => {
    await expect(
      fitTransform(getStep('DerivedColumn')!, frame, { name: 'x', expression: 'y' }),
    ).rejects.toThrow(/second column named "x"/);
  });
});
