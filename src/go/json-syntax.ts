/**
 * The syntax error Go's encoding/json reports for a text (its scanner runs over the whole input before
 * decoding), in Go's words: `invalid character 'x' looking for beginning of value`, `unexpected end of
 * JSON input`, … Undefined when the text is valid JSON. Pure; scans UTF-8 bytes as Go does.
 */

type Step = (b: number) => string | undefined;

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isHex = (b: number) => isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);

/** Go's quoteChar: a byte as a quoted character, `'\''` and `'"'` special. */
function quoteChar(b: number): string {
  if (b === 0x27) return "'\\''";
  if (b === 0x22) return `'"'`;
  // Go quotes string(byte): the byte as the code point U+00XX
  const c = String.fromCodePoint(b);
  const named: Record<number, string> = {
    7: '\\a',
    8: '\\b',
    9: '\\t',
    10: '\\n',
    11: '\\v',
    12: '\\f',
    13: '\\r',
    92: '\\\\',
  };
  if (named[b] !== undefined) return `'${named[b]}'`;
  if (b < 0x20 || b === 0x7f) return `'\\x${b.toString(16).padStart(2, '0')}'`;
  if (b >= 0x80 && b < 0xa0) return `'\\u${b.toString(16).padStart(4, '0')}'`;
  if (b === 0xad) return "'\\u00ad'";
  return `'${c}'`;
}

const invalid = (b: number, context: string) => `invalid character ${quoteChar(b)} ${context}`;

/** Go's json.Valid error for `text`, or undefined. */
export function goJsonSyntaxError(text: string): string | undefined {
  const bytes = Buffer.from(text, 'utf8');
  // the parse stack: what each open container expects after a value
  const stack: ('object-key' | 'object-value' | 'array')[] = [];
  let step: Step;
  let done = false;
  /** A container ends: a value ends, at the top level the whole text. */
  const close = (): undefined => {
    stack.pop();
    done = stack.length === 0;
    step = done ? endTop : endValue;
    return undefined;
  };

  const endValue: Step = (b) => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      done = true;
      return endTop(b);
    }
    if (isSpace(b)) {
      step = endValue;
      return undefined;
    }
    if (top === 'object-key') {
      if (b === 0x3a) {
        stack[stack.length - 1] = 'object-value';
        step = beginValue;
        return undefined;
      }
      return invalid(b, 'after object key');
    }
    if (top === 'object-value') {
      if (b === 0x2c) {
        stack[stack.length - 1] = 'object-key';
        step = beginString;
        return undefined;
      }
      if (b === 0x7d) {
        return close();
      }
      return invalid(b, 'after object key:value pair');
    }
    if (b === 0x2c) {
      step = beginValue;
      return undefined;
    }
    if (b === 0x5d) {
      return close();
    }
    return invalid(b, 'after array element');
  };
  const endTop: Step = (b) => {
    step = endTop;
    return isSpace(b) ? undefined : invalid(b, 'after top-level value');
  };
  const literal = (rest: string, name: string): Step => {
    let i = 0;
    const next: Step = (b) => {
      const want = rest.charCodeAt(i);
      if (b !== want) return invalid(b, `in literal ${name} (expecting ${quoteChar(want)})`);
      i++;
      step = i === rest.length ? endValue : next;
      return undefined;
    };
    return next;
  };
  const inString: Step = (b) => {
    if (b === 0x22) {
      step = endValue;
      return undefined;
    }
    if (b === 0x5c) {
      step = escapeCode;
      return undefined;
    }
    if (b < 0x20) return invalid(b, 'in string literal');
    return undefined;
  };
  const escapeCode: Step = (b) => {
    if ([0x62, 0x66, 0x6e, 0x72, 0x74, 0x5c, 0x2f, 0x22].includes(b)) {
      step = inString;
      return undefined;
    }
    if (b === 0x75) {
      let n = 0;
      const hex: Step = (h) => {
        if (!isHex(h)) return invalid(h, 'in \\u hexadecimal character escape');
        n++;
        step = n === 4 ? inString : hex;
        return undefined;
      };
      step = hex;
      return undefined;
    }
    return invalid(b, 'in string escape code');
  };
  const exponentDigits: Step = (b) => (isDigit(b) ? undefined : endValue(b));
  const exponentSign: Step = (b) => {
    if (!isDigit(b)) return invalid(b, 'in exponent of numeric literal');
    step = exponentDigits;
    return undefined;
  };
  const exponent: Step = (b) => {
    if (b === 0x2b || b === 0x2d) {
      step = exponentSign;
      return undefined;
    }
    return exponentSign(b);
  };
  const fraction: Step = (b) => {
    if (isDigit(b)) return undefined;
    if (b === 0x65 || b === 0x45) {
      step = exponent;
      return undefined;
    }
    return endValue(b);
  };
  const dot: Step = (b) => {
    if (!isDigit(b)) return invalid(b, 'after decimal point in numeric literal');
    step = fraction;
    return undefined;
  };
  const afterInteger: Step = (b) => {
    if (b === 0x2e) {
      step = dot;
      return undefined;
    }
    if (b === 0x65 || b === 0x45) {
      step = exponent;
      return undefined;
    }
    return endValue(b);
  };
  const integer: Step = (b) => (isDigit(b) ? undefined : afterInteger(b));
  const negative: Step = (b) => {
    if (b === 0x30) {
      step = afterInteger;
      return undefined;
    }
    if (isDigit(b)) {
      step = integer;
      return undefined;
    }
    return invalid(b, 'in numeric literal');
  };
  const beginValue: Step = (b) => {
    if (isSpace(b)) return undefined;
    switch (b) {
      case 0x7b:
        stack.push('object-key');
        step = beginStringOrEmpty;
        return undefined;
      case 0x5b:
        stack.push('array');
        step = beginValueOrEmpty;
        return undefined;
      case 0x22:
        step = inString;
        return undefined;
      case 0x2d:
        step = negative;
        return undefined;
      case 0x30:
        step = afterInteger;
        return undefined;
      case 0x74:
        step = literal('rue', 'true');
        return undefined;
      case 0x66:
        step = literal('alse', 'false');
        return undefined;
      case 0x6e:
        step = literal('ull', 'null');
        return undefined;
    }
    if (isDigit(b)) {
      step = integer;
      return undefined;
    }
    return invalid(b, 'looking for beginning of value');
  };
  const beginValueOrEmpty: Step = (b) => {
    if (isSpace(b)) return undefined;
    if (b === 0x5d) {
      return close();
    }
    return beginValue(b);
  };
  const beginString: Step = (b) => {
    if (isSpace(b)) return undefined;
    if (b === 0x22) {
      step = inString;
      return undefined;
    }
    return invalid(b, 'looking for beginning of object key string');
  };
  const beginStringOrEmpty: Step = (b) => {
    if (isSpace(b)) return undefined;
    if (b === 0x7d) {
      return close();
    }
    return beginString(b);
  };

  step = beginValue;
  for (const b of bytes) {
    const error = step(b);
    if (error !== undefined) return error;
  }
  // Go's scanner ends by feeding a space: a number ends there, a cut-off literal fails on it
  if (done) return undefined;
  const atEnd = step(0x20);
  if (atEnd !== undefined) return atEnd;
  return done ? undefined : 'unexpected end of JSON input';
}
