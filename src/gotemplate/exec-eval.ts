import { checkResult, type ExecState, type Final, NO_FINAL, validateType, wrapError } from './exec-state.js';
import { type GoFunc, type ParamType, paramTypeName } from './functions.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import {
  type ArgNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type NumberNode,
  nodeString,
  type PipeNode,
  type VariableNode,
} from './nodes.js';
import {
  type GoIntType,
  goInt,
  isGoMap,
  isTrue,
  jsArgument,
  jsResult,
  lookupMember,
  typeName,
} from './values.js';

export type { ExecState };
export { NO_FINAL };

/** Where a field is evaluated: first word of a command, an argument, or inside a chain. */
type Position = 'command' | 'arg' | 'chain';

const hasFinal = (final: Final): boolean => final !== NO_FINAL;

/** Evaluates a pipeline, declaring or assigning its variables; the result may be `undefined` (missing). */
export function evalPipeline(s: ExecState, dot: unknown, pipe: PipeNode): unknown {
  let value: Final = NO_FINAL;
  for (const cmd of pipe.cmds) {
    value = evalCommand(s, dot, cmd, value);
    // Go digs into an interface{} result: a nil interface becomes an invalid (missing) value.
    if (value === null) value = undefined;
  }
  for (const v of pipe.decl) {
    if (pipe.isAssign) s.setVar(v, value);
    else s.pushVar(v.ident[0] ?? '$', value);
  }
  return value;
}

function notAFunction(s: ExecState, cmd: CommandNode, final: Final): void {
  if (cmd.args.length > 1 || hasFinal(final)) {
    s.fail(cmd, `can't give argument to non-function ${nodeString(cmd.args[0] ?? cmd)}`);
  }
}

function evalCommand(s: ExecState, dot: unknown, cmd: CommandNode, final: Final): unknown {
  s.tick();
  const first = cmd.args[0];
  if (!first) return s.fail(cmd, 'empty command');
  switch (first.type) {
    case 'field':
      return evalFieldChain(s, dot, dot, first, first.ident, cmd.args, final, 'command');
    case 'chain':
      return evalChain(s, dot, first, cmd.args, final, 'command');
    case 'identifier':
      return evalFunction(s, dot, first, cmd, cmd.args, final);
    case 'variable':
      return evalVariable(s, dot, first, cmd.args, final, 'command');
    case 'pipe':
      notAFunction(s, cmd, final);
      return evalPipeline(s, dot, first);
    case 'nil':
      return s.fail(first, 'nil is not a command');
    case 'dot':
      notAFunction(s, cmd, final);
      return dot;
    case 'number':
      notAFunction(s, cmd, final);
      return idealConstant(s, first);
    default:
      notAFunction(s, cmd, final);
      return first.type === 'bool' || first.type === 'string' ? first.value : undefined;
  }
}

/** A number literal with nothing to decide its type: Go's idealConstant. */
function idealConstant(s: ExecState, node: NumberNode): unknown {
  switch (node.number.ideal) {
    case 'float':
      return node.number.floatValue;
    case 'int':
      return goInt(node.number.intValue);
    case 'overflow':
      return s.fail(node, `${node.text} overflows int`);
  }
}

function evalVariable(
  s: ExecState,
  dot: unknown,
  node: VariableNode,
  args: readonly ArgNode[],
  final: Final,
  position: Position,
): unknown {
  const value = s.getVar(node);
  if (node.ident.length === 1) {
    if (args.length > 1 || hasFinal(final))
      s.fail(node, `can't give argument to non-function ${nodeString(node)}`);
    return value;
  }
  return evalFieldChain(s, dot, value, node, node.ident.slice(1), args, final, position);
}

function evalChain(
  s: ExecState,
  dot: unknown,
  chain: ChainNode,
  args: readonly ArgNode[],
  final: Final,
  position: Position,
): unknown {
  if (chain.node.type === 'nil') s.fail(chain, `indirection through explicit nil in ${nodeString(chain)}`);
  // Go evaluates the receiver with no type: a nil result stays invalid (a missing value).
  const receiver =
    chain.node.type === 'pipe' ? evalPipeline(s, dot, chain.node) : evalArg(s, dot, 'any', chain.node);
  return evalFieldChain(s, dot, receiver, chain, chain.field, args, final, position);
}

