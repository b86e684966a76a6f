import { seededRandom } from '../../seeded-random.js';
import type { ReferenceCase } from './reference.js';

export { seededRandom };

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

const INT_LITERALS = [
  '0',
  '1',
  '2',
  '3',
  '-1',
  '10',
  '100',
  '2147483648',
  '1000000',
  '9007199254740992', // 2^53: ints beyond it lose precision in JS (README, known differences)
  '0x10',
  '1_000',
];
const FLOAT_LITERALS = [
  '0.0',
  '0.5',
  '1.0',
  '1.5',
  '2.5',
  '-0.5',
  '0.1',
  '1e3',
  '1e21',
  '2147483648.5',
  '1e-7',
  '1234567.0',
  '100000.0',
  '3.14159',
];
const STRING_LITERALS = ['"ok"', '""', '"abc"', '"a"', '"1"', '"1.5"', '"héllo"', '"NaN"'];
const BINARY = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '&&',
  '||',
  'in',
  '??',
  'and',
  'or',
];
const UNARY = ['-', '!', 'not ', '+'];
const NUMERIC_FNS = ['abs', 'int', 'float', 'ceil', 'floor', 'round', 'string', 'type', 'len', 'toJSON'];
const ARRAY_FNS = [
  'max',
  'min',
  'mean',
  'median',
  'sum',
  'len',
  'first',
  'last',
  'sort',
  'reverse',
  'uniq',
  'flatten',
  'string',
  'type',
];
const STRING_FNS = ['upper', 'lower', 'trim', 'len', 'string', 'type', 'int', 'float'];

function literal(rng: Rng): string {
  switch (Math.floor(rng() * 8)) {
    case 0:
    case 1:
      return pick(rng, INT_LITERALS);
    case 2:
    case 3:
      return pick(rng, FLOAT_LITERALS);
    case 4:
      return pick(rng, STRING_LITERALS);
    case 5:
      return pick(rng, ['true', 'false']);
    case 6:
      return pick(rng, ['nil', '(0.0 / 0.0)', '(1 / 0)', '(-1 / 0)', '(0.0 * -1)']);
    default:
      return pick(rng, [
        '[]',
        '[1, 2, 3]',
        '[1.5, 2]',
        '[[1, 2], [3]]',
        '{a: 1, b: 2.5}',
        '[1, "a", nil]',
        '[0.0 / 0.0, 1, 2]',
      ]);
  }
}

/** A random expression; `leaves` are extra leaf expressions (e.g. `result`, `result[0]`). */
export function expression(rng: Rng, depth: number, leaves: readonly string[] = []): string {
  if (depth <= 0 || rng() < 0.2) return leaves.length > 0 && rng() < 0.5 ? pick(rng, leaves) : literal(rng);
  const sub = () => expression(rng, depth - 1, leaves);
  switch (Math.floor(rng() * 12)) {
    case 0:
    case 1:
    case 2:
      return `${sub()} ${pick(rng, BINARY)} ${sub()}`;
    case 3:
      return `(${sub()} ${pick(rng, BINARY)} ${sub()})`;
    case 4:
      return `${pick(rng, UNARY)}${sub()}`;
    case 5:
      return `${pick(rng, NUMERIC_FNS)}(${sub()})`;
    case 6:
      return `${pick(rng, ARRAY_FNS)}([${sub()}, ${sub()}])`;
    case 7:
      return `${pick(rng, ARRAY_FNS)}(${sub()})`;
    case 8:
      return `${pick(rng, STRING_FNS)}(${sub()})`;
    case 9:
      return `${sub()}[${pick(rng, ['0', '1', '-1', '2', '0.0', '"a"', '1:', ':1', '0:2'])}]`;
    case 10:
      return `${sub()} ? ${sub()} : ${sub()}`;
    default:
      return pick(rng, [
        `findIndex(${sub()}, # > 1)`,
        `findLastIndex(${sub()}, # > 1)`,
        `filter(${sub()}, # > 1)`,
        `map(${sub()}, # * 2)`,
        `all(${sub()}, # > 0)`,
        `any(${sub()}, # > 0)`,
        `count(${sub()}, # > 0)`,
        `${sub()}.a`,
        `${sub()}?.a`,
        `${sub()} ?? ${sub()}`,
        `${sub()} matches "^a"`,
        `${sub()} contains "a"`,
        `${sub()} startsWith "a"`,
        `1 < ${sub()} == true`,
      ]);
  }
}

