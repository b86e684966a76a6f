import type { Node } from './ast.js';
import { childrenOf } from './ast.js';
import { ExprTypeError } from './errors.js';

/** A type known without the environment; `unknown` for anything that depends on data. */
type StaticType = 'int' | 'float' | 'string' | 'bool' | 'nil' | 'array' | 'map' | 'unknown';

const RETURNS: Readonly<Record<string, StaticType>> = {
  asInt: 'int',
  asFloat: 'float',
  len: 'int',
  int: 'int',
  float: 'float',
  count: 'int',
  findIndex: 'int',
  findLastIndex: 'int',
  indexOf: 'int',
  lastIndexOf: 'int',
  string: 'string',
  lower: 'string',
  upper: 'string',
  trim: 'string',
  join: 'string',
  type: 'string',
  toJSON: 'string',
  isNaN: 'bool',
  isInf: 'bool',
  isNil: 'bool',
  all: 'bool',
  any: 'bool',
  none: 'bool',
  one: 'bool',
  hasPrefix: 'bool',
  hasSuffix: 'bool',
  filter: 'array',
  map: 'array',
  split: 'array',
  keys: 'array',
  values: 'array',
};

const isNumeric = (t: StaticType): boolean => t === 'int' || t === 'float';
const BOOLEAN_OPS = new Set(['&&', '||', 'and', 'or']);
const ORDERING_OPS = new Set(['<', '<=', '>', '>=']);
const ARITHMETIC_OPS = new Set(['+', '-', '*', '/', '%', '**', '^']);

/**
 * Rejects operations whose operand types are known at compile time and can never work, as expr-lang's
 * checker does: `asFloat(result) == "1.1"`, `1 + "a"`, `"a" && true`. Data from the environment is untyped and
 * always passes.
 */
export function checkTypes(root: Node): void {
  infer(root);
}

function mismatch(node: Node, op: string, a: StaticType, b: StaticType): never {
  throw new ExprTypeError(`invalid operation: ${op} (mismatched types ${a} and ${b})`, node.loc);
}

function infer(node: Node): StaticType {
  switch (node.type) {
    case 'nil':
      return 'nil';
    case 'bool':
      return 'bool';
    case 'number':
      return node.isFloat ? 'float' : 'int';
    case 'string':
      return 'string';
    case 'array':
      node.items.forEach(infer);
      return 'array';
    case 'map':
      for (const entry of node.entries) infer(entry.value);
      return 'map';
    case 'builtin':
      node.args.forEach(infer);
      return RETURNS[node.name] ?? 'unknown';
    case 'unary': {
      const operand = infer(node.operand);
      if ((node.operator === 'not' || node.operator === '!') && operand !== 'bool' && operand !== 'unknown') {
        throw new ExprTypeError(`invalid operation: ${node.operator} (mismatched type ${operand})`, node.loc);
      }
      return node.operator === 'not' || node.operator === '!' ? 'bool' : operand;
    }
    case 'binary':
      return inferBinary(node.operator, node, infer(node.left), infer(node.right));
    default:
      for (const child of childrenOf(node)) infer(child);
      return 'unknown';
  }
}

function inferBinary(op: string, node: Node, a: StaticType, b: StaticType): StaticType {
  const known = a !== 'unknown' && b !== 'unknown';
  if (BOOLEAN_OPS.has(op)) {
    if ((a !== 'bool' && a !== 'unknown') || (b !== 'bool' && b !== 'unknown')) mismatch(node, op, a, b);
    return 'bool';
  }
  if (op === '==' || op === '!=') {
    const comparable = a === b || (isNumeric(a) && isNumeric(b)) || a === 'nil' || b === 'nil';
    if (known && !comparable) mismatch(node, op, a, b);
    return 'bool';
  }
  if (ORDERING_OPS.has(op)) {
    const ordered = (isNumeric(a) && isNumeric(b)) || (a === 'string' && b === 'string');
    if (known && !ordered) mismatch(node, op, a, b);
    return 'bool';
  }
  if (ARITHMETIC_OPS.has(op)) {
    if (!known) return 'unknown';
    if (op === '+' && a === 'string' && b === 'string') return 'string';
    if (!isNumeric(a) || !isNumeric(b)) mismatch(node, op, a, b);
    if (op === '%' && (a !== 'int' || b !== 'int')) mismatch(node, op, a, b);
    return op === '/' || op === '**' || op === '^' || a === 'float' || b === 'float' ? 'float' : 'int';
  }
  if (op === '??') return a === 'nil' ? b : a === 'unknown' ? 'unknown' : a;
  if (op === '..') return 'array';
  return 'bool';
}
