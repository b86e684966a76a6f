/**
 * Regenerates the Go answers in test/golden/gotemplate/sprig/*.json from the sprig golden oracle
 * (bench/sprig-golden/build.sh). Cases marked `"manual": true` or with a pinned `now` (Go's `now` is
 * the real clock) keep their hand-written answers. Run: node --import tsx bench/sprig-golden/regen.ts
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

interface Case {
  name: string;
  template: string;
  data?: unknown;
  expected?: string;
  error?: string;
  manual?: boolean;
  now?: string;
}

const here = new URL('.', import.meta.url).pathname;
const dir = new URL('../../test/golden/gotemplate/sprig/', import.meta.url).pathname;
const oracle =
  execFileSync('bash', [`${here}build.sh`], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop() ?? '';

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const cases = JSON.parse(readFileSync(dir + file, 'utf8')) as Case[];
  const todo = cases.filter((c) => c.manual !== true && c.now === undefined);
  const input = JSON.stringify(
    todo.map((c) => ({ name: c.name, template: c.template, data: c.data ?? null })),
  );
  const answers = JSON.parse(execFileSync(oracle, { input, encoding: 'utf8' })) as {
    expected?: string;
    error?: string;
  }[];
  todo.forEach((c, i) => {
    const a = answers[i] ?? {};
    delete c.expected;
    delete c.error;
    if (a.error !== undefined) c.error = a.error;
    else c.expected = a.expected ?? '';
  });
  writeFileSync(dir + file, `${JSON.stringify(cases, null, 2)}\n`);
  console.log(`${file}: ${todo.length} cases from Go, ${cases.length - todo.length} manual`);
}
