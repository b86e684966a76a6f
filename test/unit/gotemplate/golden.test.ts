import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../../src/errors/index.js';
import { type ParseOptions, parse } from '../../../src/gotemplate/index.js';
import { decodeData } from './golden-data.js';

/** One golden case: exactly one of `expected` (output) or `error` (message substring) is set. */
interface GoldenCase {
  readonly name: string;
  readonly template: string;
  readonly data?: unknown;
  readonly expected?: string;
  readonly error?: string;
  readonly code?: string;
  readonly now?: string;
  readonly options?: ParseOptions;
}

const DEFAULT_NOW = '2024-03-05T07:08:09.123Z';
const dir = new URL('../../golden/gotemplate/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

function run(c: GoldenCase): string {
  const now = new Date(c.now ?? DEFAULT_NOW);
  const data = decodeData(c.data ?? null, () => now);
  return parse(c.name, c.template, c.options).execute(data, { now });
}

for (const file of files) {
  const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as GoldenCase[];
  describe(`golden ${file}`, () => {
    for (const c of cases) {
      it(c.name, () => {
        if (c.error === undefined) {
          assert.equal(run(c), c.expected);
          return;
        }
        assert.throws(
          () => run(c),
          (err: unknown) => {
            assert.ok(err instanceof SlipwayError, `expected a SlipwayError, got ${String(err)}`);
            assert.ok(err.message.includes(c.error ?? ''), `message ${JSON.stringify(err.message)}`);
            if (c.code) assert.equal(err.code, c.code);
            return true;
          },
        );
      });
    }
  });
}