function evalFieldChain(
  s: ExecState,
  dot: unknown,
  receiver: unknown,
  node: FieldNode | VariableNode | ChainNode,
  idents: readonly string[],
  args: readonly ArgNode[],
  final: Final,
  position: Position,
): unknown {
  let value = receiver;
  idents.forEach((name, i) => {
    const last = i === idents.length - 1;
    value = evalField(
      s,
      dot,
      name,
      node,
      last ? args : [node],
      last ? final : NO_FINAL,
      value,
      last ? position : 'chain',
    );
  });
  return value;
}

function evalField(
  s: ExecState,
  dot: unknown,
  name: string,
  node: FieldNode | VariableNode | ChainNode,
  args: readonly ArgNode[],
  final: Final,
  receiver: unknown,
  position: Position,
): unknown {
  s.tick();
  const hasArgs = args.length > 1 || hasFinal(final);
  if (receiver === undefined) return undefined;
  if (receiver === null) return s.fail(node, `nil pointer evaluating interface {}.${name}`);
  if (isGoMap(receiver)) {
    const found = Object.hasOwn(receiver, name);
    if (!found && s.missingKeyError) s.fail(node, `map has no entry for key ${JSON.stringify(name)}`);
    const value = found ? receiver[name] : undefined;
    if (typeof value === 'function' && (position !== 'arg' || hasArgs)) {
      return callFunction(s, dot, value as (...a: unknown[]) => unknown, receiver, name, node, args, final);
    }
    if (hasArgs) s.fail(node, `${name} is not a method but has arguments`);
    return value;
  }
  if (typeof receiver === 'object' && !Array.isArray(receiver)) {
    const member = lookupMember(receiver, name);
    if (member.found && typeof member.value === 'function') {
      return callFunction(
        s,
        dot,
        member.value as (...a: unknown[]) => unknown,
        receiver,
        name,
        node,
        args,
        final,
      );
    }
    if (member.found) {
      if (hasArgs) s.fail(node, `${name} has arguments but cannot be invoked as function`);
      return member.value;
    }
  }
  return s.fail(node, `can't evaluate field ${name} in type ${typeName(receiver)}`);
}

function evalFunction(
  s: ExecState,
  dot: unknown,
  node: IdentifierNode,
  cmd: ArgNode | CommandNode,
  args: readonly ArgNode[],
  final: Final,
): unknown {
  const name = node.ident;
  const fn = s.lookupFunc(name);
  if (!fn) return s.fail(node, `${JSON.stringify(name)} is not a defined function`);
  if (name === 'and' || name === 'or') {
    const rest = args.slice(1);
    if (rest.length === 0 && !hasFinal(final))
      s.fail(cmd, `wrong number of args for ${name}: want at least 1 got 0`);
    let value: unknown;
    for (const a of rest) {
      value = evalArg(s, dot, 'any', a);
      if (isTrue(value) === (name === 'or')) return value;
    }
    return hasFinal(final) ? (final ?? null) : value;
  }
  if (name === 'call') {
    const target = args[1];
    if (!target) return s.fail(cmd, 'wrong number of args for call: want at least 1 got 0');
    const callee = evalArg(s, dot, 'any', target);
    if (callee === null || callee === undefined) return s.fail(cmd, 'error calling call: call of nil');
    if (typeof callee !== 'function')
      return s.fail(cmd, `error calling call: non-function of type ${typeName(callee)}`);
    return callFunction(
      s,
      dot,
      callee as (...a: unknown[]) => unknown,
      undefined,
      'call',
      cmd,
      args.slice(1),
      final,
    );
  }
  return callGoFunc(s, dot, fn, name, cmd, args, final);
}

