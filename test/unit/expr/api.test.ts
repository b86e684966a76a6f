import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../../src/errors/index.js';
import {
  compile,
  ExprBudgetError,
  ExprEvalError,
  ExprSyntaxError,
  ExprTypeError,
  formatDuration,
  parseDuration,
} from '../../../src/expr/index.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return assert.fail('expected an error');
}

describe('expr public api', () => {
  it('keeps the source and evaluates many times', () => {
    const program = compile('result[0] >= 0.95');
    assert.equal(program.source, 'result[0] >= 0.95');
    assert.equal(program.evaluate({ result: [0.99] }), true);
    assert.equal(program.evaluate({ result: [0.5] }), false);
  });

  it('reports syntax errors with a position, as SlipwayErrors', () => {
    const err = thrown(() => compile('(1 +\n )'));
    assert.ok(err instanceof ExprSyntaxError);
    assert.ok(err instanceof SlipwayError);
    assert.equal(err.code, 'EXPR_SYNTAX');
    assert.deepEqual([err.line, err.column, err.reason], [2, 2, 'unexpected token Bracket(")")']);
  });

  it('reports static type errors as EXPR_TYPE syntax errors', () => {
    assert.throws(
      () => compile('1 + "a"'),
      (e: unknown) => e instanceof ExprTypeError && e.code === 'EXPR_TYPE',
    );
  });

  it('wraps failures of environment functions with their cause', () => {
    const cause = new Error('boom');
    const err = thrown(() =>
      compile('f()').evaluate({
        f: () => {
          throw cause;
        },
      }),
    );
    assert.ok(err instanceof ExprEvalError);
    assert.equal(err.cause, cause);
  });

  it('stops at the step budget', () => {
    const program = compile('count(1..1000, # > 0)', { budget: 500 });
    assert.throws(() => program.evaluate({}), ExprBudgetError);
    assert.equal(program.evaluate({}, { budget: 10_000 }), 1000);
  });

  it('uses the injected clock', () => {
    const now = new Date('2030-01-02T03:04:05Z');
    assert.equal(compile('now().Year()').evaluate({}, { now }), 2030);
  });

  it('does not mutate the environment or Object.prototype', () => {
    const env = { x: { a: 1 } };
    compile('{a: 1, b: x}').evaluate(env);
    assert.throws(() => compile('{__proto__: {polluted: true}}').evaluate(env), ExprEvalError);
    assert.deepEqual(env, { x: { a: 1 } });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('parses and formats Go durations', () => {
    const table: [string, string][] = [
      ['1h30m', '1h30m0s'],
      ['90s', '1m30s'],
      ['1.5h', '1h30m0s'],
      ['300ms', '300ms'],
      ['-1.5s', '-1.5s'],
      ['1h0m0.5s', '1h0m0.5s'],
      ['2us', '2µs'],
      ['7ns', '7ns'],
    ];
    for (const [input, output] of table) {
      const parsed = parseDuration(input);
      assert.ok(typeof parsed !== 'string', `${input}: ${String(parsed)}`);
      assert.equal(formatDuration(parsed.nanoseconds), output, input);
    }
    assert.equal(parseDuration(''), 'time: invalid duration ""');
    assert.equal(parseDuration('.s'), 'time: invalid duration ".s"');
  });
});
