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
