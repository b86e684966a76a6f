import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LexError, lex, type TokenType } from '../../../src/gotemplate/lexer.js';

const kinds = (text: string): [TokenType, string][] => lex(text).map((t) => [t.type, t.val]);

describe('lexer (cases after Go parse/lex_test.go)', () => {
  it('lexes empty input and plain text', () => {
    assert.deepEqual(kinds(''), [['eof', '']]);
    assert.deepEqual(kinds('now is the time'), [
      ['text', 'now is the time'],
      ['eof', ''],
    ]);
  });

  it('drops comments, with and without trim markers', () => {
    assert.deepEqual(kinds('hello-{{/* this is a comment */}}-world'), [
      ['text', 'hello-'],
      ['text', '-world'],
      ['eof', ''],
    ]);
    assert.deepEqual(kinds('hello- {{- /* c */ -}} -world'), [
      ['text', 'hello-'],
      ['text', '-world'],
      ['eof', ''],
    ]);
  });

  it('lexes punctuation, keywords and operands', () => {
    assert.deepEqual(kinds('{{range $i, $v := .x | printf "%d" (len .y)}}'), [
      ['leftDelim', '{{'],
      ['keyword', 'range'],
      ['space', ' '],
      ['variable', '$i'],
      ['char', ','],
      ['space', ' '],
      ['variable', '$v'],
      ['space', ' '],
      ['declare', ':='],
      ['space', ' '],
      ['field', '.x'],
      ['space', ' '],
      ['pipe', '|'],
      ['space', ' '],
      ['identifier', 'printf'],
      ['space', ' '],
      ['string', '"%d"'],
      ['space', ' '],
      ['leftParen', '('],
      ['identifier', 'len'],
      ['space', ' '],
      ['field', '.y'],
      ['rightParen', ')'],
      ['rightDelim', '}}'],
      ['eof', ''],
    ]);
  });

  it('lexes numbers, chars, bools, nil and dots', () => {
    const vals = lex("{{1 02 0x14 -7.2i 1e3 +1.2e-4 'a' true nil . .x.y $}}")
      .filter((t) => t.type !== 'space')
      .map((t) => `${t.type}:${t.val}`);
    assert.deepEqual(vals, [
      'leftDelim:{{',
      'number:1',
      'number:02',
      'number:0x14',
      'number:-7.2i',
      'number:1e3',
      'number:+1.2e-4',
      "charConstant:'a'",
      'bool:true',
      'nil:nil',
      'dot:.',
      'field:.x',
      'field:.y',
      'variable:$',
      'rightDelim:}}',
      'eof:',
    ]);
  });

  it('trims around trim markers but keeps "-3" as a number', () => {
    assert.deepEqual(kinds('a \n{{- 3 -}}\n b'), [
      ['text', 'a'],
      ['leftDelim', '{{'],
      ['number', '3'],
      ['rightDelim', '}}'],
      ['text', 'b'],
      ['eof', ''],
    ]);
    assert.deepEqual(kinds('{{-3}}').slice(1, 2), [['number', '-3']]);
  });

  it('reports lexing errors with positions', () => {
    const cases: [string, string, number][] = [
      ['{{', 'unclosed action', 2],
      ['{{"abc}}', 'unterminated quoted string', 2],
      ['{{`abc}}', 'unterminated raw quoted string', 2],
      ["{{'a}}", 'unterminated character constant', 2],
      ['{{3k}}', 'bad number syntax: "3k"', 2],
      ['{{(3}}', 'unclosed left paren', 4],
      ['{{3)}}', 'unexpected right paren', 3],
      ['{{/* x', 'unclosed comment', 0],
    ];
    for (const [text, message, pos] of cases) {
      assert.throws(
        () => lex(text),
        (e: unknown) => e instanceof LexError && e.message === message && e.pos === pos,
        text,
      );
    }
  });
});
