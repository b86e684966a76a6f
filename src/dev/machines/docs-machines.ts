/**
 * `npm run docs:machines`: writes docs/machines/<strategy>.md for every registered Rollout strategy, from
 * its machine definition. `--check` writes nothing and exits 1 when a committed page differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_ORDER, PRE_COMMIT, rolloutStrategies } from '../../rollouts/index.js';
import { renderMachineDiagram } from './diagram.js';

export interface MachinePage {
  /** Relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

const executorOrder = [
  '## Named actions, in the order the executor runs them',
  '',
  '`transition()` returns these as plain data; the executor (src/rollouts/controller/) runs them in this',
  'fixed order whatever order the machine emitted them in. The first group runs before status is written.',
  '',
  ...ACTION_ORDER.map(
    (type, i) => `${i + 1}. \`${type}\`${PRE_COMMIT.has(type) ? ' (before the status write)' : ''}`,
  ),
].join('\n');

export function machinePages(): MachinePage[] {
  return rolloutStrategies.map((s) => ({
    path: `docs/machines/${s.name}.md`,
    content: renderMachineDiagram({
      title: `The ${s.name} Rollout machine`,
      source: s.machineSource,
      machine: s.machine,
      epilogue: executorOrder,
    }),
  }));
}

function main(argv: readonly string[]): number {
  const root = process.cwd();
  const check = argv.includes('--check');
  let stale = 0;
  for (const page of machinePages()) {
    const file = join(root, page.path);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === page.content) continue;
    if (check) {
      process.stderr.write(`${page.path} is out of date: run npm run docs:machines\n`);
      stale++;
    } else {
      writeFileSync(file, page.content);
      process.stdout.write(`wrote ${page.path}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
