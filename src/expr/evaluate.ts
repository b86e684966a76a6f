import { callHost, fetch, slice, utf8Bytes } from './access.js';
import type { CallNode, MemberNode, Node, SliceNode } from './ast.js';
import { BUILTIN_FUNCTIONS, PREDICATE_BUILTIN_FUNCTIONS } from './builtins.js';
import { defineKey } from './builtins-collection.js';
import { DURATION_METHODS, ExprDuration } from './duration.js';
import { ExprEvalError } from './errors.js';
import { goFloat, goInt, isIntValue, isNumeric, numberValue } from './numbers.js';
import { arithmetic, compare, membership, mismatch, stringOperator } from './operations.js';
import type { Predicate, Runtime } from './runtime.js';
import { budgetExceeded, expectArray, invalidArgument, preview } from './runtime.js';
import { ExprTime, TIME_METHODS } from './time.js';
import type { ExprMap } from './values.js';
import { adopt, goTypeName, isEqual, isNil, isPlainMap, ownValue, typeName } from './values.js';

/** Marks a `?.` chain that hit nil; the enclosing chain node turns it into nil. */
const SHORT_CIRCUIT: unique symbol = Symbol('short-circuit');

export interface EvaluationContext {
  readonly env: Readonly<Record<string, unknown>>;
  readonly now: Date;
  readonly budget: number;
  /** Unknown variables evaluate to nil instead of failing. */
  readonly allowUndefinedVariables: boolean;
  /** Equalities expr compiles to OpEqualInt / OpEqualString (see CheckResult). */
  readonly typedEqualities?: ReadonlyMap<Node, 'int' | 'string'>;
}

interface Frame {
  readonly item: unknown;
  readonly index: number;
  readonly acc: unknown;
}

/** Walks the tree. Each visited node costs one step of the budget. */
export class Evaluator implements Runtime {
  readonly now: Date;
  private steps = 0;
  private readonly frames: Frame[] = [];
  private readonly locals: { readonly name: string; readonly value: unknown }[] = [];

  constructor(private readonly context: EvaluationContext) {
    this.now = context.now;
  }

  charge(steps: number): void {
    this.steps += steps;
    if (this.steps > this.context.budget) throw budgetExceeded(this.context.budget);
  }

  run(node: Node): unknown {
    const value = this.eval(node);
    return value === SHORT_CIRCUIT ? null : value;
  }

  private eval(node: Node): unknown {
    this.charge(1);
    switch (node.type) {
      case 'nil':
        return null;
      case 'bool':
      case 'string':
        return node.value;
      case 'number':
        return node.isFloat ? goFloat(node.value) : node.value;
      case 'identifier':
        return this.variable(node.name);
      case 'pointer':
        return this.pointer(node.name);
      case 'array':
        return node.items.map((item) => this.eval(item));
      case 'map': {
        const map: ExprMap = {};
        for (const entry of node.entries) {
          const key = this.eval(entry.key);
          if (typeof key !== 'string' && typeof key !== 'number') {
            throw new ExprEvalError(`map key must be a string, got ${typeName(key)}`);
          }
          defineKey(map, String(key), this.eval(entry.value));
        }
        return map;
      }
      case 'member':
        return this.member(node);
      case 'slice':
        return this.slice(node);
      case 'chain': {
        const value = this.eval(node.node);
        return value === SHORT_CIRCUIT ? null : value;
      }
      case 'call':
        return this.call(node);
      case 'builtin':
        return this.builtin(node.name, node.args);
      case 'predicate':
        throw new ExprEvalError('a predicate can only be passed to a builtin such as all or filter');
      case 'unary':
        return this.unary(node.operator, this.eval(node.operand));
      case 'binary':
        return this.binary(node.operator, node.left, node.right, node);
      case 'conditional': {
        const cond = this.eval(node.cond);
        if (node.elvis) return isNil(cond) || cond === false ? this.eval(node.whenFalse) : cond;
        if (typeof cond !== 'boolean') {
          throw new ExprEvalError(`non-bool expression (type ${typeName(cond)}) used as condition`);
        }
        return cond ? this.eval(node.whenTrue) : this.eval(node.whenFalse);
      }
      case 'let': {
        this.locals.push({ name: node.name, value: this.eval(node.value) });
        try {
          return this.eval(node.body);
        } finally {
          this.locals.pop();
        }
      }
    }
  }

