/** Position of a node's first token, 1-based. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

export type Node =
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | IdentifierNode
  | PointerNode
  | ArrayNode
  | MapNode
  | MemberNode
  | SliceNode
  | ChainNode
  | CallNode
  | BuiltinNode
  | PredicateNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | LetNode;

interface Base {
  readonly loc: Location;
}

export interface NilNode extends Base {
  readonly type: 'nil';
}
export interface BoolNode extends Base {
  readonly type: 'bool';
  readonly value: boolean;
}
export interface NumberNode extends Base {
  readonly type: 'number';
  readonly value: number;
  readonly isFloat: boolean;
}
export interface StringNode extends Base {
  readonly type: 'string';
  readonly value: string;
}
export interface IdentifierNode extends Base {
  readonly type: 'identifier';
  readonly name: string;
}
/** `#` (name ''), `#index`, `#acc` inside a predicate; `.field` is a member of the `#` pointer. */
export interface PointerNode extends Base {
  readonly type: 'pointer';
  readonly name: string;
}
export interface ArrayNode extends Base {
  readonly type: 'array';
  readonly items: readonly Node[];
}
export interface MapNode extends Base {
  readonly type: 'map';
  readonly entries: readonly { readonly key: Node; readonly value: Node }[];
}
/** `a.b`, `a?.b`, `a[k]`; `optional` for `?.`. */
export interface MemberNode extends Base {
  readonly type: 'member';
  readonly object: Node;
  readonly property: Node;
  readonly optional: boolean;
}
export interface SliceNode extends Base {
  readonly type: 'slice';
  readonly object: Node;
  readonly from: Node | undefined;
  readonly to: Node | undefined;
}
/** Wraps a member chain containing `?.`: a nil hit anywhere inside makes the whole chain nil. */
export interface ChainNode extends Base {
  readonly type: 'chain';
  readonly node: Node;
}
/** Call of a variable (`f(x)`) or of a method (`a.b(x)`, callee is a member node). */
export interface CallNode extends Base {
  readonly type: 'call';
  readonly callee: Node;
  readonly args: readonly Node[];
}
export interface BuiltinNode extends Base {
  readonly type: 'builtin';
  readonly name: string;
  readonly args: readonly Node[];
}
/** A closure such as `{# > 1}` passed to `all`, `filter`, ... */
export interface PredicateNode extends Base {
  readonly type: 'predicate';
  readonly body: Node;
}
export interface UnaryNode extends Base {
  readonly type: 'unary';
  readonly operator: string;
  readonly operand: Node;
}
export interface BinaryNode extends Base {
  readonly type: 'binary';
  readonly operator: string;
  readonly left: Node;
  readonly right: Node;
}
/** `c ? a : b`; `a ?: b` has `elvis` set and `whenTrue` equal to `cond`. */
export interface ConditionalNode extends Base {
  readonly type: 'conditional';
  readonly cond: Node;
  readonly whenTrue: Node;
  readonly whenFalse: Node;
  readonly elvis: boolean;
}
export interface LetNode extends Base {
  readonly type: 'let';
  readonly name: string;
  readonly value: Node;
  readonly body: Node;
}

/** Direct children of a node, in evaluation order. */
export function childrenOf(node: Node): Node[] {
  switch (node.type) {
    case 'nil':
    case 'bool':
    case 'number':
    case 'string':
    case 'identifier':
    case 'pointer':
      return [];
    case 'array':
      return [...node.items];
    case 'map':
      return node.entries.flatMap((e) => [e.key, e.value]);
    case 'member':
      return [node.object, node.property];
    case 'slice':
      return [node.object, ...(node.from ? [node.from] : []), ...(node.to ? [node.to] : [])];
    case 'chain':
      return [node.node];
    case 'call':
      return [node.callee, ...node.args];
    case 'builtin':
      return [...node.args];
    case 'predicate':
      return [node.body];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.cond, node.whenTrue, node.whenFalse];
    case 'let':
      return [node.value, node.body];
  }
}

/** Height of the tree, computed without recursion so that a degenerate tree cannot blow the stack. */
export function treeDepth(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > max) max = depth;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return max;
}
