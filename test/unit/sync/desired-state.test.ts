import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { KubeClient } from '../../../src/kube/index.js';
import { type Application, DesiredStateCache, type RepoCache } from '../../../src/sync/index.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {k: v}\n`;

describe('desired state cache', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-desired-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps cached renders within its byte budget, dropping the least recently used', async () => {
    const tree = join(root, 'tree');
    for (const app of ['a', 'b', 'c']) {
      mkdirSync(join(tree, app), { recursive: true });
      writeFileSync(join(tree, app, 'cm.yaml'), cm(app).padEnd(1000, '\n'));
    }
    let checkouts = 0;
    const repos = {
      checkout: async () => {
        checkouts++;
        return tree;
      },
    } as unknown as RepoCache;
    const client = { discovery: { resolve: async () => ({ namespaced: true }) } } as unknown as KubeClient;
    const cache = new DesiredStateCache({ client, repos, workDir: root, cacheBytes: 2500 });
    const app = (name: string) =>
      ({
        metadata: { name, namespace: 'argocd' },
        spec: { source: { repoURL: 'file:///r', path: name }, destination: { namespace: 'ns' } },
      }) as Application;
    const a = await cache.load(app('a'), 'sha');
    assert.equal(a.bytes, 1000);
    await cache.load(app('b'), 'sha');
    await cache.load(app('a'), 'sha'); // a is now the most recently used
    assert.equal(checkouts, 2, 'a came from the cache');
    await cache.load(app('c'), 'sha'); // 3,000 bytes > 2,500: b goes
    await cache.load(app('a'), 'sha');
    assert.equal(checkouts, 3, 'a is still cached');
    await cache.load(app('b'), 'sha');
    assert.equal(checkouts, 4, 'b was dropped and rendered again');
  });
});
