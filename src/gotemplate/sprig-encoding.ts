import { FuncError } from './errors.js';
import { def, type GoFunc } from './functions.js';
import { goJson } from './go-json.js';
import { goJsonSyntaxError } from './json-syntax.js';

/** sprig's JSON functions (defaults.go): the plain ones swallow errors, the must ones report them. */

const quietJson = (v: unknown, indent: string, escapeHtml: boolean): string => {
  try {
    return goJson(v, indent, escapeHtml);
  } catch {
    return '';
  }
};

function mustFromJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch (err) {
    throw new FuncError(err instanceof SyntaxError ? goJsonSyntaxError(s) : String(err));
  }
}

/** sprig's JSON encoding and decoding functions. */
export const SPRIG_ENCODING: Readonly<Record<string, GoFunc>> = {
  toJson: def(['any'], (v) => quietJson(v, '', true)),
  toPrettyJson: def(['any'], (v) => quietJson(v, '  ', true)),
  toRawJson: def(['any'], (v) => goJson(v, '', false)),
  mustToJson: def(['any'], (v) => goJson(v, '', true)),
  mustToPrettyJson: def(['any'], (v) => goJson(v, '  ', true)),
  mustToRawJson: def(['any'], (v) => goJson(v, '', false)),
  fromJson: def(['string'], (s) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return null;
    }
  }),
  mustFromJson: def(['string'], mustFromJson),
};
