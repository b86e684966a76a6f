import { def, type GoFunc } from './functions.js';
import {
  compileGoRegexp,
  mustRegexMatch,
  regexFind,
  regexFindAll,
  regexMatch,
  regexQuoteMeta,
  regexReplaceAll,
  regexReplaceAllLiteral,
  regexSplit,
} from './regex.js';
import { typed } from './sprig-typed.js';

/**
 * sprig's regex.go. The plain functions use regexp.MustCompile, so a bad pattern is an error either
 * way (except regexMatch, which answers false); the must twins differ only in the message.
 */

function compiled<A extends unknown[], R>(fn: (pattern: string, ...rest: A) => R) {
  return (pattern: string, ...rest: A): R => {
    compileGoRegexp(pattern);
    return fn(pattern, ...rest);
  };
}

const findAll = (p: string, s: string, n: number): string[] => typed(regexFindAll(p, s, n), '[]string');
const split = (p: string, s: string, n: number): string[] => typed(regexSplit(p, s, n), '[]string');

export const SPRIG_REGEX: Readonly<Record<string, GoFunc>> = {
  regexMatch: def(['string', 'string'], regexMatch),
  mustRegexMatch: def(['string', 'string'], mustRegexMatch),
  regexFind: def(['string', 'string'], compiled(regexFind)),
  mustRegexFind: def(['string', 'string'], compiled(regexFind)),
  regexFindAll: def(['string', 'string', 'int'], compiled(findAll)),
  mustRegexFindAll: def(['string', 'string', 'int'], compiled(findAll)),
  regexReplaceAll: def(['string', 'string', 'string'], regexReplaceAll),
  mustRegexReplaceAll: def(['string', 'string', 'string'], regexReplaceAll),
  regexReplaceAllLiteral: def(['string', 'string', 'string'], compiled(regexReplaceAllLiteral)),
  mustRegexReplaceAllLiteral: def(['string', 'string', 'string'], compiled(regexReplaceAllLiteral)),
  regexSplit: def(['string', 'string', 'int'], compiled(split)),
  mustRegexSplit: def(['string', 'string', 'int'], compiled(split)),
  regexQuoteMeta: def(['string'], regexQuoteMeta),
};
