/**
 * The two path languages of the git generator: Go's `path.Match` for `directories` (a `*` stays
 * inside one segment) and git's pathspec for `files` (what `git ls-files -- <pattern>` matches: a
 * `*` crosses `/`, a pattern without wildcards also matches everything under a directory). Pure.
 */

/** Go's path.Match; undefined for a malformed pattern (Go's ErrBadPattern). */
export function goPathMatch(pattern: string, name: string): boolean | undefined {
  const re = globRegExp(pattern, '[^/]*', '[^/]');
  return re === undefined ? undefined : re.test(name);
}

const WILDCARD = /[*?[]/;

/** git's default pathspec matching (no `:(glob)` magic). */
export function gitPathspecMatch(pattern: string, path: string): boolean {
  const spec = pattern.replace(/^\.\//, '');
  if (spec === '' || spec === '.') return true;
  if (!WILDCARD.test(spec)) {
    const dir = spec.endsWith('/') ? spec : `${spec}/`;
    return path === spec || path.startsWith(dir);
  }
  const re = globRegExp(spec, '.*', '.');
  return re?.test(path) === true;
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** A glob as an anchored RegExp with the given meanings of `*` and `?`; undefined if malformed. */
function globRegExp(pattern: string, star: string, any: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      out += star;
    } else if (c === '?') out += any;
    else if (c === '\\') {
      i++;
      if (i >= pattern.length) return undefined;
      out += escapeRegExp(pattern[i]!);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^' || pattern[j] === '!') {
        cls += '^';
        j++;
      }
      let first = true;
      for (; j < pattern.length && (pattern[j] !== ']' || first); j++) {
        first = false;
        let ch = pattern[j]!;
        if (ch === '\\') {
          j++;
          if (j >= pattern.length) return undefined;
          ch = pattern[j]!;
        }
        cls += ch === '-' && cls !== '' && cls !== '^' && pattern[j + 1] !== ']' ? '-' : escapeRegExp(ch);
      }
      if (j >= pattern.length || cls === '' || cls === '^') return undefined;
      out += `[${cls}]`;
      i = j;
    } else out += escapeRegExp(c);
  }
  try {
    return new RegExp(`^${out}$`, 's');
  } catch {
    return undefined;
  }
}
