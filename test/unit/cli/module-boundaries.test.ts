import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Where `process.env` may still be read: the CLI's one reader, the dev tooling and the demo, the
 * render-tool locations (shared with the dev build, the test runner and the shipped image), child
 * processes inheriting PATH/HOME, and the kubeconfig loader's injectable default (client-go's rules).
 */
const envReaders = new Set([
  'src/cli/environment.ts',
  'src/demo/narrator.ts',
  'src/sync/render/tools.ts',
  'src/sync/render/tool-env.ts',
  'src/sync/source/git.ts',
  'src/sync/run-process.ts',
  'src/kube/kubeconfig.ts',
]);

describe('module boundaries', () => {
  it('only the CLI reads configuration from the environment', () => {
    const readers = sources('src')
      .map((f) => relative(root, join(root, f)))
      .filter((f) => !f.startsWith('src/dev/') && !envReaders.has(f))
      .filter((f) => /process\.env\b/.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(readers, [], 'read it in src/cli/environment.ts and pass it down as an option');
  });

  it('the rollouts and sync index files list their exports', () => {
    const indexes = ['src/rollouts', 'src/sync']
      .flatMap((d) => sources(d))
      .filter((f) => f.endsWith('index.ts'));
    assert.ok(indexes.length > 2);
    const starred = indexes.filter((f) =>
      /^export (type )?\* from/m.test(readFileSync(join(root, f), 'utf8')),
    );
    assert.deepEqual(starred, []);
  });
});
