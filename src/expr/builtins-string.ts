import { ExprEvalError } from './errors.js';
import { MAX_STRING_LENGTH } from './operations.js';
import type { BuiltinFunction } from './runtime.js';
import { checkArity, expectArray, expectInt, expectString } from './runtime.js';

const unary =
  (name: string, fn: (s: string) => unknown): BuiltinFunction =>
  (args) => {
    checkArity(name, args, 1);
    return fn(expectString(name, args[0]));
  };

const binary =
  (name: string, fn: (a: string, b: string) => unknown): BuiltinFunction =>
  (args) => {
    checkArity(name, args, 2);
    return fn(expectString(name, args[0]), expectString(name, args[1]));
  };

function trimSet(text: string, chars: string): string {
  const set = new Set(chars);
  const points = [...text];
  let start = 0;
  let end = points.length;
  while (start < end && set.has(points[start] ?? '')) start++;
  while (end > start && set.has(points[end - 1] ?? '')) end--;
  return points.slice(start, end).join('');
}

/** Go's strings.SplitN: n < 0 splits fully, n == 0 yields no parts, n > 0 at most n parts. */
function splitN(text: string, separator: string, n: number): string[] {
  if (n === 0) return [];
  const parts = separator === '' ? [...text] : text.split(separator);
  if (n < 0 || parts.length <= n) return parts;
  const head = parts.slice(0, n - 1);
  return [...head, parts.slice(n - 1).join(separator)];
}

export const STRING_BUILTINS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>([
  ['lower', unary('lower', (s) => s.toLowerCase())],
  ['upper', unary('upper', (s) => s.toUpperCase())],
  [
    'trim',
    (args) => {
      checkArity('trim', args, 1, 2);
      const text = expectString('trim', args[0]);
      return args.length === 2 ? trimSet(text, expectString('trim', args[1])) : text.trim();
    },
  ],
  ['trimPrefix', binary('trimPrefix', (s, p) => (s.startsWith(p) ? s.slice(p.length) : s))],
  [
    'trimSuffix',
    binary('trimSuffix', (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
  ],
  ['hasPrefix', binary('hasPrefix', (s, p) => s.startsWith(p))],
  ['hasSuffix', binary('hasSuffix', (s, p) => s.endsWith(p))],
  ['indexOf', binary('indexOf', (s, p) => s.indexOf(p))],
  ['lastIndexOf', binary('lastIndexOf', (s, p) => s.lastIndexOf(p))],
  [
    'split',
    (args) => {
      checkArity('split', args, 2, 3);
      const n = args.length === 3 ? expectInt('split', args[2]) : -1;
      return splitN(expectString('split', args[0]), expectString('split', args[1]), n);
    },
  ],
  [
    'replace',
    (args) => {
      checkArity('replace', args, 3);
      const [text, from, to] = args.map((a) => expectString('replace', a)) as [string, string, string];
      const result = text.split(from).join(to);
      if (result.length > MAX_STRING_LENGTH) throw new ExprEvalError('replace result is too long');
      return result;
    },
  ],
  [
    'repeat',
    (args, runtime) => {
      checkArity('repeat', args, 2);
      const text = expectString('repeat', args[0]);
      const n = expectInt('repeat', args[1]);
      if (n < 0) throw new ExprEvalError('repeat count must not be negative');
      if (text.length * n > MAX_STRING_LENGTH) throw new ExprEvalError('repeat result is too long');
      runtime.charge(n);
      return text.repeat(n);
    },
  ],
  [
    'join',
    (args) => {
      checkArity('join', args, 1, 2);
      const items = expectArray('join', args[0]).map((item) => expectString('join', item));
      const separator = args.length === 2 ? expectString('join', args[1]) : '';
      const result = items.join(separator);
      if (result.length > MAX_STRING_LENGTH) throw new ExprEvalError('join result is too long');
      return result;
    },
  ],
]);
