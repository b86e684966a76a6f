import { type SeededChoices, seededChoices } from '../../seeded-random.js';
import type { TemplateCase } from './reference.js';

// Seeded random Go templates and JSON data for the differential test. Sprig functions come from a table of
// argument shapes and are generated only when our registry has them, so the harness grows with the engine.
// Left out on purpose: clock, random, network and key-generating functions (their output is not a function
// of the case), complex number literals, and %p (addresses).

type Shape = 'str' | 'int' | 'num' | 'any' | 'list' | 'map' | 'bool' | 're' | 'ver' | 'rest';

/** Argument shapes of sprig's TxtFuncMap functions (minus env/expandenv and the non-deterministic ones). */
const SPRIG_SHAPES = {
  upper: ['str'],
  lower: ['str'],
  title: ['str'],
  untitle: ['str'],
  trim: ['str'],
  trimAll: ['str', 'str'],
  trimPrefix: ['str', 'str'],
  trimSuffix: ['str', 'str'],
  replace: ['str', 'str', 'str'],
  contains: ['str', 'str'],
  hasPrefix: ['str', 'str'],
  hasSuffix: ['str', 'str'],
  quote: ['rest'],
  squote: ['rest'],
  cat: ['rest'],
  trunc: ['int', 'str'],
  substr: ['int', 'int', 'str'],
  repeat: ['int', 'str'],
  indent: ['int', 'str'],
  nindent: ['int', 'str'],
  nospace: ['str'],
  join: ['str', 'list'],
  splitList: ['str', 'str'],
  split: ['str', 'str'],
  splitn: ['str', 'int', 'str'],
  toString: ['any'],
  toStrings: ['any'],
  plural: ['str', 'str', 'int'],
  b64enc: ['str'],
  b64dec: ['str'],
  b32enc: ['str'],
  b32dec: ['str'],
  regexMatch: ['re', 'str'],
  regexReplaceAll: ['re', 'str', 'str'],
  regexReplaceAllLiteral: ['re', 'str', 'str'],
  regexFind: ['re', 'str'],
  regexFindAll: ['re', 'str', 'int'],
  regexSplit: ['re', 'str', 'int'],
  abbrev: ['int', 'str'],
  abbrevboth: ['int', 'int', 'str'],
  initials: ['str'],
  wrap: ['int', 'str'],
  snakecase: ['str'],
  camelcase: ['str'],
  kebabcase: ['str'],
  swapcase: ['str'],
  add: ['rest'],
  add1: ['any'],
  sub: ['any', 'any'],
  mul: ['any', 'rest'],
  div: ['any', 'any'],
  mod: ['any', 'any'],
  max: ['any', 'rest'],
  min: ['any', 'rest'],
  biggest: ['any', 'rest'],
  atoi: ['str'],
  int: ['any'],
  int64: ['any'],
  float64: ['any'],
  floor: ['any'],
  ceil: ['any'],
  round: ['any', 'int'],
  addf: ['rest'],
  add1f: ['any'],
  subf: ['any', 'rest'],
  mulf: ['any', 'rest'],
  divf: ['any', 'rest'],
  maxf: ['any', 'rest'],
  minf: ['any', 'rest'],
  until: ['int'],
  untilStep: ['int', 'int', 'int'],
  seq: ['rest'],
  default: ['any', 'any'],
  empty: ['any'],
  coalesce: ['rest'],
  all: ['rest'],
  any: ['rest'],
  ternary: ['any', 'any', 'bool'],
  list: ['rest'],
  first: ['list'],
  last: ['list'],
  rest: ['list'],
  initial: ['list'],
  reverse: ['list'],
  uniq: ['list'],
  compact: ['list'],
  without: ['list', 'rest'],
  has: ['any', 'list'],
  append: ['list', 'any'],
  prepend: ['list', 'any'],
  concat: ['list', 'list'],
  sortAlpha: ['any'],
  chunk: ['int', 'list'],
  dict: ['rest'],
  hasKey: ['map', 'str'],
  keys: ['map'],
  values: ['map'],
  get: ['map', 'str'],
  pick: ['map', 'str'],
  omit: ['map', 'str'],
  pluck: ['str', 'map'],
  dig: ['str', 'any', 'map'],
  merge: ['map', 'map'],
  deepCopy: ['any'],
  kindOf: ['any'],
  typeOf: ['any'],
  kindIs: ['str', 'any'],
  typeIs: ['str', 'any'],
  typeIsLike: ['str', 'any'],
  deepEqual: ['any', 'any'],
  toJson: ['any'],
  toPrettyJson: ['any'],
  toRawJson: ['any'],
  fromJson: ['str'],
  sha1sum: ['str'],
  sha256sum: ['str'],
  adler32sum: ['str'],
  semver: ['ver'],
  semverCompare: ['str', 'ver'],
  urlParse: ['str'],
  fail: ['str'],
} as const;
const SPRIG: ReadonlyMap<string, readonly Shape[]> = new Map(Object.entries(SPRIG_SHAPES));

