/**
 * Flux's `.sourceignore` rules (gitignore syntax) deciding which files of a checkout go into a
 * GitRepository's artifact. Pure.
 */

/** Always excluded (fluxcd/pkg sourceignore's VCS patterns). */
export const VCS_IGNORE = ['.git/', '.gitignore', '.gitmodules', '.gitattributes'];

/** Excluded unless `spec.ignore` overrides them (extensions, CI configuration, Flux's own files). */
export const DEFAULT_IGNORE = [
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip',
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];

interface IgnoreRule {
  readonly negate: boolean;
  readonly dirOnly: boolean;
  readonly re: RegExp;
}

function globBody(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) re += glob[++i]!.replace(/[.+^$()|[\]\\{}*?]/g, '\\$&');
    else re += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return re;
}

function parseRule(line: string): IgnoreRule | undefined {
  let p = line.replace(/\s+$/, '');
  if (p === '' || p.startsWith('#')) return undefined;
  const negate = p.startsWith('!');
  if (negate) p = p.slice(1);
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.slice(0, -1);
  if (p === '') return undefined;
  // a slash anywhere but the end anchors the pattern to the root; otherwise it matches at any depth
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  const body = globBody(p);
  return { negate, dirOnly, re: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) };
}

/** Parses ignore text (one pattern a line). */
export function parseIgnore(text: string): readonly IgnoreRule[] {
  return text.split('\n').flatMap((l) => parseRule(l) ?? []);
}

/** The rules a GitRepository applies: VCS ones always, then `spec.ignore` or the defaults, then the repo's `.sourceignore`. */
export function artifactIgnoreRules(
  specIgnore: string | undefined,
  repoSourceIgnore?: string,
): readonly IgnoreRule[] {
  return [
    ...parseIgnore(VCS_IGNORE.join('\n')),
    ...parseIgnore(specIgnore ?? DEFAULT_IGNORE.join('\n')),
    ...(repoSourceIgnore !== undefined ? parseIgnore(repoSourceIgnore) : []),
  ];
}

function matchOne(rules: readonly IgnoreRule[], path: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.re.test(path)) result = !r.negate;
  }
  return result;
}

/** Whether a file (`/`-separated path relative to the repository root) is excluded. */
export function isIgnored(rules: readonly IgnoreRule[], path: string, isDir = false): boolean {
  const parts = path.split('/');
  // an excluded directory excludes everything below it (as git, a file cannot be re-included)
  for (let i = 1; i < parts.length; i++) {
    if (matchOne(rules, parts.slice(0, i).join('/'), true) === true) return true;
  }
  return matchOne(rules, path, isDir) === true;
}
