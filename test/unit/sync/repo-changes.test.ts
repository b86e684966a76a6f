import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../../src/observability/index.js';
import { noCredentials, RepoCache, RepoPoller } from '../../../src/sync/source/index.js';
import { TestRepo } from '../../support/git/repo.js';
import { eventually } from '../../support/kube.js';

// A push is reported once, whoever's ls-remote sees it first. The poller used to compare its answer
// with the refs the shared cache knew before its own ls-remote: when a reconcile resolving a revision
// (maxAge = the poll interval) had stored the new refs in between, the poller saw no change and the
// other Applications of the repository never heard of the commit until their periodic reconcile.

describe('sync: repository changes', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-repo-changes-'));
  const repos: TestRepo[] = [];
  after(() => {
    for (const r of repos) r.dispose();
    rmSync(root, { recursive: true, force: true });
  });
  const setup = (name: string) => {
    const repo = TestRepo.create({ 'a.yaml': 'round: 0\n' });
    repos.push(repo);
    const cache = new RepoCache({ dir: join(root, name), credentials: noCredentials });
    return { repo, cache };
  };

  it('the cache reports a change of refs whoever asked, once, and not the first answer', async () => {
    const { repo, cache } = setup('cache');
    const changed: string[] = [];
    cache.onRefsChanged((url) => changed.push(url));
    await cache.refs(repo.url, 0);
    assert.deepEqual(changed, [], 'the first answer is no change');
    repo.write({ 'a.yaml': 'round: 1\n' });
    const sha = repo.commit('round 1');
    // a reconcile resolving HEAD sees the push first
    assert.equal(await cache.resolve(repo.url, 'HEAD', 0), sha);
    assert.deepEqual(changed, [repo.url]);
    // the poller's ls-remote after it: nothing new
    await cache.refs(repo.url, 0);
    assert.deepEqual(changed, [repo.url]);
    // forgotten refs (a webhook, a hard refresh) are still compared with the last ones seen
    cache.invalidate(repo.url);
    await cache.refs(repo.url, 0);
    assert.deepEqual(changed, [repo.url]);
    repo.commit('round 2');
    cache.invalidate(repo.url);
    await cache.refs(repo.url, 0);
    assert.deepEqual(changed, [repo.url, repo.url]);
  });

  it('the poller reports a push a reconcile’s ls-remote saw before the poller’s own', async () => {
    const { repo, cache } = setup('poller');
    const changed: string[] = [];
    let polls = 0;
    const counting = new Proxy(cache, {
      get(target, prop, receiver) {
        if (prop === 'refs')
          return (url: string, maxAgeMs?: number) => {
            polls++;
            return target.refs(url, maxAgeMs);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const poller = new RepoPoller({
      cache: counting,
      logger: silentLogger(),
      intervalMs: 50,
      onChange: (url) => changed.push(url),
    });
    try {
      await cache.refs(repo.url, 0);
      poller.track([repo.url]);
      await eventually('the poller polled', () => polls >= 2, 30_000, 20);
      assert.deepEqual(changed, []);
      repo.write({ 'a.yaml': 'round: 1\n' });
      const sha = repo.commit('round 1');
      // a reconcile of one Application resolves the new HEAD before the next poll
      assert.equal(await cache.resolve(repo.url, 'HEAD', 0), sha);
      const after = polls;
      await eventually('the poller polled after the push', () => polls >= after + 2, 30_000, 20);
      assert.deepEqual(changed, [repo.url], 'reported once, for every Application of the repository');
    } finally {
      poller.stop();
    }
  });
});