/**
 * sprig's integer math: operands stay small, because int64 results beyond 2^53 are a known difference
 * (JS numbers; README, compatibility).
 */
const INT_MATH = new Set([
  'seq',
  'add',
  'add1',
  'sub',
  'mul',
  'div',
  'mod',
  'max',
  'min',
  'biggest',
  'int',
  'int64',
]);
const SMALL_OPERANDS = [
  '0',
  '1',
  '2',
  '3',
  '-1',
  '7',
  '.i',
  '.f',
  '2.5',
  '"3"',
  '"x"',
  '.t',
  '.z',
  '.s',
  '(len .l)',
  "'a'",
  '.missing',
  'nil',
];

const INT_LITERALS = [
  '0',
  '1',
  '2',
  '3',
  '-1',
  '7',
  '42',
  '0x1F',
  '1_000',
  "'a'",
  '0o17',
  '0b101',
  '-3',
  '100',
];
const FLOAT_LITERALS = [
  '1.0',
  '2.5',
  '-0.5',
  '1e3',
  '0.1',
  '1.5e-3',
  '3.25',
  '1e21',
  '0x1p4',
  '1234567890.0',
];
const STRINGS = [
  '"a"',
  '"abc"',
  '""',
  '"Hello World"',
  '"x y"',
  '`raw`',
  '"1"',
  '"2.5"',
  '"héllo"',
  '"a,b"',
  '"  pad "',
];
const FIELDS = [
  '.n',
  '.f',
  '.s',
  '.l',
  '.m',
  '.z',
  '.t',
  '.e',
  '.big',
  '.m.k',
  '.m.n',
  '.nested.l',
  '.missing',
  '$.n',
  '.l2',
];
const VERBS = 'vvvsdqxXobcUeEfFgGtTzw'.split('');

/** Random templates over random data: one source of choices per case. */
class Generator {
  private vars: string[] = [];
  private defines: string[] = [];
  private inDefine = false;

  constructor(
    private readonly r: SeededChoices,
    private readonly funcs: readonly string[],
  ) {}

  data(): unknown {
    const r = this.r;
    const num = () => r.pick([0, 1, 2, 3, -1, 2.5, 0.5, 1234567890, 1e21, 100, 42, -0.25, 7]);
    const str = () => r.pick(['a', 'abc', '', 'Hello World', '1', '2.5', 'x,y', 'héllo', 'true']);
    const scalar = () => r.pick<() => unknown>([num, str, () => r.chance(0.5), () => null])();
    const int = () => ({ $int: r.pick([0, 1, 2, 3, -1, 42, 100, 7]) });
    return {
      i: int(),
      li: Array.from({ length: r.int(3) }, int),
      n: num(),
      f: r.pick([2.5, 0.1, -1.5, 1e-7, 3]),
      s: str(),
      l: Array.from({ length: r.int(4) }, scalar),
      l2: Array.from({ length: r.int(3) }, () => r.pick(['b', 'a', 'c', 'a'])),
      m: {
        k: str(),
        n: num(),
        ...(r.chance(0.5) ? { z: null } : {}),
        ...(r.chance(0.3) ? { l: [1, 'x'] } : {}),
      },
      z: null,
      t: r.chance(0.5),
      e: '',
      big: r.pick([1e9, 12345678901, 9007199254740992, 0.000001]),
      nested: { l: [{ a: 1 }, { a: 'x' }], m: { s: 'in' } },
    };
  }

