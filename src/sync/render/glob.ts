/**
 * Argo CD's directory include/exclude patterns: a glob (`*`, `**`, `?`, `{a,b}`) or a comma-free
 * `{a,b}` alternation, matched against the file's path relative to the app directory and, like
 * Argo's `filepath.Match` on the base name, against the file name alone.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
        if (pattern[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      depth++;
      re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function matchesGlob(pattern: string | undefined, relativePath: string): boolean {
  if (!pattern) return false;
  const re = globToRegExp(pattern);
  const base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return re.test(relativePath) || re.test(base);
}
