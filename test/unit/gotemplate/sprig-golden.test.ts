import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../../src/errors/index.js';
import { parse } from '../../../src/gotemplate/index.js';
import { decodeData } from './golden-data.js';

/**
 * Golden tables for sprig's functions: answers from Go's text/template + sprig v3.3.0 (regenerate
 * with `node --import tsx bench/sprig-golden/regen.ts`), except cases marked `manual` or pinned to
 * a `now`. An error case passes when Slipway's message contains `errorMatch`, else Go's `error`.
 */
interface SprigCase {
  readonly name: string;
  readonly template: string;
  readonly data?: unknown;
  readonly expected?: string;
  readonly error?: string;
  readonly errorMatch?: string;
  readonly now?: string;
  /** A known difference from Go, with the reason; the case is reported as skipped. */
  readonly skip?: string;
}

const DEFAULT_NOW = '2024-03-05T07:08:09.123Z';
const dir = new URL('../../golden/gotemplate/sprig/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

function run(c: SprigCase): string {
  const now = new Date(c.now ?? DEFAULT_NOW);
  const data = decodeData(c.data ?? null, () => now);
  return parse(c.name, c.template).execute(data, { now });
}

for (const file of files) {
  const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as SprigCase[];
  describe(`sprig golden ${file}`, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.template}`, { skip: c.skip ?? false }, () => {
        if (c.error === undefined) {
          assert.equal(run(c), c.expected);
          return;
        }
        assert.throws(
          () => run(c),
          (err: unknown) => {
            assert.ok(err instanceof SlipwayError, `expected a SlipwayError, got ${String(err)}`);
            // Go's own message; `errorMatch` is the wording kept where Slipway's still differs
            const wanted = [c.error, c.errorMatch].filter((w): w is string => w !== undefined);
            assert.ok(
              wanted.some((w) => err.message.includes(w)),
              `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(wanted)}`,
            );
            return true;
          },
        );
      });
    }
  });
}