  literal(): string {
    const r = this.r;
    switch (r.int(5)) {
      case 0:
        return r.pick(INT_LITERALS);
      case 1:
        return r.pick(FLOAT_LITERALS);
      case 2:
        return r.pick(['true', 'false']);
      default:
        return r.pick(STRINGS);
    }
  }

  /** An operand: literal, field, variable, dot, or a parenthesised call. */
  operand(depth: number): string {
    const r = this.r;
    const roll = r.random();
    if (roll < 0.3) return this.literal();
    if (roll < 0.6) return r.pick(FIELDS);
    if (roll < 0.68 && this.vars.length > 0) return r.pick(this.vars);
    if (roll < 0.72) return '.';
    if (roll < 0.74) return 'nil';
    if (depth > 0) return `(${this.call(depth - 1)})`;
    return this.literal();
  }

  shaped(shape: Shape, depth: number): string {
    const r = this.r;
    // Counts stay small (no operand fallback): Go would build `repeat 1234567890.0 "x"` for minutes.
    if (shape !== 'int' && r.chance(0.1)) return this.operand(depth);
    switch (shape) {
      case 'str':
        return r.chance(0.7) ? r.pick(STRINGS) : r.pick(['.s', '.m.k', '.e', '.n']);
      case 'int':
        return r.pick(['0', '1', '2', '3', '5', '-1', '.n', '(len .l)', '(add 1 1)', '2.0']);
      case 'num':
        return r.chance(0.5) ? r.pick(INT_LITERALS) : r.pick(FLOAT_LITERALS);
      case 'list':
        return r.pick(['.l', '.l2', '(list 1 2 3)', '(list "b" "a")', '.nested.l', '(list)', '.m']);
      case 'map':
        return r.pick(['.m', '.nested', '.nested.m', '(dict "a" 1 "b" "x")', '(dict)', '.z', '.']);
      case 'bool':
        return r.pick(['true', 'false', '.t', '(eq 1 1)']);
      case 're':
        return r.pick(['"a+"', '"[0-9]"', '"^h"', '"(x)(y)?"', '"["', '"\\\\s"']);
      case 'ver':
        return r.pick(['"1.2.3"', '"v1.0.0-rc.1"', '"2.0"', '"bad"', '">=1.0.0"', '"~1.2"']);
      default:
        return this.operand(depth);
    }
  }

  printf(depth: number): string {
    const r = this.r;
    let format = '';
    const n = 1 + r.int(3);
    let args = 0;
    for (let i = 0; i < n; i++) {
      if (r.chance(0.3)) format += r.pick(['x', ' ', '|', '%%', ':']);
      const flags = Array.from({ length: r.int(3) }, () => r.pick(['-', '+', '#', ' ', '0'])).join('');
      const width = r.chance(0.3) ? String(1 + r.int(10)) : r.chance(0.05) ? '*' : '';
      const prec = r.chance(0.25) ? `.${r.int(6)}` : r.chance(0.03) ? '.*' : r.chance(0.03) ? '.' : '';
      if (width === '*') args++;
      if (prec === '.*') args++;
      const index = r.chance(0.05) ? `[${1 + r.int(3)}]` : '';
      format += `%${flags}${index}${width}${prec}${r.pick(VERBS)}`;
      args++;
    }
    if (r.chance(0.05)) format += '%';
    const argc = Math.max(0, args + (r.chance(0.1) ? r.pick([-1, 1]) : 0));
    const argv = Array.from({ length: argc }, () => this.operand(depth)).filter((a) => a !== 'nil');
    const quoted = JSON.stringify(format);
    return ['printf', quoted, ...argv].join(' ');
  }