function callGoFunc(
  s: ExecState,
  dot: unknown,
  fn: GoFunc,
  name: string,
  node: ArgNode | CommandNode,
  args: readonly ArgNode[],
  final: Final,
): unknown {
  const argNodes = args.slice(1);
  const got = argNodes.length + (hasFinal(final) ? 1 : 0);
  const want = fn.params.length;
  if (fn.variadic ? got < want : got !== want) {
    s.fail(
      node,
      `wrong number of args for ${name}: want ${fn.variadic ? 'at least ' : ''}${want} got ${got}`,
    );
  }
  const typeAt = (i: number): ParamType => fn.params[i] ?? fn.variadic ?? 'any';
  const argv = argNodes.map((a, i) => evalArg(s, dot, typeAt(i), a));
  if (hasFinal(final)) argv.push(validateType(s, node, final, typeAt(argv.length)));
  try {
    return checkResult(s, fn.call(argv, s.ctx));
  } catch (err) {
    return wrapError(s, node, name, err);
  }
}

/** Calls a JS function found in the data (a method, or the target of `call`) with untyped arguments. */
function callFunction(
  s: ExecState,
  dot: unknown,
  fn: (...a: unknown[]) => unknown,
  receiver: unknown,
  name: string,
  node: ArgNode | CommandNode,
  args: readonly ArgNode[],
  final: Final,
): unknown {
  const argv = args.slice(1).map((a) => jsArgument(evalArg(s, dot, 'any', a)));
  if (hasFinal(final)) argv.push(jsArgument(final ?? null));
  if ((receiver instanceof GoTime || receiver instanceof GoDuration) && argv.length !== fn.length) {
    s.fail(node, `wrong number of args for ${name}: want ${fn.length} got ${argv.length}`);
  }
  let result: unknown;
  try {
    result = fn.apply(receiver, argv);
  } catch (err) {
    return wrapError(s, node, name, err);
  }
  if (result instanceof Promise) {
    result.catch(() => undefined);
    return s.fail(node, `error calling ${name}: asynchronous functions are not supported`);
  }
  return checkResult(s, jsResult(result, methodResultType(receiver, name)));
}

/** Go's result type of a time or duration method that returns a number (others: int). */
function methodResultType(receiver: unknown, name: string): GoIntType | 'float64' {
  if (receiver instanceof GoDuration)
    return ['Hours', 'Minutes', 'Seconds'].includes(name) ? 'float64' : 'int64';
  if (receiver instanceof GoTime && name.startsWith('Unix')) return 'int64';
  return 'int';
}

/** Evaluates an argument for a parameter of type `type`, checking literals the way Go does. */
function evalArg(s: ExecState, dot: unknown, type: ParamType, node: ArgNode): unknown {
  s.tick();
  switch (node.type) {
    case 'dot':
      return validateType(s, node, dot, type);
    case 'nil':
      if (type !== 'any' && type !== 'map' && type !== 'list')
        s.fail(node, `cannot assign nil to ${paramTypeName(type)}`);
      return null;
    case 'field':
      return validateType(
        s,
        node,
        evalFieldChain(s, dot, dot, node, node.ident, [node], NO_FINAL, 'arg'),
        type,
      );
    case 'variable':
      return validateType(s, node, evalVariable(s, dot, node, [node], NO_FINAL, 'arg'), type);
    case 'pipe':
      return validateType(s, node, evalPipeline(s, dot, node), type);
    case 'identifier':
      return validateType(s, node, evalFunction(s, dot, node, node, [node], NO_FINAL), type);
    case 'chain':
      return validateType(s, node, evalChain(s, dot, node, [node], NO_FINAL, 'arg'), type);
  }
  if (node.type === 'number') {
    const n = node.number;
    if (type === 'any') return idealConstant(s, node);
    if (type === 'int' && n.isInt) return n.intValue;
    if (type === 'number' && n.isFloat) return n.floatValue;
  } else if (
    type === 'any' ||
    (type === 'string' && node.type === 'string') ||
    (type === 'bool' && node.type === 'bool')
  ) {
    return node.value;
  }
  if (type === 'map' || type === 'list')
    return s.fail(node, `can't handle ${nodeString(node)} for arg of type ${paramTypeName(type)}`);
  const what = type === 'int' ? 'integer' : type === 'number' ? 'float' : type;
  return s.fail(node, `expected ${what}; found ${nodeString(node)}`);
}
