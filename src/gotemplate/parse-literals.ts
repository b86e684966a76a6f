/** Decodes Go string, raw-string and character literals, and classifies Go number literals. */

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Unquotes a Go literal (`"..."`, `` `...` `` or `'x'`); throws a plain Error with Go's wording. */
export function unquoteGo(quoted: string): string {
  const quote = quoted[0];
  const body = quoted.slice(1, -1);
  if (quote === '`') return body.replaceAll('\r', '');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      if (c === quote) throw new Error('invalid syntax');
      out += c;
      continue;
    }
    const e = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      if ((e === "'" && quote === '"') || (e === '"' && quote === "'")) throw new Error('invalid syntax');
      out += simple;
      i += 1;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLen) throw new Error('invalid syntax');
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000 && e !== 'x'))
        throw new Error('invalid syntax');
      // \x escapes are bytes in Go; Slipway maps them to the code point of the same value.
      out += String.fromCodePoint(code);
      i += 1 + hexLen;
      continue;
    }
    const oct = body.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(oct)) {
      const code = Number.parseInt(oct, 8);
      if (code > 255) throw new Error('invalid syntax');
      out += String.fromCodePoint(code);
      i += 3;
      continue;
    }
    throw new Error('invalid syntax');
  }
  return out;
}

export interface ParsedNumber {
  readonly value: number;
  readonly isInt: boolean;
}

const INT_PATTERN = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const FLOAT_PATTERN = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Parses a number token (or character constant) the way Go's parse.NumberNode does. */
export function parseGoNumber(text: string): ParsedNumber {
  if (text.startsWith("'")) {
    const s = unquoteGo(text);
    const code = s.codePointAt(0);
    if (code === undefined || String.fromCodePoint(code) !== s)
      throw new Error(`malformed character constant: ${text}`);
    return { value: code, isInt: true };
  }
  if (text.endsWith('i')) throw new Error(`complex numbers are not supported: ${JSON.stringify(text)}`);
  const clean = text.replaceAll('_', '');
  if (INT_PATTERN.test(clean)) {
    const neg = clean.startsWith('-');
    let digits = clean.replace(/^[+-]/, '');
    if (/^0[0-7]+$/.test(digits)) digits = '0o' + digits.slice(1);
    const big = BigInt(digits) * (neg ? -1n : 1n);
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`integer overflow: ${JSON.stringify(text)}`);
    }
    return { value: Number(big), isInt: true };
  }
  if (FLOAT_PATTERN.test(clean) && /[0-9]/.test(clean)) {
    const value = Number(clean);
    if (Number.isFinite(value)) return { value, isInt: false };
  }
  throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
}
