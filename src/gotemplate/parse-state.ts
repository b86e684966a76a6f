import { locate, TemplateLimitError, TemplateParseError } from './errors.js';
import type { Token, TokenType } from './lexer.js';
import type { ListNode } from './nodes.js';

/** Shared cursor and bookkeeping for the recursive-descent parser. */
export class ParseState {
  private index = 0;
  /** Declared variables visible at this point, innermost last. */
  vars: string[] = ['$'];
  rangeDepth = 0;
  nesting = 0;
  /** Name of the definition being parsed (for messages); the root name otherwise. */
  current: string;
  readonly templates = new Map<string, ListNode>();

  constructor(
    readonly name: string,
    readonly text: string,
    private readonly tokens: readonly Token[],
    readonly hasFunction: (name: string) => boolean,
    readonly maxNesting: number,
  ) {
    this.current = name;
  }

  next(): Token {
    const token = this.tokens[this.index] ?? this.eofToken();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  mark(): number {
    return this.index;
  }

  restore(mark: number): void {
    this.index = mark;
  }

  peek(): Token {
    return this.tokens[this.index] ?? this.eofToken();
  }

  backup(count = 1): void {
    this.index = Math.max(0, this.index - count);
  }

  nextNonSpace(): Token {
    let token = this.next();
    while (token.type === 'space') token = this.next();
    return token;
  }

  peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  lastTokenType(): TokenType {
    return (this.tokens[Math.max(0, this.index - 1)] ?? this.eofToken()).type;
  }

  /** Position used for errors: the most recently consumed token. */
  lastPos(): number {
    return (this.tokens[Math.max(0, this.index - 1)] ?? this.eofToken()).pos;
  }

  private eofToken(): Token {
    return { type: 'eof', val: '', pos: this.text.length };
  }

  fail(message: string, pos = this.lastPos()): never {
    const { line, column } = locate(this.text, pos);
    throw new TemplateParseError(`template: ${this.name}:${line}:${column}: ${message}`, {
      templateName: this.current,
      line,
      column,
    });
  }

  expect(type: TokenType, context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  unexpected(token: Token, context: string): never {
    this.fail(`unexpected ${describeToken(token)} in ${context}`, token.pos);
  }

  enter(pos: number): void {
    this.nesting++;
    if (this.nesting > this.maxNesting) {
      const { line } = locate(this.text, pos);
      throw new TemplateLimitError(
        `template: ${this.name}:${line}: nesting exceeds ${this.maxNesting} levels`,
      );
    }
  }

  leave(): void {
    this.nesting--;
  }
}

/** Renders a token like Go's item.String(): EOF, <keyword>, <.>, or a quoted value cut at 10 characters. */
export function describeToken(token: Token): string {
  if (token.type === 'eof') return 'EOF';
  if (token.type === 'keyword' || token.type === 'dot' || token.type === 'nil') return `<${token.val}>`;
  const chars = [...token.val];
  if (chars.length > 10) return `${JSON.stringify(chars.slice(0, 10).join(''))}...`;
  return JSON.stringify(token.val);
}
