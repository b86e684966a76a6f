import type { BuiltinNode, Node } from './ast.js';
import { childrenOf } from './ast.js';
import {
  ARRAY_ONLY_CALLS,
  FUNCTION_SIGNATURES,
  PREDICATE_FUNCTIONS,
  PREDICATE_RETURNS_BOOL,
  predicateResult,
  validateBuiltin,
} from './check-builtins.js';
import { ExprTypeError } from './errors.js';
import type { Nature } from './natures.js';
import {
  ANY,
  arrayOf,
  BOOL,
  comparable,
  elemOf,
  FLOAT,
  IFACE,
  INT,
  isInteger,
  isNumber,
  isUnknown,
  MAP,
  maybeCompatible,
  NIL,
  natureName,
  STRING,
  sameKind,
} from './natures.js';

/** What the checker knows about names: the environment's natures (typed env) or nothing (all unknown). */
export interface CheckScope {
  /** Natures of environment variables; undefined when the environment is not known (untyped). */
  readonly env?: ReadonlyMap<string, Nature>;
}

/**
 * expr-lang's static checker (checker/checker.go) for the natures it can know: literals, builtins and, in a
 * typed environment (`expr.Env(env)`, as Argo Rollouts compiles analysis conditions), the variables' types.
 * A type error anywhere is a compile error, even in a branch that would never run.
 */
export function checkTypes(root: Node, scope: CheckScope = {}): CheckResult {
  const checker = new Checker(scope);
  const nature = checker.visit(root);
  return { nature, typedEqualities: checker.typedEqualities };
}

export interface CheckResult {
  readonly nature: Nature;
  /**
   * `==` / `!=` nodes whose operands are both statically int (or both string): expr compiles them to
   * OpEqualInt / OpEqualString, which fail at run time when a value is not of that type (a findIndex
   * without a match is nil).
   */
  readonly typedEqualities: ReadonlyMap<Node, 'int' | 'string'>;
}

class Checker {
  readonly typedEqualities = new Map<Node, 'int' | 'string'>();
  private readonly pointers: Nature[] = [];
  private readonly locals: { readonly name: string; readonly nature: Nature }[] = [];

  constructor(private readonly scope: CheckScope) {}

  private fail(node: Node, message: string): never {
    throw new ExprTypeError(message, node.loc);
  }

  visit(node: Node): Nature {
    switch (node.type) {
      case 'nil':
        return NIL;
      case 'bool':
        return BOOL;
      case 'number':
        return node.isFloat ? FLOAT : INT;
      case 'string':
        return STRING;
      case 'identifier':
        return this.identifier(node.name);
      case 'pointer': {
        const collection = this.pointers[this.pointers.length - 1];
        if (node.name === 'index') return INT;
        if (node.name !== '' || collection === undefined) return ANY;
        return isUnknown(collection) ? ANY : elemOf(collection);
      }
      case 'array': {
        const items = node.items.map((item) => this.visit(item));
        const first = items[0];
        if (first === undefined) return arrayOf(IFACE);
        return items.every((item) => sameKind(item, first))
          ? arrayOf(items[items.length - 1] ?? IFACE)
          : arrayOf(IFACE);
      }
      case 'map':
        for (const entry of node.entries) {
          this.visit(entry.key);
          this.visit(entry.value);
        }
        return MAP;
      case 'unary':
        return this.unary(node.operator, this.visit(node.operand), node);
      case 'binary':
        return this.binary(node.operator, this.visit(node.left), this.visit(node.right), node);
      case 'member':
        return this.member(node.object, node.property, node);
      case 'slice': {
        const base = this.visit(node.object);
        if (isUnknown(base)) return ANY;
        if (base.kind !== 'string' && base.kind !== 'array')
          this.fail(node, `cannot slice ${natureName(base)}`);
        for (const bound of [node.from, node.to]) {
          if (bound === undefined) continue;
          const b = this.visit(bound);
          if (!isInteger(b) && !isUnknown(b)) this.fail(bound, `non-integer slice index ${natureName(b)}`);
        }
        return base;
      }
      case 'chain':
        return this.visit(node.node);
      case 'conditional': {
        const cond = this.visit(node.cond);
        if (node.elvis) {
          this.visit(node.whenFalse);
          return ANY;
        }
        if (cond.kind !== 'bool' && !isUnknown(cond)) {
          this.fail(node.cond, `non-bool expression (type ${natureName(cond)}) used as condition`);
        }
        const a = this.visit(node.whenTrue);
        const b = this.visit(node.whenFalse);
        if (a.kind === 'nil') return b;
        if (b.kind === 'nil') return a;
        return sameKind(a, b) || isUnknown(b) ? a : ANY;
      }
      case 'call':
        return this.call(node.callee, node.args, node);
      case 'builtin':
        return this.builtin(node);
      case 'let': {
        this.locals.push({ name: node.name, nature: this.visit(node.value) });
        try {
          return this.visit(node.body);
        } finally {
          this.locals.pop();
        }
      }
      default:
        for (const child of childrenOf(node)) this.visit(child);
        return ANY;
    }
  }

