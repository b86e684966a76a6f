import type { ParsedNumber } from './parse-literals.js';

/** Parse-tree node types, mirroring Go's text/template/parse package. `pos` is a character offset. */

export interface TextNode {
  readonly type: 'text';
  readonly pos: number;
  readonly text: string;
}

export interface FieldNode {
  readonly type: 'field';
  readonly pos: number;
  readonly ident: readonly string[];
}

export interface VariableNode {
  readonly type: 'variable';
  readonly pos: number;
  readonly ident: readonly string[];
}

export interface IdentifierNode {
  readonly type: 'identifier';
  readonly pos: number;
  readonly ident: string;
}

export interface ChainNode {
  readonly type: 'chain';
  readonly pos: number;
  readonly node: ArgNode;
  readonly field: readonly string[];
}

export interface DotNode {
  readonly type: 'dot';
  readonly pos: number;
}

export interface NilNode {
  readonly type: 'nil';
  readonly pos: number;
}

export interface BoolNode {
  readonly type: 'bool';
  readonly pos: number;
  readonly value: boolean;
}

export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly text: string;
  /** What the literal can be and which it is by default; see ParsedNumber. */
  readonly number: ParsedNumber;
}

export interface StringNode {
  readonly type: 'string';
  readonly pos: number;
  readonly quoted: string;
  readonly value: string;
}

export type ArgNode =
  | FieldNode
  | VariableNode
  | IdentifierNode
  | ChainNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export interface CommandNode {
  readonly type: 'command';
  readonly pos: number;
  readonly args: readonly ArgNode[];
}

export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  readonly isAssign: boolean;
  readonly decl: readonly VariableNode[];
  readonly cmds: readonly CommandNode[];
}

export interface ActionNode {
  readonly type: 'action';
  readonly pos: number;
  readonly pipe: PipeNode;
}

export interface BranchNode {
  readonly type: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}

export interface TemplateNode {
  readonly type: 'template';
  readonly pos: number;
  readonly name: string;
  readonly pipe: PipeNode | undefined;
}

export interface BreakNode {
  readonly type: 'break' | 'continue';
  readonly pos: number;
}

export interface ListNode {
  readonly type: 'list';
  readonly pos: number;
  readonly nodes: readonly ItemNode[];
}

export type ItemNode = TextNode | ActionNode | BranchNode | TemplateNode | BreakNode | ListNode;

function quoteGo(s: string): string {
  return JSON.stringify(s);
}

/** Renders a node back to template syntax, as Go's `String()` does for error messages (`at <.a.b>`). */
export function nodeString(node: ArgNode | CommandNode | ItemNode): string {
  switch (node.type) {
    case 'field':
      return node.ident.map((i) => '.' + i).join('');
    case 'variable':
      return node.ident.join('.');
    case 'identifier':
      return node.ident;
    case 'chain': {
      const base = node.node.type === 'pipe' ? `(${nodeString(node.node)})` : nodeString(node.node);
      return base + node.field.map((f) => '.' + f).join('');
    }
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return node.quoted;
    case 'command':
      return node.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'pipe': {
      const decl =
        node.decl.length > 0
          ? `${node.decl.map((d) => nodeString(d)).join(', ')} ${node.isAssign ? '=' : ':='} `
          : '';
      return decl + node.cmds.map((c) => nodeString(c)).join(' | ');
    }
    case 'text':
      return node.text;
    case 'action':
      return `{{${nodeString(node.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with': {
      const elseText = node.elseList ? `{{else}}${nodeString(node.elseList)}` : '';
      return `{{${node.type} ${nodeString(node.pipe)}}}${nodeString(node.list)}${elseText}{{end}}`;
    }
    case 'template':
      return `{{template ${quoteGo(node.name)}${node.pipe ? ' ' + nodeString(node.pipe) : ''}}}`;
    case 'break':
    case 'continue':
      return `{{${node.type}}}`;
    case 'list':
      return node.nodes.map((n) => nodeString(n)).join('');
  }
}
