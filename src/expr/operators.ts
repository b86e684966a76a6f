/** Operator precedence and associativity, matching expr-lang's parser. */
export interface OperatorInfo {
  readonly precedence: number;
  readonly rightAssociative: boolean;
}

const left = (precedence: number): OperatorInfo => ({ precedence, rightAssociative: false });

export const UNARY_OPERATORS: ReadonlyMap<string, OperatorInfo> = new Map([
  ['not', left(50)],
  ['!', left(50)],
  ['-', left(90)],
  ['+', left(90)],
]);

export const BINARY_OPERATORS: ReadonlyMap<string, OperatorInfo> = new Map([
  ['|', left(0)],
  ['or', left(10)],
  ['||', left(10)],
  ['and', left(15)],
  ['&&', left(15)],
  ['==', left(20)],
  ['!=', left(20)],
  ['<', left(20)],
  ['>', left(20)],
  ['>=', left(20)],
  ['<=', left(20)],
  ['in', left(20)],
  ['matches', left(20)],
  ['contains', left(20)],
  ['startsWith', left(20)],
  ['endsWith', left(20)],
  ['..', left(25)],
  ['+', left(30)],
  ['-', left(30)],
  ['*', left(60)],
  ['/', left(60)],
  ['%', left(60)],
  ['**', { precedence: 100, rightAssociative: true }],
  ['^', { precedence: 100, rightAssociative: true }],
  ['??', left(500)],
]);

/** Operators that may follow `not` (`a not in b`). */
export const NEGATABLE_OPERATORS: ReadonlySet<string> = new Set([
  'in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
]);

/**
 * The ordering comparisons, which chain (`a < b < c` is `a < b && b < c`), as expr-lang's IsComparison;
 * `==`, `!=`, `in`, `matches`, … share their precedence level but are plain left-associative operators.
 */
export function isComparison(op: string): boolean {
  return op === '<' || op === '>' || op === '>=' || op === '<=';
}

/** Builtins whose arguments are parsed as closures: `expr` is an ordinary argument, `predicate` a closure. */
export type ArgumentKind = 'expr' | 'predicate' | 'optional-expr' | 'optional-predicate';

export const PREDICATE_BUILTINS: ReadonlyMap<string, readonly ArgumentKind[]> = new Map<
  string,
  readonly ArgumentKind[]
>([
  ['all', ['expr', 'predicate']],
  ['none', ['expr', 'predicate']],
  ['any', ['expr', 'predicate']],
  ['one', ['expr', 'predicate']],
  ['filter', ['expr', 'predicate']],
  ['map', ['expr', 'predicate']],
  ['count', ['expr', 'optional-predicate']],
  ['sum', ['expr', 'optional-predicate']],
  ['find', ['expr', 'predicate']],
  ['findIndex', ['expr', 'predicate']],
  ['findLast', ['expr', 'predicate']],
  ['findLastIndex', ['expr', 'predicate']],
  ['groupBy', ['expr', 'predicate']],
  ['reduce', ['expr', 'predicate', 'optional-expr']],
]);
