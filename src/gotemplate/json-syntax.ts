/**
 * The first syntax error in a JSON text, worded as Go's encoding/json scanner words it
 * (`invalid character 'x' looking for beginning of object key string`, `unexpected end of JSON
 * input`). Only called after JSON.parse has failed.
 */
export function goJsonSyntaxError(text: string): string {
  let i = 0;
  const quoteChar = (c: string): string => {
    if (c === "'") return "'\\''";
    if (c === '"') return `'"'`;
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20) return `'${JSON.stringify(c).slice(1, -1)}'`;
    return `'${c}'`;
  };
  const fail = (context: string): never => {
    if (i >= text.length) throw new SyntaxFound('unexpected end of JSON input');
    throw new SyntaxFound(
      `invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i) ?? 0))} ${context}`,
    );
  };
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++;
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++, i++)
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k] ?? '')})`);
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail('');
      const c = text[i] ?? '';
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        const e = text[i] ?? '';
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++)
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('in \\u hexadecimal character escape');
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === '') fail('in string escape code');
        i++;
        continue;
      }
      if ((c.codePointAt(0) ?? 0) < 0x20) fail('in string literal');
      i++;
    }
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (/[1-9]/.test(text[i] ?? '')) while (/[0-9]/.test(text[i] ?? '')) i++;
    else fail('in numeric literal');
    if (text[i] === '.') {
      i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('after decimal point in numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('in exponent of numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new SyntaxFound('exceeded max depth');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        string();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('after array element');
      }
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || /[0-9]/.test(c ?? '')) number();
    else fail('looking for beginning of value');
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail('after top-level value');
    return 'unexpected end of JSON input';
  } catch (err) {
    if (err instanceof SyntaxFound) return err.message;
    throw err;
  }
}

class SyntaxFound extends Error {}

/** encoding/json's nesting limit. */
const MAX_DEPTH = 10_000;