/** Metric results as Argo's providers hand them over: float64 numbers, arrays, maps, strings, nil. */
export function metricResult(rng: Rng, depth = 2): unknown {
  const number = (): unknown =>
    pick(rng, [
      0,
      1,
      2,
      0.5,
      0.9,
      1.5,
      4,
      10,
      100,
      -1,
      -2.5,
      1e21,
      1e6,
      1234567,
      2147483648.5,
      1e-7,
      0.1,
      3,
      { $f: 'NaN' },
      { $f: '+Inf' },
      { $f: '-Inf' },
      { $f: '-0' },
      2 ** 53,
    ]);
  switch (Math.floor(rng() * (depth > 0 ? 10 : 6))) {
    case 0:
    case 1:
    case 2:
      return number();
    case 3:
      return pick(rng, ['ok', '', '1', '1.5', 'abc', 'NaN']);
    case 4:
      return pick(rng, [null, true, false]);
    case 5:
      return [];
    case 6:
    case 7:
      return Array.from({ length: 1 + Math.floor(rng() * 3) }, () =>
        rng() < 0.8 ? number() : metricResult(rng, depth - 1),
      );
    case 8:
      return [Array.from({ length: Math.floor(rng() * 3) }, number), [number()]];
    default:
      return { a: number(), b: metricResult(rng, depth - 1) };
  }
}

const CONDITION_TEMPLATES: readonly ((rng: Rng) => string)[] = [
  (r) => `result ${pick(r, ['<', '>', '<=', '>=', '==', '!='])} ${literal(r)}`,
  (r) => `result[0] ${pick(r, ['<', '>', '>=', '=='])} ${pick(r, ['0.5', '1', '0', '2'])}`,
  (r) => `len(result) ${pick(r, ['>', '=='])} ${pick(r, ['0', '1', '2'])}`,
  (r) => `${pick(r, ['isNaN', 'isInf'])}(${pick(r, ['result', 'result[0]', 'asFloat(result)'])})`,
  (r) => `asInt(${pick(r, ['result', 'result[0]'])}) ${pick(r, ['==', '>'])} ${pick(r, ['1', '0', '4'])}`,
  (r) => `asFloat(${pick(r, ['result', 'result[0]'])}) ${pick(r, ['>', '<'])} ${pick(r, ['0.5', '1'])}`,
  (r) => `default(${pick(r, ['result', 'result[0]'])}, ${pick(r, ['0', '0.0', '1'])}) > 0.5`,
  (r) => `${pick(r, ['isNil(result)', 'not isNil(result)', 'isNil(result[0])'])}`,
  (r) =>
    `${pick(r, ['all', 'any', 'none', 'one'])}(result, # ${pick(r, ['>', '<', '=='])} ${pick(r, ['0', '0.5', '1'])})`,
  (r) =>
    `${pick(r, ['max', 'min', 'mean', 'median', 'sum'])}(result) ${pick(r, ['>', '<', '=='])} ${pick(r, ['0', '1', '2'])}`,
  (r) =>
    `result${pick(r, ['.a', '?.a', '["a"]', '.b'])} ${pick(r, ['>', '==', '!='])} ${pick(r, ['1', '0', 'nil'])}`,
  (r) => `result % ${pick(r, ['2', '3'])} == 0`,
  (r) =>
    `type(${pick(r, ['result', 'result[0]', 'float(result)', 'int(result)'])}) == ${pick(r, ['"float"', '"int"', '"array"', '"map"'])}`,
  (r) =>
    `string(${pick(r, ['result', 'result[0]'])}) == ${pick(r, ['"1e+06"', '"4"', '"1e+21"', '"NaN"', '"[1 2]"'])}`,
  (r) => `result ${pick(r, ['>', '<'])} 0 ${pick(r, ['||', '&&'])} result[0] > 0`,
  (r) => `result ${pick(r, ['>', '<'])} 0.5 == true`,
  () => `result == "ok"`,
  (r) => `findIndex(result, # > 1) ${pick(r, ['==', '!='])} ${pick(r, ['nil', '-1', '0'])}`,
  (r) => `${pick(r, ['result', 'result[0]'])} in [1, 2, 4]`,
  (r) =>
    `int(${pick(r, ['result', 'result[0]'])}) ${pick(r, ['==', '<', '>'])} ${pick(r, ['0', '1', '-9223372036854775808'])}`,
  (r) => expression(r, 3, ['result', 'result[0]', 'result.a', 'asFloat(result)', 'len(result)']),
];

function condition(rng: Rng): string {
  const one = () => pick(rng, CONDITION_TEMPLATES)(rng);
  const roll = rng();
  if (roll < 0.15) return `${one()} ${pick(rng, ['&&', '||', 'and', 'or'])} ${one()}`;
  if (roll < 0.2) return `!(${one()})`;
  return one();
}

/** `count` plain-expression cases from `seed`. */
export function exprCases(seed: number, count: number): ReferenceCase[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => ({ mode: 'expr' as const, expr: expression(rng, 3) }));
}

/** `count` metric-verdict cases from `seed`: one or both conditions over a random result. */
export function metricCases(seed: number, count: number): ReferenceCase[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const which = rng();
    return {
      mode: 'metric' as const,
      success: which < 0.85 ? condition(rng) : '',
      failure: which > 0.6 ? condition(rng) : '',
      result: metricResult(rng),
    };
  });
}
