import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goJsonSyntaxError } from '../../../src/go/index.js';

// Go 1.26 encoding/json's messages for the same texts (json.Unmarshal into any).
const CASES: readonly (readonly [string, string | undefined])[] = [
  ['[{"type":"AbleToScale"}]', undefined],
  [' 1 ', undefined],
  ['-0.5e+3', undefined],
  ['', 'unexpected end of JSON input'],
  ['[1,', 'unexpected end of JSON input'],
  ['{bad', "invalid character 'b' looking for beginning of object key string"],
  ['{"a" 1}', "invalid character '1' after object key"],
  ['{"a":1 "b"}', `invalid character '"' after object key:value pair`],
  ['[1 2]', "invalid character '2' after array element"],
  ['[1,]', "invalid character ']' looking for beginning of value"],
  ['01', "invalid character '1' after top-level value"],
  ['nul', "invalid character ' ' in literal null (expecting 'l')"],
  ['tru', "invalid character ' ' in literal true (expecting 'e')"],
  ['fx', "invalid character 'x' in literal false (expecting 'a')"],
  ['-', "invalid character ' ' in numeric literal"],
  ['1e', "invalid character ' ' in exponent of numeric literal"],
  ['1.x', "invalid character 'x' after decimal point in numeric literal"],
  ['"\\q"', "invalid character 'q' in string escape code"],
  ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
  ['"a\nb"', "invalid character '\\n' in string literal"],
  ["'x'", "invalid character '\\'' looking for beginning of value"],
  ['é', "invalid character 'Ã' looking for beginning of value"],
  ['\u0085', "invalid character 'Â' looking for beginning of value"],
  ['[\u0001]', "invalid character '\\x01' looking for beginning of value"],
];

describe("Go encoding/json's syntax errors", () => {
  for (const [text, want] of CASES)
    it(JSON.stringify(text), () => assert.equal(goJsonSyntaxError(text), want));
});