  private variable(name: string): unknown {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const local = this.locals[i];
      if (local?.name === name) return local.value;
    }
    const env = this.context.env;
    if (name === '$env') return env;
    const found = ownValue(env, name);
    if (found !== undefined) return found.value ?? null;
    if (this.context.allowUndefinedVariables) return null;
    throw new ExprEvalError(`unknown name ${name}`);
  }

  private pointer(name: string): unknown {
    const frame = this.frames[this.frames.length - 1];
    if (frame === undefined) throw new ExprEvalError('cannot use pointer accessor outside predicate');
    if (name === '') return frame.item;
    if (name === 'index') return frame.index;
    if (name === 'acc') return frame.acc;
    throw new ExprEvalError(`unknown pointer #${name}`);
  }

  private member(node: MemberNode): unknown {
    const object = this.eval(node.object);
    if (object === SHORT_CIRCUIT) return object;
    const key = this.eval(node.property);
    if (isNil(object)) {
      if (node.optional) return SHORT_CIRCUIT;
      throw new ExprEvalError(`cannot fetch ${preview(key)} from nil`);
    }
    return fetch(object, key);
  }

  private slice(node: SliceNode): unknown {
    const object = this.eval(node.object);
    if (object === SHORT_CIRCUIT) return object;
    const from = node.from === undefined ? undefined : this.eval(node.from);
    const to = node.to === undefined ? undefined : this.eval(node.to);
    return slice(object, from, to);
  }

  private call(node: CallNode): unknown {
    const callee = node.callee;
    if (callee.type !== 'member') {
      const fn = this.eval(callee);
      const name = callee.type === 'identifier' ? callee.name : 'value';
      const args = node.args.map((a) => this.eval(a));
      if (typeof fn !== 'function')
        throw new ExprEvalError(`${name} is not a function (type ${typeName(fn)})`);
      return callHost(name, fn, undefined, args);
    }
    const object = this.eval(callee.object);
    if (object === SHORT_CIRCUIT) return object;
    const name = this.eval(callee.property);
    if (typeof name !== 'string') throw new ExprEvalError('method name must be a string');
    if (isNil(object)) {
      if (callee.optional) return SHORT_CIRCUIT;
      throw new ExprEvalError(`cannot call method ${name} on nil`);
    }
    const args = node.args.map((a) => this.eval(a));
    if (object instanceof ExprDuration || object instanceof ExprTime) {
      const method = object instanceof ExprDuration ? DURATION_METHODS.get(name) : TIME_METHODS.get(name);
      if (method === undefined) throw new ExprEvalError(`type ${typeName(object)} has no method ${name}`);
      return callHost(name, (...a: unknown[]) => method(object as never, a), undefined, args);
    }
    const fn = isPlainMap(object) ? ownValue(object, name)?.value : undefined;
    if (typeof fn !== 'function') throw new ExprEvalError(`type ${typeName(object)} has no method ${name}`);
    return callHost(name, fn, object, args);
  }

  private builtin(name: string, argNodes: readonly Node[]): unknown {
    // expr's optimizer (sum_array.go): sum of an array literal of two or more is a + (b + (c + …)).
    const literal = argNodes[0];
    // An array of constants is folded into one constant value first, which sum_array.go does not match.
    if (
      name === 'sum' &&
      argNodes.length === 1 &&
      literal?.type === 'array' &&
      literal.items.length >= 2 &&
      !literal.items.every(isConstant)
    ) {
      const values = literal.items.map((item) => this.eval(item));
      return values.reduceRight((acc, value) => arithmetic('+', value, acc));
    }
    const predicateBuiltin = PREDICATE_BUILTIN_FUNCTIONS.get(name);
    if (predicateBuiltin !== undefined) {
      const [collectionNode, predicateNode, ...extraNodes] = argNodes;
      const collection = collectionNode === undefined ? undefined : this.eval(collectionNode);
      const list = typeof collection === 'string' ? utf8Bytes(collection) : expectArray(name, collection);
      this.charge(list.length);
      const predicate = predicateNode?.type === 'predicate' ? this.closure(predicateNode.body) : undefined;
      return predicateBuiltin(
        list,
        predicate,
        extraNodes.map((n) => this.eval(n)),
        this,
      );
    }
    const fn = BUILTIN_FUNCTIONS.get(name);
    if (fn === undefined) throw new ExprEvalError(`unknown builtin ${name}`);
    return adopt(
      fn(
        argNodes.map((a) => this.eval(a)),
        this,
      ),
    );
  }

  private closure(body: Node): Predicate {
    return (item, index, acc) => {
      this.frames.push({ item: adopt(item), index, acc });
      try {
        return this.run(body);
      } finally {
        this.frames.pop();
      }
    };
  }

  private unary(op: string, value: unknown): unknown {
    if (op === 'not' || op === '!') {
      if (typeof value !== 'boolean') throw invalidArgument(op, value);
      return !value;
    }
    // expr compiles unary + to nothing: any value passes through.
    if (op === '+') return value;
    // -(-2^63) wraps to itself in int64.
    if (isIntValue(value)) return value === -(2 ** 63) ? value : goInt(-value);
    if (isNumeric(value)) return goFloat(-numberValue(value));
    if (value instanceof ExprDuration) return new ExprDuration(-value.nanoseconds);
    throw new ExprEvalError(`invalid operation: ${op} (mismatched type ${typeName(value)})`);
  }

  private binary(op: string, leftNode: Node, rightNode: Node, node: Node): unknown {
    const folded = foldLogical(op, leftNode, rightNode);
    if (folded !== undefined) return typeof folded === 'boolean' ? folded : this.run(folded);
    const left = this.run(leftNode);
    switch (op) {
      case '&&':
      case 'and':
      case '||':
      case 'or': {
        const isAnd = op === '&&' || op === 'and';
        if (typeof left !== 'boolean') throw mismatch(op, left, true);
        if (left !== isAnd) return left;
        // expr jumps on the left operand and leaves the right one as it is (the checker typed it).
        return this.run(rightNode);
      }
      case '??':
        return isNil(left) ? this.run(rightNode) : left;
      default:
        break;
    }
    const right = this.run(rightNode);
    const typed = this.context.typedEqualities?.get(node);
    if (typed !== undefined) assertGoType(typed, left, right);
    switch (op) {
      case '==':
        return isEqual(left, right);
      case '!=':
        return !isEqual(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return compare(op, left, right);
      case 'in':
        return membership(left, right, (n) => this.charge(n));
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'matches':
        return stringOperator(op, left, right);
      case '..':
        return this.range(left, right);
      default:
        return arithmetic(op, left, right);
    }
  }

  private range(from: unknown, to: unknown): number[] {
    if (!isIntValue(from) || !isIntValue(to)) {
      throw mismatch('..', from, to);
    }
    const size = Math.max(0, to - from + 1);
    this.charge(size);
    return Array.from({ length: size }, (_, i) => from + i);
  }
}

