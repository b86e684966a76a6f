import { quoteGo } from '../go/index.js';
import type { Location, Node } from './ast.js';
import { ExprSyntaxError } from './errors.js';
import type { Token } from './lexer.js';

const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

const TOKEN_KINDS: Record<Token['kind'], string> = {
  identifier: 'Identifier',
  number: 'Number',
  string: 'String',
  operator: 'Operator',
  bracket: 'Bracket',
  eof: 'EOF',
};

/** expr's `unexpected token %v` with its Token.String(): `Kind("value")`, or `EOF`. */
export function describe(token: Token): string {
  if (token.kind === 'eof' || token.value === '') return `unexpected token ${TOKEN_KINDS[token.kind]}`;
  return `unexpected token ${TOKEN_KINDS[token.kind]}(${quoteGo(token.value)})`;
}

/**
 * Token cursor plus the grammar shared by every expression position: call arguments, array and map literals,
 * and postfix member, index and slice access (with `?.` chains).
 */
export abstract class ParserBase {
  protected pos = 0;

  constructor(protected readonly tokens: readonly Token[]) {}

  abstract parseExpression(precedence: number): Node;

  protected get current(): Token {
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }

  protected peek(ahead: number): Token {
    return this.tokens[this.pos + ahead] ?? this.tokens[this.tokens.length - 1]!;
  }

  protected is(kind: Token['kind'], value?: string, token: Token = this.current): boolean {
    return token.kind === kind && (value === undefined || token.value === value);
  }

  protected advance(): Token {
    const token = this.current;
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  protected fail(reason: string, at: Location = this.current): never {
    throw new ExprSyntaxError(reason, { line: at.line, column: at.column });
  }

  protected expect(kind: Token['kind'], value?: string): Token {
    if (!this.is(kind, value)) this.fail(describe(this.current));
    return this.advance();
  }

  expectEnd(): void {
    if (!this.is('eof')) this.fail(describe(this.current));
  }

  protected parseArguments(prefilled: Node[]): Node[] {
    const args = [...prefilled];
    this.expect('bracket', '(');
    while (!this.is('bracket', ')')) {
      if (args.length > prefilled.length) {
        this.expect('operator', ',');
        if (this.is('bracket', ')')) break;
      }
      args.push(this.parseExpression(0));
    }
    this.expect('bracket', ')');
    return args;
  }

  protected parseArray(): Node {
    const start = this.expect('bracket', '[');
    const items: Node[] = [];
    while (!this.is('bracket', ']')) {
      if (items.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', ']')) break;
      }
      items.push(this.parseExpression(0));
    }
    this.expect('bracket', ']');
    return { type: 'array', items, loc: start };
  }

  protected parseMap(): Node {
    const start = this.expect('bracket', '{');
    const entries: { key: Node; value: Node }[] = [];
    while (!this.is('bracket', '}')) {
      if (entries.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', '}')) break;
      }
      const keyToken = this.current;
      let key: Node;
      if (keyToken.kind === 'number' || keyToken.kind === 'string' || keyToken.kind === 'identifier') {
        this.advance();
        key = { type: 'string', value: keyToken.value, loc: keyToken };
      } else if (this.is('bracket', '(')) {
        key = this.parseExpression(0);
      } else {
        this.fail(
          `a map key must be a quoted string, a number, an identifier or a parenthesized expression (${describe(keyToken)})`,
        );
      }
      this.expect('operator', ':');
      entries.push({ key, value: this.parseExpression(0) });
    }
    this.expect('bracket', '}');
    return { type: 'map', entries, loc: start };
  }

  protected parsePostfix(start: Node): Node {
    let node = start;
    for (;;) {
      const token = this.current;
      let optional = false;
      if (this.is('operator', '.') || this.is('operator', '?.')) {
        optional = token.value === '?.';
        this.advance();
        if (!(optional && this.is('bracket', '['))) {
          const property = this.advance();
          const isName =
            property.kind === 'identifier' ||
            (property.kind === 'operator' && IDENTIFIER.test(property.value));
          if (!isName) this.fail('expected name', property);
          const inChain = node.type === 'chain';
          const object = node.type === 'chain' ? node.node : node;
          const member: Node = {
            type: 'member',
            object,
            property: { type: 'string', value: property.value, loc: property },
            optional,
            loc: property,
          };
          node = this.is('bracket', '(')
            ? { type: 'call', callee: member, args: this.parseArguments([]), loc: property }
            : member;
          if (inChain || optional) node = { type: 'chain', node, loc: node.loc };
          continue;
        }
      }
      if (!this.is('bracket', '[')) return node;
      const bracket = this.advance();
      const inChain = node.type === 'chain';
      const object = node.type === 'chain' ? node.node : node;
      let next: Node;
      if (this.is('operator', ':')) {
        this.advance();
        const to = this.is('bracket', ']') ? undefined : this.parseExpression(0);
        next = { type: 'slice', object, from: undefined, to, loc: bracket };
      } else {
        const from = this.parseExpression(0);
        if (this.is('operator', ':')) {
          this.advance();
          const to = this.is('bracket', ']') ? undefined : this.parseExpression(0);
          next = { type: 'slice', object, from, to, loc: bracket };
        } else {
          next = { type: 'member', object, property: from, optional, loc: bracket };
        }
      }
      this.expect('bracket', ']');
      node = inChain || optional ? { type: 'chain', node: next, loc: next.loc } : next;
    }
  }
}
