import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCase, goldenTables, renderCase, type TemplateCase } from './golden-table.js';

/**
 * Golden tables for sprig's functions: answers from Go's text/template + sprig v3.3.0 (regenerate
 * with `node --import tsx bench/sprig-golden/regen.ts`), except cases marked `manual` or pinned to
 * a `now`. An error case passes when Slipway's message contains `errorMatch`, else Go's `error`.
 */
interface SprigCase extends TemplateCase {
  readonly errorMatch?: string;
  /** A known difference from Go, with the reason; the case is reported as skipped. */
  readonly skip?: string;
}

for (const [file, cases] of goldenTables<SprigCase>(
  new URL('../../golden/gotemplate/sprig/', import.meta.url),
)) {
  describe(`sprig golden ${file}`, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.template}`, { skip: c.skip ?? false }, () =>
        checkCase(
          c,
          () => renderCase(c),
          (err) => {
            // Go's own message; `errorMatch` is the wording kept where Slipway's still differs
            const wanted = [c.error, c.errorMatch].filter((w): w is string => w !== undefined);
            assert.ok(
              wanted.some((w) => err.message.includes(w)),
              `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(wanted)}`,
            );
          },
        ),
      );
    }
  });
}
