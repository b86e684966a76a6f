import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { replaceString } from '../../../src/applicationsets/index.js';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly params: Record<string, unknown>;
  readonly goTemplate?: boolean;
  readonly options?: string[];
  readonly expect?: string;
  readonly error?: string;
}

const cases = parse(
  readFileSync(new URL('../../golden/applicationsets/templates.yaml', import.meta.url), 'utf8'),
) as Case[];

describe('applicationsets: template strings (golden)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const mode = { goTemplate: c.goTemplate === true, goTemplateOptions: c.options ?? [] };
      if (c.error !== undefined) {
        assert.throws(
          () => replaceString(c.text, c.params, mode),
          (err: Error) => err.message.includes(c.error as string) || assert.fail(err.message),
        );
      } else assert.equal(replaceString(c.text, c.params, mode), c.expect);
    });
  }
});
