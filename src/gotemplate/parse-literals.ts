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

/**
 * A number literal as Go's parse.NumberNode reads it: whether it can be an int and/or a float64, and
 * which of the two it is when nothing else decides (`ideal`, exec's idealConstant): a float when it is
 * written with `.`, `e` or `p` (not a hex int or a character), an int otherwise, `overflow` for a
 * uint64-only value (an error at execution).
 */
export interface ParsedNumber {
  readonly isInt: boolean;
  readonly isFloat: boolean;
  readonly intValue: number;
  readonly floatValue: number;
  readonly ideal: 'int' | 'float' | 'overflow';
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv's underscoreOK: underscores only between digits, or between a base prefix and a digit. */
function underscoreOk(text: string): boolean {
  let s = text.replace(/^[+-]/, '');
  let saw = '^';
  let hex = false;
  if (/^0[xXbBoO]/.test(s)) {
    hex = /^0[xX]/.test(s);
    s = s.slice(2);
    saw = '0';
  }
  for (const c of s) {
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt(text, 0, 64)'s syntax (before the range check), as a bigint. */
function parseIntBase0(text: string): bigint | undefined {
  if (text.includes('_') && !underscoreOk(text)) return undefined;
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(
    text.replaceAll('_', ''),
  );
  if (!m) return undefined;
  let digits = m[2] ?? '0';
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const big = BigInt(digits);
  return m[1] === '-' ? -big : big;
}

/** strconv.ParseFloat(text, 64): decimal and hex floats; undefined on bad syntax or out of range. */
function parseFloatGo(text: string): number | undefined {
  if (text.includes('_') && !underscoreOk(text)) return undefined;
  const clean = text.replaceAll('_', '');
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(clean);
  let value: number;
  if (hex) {
    const whole = hex[2] ?? '';
    const frac = hex[3] ?? '';
    if (whole === '' && frac === '') return undefined;
    const mantissa = Number(BigInt(`0x${whole}${frac}` === '0x' ? '0' : `0x${whole}${frac}`));
    value = mantissa * 2 ** (Number(hex[4]) - 4 * frac.length);
    if (hex[1] === '-') value = -value;
  } else {
    if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(clean)) return undefined;
    value = Number(clean);
  }
  return Number.isFinite(value) ? value : undefined;
}

/** Parses a number token (or character constant) the way Go's parse.NumberNode does. */
export function parseGoNumber(text: string): ParsedNumber {
  if (text.startsWith("'")) {
    const s = unquoteGo(text);
    const code = s.codePointAt(0);
    if (code === undefined || String.fromCodePoint(code) !== s)
      throw new Error(`malformed character constant: ${text}`);
    return { isInt: true, isFloat: true, intValue: code, floatValue: code, ideal: 'int' };
  }
  if (text.endsWith('i')) throw new Error(`complex numbers are not supported: ${JSON.stringify(text)}`);
  let isInt = false;
  let isUint = false;
  let isFloat = false;
  let intValue = 0;
  let floatValue = 0;
  const big = parseIntBase0(text);
  if (big !== undefined) {
    isInt = big >= INT64_MIN && big <= INT64_MAX;
    isUint = big >= 0n && big <= UINT64_MAX;
    if (isInt || isUint) {
      isFloat = true;
      floatValue = Number(big);
      intValue = isInt ? Number(big) : 0;
    }
  }
  if (!isInt && !isUint) {
    const f = parseFloatGo(text);
    if (f !== undefined) {
      // Parsed as a float but written like an integer: an integer too large for 64 bits.
      if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
      isFloat = true;
      floatValue = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        isInt = true;
        intValue = f;
      }
    }
  }
  if (!isInt && !isUint && !isFloat) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  const isHexInt = text.length > 2 && /^0[xX]/.test(text) && !/[pP]/.test(text);
  const ideal =
    isFloat && !isHexInt && /[.eEpP]/.test(text) ? 'float' : isInt ? 'int' : isUint ? 'overflow' : 'float';
  return { isInt, isFloat, intValue, floatValue, ideal };
}
