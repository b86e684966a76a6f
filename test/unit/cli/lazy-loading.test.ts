// `slipway controller --controllers rollouts` loads the Rollout controller and not the rest of Slipway:
// the CLI imports a command, a controller module and the dashboard with `import()` when it needs them
// (bench/baseline-memory.ts measures what that saves). These tests follow the static imports, which
// load with the file, and check that none of them reaches code that should load on demand.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { knownModuleNames } from '../../../src/cli/controller-modules.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `import … from`, `export … from` and bare `import '…'` statements, without `import type` and
 * `export type` (erased). `import { type A }` stays: with verbatimModuleSyntax it still loads its file.
 */
const STATIC_IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** The files a source file loads with it (ours, as paths from the root) and the packages it loads. */
function staticImports(file: string): { files: string[]; packages: string[] } {
  const files: string[] = [];
  const packages: string[] = [];
  for (const m of readFileSync(join(root, file), 'utf8').matchAll(STATIC_IMPORT)) {
    if (m[2] !== undefined) continue;
    const spec = m[3] ?? '';
    if (!spec.startsWith('.')) {
      if (!spec.startsWith('node:')) packages.push(spec);
      continue;
    }
    const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
    assert.ok(existsSync(join(root, target)), `${file} imports ${spec}, which does not exist`);
    files.push(target);
  }
  return { files, packages };
}

/** Every file and package loaded, transitively, when `entry` loads. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const found = staticImports(file);
    for (const p of found.packages) packages.add(p);
    todo.push(...found.files);
  }
  return { files, packages };
}

const rel = (p: string) => relative(root, join(root, p));

describe('lazy loading', () => {
  it('the CLI entry loads no command until it runs one', () => {
    const { files } = closure('src/cli/main.ts');
    const commands = [...files].filter((f) => f.startsWith(rel('src/cli/commands/')));
    assert.deepEqual(commands, []);
  });

  it('the controller command loads no controller module, nor the dashboard, until they run', () => {
    const { files, packages } = closure('src/cli/commands/controller.ts');
    const indexes = [...knownModuleNames, 'dashboard'].map((m) => rel(`src/${m}/index.ts`));
    assert.deepEqual(
      indexes.filter((f) => files.has(f)),
      [],
    );
    const onDemand = ['@slack/web-api', 'prometheus-query', 'xstate', 'diff', '@kubernetes/client-node'];
    assert.deepEqual(
      onDemand.filter((p) => packages.has(p)),
      [],
    );
  });

  it('the Rollout controller loads the Prometheus client only when an analysis queries Prometheus', () => {
    assert.ok(!closure('src/rollouts/index.ts').packages.has('prometheus-query'));
  });

  it('the notifications module loads the Slack client only when a Slack service is used', () => {
    assert.ok(!closure('src/notifications/index.ts').packages.has('@slack/web-api'));
  });

  it('the scanner sees the imports it is meant to see', () => {
    // a guard against a scanner that finds nothing and so passes the tests above
    const { files, packages } = closure('src/rollouts/index.ts');
    assert.ok(files.has(rel('src/analysis/index.ts')));
    assert.ok(packages.has('xstate'));
  });
});
