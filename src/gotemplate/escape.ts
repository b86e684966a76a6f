/** Go's text/template escapers: html, js and urlquery. */

const HTML: Readonly<Record<string, string>> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\uFFFD',
};

export function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => HTML[c] ?? c);
}

const JS: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

const isPrintable = (c: string): boolean => /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c);

export function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    const mapped = JS[c];
    if (mapped !== undefined) out += mapped;
    else if (code < 0x20) out += '\\u00' + code.toString(16).toUpperCase().padStart(2, '0');
    else if (code < 0x80 || isPrintable(c)) out += c;
    else out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** Go's url.QueryEscape: unreserved characters stay, space becomes '+', the rest is %XX. */
export function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
