import { ExprSyntaxError } from './errors.js';

export type TokenKind = 'identifier' | 'number' | 'string' | 'operator' | 'bracket' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, operator or bracket text, raw number text, or the decoded string value. */
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

/** Words lexed as operators rather than identifiers. */
const WORD_OPERATORS = new Set([
  'and',
  'or',
  'not',
  'in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  'let',
]);
const TWO_CHAR = ['**', '??', '?.', '..', '==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR = '+-*/%^<>!?:,.#|=;';
const BRACKETS = '()[]{}';

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAsciiLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isIdentStart = (c: string): boolean =>
  isAsciiLetter(c) || c === '_' || c === '$' || (c > '\x7f' && /\p{L}/u.test(c));
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c) || (c > '\x7f' && /\p{N}/u.test(c));

/** Turns source text into tokens; the last token is always `eof`. Iterative, so input size cannot blow the stack. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const chars = Array.from(source);
  let i = 0;
  let line = 1;
  let column = 1;

  const advance = (): string => {
    const c = chars[i++] ?? '';
    if (c === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
    return c;
  };
  const peek = (ahead = 0): string => chars[i + ahead] ?? '';
  const fail = (reason: string, at: { line: number; column: number } = { line, column }): never => {
    throw new ExprSyntaxError(reason, at);
  };

  while (i < chars.length) {
    const c = peek();
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      advance();
      continue;
    }
    const start = { line, column };
    if (c === '/' && peek(1) === '/') {
      while (i < chars.length && peek() !== '\n') advance();
      continue;
    }
    if (c === '/' && peek(1) === '*') {
      advance();
      advance();
      while (i < chars.length && !(peek() === '*' && peek(1) === '/')) advance();
      if (i >= chars.length) fail('unclosed comment', start);
      advance();
      advance();
      continue;
    }
    const previous = tokens[tokens.length - 1];
    const afterOperand =
      previous !== undefined &&
      (previous.kind === 'identifier' ||
        previous.kind === 'number' ||
        previous.kind === 'string' ||
        (previous.kind === 'bracket' && ')]}'.includes(previous.value)));
    if (isDigit(c) || (c === '.' && isDigit(peek(1)) && !afterOperand)) {
      tokens.push({ kind: 'number', value: lexNumber(), ...start });
      continue;
    }
    if (c === '"' || c === "'") {
      tokens.push({ kind: 'string', value: lexQuoted(c, start), ...start });
      continue;
    }
    if (c === '`') {
      advance();
      let text = '';
      while (i < chars.length && peek() !== '`') text += advance();
      if (i >= chars.length) fail('unterminated string', start);
      advance();
      tokens.push({ kind: 'string', value: text, ...start });
      continue;
    }
    if (isIdentStart(c)) {
      let word = '';
      while (i < chars.length && isIdentPart(peek())) word += advance();
      const kind = WORD_OPERATORS.has(word) ? 'operator' : 'identifier';
      tokens.push({ kind, value: word, ...start });
      continue;
    }
    if (BRACKETS.includes(c)) {
      tokens.push({ kind: 'bracket', value: advance(), ...start });
      continue;
    }
    const two = c + peek(1);
    // `a ? .5 : 1` is a ternary, not optional chaining.
    if (TWO_CHAR.includes(two) && !(two === '?.' && isDigit(peek(2)))) {
      tokens.push({ kind: 'operator', value: advance() + advance(), ...start });
      continue;
    }
    if (ONE_CHAR.includes(c)) {
      tokens.push({ kind: 'operator', value: advance(), ...start });
      continue;
    }
    fail(`unrecognized character ${JSON.stringify(c)}`, start);
  }
  tokens.push({ kind: 'eof', value: '', line, column });
  return tokens;

  function lexNumber(): string {
    let text = '';
    const digits = (allowed: RegExp): void => {
      while (i < chars.length && (allowed.test(peek()) || peek() === '_')) text += advance();
    };
    const radix = (peek() + peek(1)).toLowerCase();
    if (radix === '0x' || radix === '0o' || radix === '0b') {
      text += advance() + advance();
      digits(radix === '0x' ? /[0-9a-fA-F]/ : radix === '0o' ? /[0-7]/ : /[01]/);
      return text;
    }
    digits(/[0-9]/);
    if (peek() === '.' && isDigit(peek(1))) {
      text += advance();
      digits(/[0-9]/);
    }
    if (
      (peek() === 'e' || peek() === 'E') &&
      (isDigit(peek(1)) || ('+-'.includes(peek(1)) && isDigit(peek(2))))
    ) {
      text += advance();
      if (peek() === '+' || peek() === '-') text += advance();
      digits(/[0-9]/);
    }
    if (isIdentPart(peek())) fail(`invalid number literal ${JSON.stringify(text + peek())}`);
    return text;
  }

  function lexQuoted(quote: string, start: { line: number; column: number }): string {
    advance();
    let text = '';
    for (;;) {
      if (i >= chars.length || peek() === '\n') return fail('unterminated string', start);
      const ch = advance();
      if (ch === quote) return text;
      if (ch !== '\\') {
        text += ch;
        continue;
      }
      const escapeAt = { line, column: column - 1 };
      const e = advance();
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '`': '`',
      };
      const mapped = Object.hasOwn(simple, e) ? simple[e] : undefined;
      if (mapped !== undefined) {
        text += mapped;
        continue;
      }
      const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      let code = Number.NaN;
      if (hexLength > 0) {
        let hex = '';
        for (let k = 0; k < hexLength; k++) hex += advance();
        code = /^[0-9a-fA-F]+$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
      } else if (/[0-7]/.test(e)) {
        const oct = e + advance() + advance();
        code = /^[0-7]{3}$/.test(oct) ? Number.parseInt(oct, 8) : Number.NaN;
      }
      if (Number.isNaN(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        fail('invalid char escape', escapeAt);
      }
      text += String.fromCodePoint(code);
    }
  }
}