  call(depth: number): string {
    const r = this.r;
    const roll = r.random();
    if (roll < 0.22) {
      const op = r.pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'eq']);
      const count = op === 'eq' && r.chance(0.2) ? 3 : 2;
      return [op, ...Array.from({ length: count }, () => this.operand(depth))].join(' ');
    }
    if (roll < 0.3) {
      const op = r.pick(['and', 'or', 'not']);
      const count = op === 'not' ? 1 : 1 + r.int(3);
      return [op, ...Array.from({ length: count }, () => this.operand(depth))].join(' ');
    }
    if (roll < 0.45) return this.printf(depth);
    if (roll < 0.5) {
      const fn = r.pick(['print', 'println', 'html', 'js', 'urlquery']);
      return [fn, ...Array.from({ length: r.int(4) }, () => this.operand(depth))].join(' ');
    }
    if (roll < 0.57) {
      const target = r.pick(['.l', '.m', '.s', '"abc"', '.nested.l', '.z', '.n', '(list 1 2)']);
      const keys = Array.from({ length: r.int(3) }, () =>
        r.pick(['0', '1', '5', '-1', '"k"', '"n"', '.n', '1.0', 'nil']),
      );
      return ['index', target, ...keys].join(' ');
    }
    if (roll < 0.62)
      return `len ${r.pick(['.l', '.m', '.s', '"héllo"', '.n', '.z', '.missing', '(list 1)'])}`;
    const sprig = this.funcs.filter((f) => SPRIG.has(f));
    if (sprig.length === 0) return this.printf(depth);
    const fn = r.pick(sprig);
    const shapes = SPRIG.get(fn) ?? [];
    const args: string[] = [];
    const arg = (shape: Shape): string =>
      INT_MATH.has(fn)
        ? r.pick(SMALL_OPERANDS)
        : shape === 'rest'
          ? this.operand(depth)
          : this.shaped(shape, depth);
    for (const shape of shapes) {
      if (shape === 'rest') for (let i = r.int(4); i > 0; i--) args.push(arg(shape));
      else args.push(arg(shape));
    }
    if (r.chance(0.04)) args.pop();
    const call = [fn, ...args].join(' ');
    // Go ranges over a map in random order: sort what keys and values return.
    return (fn === 'keys' || fn === 'values') && this.funcs.includes('sortAlpha')
      ? `sortAlpha (${call})`
      : call;
  }

  /** A pipeline, sometimes with a piped second stage. */
  pipeline(depth: number): string {
    const r = this.r;
    const first = r.chance(0.6) ? this.call(depth) : this.operand(depth);
    if (!r.chance(0.15)) return first;
    const next = r.pick([
      'print',
      'printf "%v"',
      'len',
      'not',
      'eq 1',
      'html',
      'quote',
      'upper',
      'default "d"',
      'toString',
    ]);
    const name = next.split(' ')[0] ?? '';
    return this.funcs.includes(name) ? `${first} | ${next}` : first;
  }

  action(pipe: string): string {
    const r = this.r;
    const left = r.chance(0.1) ? '{{- ' : '{{';
    const right = r.chance(0.1) ? ' -}}' : '}}';
    return `${left}${pipe}${right}`;
  }

  text(): string {
    return this.r.pick(['', ' ', 'x', '\n', ' - ', '\t|', 'ok ']);
  }

  /** A list of template items; control structures nest up to `depth`. */
  items(depth: number, inRange: boolean): string {
    const r = this.r;
    const count = 1 + r.int(3);
    let out = '';
    for (let i = 0; i < count; i++) {
      out += this.text();
      const roll = r.random();
      if (roll < 0.45 || depth === 0) {
        out += this.action(this.pipeline(1));
      } else if (roll < 0.52) {
        const name = `$v${this.vars.length}`;
        out += this.action(`${name} := ${this.pipeline(1)}`);
        this.vars.push(name);
        out += this.action(r.chance(0.5) ? name : `${name} = ${this.operand(1)}`);
      } else if (roll < 0.64) {
        out += `{{if ${this.pipeline(1)}}}${this.items(depth - 1, inRange)}`;
        if (r.chance(0.3)) out += `{{else if ${this.pipeline(1)}}}${this.items(depth - 1, inRange)}`;
        if (r.chance(0.5)) out += `{{else}}${this.items(depth - 1, inRange)}`;
        out += '{{end}}';
      } else if (roll < 0.74) {
        const mark = this.vars.length;
        const target = r.pick([
          '.l',
          '.m',
          '.l2',
          '.n',
          '3',
          '.z',
          '(list 1 2)',
          '.nested.l',
          '.s',
          '2.5',
          '-1',
        ]);
        const decl = r.pick(['', '$e := ', '$i, $e := ']);
        if (decl.includes('$i')) this.vars.push('$i');
        if (decl !== '') this.vars.push('$e');
        out += `{{range ${decl}${target}}}${this.items(depth - 1, true)}`;
        if (r.chance(0.3)) out += `{{else}}${this.items(depth - 1, inRange)}`;
        out += '{{end}}';
        this.vars.length = mark;
      } else if (roll < 0.8) {
        out += `{{with ${this.pipeline(1)}}}${this.items(depth - 1, inRange)}`;
        if (r.chance(0.2)) out += `{{else with ${this.pipeline(1)}}}${this.items(depth - 1, inRange)}`;
        if (r.chance(0.3)) out += `{{else}}${this.items(depth - 1, inRange)}`;
        out += '{{end}}';
      } else if (roll < 0.86 && !this.inDefine) {
        const name = r.pick(['t1', 't2']);
        if (!this.defines.includes(name)) this.defines.push(name);
        out += `{{template "${name}" ${r.pick(['.', '.m', '.nested', '.z', '.missing', '.l', ''])}}}`;
      } else if (roll < 0.89 && !this.inDefine) {
        out += `{{block "b${r.int(2)}" ${r.pick(['.', '.m', '.z'])}}}${this.items(0, false)}{{end}}`;
      } else if (roll < 0.93) {
        out += `{{/* ${r.pick(['c', 'comment', ''])} */}}`;
        if (r.chance(0.3)) out += '{{- /* trimmed */ -}}';
      } else if (inRange && roll < 0.97) {
        out += `{{if ${this.operand(0)}}}{{${r.pick(['break', 'continue'])}}}{{end}}`;
      } else {
        out += this.action(this.pipeline(2));
      }
    }
    return out;
  }

  template(): string {
    const saved = this.vars;
    this.vars = [];
    const body = this.items(2, false);
    let defs = '';
    this.inDefine = true;
    for (const name of this.defines) {
      this.vars = [];
      defs += `{{define "${name}"}}${this.items(1, false)}{{end}}`;
    }
    this.vars = saved;
    return this.r.chance(0.5) ? defs + body : body + defs;
  }
}

/** `count` cases from `seed`, calling only functions in `funcs` (our registry's names). */
export function templateCases(seed: number, count: number, funcs: readonly string[]): TemplateCase[] {
  const r = seededChoices(seed);
  return Array.from({ length: count }, () => {
    const g = new Generator(r, funcs);
    let template = g.template();
    // Now and then a broken template: both sides must reject it.
    if (r.chance(0.03) && template.length > 0) {
      const at = r.int(template.length);
      template = template.slice(0, at) + template.slice(at + 1 + r.int(3));
    }
    return { template, data: g.data() };
  });
}
