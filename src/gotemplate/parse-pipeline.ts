import type { TokenType } from './lexer.js';
import { type ArgNode, type CommandNode, nodeString, type PipeNode, type VariableNode } from './nodes.js';
import { parseGoNumber, unquoteGo } from './parse-literals.js';
import type { ParseState } from './parse-state.js';

const COMMAND_START = new Set<TokenType>([
  'bool',
  'charConstant',
  'dot',
  'field',
  'identifier',
  'number',
  'nil',
  'rawString',
  'string',
  'variable',
  'leftParen',
]);

/** Parses `[decl :=] cmd | cmd ...` up to the `end` token; `context` names the construct in errors. */
export function parsePipeline(p: ParseState, context: string, end: TokenType): PipeNode {
  const start = p.peekNonSpace();
  const decl: VariableNode[] = [];
  let isAssign = false;
  for (;;) {
    const mark = p.mark();
    const v = p.nextNonSpace();
    if (v.type !== 'variable') {
      p.restore(mark);
      break;
    }
    const next = p.peekNonSpace();
    if (next.type === 'assign' || next.type === 'declare') {
      isAssign = next.type === 'assign';
      p.nextNonSpace();
      decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
      p.vars.push(v.val);
      break;
    }
    if (next.type === 'char' && next.val === ',') {
      p.nextNonSpace();
      decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
      p.vars.push(v.val);
      if (context === 'range' && decl.length < 2) {
        const after = p.peekNonSpace().type;
        if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
        p.fail('range can only initialize variables');
      }
      p.fail(`too many declarations in ${context}`);
    }
    // Not a declaration: the variable is the pipeline's first operand.
    p.restore(mark);
    break;
  }
  const cmds: CommandNode[] = [];
  for (;;) {
    const token = p.nextNonSpace();
    if (token.type === end) {
      if (cmds.length === 0) p.fail(`missing value for ${context}`, token.pos);
      cmds.slice(1).forEach((c, i) => {
        const first = c.args[0]?.type;
        if (
          first === 'bool' ||
          first === 'dot' ||
          first === 'nil' ||
          first === 'number' ||
          first === 'string'
        ) {
          p.fail(`non executable command in pipeline stage ${i + 2}`, c.pos);
        }
      });
      return { type: 'pipe', pos: start.pos, isAssign, decl, cmds };
    }
    if (!COMMAND_START.has(token.type)) p.unexpected(token, context);
    p.backup();
    cmds.push(parseCommand(p));
  }
}

function parseCommand(p: ParseState): CommandNode {
  const pos = p.peekNonSpace().pos;
  const args: ArgNode[] = [];
  for (;;) {
    p.peekNonSpace();
    const operand = parseOperand(p);
    if (operand) args.push(operand);
    const token = p.next();
    if (token.type === 'space') continue;
    if (token.type === 'rightDelim' || token.type === 'rightParen') p.backup();
    else if (token.type !== 'pipe') p.unexpected(token, 'operand');
    break;
  }
  if (args.length === 0) p.fail('empty command');
  return { type: 'command', pos, args };
}

function parseOperand(p: ParseState): ArgNode | undefined {
  const node = parseTerm(p);
  if (!node || p.peek().type !== 'field') return node;
  const fields: string[] = [];
  const pos = p.peek().pos;
  while (p.peek().type === 'field') fields.push(p.next().val.slice(1));
  switch (node.type) {
    case 'field':
      return { type: 'field', pos: node.pos, ident: [...node.ident, ...fields] };
    case 'variable':
      return { type: 'variable', pos: node.pos, ident: [...node.ident, ...fields] };
    case 'bool':
    case 'string':
    case 'number':
    case 'nil':
    case 'dot':
      return p.fail(`unexpected . after term ${JSON.stringify(nodeString(node))}`, pos);
    default:
      return { type: 'chain', pos, node, field: fields };
  }
}

function parseTerm(p: ParseState): ArgNode | undefined {
  const token = p.nextNonSpace();
  const pos = token.pos;
  switch (token.type) {
    case 'identifier':
      if (!p.hasFunction(token.val)) p.fail(`function ${JSON.stringify(token.val)} not defined`, pos);
      return { type: 'identifier', pos, ident: token.val };
    case 'dot':
      return { type: 'dot', pos };
    case 'nil':
      return { type: 'nil', pos };
    case 'variable': {
      if (!p.vars.includes(token.val)) p.fail(`undefined variable ${JSON.stringify(token.val)}`, pos);
      return { type: 'variable', pos, ident: [token.val] };
    }
    case 'field':
      return { type: 'field', pos, ident: [token.val.slice(1)] };
    case 'bool':
      return { type: 'bool', pos, value: token.val === 'true' };
    case 'charConstant':
    case 'number':
      try {
        return { type: 'number', pos, text: token.val, number: parseGoNumber(token.val) };
      } catch (err) {
        return p.fail((err as Error).message, pos);
      }
    case 'leftParen': {
      p.enter(pos);
      const pipe = parsePipeline(p, 'parenthesized pipeline', 'rightParen');
      p.leave();
      return pipe;
    }
    case 'string':
    case 'rawString':
      try {
        return { type: 'string', pos, quoted: token.val, value: unquoteGo(token.val) };
      } catch (err) {
        return p.fail(`${(err as Error).message}: ${token.val}`, pos);
      }
  }
  p.backup();
  return undefined;
}
