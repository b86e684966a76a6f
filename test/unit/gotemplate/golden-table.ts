// What the template golden tables share: reading every table of a folder, rendering a case on its clock,
// and checking it renders `expected` or fails with a SlipwayError the table accepts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { SlipwayError } from '../../../src/errors/index.js';
import { type ParseOptions, parse } from '../../../src/gotemplate/index.js';
import { decodeData } from './golden-data.js';

/** One golden case: exactly one of `expected` (output) or `error` is set. */
export interface TemplateCase {
  readonly name: string;
  readonly template: string;
  readonly data?: unknown;
  readonly expected?: string;
  readonly error?: string;
  /** The clock of `now` and the `time` namespace. Default: 2024-03-05T07:08:09.123Z. */
  readonly now?: string;
}

const DEFAULT_NOW = '2024-03-05T07:08:09.123Z';

/** Every `*.json` table in `dir`, by file name, in name order. */
export function goldenTables<T extends TemplateCase>(dir: URL): [file: string, cases: T[]][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T[]]);
}

export function renderCase(c: TemplateCase, options?: ParseOptions): string {
  const now = new Date(c.now ?? DEFAULT_NOW);
  const data = decodeData(c.data ?? null, () => now);
  return parse(c.name, c.template, options).execute(data, { now });
}

/** `render()` gives `c.expected`, or, for an error case, throws a SlipwayError that `checkError` accepts. */
export function checkCase(
  c: TemplateCase,
  render: () => string,
  checkError: (err: SlipwayError) => void,
): void {
  if (c.error === undefined) {
    assert.equal(render(), c.expected);
    return;
  }
  assert.throws(render, (err: unknown) => {
    assert.ok(err instanceof SlipwayError, `expected a SlipwayError, got ${String(err)}`);
    checkError(err);
    return true;
  });
}
