/** Go's strconv.Quote, as fmt's `%q` prints strings. Pure. */

/** Go's strconv.IsPrint for one character: letters, marks, numbers, punctuation, symbols and ASCII space. */
export const isPrintable = (c: string): boolean => /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c);

/**
 * Go's strconv.Quote (`asciiOnly` for %+q): double quotes with Go escapes. With `quote` `'` it is
 * strconv.QuoteRune for a one-character string (`%q` of an integer).
 */
export function quoteGo(s: string, asciiOnly = false, quote: '"' | "'" = '"'): string {
  let out = quote;
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    const named: Record<string, string> = {
      '\x07': '\\a',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
    };
    if (c === quote || c === '\\') out += '\\' + c;
    else if (named[c] !== undefined) out += named[c];
    else if (c === '\t') out += '\\t';
    else if (c === '\v') out += '\\v';
    else if (isPrintable(c) && (!asciiOnly || code < 0x80)) out += c;
    else if (code < 0x80) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code < 0x10000) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += '\\U' + code.toString(16).padStart(8, '0');
  }
  return out + quote;
}
