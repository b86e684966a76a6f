import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParseOptions } from '../../../src/gotemplate/index.js';
import { checkCase, goldenTables, renderCase, type TemplateCase } from './golden-table.js';

/** One golden case: exactly one of `expected` (output) or `error` (message substring) is set. */
interface GoldenCase extends TemplateCase {
  readonly code?: string;
  readonly options?: ParseOptions;
}

for (const [file, cases] of goldenTables<GoldenCase>(new URL('../../golden/gotemplate/', import.meta.url))) {
  describe(`golden ${file}`, () => {
    for (const c of cases) {
      it(c.name, () =>
        checkCase(
          c,
          () => renderCase(c, c.options),
          (err) => {
            assert.ok(err.message.includes(c.error ?? ''), `message ${JSON.stringify(err.message)}`);
            if (c.code) assert.equal(err.code, c.code);
          },
        ),
      );
    }
  });
}
