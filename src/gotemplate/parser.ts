import { LexError, lex, type Token } from './lexer.js';
import type { BranchNode, ItemNode, ListNode, PipeNode, TemplateNode } from './nodes.js';
import { unquoteGo } from './parse-literals.js';
import { parsePipeline } from './parse-pipeline.js';
import { ParseState } from './parse-state.js';

/** `{{end}}` / `{{else}}` markers returned by itemList; never stored in the tree. */
interface Marker {
  readonly type: 'end' | 'else';
  readonly pos: number;
}

type Parsed = ItemNode | Marker;

const isMarker = (n: Parsed): n is Marker => n.type === 'end' || n.type === 'else';

export interface ParsedTemplates {
  /** Every template defined by the text; the root text is stored under the template's own name. */
  readonly templates: ReadonlyMap<string, ListNode>;
}

const isEmptyTree = (list: ListNode): boolean =>
  list.nodes.every((n) => n.type === 'text' && n.text.trim() === '');

/** Parses Go template text into trees: the root under `name` plus every `define`/`block`. */
export function parseTemplates(
  name: string,
  text: string,
  hasFunction: (fn: string) => boolean,
  maxNesting: number,
): ParsedTemplates {
  let tokens: Token[];
  try {
    tokens = lex(text);
  } catch (err) {
    if (!(err instanceof LexError)) throw err;
    const state = new ParseState(name, text, [], hasFunction, maxNesting);
    return state.fail(err.message, err.pos);
  }
  const p = new ParseState(name, text, tokens, hasFunction, maxNesting);
  const root: ItemNode[] = [];
  while (p.peek().type !== 'eof') {
    if (p.peek().type === 'leftDelim') {
      const mark = p.mark();
      p.next();
      if (p.nextNonSpace().val === 'define' && p.lastTokenType() === 'keyword') {
        parseDefinition(p, 'define clause');
        continue;
      }
      p.restore(mark);
    }
    const n = textOrAction(p);
    if (isMarker(n)) return p.fail(`unexpected {{${n.type}}}`, n.pos);
    root.push(n);
  }
  addTemplate(p, name, { type: 'list', pos: 0, nodes: root });
  return { templates: p.templates };
}

function addTemplate(p: ParseState, name: string, list: ListNode): void {
  const existing = p.templates.get(name);
  if (existing === undefined || isEmptyTree(existing)) {
    p.templates.set(name, list);
    return;
  }
  if (!isEmptyTree(list))
    p.fail(`template: multiple definition of template ${JSON.stringify(name)}`, list.pos);
}

function templateName(p: ParseState, context: string): { name: string; token: Token } {
  const token = p.nextNonSpace();
  if (token.type !== 'string' && token.type !== 'rawString') p.unexpected(token, context);
  try {
    return { name: unquoteGo(token.val), token };
  } catch {
    return p.fail(`invalid syntax: ${token.val}`, token.pos);
  }
}

/** Parses `"name"}} ... {{end}}` after `{{define`; also used for the body of `{{block}}`. */
function parseDefinition(p: ParseState, context: string, knownName?: string): void {
  const name = knownName ?? templateName(p, context).name;
  if (knownName === undefined) p.expect('rightDelim', context);
  const saved = { vars: p.vars, rangeDepth: p.rangeDepth, current: p.current };
  p.vars = ['$'];
  p.rangeDepth = 0;
  p.current = name;
  const [list, end] = itemList(p);
  if (end.type !== 'end') p.fail(`unexpected {{${end.type}}} in ${context}`, end.pos);
  addTemplate(p, name, list);
  p.vars = saved.vars;
  p.rangeDepth = saved.rangeDepth;
  p.current = saved.current;
}

function itemList(p: ParseState): [ListNode, Marker] {
  const pos = p.peekNonSpace().pos;
  const nodes: ItemNode[] = [];
  while (p.peekNonSpace().type !== 'eof') {
    const n = textOrAction(p);
    if (isMarker(n)) return [{ type: 'list', pos, nodes }, n];
    nodes.push(n);
  }
  return p.fail('unexpected EOF', p.peek().pos);
}

function textOrAction(p: ParseState): Parsed {
  const token = p.nextNonSpace();
  if (token.type === 'text') return { type: 'text', pos: token.pos, text: token.val };
  if (token.type === 'leftDelim') return action(p);
  return p.unexpected(token, 'input');
}

function action(p: ParseState): Parsed {
  const token = p.nextNonSpace();
  if (token.type === 'keyword') {
    switch (token.val) {
      case 'block':
        return blockControl(p);
      case 'break':
      case 'continue': {
        const close = p.nextNonSpace();
        if (close.type !== 'rightDelim') p.unexpected(close, `{{${token.val}}}`);
        if (p.rangeDepth === 0) p.fail(`{{${token.val}}} outside {{range}}`, token.pos);
        return { type: token.val, pos: token.pos };
      }
      case 'else': {
        const peek = p.peekNonSpace();
        if (peek.type === 'keyword' && (peek.val === 'if' || peek.val === 'with')) {
          return { type: 'else', pos: peek.pos };
        }
        return { type: 'else', pos: p.expect('rightDelim', 'else').pos };
      }
      case 'end':
        return { type: 'end', pos: p.expect('rightDelim', 'end').pos };
      case 'if':
      case 'range':
      case 'with':
        return parseControl(p, token.val, token.pos);
      case 'template':
        return templateControl(p);
    }
  }
  p.backup();
  const pos = p.peek().pos;
  return { type: 'action', pos, pipe: parsePipeline(p, 'command', 'rightDelim') };
}

function parseControl(p: ParseState, context: 'if' | 'range' | 'with', pos: number): BranchNode {
  p.enter(pos);
  const varCount = p.vars.length;
  const pipe = parsePipeline(p, context, 'rightDelim');
  if (context === 'range') p.rangeDepth++;
  const [list, first] = itemList(p);
  let next = first;
  if (context === 'range') p.rangeDepth--;
  let elseList: ListNode | undefined;
  if (next.type === 'else') {
    const peek = p.peekNonSpace();
    if (context !== 'range' && peek.type === 'keyword' && peek.val === context) {
      // "{{else if x}}" is shorthand for "{{else}}{{if x}}...{{end}}{{end}}".
      p.nextNonSpace();
      elseList = { type: 'list', pos: next.pos, nodes: [parseControl(p, context, peek.pos)] };
    } else {
      [elseList, next] = itemList(p);
      if (next.type !== 'end') p.fail(`expected end; found {{${next.type}}}`, next.pos);
    }
  }
  p.vars.length = varCount;
  p.leave();
  return { type: context, pos, pipe, list, elseList };
}

function templateControl(p: ParseState): TemplateNode {
  const context = 'template clause';
  const { name, token } = templateName(p, context);
  let pipe: PipeNode | undefined;
  if (p.nextNonSpace().type !== 'rightDelim') {
    p.backup();
    pipe = parsePipeline(p, context, 'rightDelim');
  }
  return { type: 'template', pos: token.pos, name, pipe };
}

function blockControl(p: ParseState): TemplateNode {
  const context = 'block clause';
  const { name, token } = templateName(p, context);
  const pipe = parsePipeline(p, context, 'rightDelim');
  p.enter(token.pos);
  parseDefinition(p, context, name);
  p.leave();
  return { type: 'template', pos: token.pos, name, pipe };
}
