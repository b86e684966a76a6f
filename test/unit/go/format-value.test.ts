import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatF, formatG, formatGoNumber, formatGoValue } from '../../../src/go/index.js';
import { readGolden } from '../../support/golden.js';

interface Case {
  readonly value?: unknown;
  readonly number?: string;
  readonly v: string;
}
const golden = readGolden<{
  values: Case[];
  numbers: Case[];
  float_g_shortest: Case[];
  float_f_shortest: Case[];
}>('go/format-value.json');

describe('formatGoValue (%v) golden', () => {
  for (const c of golden.values) it(JSON.stringify(c.value), () => assert.equal(formatGoValue(c.value), c.v));
  for (const c of golden.numbers)
    it(`number ${c.number}`, () => {
      assert.equal(formatGoNumber(Number(c.number)), c.v);
      assert.equal(formatGoValue(Number(c.number)), c.v);
    });
  for (const c of golden.float_g_shortest)
    it(`%g ${c.number}`, () => assert.equal(formatG(Number(c.number)), c.v));
  for (const c of golden.float_f_shortest)
    it(`'f', -1 ${c.number}`, () => assert.equal(formatF(Number(c.number), -1), c.v));
});

describe('formatGoValue hooks', () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: string,
    ) {}
  }
  it('prints structs as {a b}, functions as <func>, bigints in decimal, undefined as <nil>', () => {
    assert.equal(formatGoValue(new Point(1, 'a')), '{1 a}');
    assert.equal(
      formatGoValue(() => 1),
      '<func>',
    );
    assert.equal(formatGoValue(12345678901234567890n), '12345678901234567890');
    assert.equal(formatGoValue(undefined), '<nil>');
  });
  it('lets an engine print its own values, maps and other objects', () => {
    const format = {
      text: (v: unknown) => (v instanceof Point ? `(${v.x},${v.y})` : undefined),
      entries: (v: object) => (v instanceof Map ? [...v.entries()] : undefined),
      other: () => '<obj>',
    };
    assert.equal(formatGoValue([new Point(1, 'a')], format), '[(1,a)]');
    assert.equal(
      formatGoValue(
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
        format,
      ),
      'map[a:1 b:2]',
    );
    assert.equal(formatGoValue({ a: 1 }, format), '<obj>');
    assert.equal(formatGoValue([1, [2]], { element: (x) => `<${String(x)}>` }), '[<1> <2>]');
  });
  it('stops at maxDepth with the engine error', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5; i++) deep = [deep];
    assert.equal(formatGoValue(deep, { maxDepth: 5 }), '[[[[[1]]]]]');
    assert.throws(
      () => formatGoValue(deep, { maxDepth: 4, tooDeep: (n) => new Error(`deeper than ${n}`) }),
      /deeper than 4/,
    );
  });
});