/** expr's OpEqualInt / OpEqualString type assertions (`a.(int)`), which panic on anything else. */
function assertGoType(type: 'int' | 'string', left: unknown, right: unknown): void {
  for (const value of [left, right]) {
    const ok = type === 'int' ? isIntValue(value) : typeof value === 'string';
    if (!ok)
      throw new ExprEvalError(
        `interface conversion: interface {} is ${isNil(value) ? 'nil' : goTypeName(value)}, not ${type}`,
      );
  }
}

/**
 * expr's optimizer (optimizer/fold.go) after the checker: `true and x` / `x and true` are x, `false or x` /
 * `x or false` are x (unchecked), `x and false` is false and `x or true` is true (x never runs).
 */
function foldLogical(op: string, leftNode: Node, rightNode: Node): Node | boolean | undefined {
  const isAnd = op === '&&' || op === 'and';
  if (!isAnd && op !== '||' && op !== 'or') return undefined;
  const a = leftNode.type === 'bool' ? leftNode.value : undefined;
  const b = rightNode.type === 'bool' ? rightNode.value : undefined;
  if (a === isAnd) return rightNode;
  if (b === isAnd) return leftNode;
  if (a === !isAnd || b === !isAnd) return !isAnd;
  return undefined;
}

/** Literals and operators over literals: what expr's optimizer folds into a constant. */
function isConstant(node: Node): boolean {
  switch (node.type) {
    case 'nil':
    case 'bool':
    case 'number':
    case 'string':
      return true;
    case 'unary':
      return isConstant(node.operand);
    case 'binary':
      return isConstant(node.left) && isConstant(node.right);
    case 'array':
      return node.items.every(isConstant);
    default:
      return false;
  }
}
