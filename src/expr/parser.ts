import type { Node } from './ast.js';
import { treeDepth } from './ast.js';
import { ExprSyntaxError } from './errors.js';
import type { Token } from './lexer.js';
import { tokenize } from './lexer.js';
import { parseNumberLiteral } from './number-literal.js';
import {
  BINARY_OPERATORS,
  isComparison,
  NEGATABLE_OPERATORS,
  PREDICATE_BUILTINS,
  UNARY_OPERATORS,
} from './operators.js';
import { describe, ParserBase } from './parser-base.js';

export interface ParseOptions {
  /** Deepest recursion the parser accepts; the finished tree may be at most four times as tall. Default 256. */
  readonly maxDepth?: number;
  /** Longest source accepted, in characters. Default 100_000. */
  readonly maxLength?: number;
  /** Names parsed as builtin calls (`len(x)`) rather than calls of environment values. */
  readonly builtins: ReadonlySet<string>;
}

/** Parses an expression into a tree. Throws ExprSyntaxError with the line and column of the offending token. */
export function parse(source: string, options: ParseOptions): Node {
  const maxDepth = options.maxDepth ?? 256;
  const maxLength = options.maxLength ?? 100_000;
  if (source.length > maxLength) {
    throw new ExprSyntaxError(`expression is too long (limit ${maxLength} characters)`, {
      line: 1,
      column: 1,
    });
  }
  const parser = new Parser(tokenize(source), maxDepth, options.builtins);
  const node = parser.parseExpression(0);
  parser.expectEnd();
  if (treeDepth(node) > maxDepth * 4) {
    throw new ExprSyntaxError(`expression is nested too deeply (limit ${maxDepth * 4} levels)`, node.loc);
  }
  return node;
}

class Parser extends ParserBase {
  private depth = 0;
  private predicateDepth = 0;

  constructor(
    tokens: readonly Token[],
    private readonly maxDepth: number,
    private readonly builtins: ReadonlySet<string>,
  ) {
    super(tokens);
  }

  parseExpression(precedence: number): Node {
    if (++this.depth > this.maxDepth) {
      this.fail(`expression is nested too deeply (limit ${this.maxDepth})`);
    }
    try {
      return this.parseExpressionInner(precedence);
    } finally {
      this.depth--;
    }
  }

  private parseExpressionInner(precedence: number): Node {
    if (precedence === 0 && this.is('operator', 'let')) return this.parseLet();
    let left = this.parsePrimary();
    let previous = '';
    for (;;) {
      let opToken = this.current;
      if (opToken.kind !== 'operator') break;
      let negate = false;
      const notToken = opToken;
      if (opToken.value === 'not') {
        const next = this.peek(1);
        if (!(next.kind === 'operator' && NEGATABLE_OPERATORS.has(next.value)))
          this.fail(describe(next), next);
        if ((BINARY_OPERATORS.get(next.value)?.precedence ?? -1) < precedence) break;
        negate = true;
        opToken = next;
      }
      const op = BINARY_OPERATORS.get(opToken.value);
      if (op === undefined || op.precedence < precedence) break;
      if (negate) this.advance();
      this.advance();
      if (opToken.value === '|') {
        const name = this.expect('identifier');
        left = this.parseCall(name, [left]);
      } else {
        if (previous === '??' && opToken.value !== '??') {
          this.fail(
            `Operator (${opToken.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`,
            opToken,
          );
        }
        if (isComparison(opToken.value) && !negate) {
          left = this.parseComparison(left, opToken, op.precedence);
        } else {
          const right = this.parseExpression(op.rightAssociative ? op.precedence : op.precedence + 1);
          left = { type: 'binary', operator: opToken.value, left, right, loc: opToken };
        }
        if (negate) left = { type: 'unary', operator: 'not', operand: left, loc: notToken };
      }
      previous = opToken.value;
    }
    return precedence === 0 ? this.parseConditional(left) : left;
  }

  private parseLet(): Node {
    const letToken = this.advance();
    const name = this.expect('identifier');
    this.expect('operator', '=');
    const value = this.parseExpression(0);
    this.expect('operator', ';');
    const body = this.parseExpression(0);
    return { type: 'let', name: name.value, value, body, loc: letToken };
  }

