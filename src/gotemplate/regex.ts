import { FuncError } from './errors.js';

const MAX_SUBJECT = 1 << 20;

/** Translates the RE2 syntax sprig users write into a JS RegExp (named groups, leading flags). */
export function compileGoRegexp(pattern: string, global = false): RegExp {
  let source = pattern.replaceAll('(?P<', '(?<');
  let flags = global ? 'g' : '';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    for (const f of lead[1] ?? '') if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new FuncError(`error parsing regexp: ${(err as Error).message}`);
  }
}

function checkSubject(s: string): void {
  if (s.length > MAX_SUBJECT) throw new FuncError(`regexp subject longer than ${MAX_SUBJECT} characters`);
}

/** sprig regexMatch: false (not an error) when the pattern does not compile, like sprig. */
export function regexMatch(pattern: string, s: string): boolean {
  checkSubject(s);
  try {
    return compileGoRegexp(pattern).test(s);
  } catch {
    return false;
  }
}

/** Expands Go's `$1`, `${1}`, `$name`, `${name}` and `$$` in a replacement template. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_, all: string, braced?: string, bare?: string) => {
      if (all === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
      return match.groups?.[name] ?? '';
    },
  );
}

/** sprig regexReplaceAll: Go's Regexp.ReplaceAllString with template expansion. */
export function regexReplaceAll(pattern: string, s: string, repl: string): string {
  checkSubject(s);
  const re = compileGoRegexp(pattern, true);
  let out = '';
  let last = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    out += s.slice(last, m.index) + expand(repl, m);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return out + s.slice(last);
}

/** Go's FindAllStringIndex: up to n (all when n < 0) matches; an empty match abutting the previous one is skipped. */
export function regexFindAllIndex(pattern: string, s: string, n: number): [number, number][] {
  checkSubject(s);
  const re = compileGoRegexp(pattern, true);
  const out: [number, number][] = [];
  let prevEnd = -1;
  for (let m = re.exec(s); m !== null && (n < 0 || out.length < n); m = re.exec(s)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      re.lastIndex = start + ((s.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
      if (start === prevEnd) continue;
    }
    out.push([start, end]);
    prevEnd = end;
    if (re.lastIndex > s.length) break;
  }
  return out;
}

/** Go's Regexp.FindString: the first match, or "". */
export function regexFind(pattern: string, s: string): string {
  checkSubject(s);
  const m = compileGoRegexp(pattern).exec(s);
  return m ? m[0] : '';
}

/** Go's Regexp.FindAllString; nil (no matches or n == 0) is `[]`. */
export function regexFindAll(pattern: string, s: string, n: number): string[] {
  if (n === 0) return [];
  return regexFindAllIndex(pattern, s, n).map(([a, b]) => s.slice(a, b));
}

/** Go's Regexp.Split. */
export function regexSplit(pattern: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (pattern.length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const [a, b] of regexFindAllIndex(pattern, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = a;
    if (b !== 0) out.push(s.slice(beg, end));
    beg = b;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.ReplaceAllLiteralString. */
export function regexReplaceAllLiteral(pattern: string, s: string, repl: string): string {
  let out = '';
  let last = 0;
  for (const [a, b] of regexFindAllIndex(pattern, s, -1)) {
    out += s.slice(last, a) + repl;
    last = b;
  }
  return out + s.slice(last);
}

/** Go's regexp.QuoteMeta. */
export function regexQuoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Go's regexp.MatchString with its error: for mustRegexMatch. */
export function mustRegexMatch(pattern: string, s: string): boolean {
  checkSubject(s);
  return compileGoRegexp(pattern).test(s);
}
