import { COLLECTION_BUILTINS } from './builtins-collection.js';
import { CONVERT_BUILTINS } from './builtins-convert.js';
import { PREDICATE_FUNCTIONS } from './builtins-predicate.js';
import { STRING_BUILTINS } from './builtins-string.js';
import type { BuiltinFunction, PredicateBuiltin } from './runtime.js';

/** Builtins called with evaluated arguments. */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map([
  ...CONVERT_BUILTINS,
  ...STRING_BUILTINS,
  ...COLLECTION_BUILTINS,
]);

/** Builtins taking a collection and a closure (`all(xs, {# > 1})`). */
export const PREDICATE_BUILTIN_FUNCTIONS: ReadonlyMap<string, PredicateBuiltin> = PREDICATE_FUNCTIONS;

/** Every builtin name; these win over environment values of the same name, as in expr-lang. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set([
  ...BUILTIN_FUNCTIONS.keys(),
  ...PREDICATE_FUNCTIONS.keys(),
]);