  private identifier(name: string): Nature {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const local = this.locals[i];
      if (local?.name === name) return local.nature;
    }
    return this.scope.env?.get(name) ?? ANY;
  }

  private unary(op: string, nature: Nature, node: Node): Nature {
    if (op === '!' || op === 'not') {
      if (nature.kind === 'bool' || isUnknown(nature)) return BOOL;
    } else if (isNumber(nature)) {
      return nature;
    } else if (isUnknown(nature)) {
      return ANY;
    }
    return this.fail(node, `invalid operation: ${op} (mismatched type ${natureName(nature)})`);
  }

  private binary(op: string, l: Nature, r: Nature, node: Node): Nature {
    const numbers = isNumber(l) && isNumber(r);
    switch (op) {
      case '==':
      case '!=':
        if (!comparable(l, r)) break;
        if (l.kind === 'int' && r.kind === 'int' && l.goName === undefined && r.goName === undefined) {
          this.typedEqualities.set(node, 'int');
        } else if (l.kind === 'string' && r.kind === 'string') {
          this.typedEqualities.set(node, 'string');
        }
        return BOOL;
      case '||':
      case 'or':
      case '&&':
      case 'and':
        if ((l.kind === 'bool' && r.kind === 'bool') || maybeCompatible(l, r, ['bool'])) return BOOL;
        break;
      case '<':
      case '>':
      case '<=':
      case '>=':
        if (numbers || (l.kind === r.kind && ['string', 'time', 'duration'].includes(l.kind))) return BOOL;
        if (maybeCompatible(l, r, ['number', 'string', 'time', 'duration'])) return BOOL;
        break;
      case '+':
      case '-':
      case '*':
        if (numbers) return l.kind === 'float' || r.kind === 'float' ? FLOAT : l;
        if (op === '+' && l.kind === 'string' && r.kind === 'string') return STRING;
        if (['time', 'duration'].includes(l.kind) && ['time', 'duration'].includes(r.kind)) return ANY;
        if (op === '*' && (l.kind === 'duration' || r.kind === 'duration')) return ANY;
        if (
          maybeCompatible(
            l,
            r,
            op === '+' ? ['number', 'string', 'time', 'duration'] : ['number', 'time', 'duration'],
          )
        )
          return ANY;
        break;
      case '/':
      case '**':
      case '^':
        if (numbers || maybeCompatible(l, r, ['number'])) return FLOAT;
        if (op === '/' && l.kind === 'duration') return ANY;
        break;
      case '%':
        if ((isInteger(l) && isInteger(r)) || maybeCompatible(l, r, ['integer'])) return INT;
        break;
      case 'in':
        if (r.kind === 'map') {
          if (!isUnknown(l) && l.kind !== 'string')
            this.fail(node, `cannot use ${natureName(l)} as type string in map key`);
          return BOOL;
        }
        if (r.kind === 'array') {
          const elem = elemOf(r);
          if (!comparable(l, elem))
            this.fail(node, `cannot use ${natureName(l)} as type ${natureName(elem)} in array`);
          return BOOL;
        }
        if (isUnknown(l) && ['string', 'array', 'map'].includes(r.kind)) return BOOL;
        if (isUnknown(r)) return BOOL;
        break;
      case 'matches':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        if ((l.kind === 'string' && r.kind === 'string') || maybeCompatible(l, r, ['string'])) return BOOL;
        break;
      case '..':
        if ((isInteger(l) && isInteger(r)) || maybeCompatible(l, r, ['integer'])) return arrayOf(INT);
        break;
      case '??':
        if (l.kind === 'nil') return r;
        if (r.kind === 'nil') return l;
        return sameKind(r, l) || isUnknown(l) ? l : ANY;
      default:
        return ANY;
    }
    return this.fail(
      node,
      `invalid operation: ${op} (mismatched types ${natureName(l)} and ${natureName(r)})`,
    );
  }

  private member(objectNode: Node, propertyNode: Node, node: Node): Nature {
    const base = this.visit(objectNode);
    const prop = this.visit(propertyNode);
    if (isUnknown(base)) return ANY;
    const field = propertyNode.type === 'string' ? propertyNode.value : undefined;
    if (field !== undefined && base.kind === 'nil') this.fail(node, `type nil has no field ${field}`);
    if (base.kind === 'map') {
      if (prop.kind !== 'string' && !isUnknown(prop)) {
        this.fail(propertyNode, `cannot use ${natureName(prop)} to get an element from ${natureName(base)}`);
      }
      return IFACE;
    }
    if (base.kind === 'array') {
      if (!isInteger(prop) && !isUnknown(prop)) {
        this.fail(
          propertyNode,
          `array elements can only be selected using an integer (got ${natureName(prop)})`,
        );
      }
      return elemOf(base);
    }
    if (base.kind === 'time' || base.kind === 'duration' || base.kind === 'func') return ANY;
    if (field !== undefined) return this.fail(node, `type ${natureName(base)} has no field ${field}`);
    return this.fail(node, `type ${natureName(base)}[${natureName(prop)}] is undefined`);
  }

  private call(callee: Node, args: readonly Node[], node: Node): Nature {
    const fn = callee.type === 'member' ? ANY : this.visit(callee);
    if (callee.type === 'member') this.visit(callee.object);
    const name = callee.type === 'identifier' ? callee.name : undefined;
    const signature = name === undefined ? undefined : FUNCTION_SIGNATURES[name];
    if (fn.kind === 'func' && signature !== undefined)
      return this.arguments(name ?? '', signature, args, node);
    for (const arg of args) this.visit(arg);
    if (fn.kind === 'nil') this.fail(node, `${name ?? 'function'} is nil; cannot call nil as function`);
    if (isUnknown(fn) || fn.kind === 'func') return ANY;
    return this.fail(node, `${natureName(fn)} is not callable`);
  }

  private arguments(
    name: string,
    signature: { readonly params: readonly Nature[]; readonly out: Nature },
    args: readonly Node[],
    node: Node,
  ): Nature {
    const natures = args.map((a) => this.visit(a));
    if (args.length > signature.params.length) this.fail(node, `too many arguments to call ${name}`);
    if (args.length < signature.params.length) this.fail(node, `not enough arguments to call ${name}`);
    natures.forEach((arg, i) => {
      const param = signature.params[i] ?? ANY;
      if (isUnknown(param) || isUnknown(arg)) return;
      if (param.kind === 'float' && isInteger(arg)) return;
      if (arg.kind === 'nil') {
        this.fail(args[i] ?? node, `cannot use nil as argument (type ${natureName(param)}) to call ${name}`);
      }
      if (!sameKind(arg, param)) {
        this.fail(
          args[i] ?? node,
          `cannot use ${natureName(arg)} as argument (type ${natureName(param)}) to call ${name} `,
        );
      }
    });
    return signature.out;
  }

  private builtin(node: BuiltinNode): Nature {
    const [first, second, ...rest] = node.args;
    if (
      node.args.length >= 1 &&
      (second?.type === 'predicate' || node.name === 'sum' || node.name === 'count')
    ) {
      const collection = first === undefined ? ANY : this.visit(first);
      if (PREDICATE_FUNCTIONS.has(node.name) && collection.kind !== 'array' && !isUnknown(collection)) {
        this.fail(first ?? node, `builtin ${node.name} takes only array (got ${natureName(collection)})`);
      }
      let out: Nature = ANY;
      if (second !== undefined) {
        this.pointers.push(collection);
        try {
          out = second.type === 'predicate' ? this.visit(second.body) : this.visit(second);
        } finally {
          this.pointers.pop();
        }
        if (PREDICATE_RETURNS_BOOL.has(node.name) && out.kind !== 'bool' && !isUnknown(out)) {
          this.fail(second, `predicate should return boolean (got ${natureName(out)})`);
        }
      }
      for (const extra of rest) this.visit(extra);
      return predicateResult(node.name, collection, out, second !== undefined);
    }
    const natures = node.args.map((a) => this.visit(a));
    const arg = natures[0];
    if (arg !== undefined && !isUnknown(arg) && arg.kind !== 'array') {
      // sort's typed overloads and the Validate functions of reverse / flatten / uniq reject any other type.
      if (node.name === 'sort') {
        this.fail(node, `cannot use ${natureName(arg)} as argument (type []int) to call sort `);
      }
      if (ARRAY_ONLY_CALLS.has(node.name)) {
        this.fail(node, `cannot ${node.name} ${arg.kind === 'nil' ? '<nil>' : natureName(arg)}`);
      }
    }
    const signature = FUNCTION_SIGNATURES[node.name];
    if (signature !== undefined) return this.arguments(node.name, signature, node.args, node);
    const problem = validateBuiltin(node.name, natures);
    if (typeof problem === 'string') this.fail(node, problem);
    return problem;
  }
}
