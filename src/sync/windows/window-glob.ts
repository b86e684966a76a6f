/**
 * Argo CD's `glob.Match` for sync window targets (gobwas/glob without separators): `*` matches any
 * run of characters, `/` included; `?` one character; `[abc]`, `[a-z]`, `[!a-z]` classes; `{a,b}`
 * alternatives; `\` escapes. An unparsable pattern matches nothing, as Argo logs and moves on.
 */
const cache = new Map<string, RegExp | undefined>();
const MAX_CACHED = 512;

function compile(pattern: string): RegExp | undefined {
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) return undefined;
      re += next.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      depth++;
      re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  if (depth !== 0) return undefined;
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    return undefined;
  }
}

export function matchesWindowGlob(pattern: string, value: string): boolean {
  if (!cache.has(pattern)) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(pattern, compile(pattern));
  }
  return cache.get(pattern)?.test(value) ?? false;
}