  /** `a < b < c` means `a < b && b < c`, as in expr-lang. */
  private parseComparison(first: Node, firstOp: Token, precedence: number): Node {
    let root: Node | undefined;
    let left = first;
    let opToken = firstOp;
    for (;;) {
      const right = this.parseExpression(precedence + 1);
      const comparison: Node = { type: 'binary', operator: opToken.value, left, right, loc: opToken };
      root =
        root === undefined
          ? comparison
          : { type: 'binary', operator: '&&', left: root, right: comparison, loc: opToken };
      left = right;
      if (!(this.current.kind === 'operator' && isComparison(this.current.value))) return root;
      opToken = this.advance();
    }
  }

  private parseConditional(node: Node): Node {
    let result = node;
    while (this.is('operator', '?')) {
      const question = this.advance();
      if (this.is('operator', ':')) {
        this.advance();
        const otherwise = this.parseExpression(0);
        result = {
          type: 'conditional',
          cond: result,
          whenTrue: result,
          whenFalse: otherwise,
          elvis: true,
          loc: question,
        };
      } else {
        const whenTrue = this.parseExpression(0);
        this.expect('operator', ':');
        const otherwise = this.parseExpression(0);
        result = {
          type: 'conditional',
          cond: result,
          whenTrue,
          whenFalse: otherwise,
          elvis: false,
          loc: question,
        };
      }
    }
    return result;
  }

  private parsePrimary(): Node {
    const token = this.current;
    const unary = token.kind === 'operator' ? UNARY_OPERATORS.get(token.value) : undefined;
    if (unary !== undefined) {
      this.advance();
      const operand = this.parseExpression(unary.precedence);
      return this.parsePostfix({ type: 'unary', operator: token.value, operand, loc: token });
    }
    if (this.is('bracket', '(')) {
      this.advance();
      const inner = this.parseExpression(0);
      this.expect('bracket', ')');
      return this.parsePostfix(inner);
    }
    if (this.is('operator', '#') || this.is('operator', '.')) {
      if (this.predicateDepth === 0) this.fail('cannot use pointer accessor outside predicate');
      let name = '';
      if (token.value === '#') {
        this.advance();
        if (this.is('identifier')) name = this.advance().value;
      }
      return this.parsePostfix({ type: 'pointer', name, loc: token });
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const token = this.current;
    let node: Node;
    switch (token.kind) {
      case 'identifier':
        this.advance();
        if (token.value === 'true' || token.value === 'false') {
          return { type: 'bool', value: token.value === 'true', loc: token };
        }
        if (token.value === 'nil') return { type: 'nil', loc: token };
        node = this.is('bracket', '(')
          ? this.parseCall(token, [])
          : { type: 'identifier', name: token.value, loc: token };
        break;
      case 'number': {
        this.advance();
        const literal = parseNumberLiteral(token.value);
        if (typeof literal === 'string') this.fail(literal, token);
        return { type: 'number', value: literal.value, isFloat: literal.isFloat, loc: token };
      }
      case 'string':
        this.advance();
        node = { type: 'string', value: token.value, loc: token };
        break;
      default:
        if (this.is('bracket', '[')) node = this.parseArray();
        else if (this.is('bracket', '{')) node = this.parseMap();
        else this.fail(describe(token));
    }
    return this.parsePostfix(node);
  }

  private parseCall(name: Token, prefilled: Node[]): Node {
    const kinds = PREDICATE_BUILTINS.get(name.value);
    if (kinds !== undefined) {
      const args = [...prefilled];
      this.expect('bracket', '(');
      const rest = kinds.slice(prefilled.length);
      for (const [i, kind] of rest.entries()) {
        const optional = kind === 'optional-expr' || kind === 'optional-predicate';
        if (this.is('bracket', ')')) {
          if (optional) break;
          this.fail(`expected at least ${kinds.length} arguments`);
        }
        if (i > 0) this.expect('operator', ',');
        if (optional && this.is('bracket', ')')) break;
        args.push(
          kind === 'expr' || kind === 'optional-expr' ? this.parseExpression(0) : this.parsePredicate(),
        );
      }
      if (this.is('operator', ',')) this.advance();
      this.expect('bracket', ')');
      return { type: 'builtin', name: name.value, args, loc: name };
    }
    const args = this.parseArguments(prefilled);
    if (this.builtins.has(name.value)) return { type: 'builtin', name: name.value, args, loc: name };
    return { type: 'call', callee: { type: 'identifier', name: name.value, loc: name }, args, loc: name };
  }

  private parsePredicate(): Node {
    const start = this.current;
    const braced = this.is('bracket', '{');
    if (braced) this.advance();
    this.predicateDepth++;
    const body = this.parseExpression(0);
    this.predicateDepth--;
    if (braced) this.expect('bracket', '}');
    return { type: 'predicate', body, loc: start };
  }
}
