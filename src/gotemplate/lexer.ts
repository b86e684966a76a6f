/** Token kinds produced by the lexer, mirroring Go's text/template/parse item types. */
export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'char'
  | 'charConstant'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'assign'
  | 'declare'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  readonly val: string;
  readonly pos: number;
}

/** A lexing failure at a character offset; the parser turns it into a TemplateParseError. */
export class LexError extends Error {
  readonly pos: number;

  constructor(message: string, pos: number) {
    super(message);
    this.pos = pos;
  }
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'template',
  'with',
]);
const LEFT = '{{';
const RIGHT = '}}';

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined): boolean =>
  c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c));
const hasLeftTrim = (s: string, i: number): boolean => s[i] === '-' && isSpace(s[i + 1]);
const hasRightTrim = (s: string, i: number): boolean => isSpace(s[i]) && s[i + 1] === '-';

/** Describes a character like Go's %#U: `U+0023 '#'`. */
export function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/** Splits template text into tokens, applying `{{-`/`-}}` trimming and dropping comments. */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let parenDepth = 0;
  let trimNextText = false;
  const emit = (type: TokenType, start: number, end: number): void => {
    tokens.push({ type, val: input.slice(start, end), pos: start });
  };

  const atRightDelim = (i: number): { isDelim: boolean; trim: boolean } => {
    if (hasRightTrim(input, i) && input.startsWith(RIGHT, i + 2)) return { isDelim: true, trim: true };
    return { isDelim: input.startsWith(RIGHT, i), trim: false };
  };

  const skipLeadingSpace = (): void => {
    while (isSpace(input[pos])) pos++;
  };

  while (pos < input.length) {
    // Text up to the next left delimiter.
    if (trimNextText) {
      skipLeadingSpace();
      trimNextText = false;
    }
    const next = input.indexOf(LEFT, pos);
    const textEnd = next === -1 ? input.length : next;
    let keepEnd = textEnd;
    if (next !== -1 && hasLeftTrim(input, next + LEFT.length)) {
      while (keepEnd > pos && isSpace(input[keepEnd - 1])) keepEnd--;
    }
    if (keepEnd > pos) emit('text', pos, keepEnd);
    if (next === -1) {
      pos = input.length;
      break;
    }
    pos = next + LEFT.length;
    const trimLeft = hasLeftTrim(input, pos);
    const afterMarker = pos + (trimLeft ? 2 : 0);
    if (input.startsWith('/*', afterMarker)) {
      const close = input.indexOf('*/', afterMarker + 2);
      if (close === -1) throw new LexError('unclosed comment', next);
      const { isDelim, trim } = atRightDelim(close + 2);
      if (!isDelim) throw new LexError('comment ends before closing delimiter', next);
      pos = close + 2 + (trim ? 2 : 0) + RIGHT.length;
      trimNextText = trim;
      continue;
    }
    emit('leftDelim', next, pos);
    pos = afterMarker;
    // Inside the action.
    for (;;) {
      const { isDelim, trim } = atRightDelim(pos);
      if (isDelim) {
        if (parenDepth > 0) throw new LexError('unclosed left paren', pos);
        const start = pos + (trim ? 2 : 0);
        emit('rightDelim', start, start + RIGHT.length);
        pos = start + RIGHT.length;
        trimNextText = trim;
        break;
      }
      pos = lexActionToken(pos);
    }
  }
  tokens.push({ type: 'eof', val: '', pos: input.length });
  return tokens;

  function lexActionToken(start: number): number {
    const c = input[start];
    if (c === undefined) throw new LexError('unclosed action', start);
    if (isSpace(c)) {
      let i = start;
      while (isSpace(input[i]) && !(hasRightTrim(input, i) && input.startsWith(RIGHT, i + 2))) i++;
      if (i === start) i++; // a lone space before "-}}" is part of the trim marker; handled by atRightDelim
      emit('space', start, i);
      return i;
    }
    switch (c) {
      case '=':
        emit('assign', start, start + 1);
        return start + 1;
      case ':':
        if (input[start + 1] !== '=') throw new LexError('expected :=', start);
        emit('declare', start, start + 2);
        return start + 2;
      case '|':
        emit('pipe', start, start + 1);
        return start + 1;
      case '"':
        return lexQuote(start, '"', 'string', 'unterminated quoted string');
      case "'":
        return lexQuote(start, "'", 'charConstant', 'unterminated character constant');
      case '`': {
        const close = input.indexOf('`', start + 1);
        if (close === -1) throw new LexError('unterminated raw quoted string', start);
        emit('rawString', start, close + 1);
        return close + 1;
      }
      case '$':
        return lexIdentLike(start, start + 1, 'variable');
      case '.':
        if (input[start + 1] !== undefined && /[0-9]/.test(input[start + 1] ?? '')) return lexNumber(start);
        if (!isAlphaNumeric(input[start + 1])) {
          emit('dot', start, start + 1);
          return start + 1;
        }
        return lexIdentLike(start, start + 1, 'field');
      case '(':
        parenDepth++;
        emit('leftParen', start, start + 1);
        return start + 1;
      case ')':
        parenDepth--;
        if (parenDepth < 0) throw new LexError('unexpected right paren', start);
        emit('rightParen', start, start + 1);
        return start + 1;
    }
    if (c === '+' || c === '-' || (c >= '0' && c <= '9')) return lexNumber(start);
    if (isAlphaNumeric(c)) {
      let i = start;
      while (isAlphaNumeric(input[i])) i++;
      checkTerminator(i);
      const word = input.slice(start, i);
      const type: TokenType = KEYWORDS.has(word)
        ? 'keyword'
        : word === 'true' || word === 'false'
          ? 'bool'
          : word === 'nil'
            ? 'nil'
            : 'identifier';
      emit(type, start, i);
      return i;
    }
    const code = c.codePointAt(0) ?? 0;
    if (code <= 0x7e && code >= 0x20) {
      emit('char', start, start + 1);
      return start + 1;
    }
    const ch = String.fromCodePoint(code);
    throw new LexError(`unrecognized character in action: ${describeChar(ch)}`, start);
  }

  function checkTerminator(i: number): void {
    const c = input[i];
    if (c === undefined || isSpace(c) || '.,|:)('.includes(c) || input.startsWith(RIGHT, i)) return;
    throw new LexError(`bad character ${describeChar(String.fromCodePoint(c.codePointAt(0) ?? 0))}`, i);
  }

  function lexIdentLike(start: number, from: number, type: TokenType): number {
    let i = from;
    while (isAlphaNumeric(input[i])) i++;
    checkTerminator(i);
    emit(type, start, i);
    return i;
  }

  function lexQuote(start: number, quote: string, type: TokenType, unterminated: string): number {
    let i = start + 1;
    for (;;) {
      const c = input[i];
      if (c === undefined || c === '\n') throw new LexError(unterminated, start);
      if (c === '\\') {
        if (input[i + 1] === undefined || input[i + 1] === '\n') throw new LexError(unterminated, start);
        i += 2;
        continue;
      }
      i++;
      if (c === quote) break;
    }
    emit(type, start, i);
    return i;
  }

  function lexNumber(start: number): number {
    const m =
      /^[+-]?(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?|0[oO][0-7_]*|0[bB][01_]*|[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?)i?/.exec(
        input.slice(start, start + 400),
      );
    let end = start + (m?.[0].length ?? 0);
    if (isAlphaNumeric(input[end])) {
      end++;
      throw new LexError(`bad number syntax: ${JSON.stringify(input.slice(start, end))}`, start);
    }
    if (end === start) end++;
    emit('number', start, end);
    return end;
  }
}
