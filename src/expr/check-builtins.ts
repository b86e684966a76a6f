/** The signatures expr-lang's checker knows for builtins and Argo's analysis functions (checker/checker.go). */
import type { Nature } from './natures.js';
import {
  ANY,
  arrayOf,
  BOOL,
  elemOf,
  FLOAT,
  INT,
  isNumber,
  isUnknown,
  MAP,
  natureName,
  STRING,
} from './natures.js';

/** Signatures of the functions Argo Rollouts' analysis environment and our builtins of the same role define. */
export const FUNCTION_SIGNATURES: Readonly<
  Record<string, { readonly params: readonly Nature[]; readonly out: Nature }>
> = {
  asInt: { params: [ANY], out: { kind: 'int', goName: 'int64' } },
  asFloat: { params: [ANY], out: FLOAT },
  isNaN: { params: [FLOAT], out: BOOL },
  isInf: { params: [FLOAT], out: BOOL },
  isNil: { params: [ANY], out: BOOL },
  default: { params: [ANY, ANY], out: ANY },
};

export const PREDICATE_RETURNS_BOOL = new Set([
  'all',
  'any',
  'none',
  'one',
  'filter',
  'count',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
]);

export const ARRAY_ONLY_CALLS = new Set(['reverse', 'flatten', 'uniq']);

export const PREDICATE_FUNCTIONS = new Set([
  'all',
  'any',
  'none',
  'one',
  'filter',
  'map',
  'count',
  'sum',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'groupBy',
  'sortBy',
  'reduce',
]);

export function predicateResult(
  name: string,
  collection: Nature,
  out: Nature,
  hasPredicate: boolean,
): Nature {
  switch (name) {
    case 'all':
    case 'any':
    case 'none':
    case 'one':
      return BOOL;
    case 'filter':
      return isUnknown(collection) ? arrayOf(ANY) : arrayOf(elemOf(collection));
    case 'map':
      return arrayOf(out);
    case 'count':
    case 'findIndex':
    case 'findLastIndex':
      return INT;
    case 'sum':
      if (hasPredicate) return out;
      return isUnknown(collection) ? ANY : elemOf(collection);
    case 'find':
    case 'findLast':
      return isUnknown(collection) ? ANY : elemOf(collection);
    case 'groupBy':
      return MAP;
    case 'sortBy':
      return collection;
    default:
      return ANY;
  }
}

/** expr's Validate functions of the builtins (builtin/builtin.go): the result nature, or the error message. */
export function validateBuiltin(name: string, args: readonly Nature[]): Nature | string {
  const goType = (n: Nature): string =>
    isUnknown(n) ? 'interface {}' : n.kind === 'nil' ? '<nil>' : natureName(n);
  const one = (): string | undefined =>
    args.length === 1 ? undefined : `invalid number of arguments (expected 1, got ${args.length})`;
  const a = args[0] ?? ANY;
  const unknown = isUnknown(a);
  switch (name) {
    case 'len':
      return (
        one() ??
        (unknown || ['array', 'map', 'string'].includes(a.kind)
          ? INT
          : `invalid argument for len (type ${goType(a)})`)
      );
    case 'abs':
      return one() ?? (unknown || isNumber(a) ? a : `invalid argument for abs (type ${goType(a)})`);
    case 'ceil':
    case 'floor':
    case 'round':
      return one() ?? (unknown || isNumber(a) ? FLOAT : `invalid argument for ${name} (type ${goType(a)})`);
    case 'int':
    case 'float':
      return (
        one() ??
        (unknown || isNumber(a) || a.kind === 'string'
          ? name === 'int'
            ? INT
            : FLOAT
          : `invalid argument for ${name} (type ${goType(a)})`)
      );
    case 'max':
    case 'min':
    case 'mean':
    case 'median': {
      if (args.length === 0) return `not enough arguments to call ${name}`;
      for (const arg of args) {
        if (isUnknown(arg) || arg.kind === 'array') return ANY;
        if (!isNumber(arg)) return `invalid argument for ${name} (type ${goType(arg)})`;
      }
      return name === 'max' || name === 'min' ? a : FLOAT;
    }
    case 'string':
    case 'type':
    case 'toJSON':
      return one() ?? STRING;
    case 'upper':
    case 'lower':
      if (args.length !== 1)
        return `${args.length > 1 ? 'too many' : 'not enough'} arguments to call ${name}`;
      return stringParam(name, a) ?? STRING;
    case 'trim':
      if (args.length === 0 || args.length > 2)
        return `${args.length > 2 ? 'too many' : 'not enough'} arguments to call trim`;
      for (const arg of args) {
        const problem = stringParam(name, arg);
        // expr tries trim's overloads in turn and reports the last one's error: with one argument that
        // is func(string, string).
        if (problem !== undefined) return args.length === 1 ? 'not enough arguments to call trim' : problem;
      }
      return STRING;
    case 'first':
    case 'last':
      // Validate answers the reflect element type of []interface {}: unknown.
      return one() ?? (unknown || a.kind === 'array' ? ANY : `cannot get ${name} element from ${goType(a)}`);
    case 'sort':
    case 'reverse':
    case 'uniq':
    case 'flatten':
    case 'concat':
    case 'take':
    case 'keys':
    case 'values':
    case 'split':
      return arrayOf(ANY);
    default:
      return ANY;
  }
}

function stringParam(name: string, arg: Nature): string | undefined {
  if (isUnknown(arg) || arg.kind === 'string') return undefined;
  if (arg.kind === 'nil') return `cannot use nil as argument (type string) to call ${name}`;
  return `cannot use ${natureName(arg)} as argument (type string) to call ${name} `;
}
