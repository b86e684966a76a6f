import { FuncError } from './errors.js';

const MAX_SUBJECT = 1 << 20;

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const QUANTIFIER = /^(?:[*+?]|\{\d+(?:,\d*)?\})/;

/**
 * Rewrites RE2 syntax JavaScript lacks or reads differently: `(?P<name>`, \A and \z, \Q...\E,
 * POSIX classes such as [[:alpha:]], and quantified assertions (`$*`, `^{1}`), which RE2 accepts
 * and JavaScript refuses unless grouped.
 */
function translate(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (e === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      let token = c + e;
      if (!inClass && e === 'A') token = '(?<![\\s\\S])';
      else if (!inClass && e === 'z') token = '(?![\\s\\S])';
      i += 2;
      const assertion = !inClass && 'AzbB'.includes(e);
      out += assertion && QUANTIFIER.test(pattern.slice(i)) ? `(?:${token})` : token;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
      if (posix && POSIX_CLASSES[posix[2] ?? ''] !== undefined && posix[1] === '') {
        out += POSIX_CLASSES[posix[2] ?? ''];
        i += posix[0].length;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 4;
      continue;
    }
    i++;
    out += (c === '^' || c === '$') && QUANTIFIER.test(pattern.slice(i)) ? `(?:${c})` : c;
  }
  return out;
}

/** Translates the RE2 syntax sprig users write into a JS RegExp (named groups, leading flags). */
export function compileGoRegexp(pattern: string, global = false): RegExp {
  let source = pattern;
  let flags = global ? 'g' : '';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    for (const f of lead[1] ?? '') if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(translate(source), flags);
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

/** Go's FindAll iteration: matches with their groups; an empty match abutting the previous one is skipped. */
function findAll(pattern: string, s: string, n: number): RegExpExecArray[] {
  checkSubject(s);
  const re = compileGoRegexp(pattern, true);
  const out: RegExpExecArray[] = [];
  let prevEnd = -1;
  for (let m = re.exec(s); m !== null && (n < 0 || out.length < n); m = re.exec(s)) {
    if (m[0].length === 0) {
      re.lastIndex = m.index + ((s.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
      if (m.index === prevEnd) continue;
    }
    out.push(m);
    prevEnd = m.index + m[0].length;
    if (re.lastIndex > s.length) break;
  }
  return out;
}

/** sprig regexReplaceAll: Go's Regexp.ReplaceAllString with template expansion. */
export function regexReplaceAll(pattern: string, s: string, repl: string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(pattern, s, -1)) {
    out += s.slice(last, m.index) + expand(repl, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** Go's FindAllStringIndex: up to n (all when n < 0) matches as [start, end]. */
export function regexFindAllIndex(pattern: string, s: string, n: number): [number, number][] {
  return findAll(pattern, s, n).map((m) => [m.index, m.index + m[0].length]);
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
