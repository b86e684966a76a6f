const CACHE_LIMIT = 256;
const cache = new Map<string, RegExp | string>();

const UNSUPPORTED = /\\[1-9]|\(\?<?[=!]/;
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*]\)[+*{]/;

/**
 * Compiles an RE2-style pattern to a JS RegExp, or returns why it cannot. Leading inline flags (`(?i)`) become
 * RegExp flags and `(?P<name>` becomes `(?<name>`; backreferences and lookaround (absent from RE2) are
 * rejected, as are groups that end in a quantifier and are quantified again (`(a+)+`), which backtrack badly.
 * Results are cached.
 */
export function compileRegex(pattern: string): RegExp | string {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const compiled = translate(pattern);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

function translate(pattern: string): RegExp | string {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline !== null) {
    const requested = inline[1] ?? '';
    if (requested.includes('U')) return 'invalid regular expression: ungreedy flag is not supported';
    flags = [...new Set(requested)].join('');
    source = source.slice(inline[0].length);
  }
  source = source.replaceAll('(?P<', '(?<');
  if (UNSUPPORTED.test(source)) {
    return 'invalid regular expression: backreferences and lookaround are not supported';
  }
  if (NESTED_QUANTIFIER.test(source)) {
    return 'invalid regular expression: nested quantifiers like (a+)+ can take exponential time; simplify the pattern';
  }
  try {
    return new RegExp(source, flags);
  } catch (err) {
    return `invalid regular expression: ${err instanceof Error ? err.message.toLowerCase() : 'unknown error'}`;
  }
}
