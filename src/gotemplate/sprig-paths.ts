import { FuncError } from './errors.js';
import { def, type GoFunc } from './functions.js';

/** Go's path package (and path/filepath, the same on Linux) for sprig's base/dir/clean/ext/isAbs. */

/** Go's path.Clean: lexical processing of `.`, `..` and repeated slashes. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

function basePath(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

const dirPath = (p: string): string => cleanPath(p.slice(0, p.lastIndexOf('/') + 1));

function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** sprig's path functions, and getHostByName (no network: what sprig does when the lookup fails). */
export const SPRIG_PATHS: Readonly<Record<string, GoFunc>> = {
  base: def(['string'], basePath),
  dir: def(['string'], dirPath),
  clean: def(['string'], cleanPath),
  ext: def(['string'], extPath),
  isAbs: def(['string'], (p) => p.startsWith('/')),
  osBase: def(['string'], basePath),
  osDir: def(['string'], dirPath),
  osClean: def(['string'], cleanPath),
  osExt: def(['string'], extPath),
  osIsAbs: def(['string'], (p) => p.startsWith('/')),
  getHostByName: def(['string'], () => {
    throw new FuncError('invalid argument to Intn');
  }),
};
