import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { GitRepositoryCredentials } from '../../../src/flux/credentials.js';
import { runAutomation } from '../../../src/flux/image-automation/automation-run.js';
import type { GitRepository, ImageUpdateAutomation } from '../../../src/flux/index.js';
import type { KubeReader } from '../../../src/kube/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { RepoCache } from '../../../src/sync/index.js';

// One automation run against a real bare repository (file://): a push the remote rejects because
// someone else pushed meanwhile starts over from a fresh clone and lands on top of their commit.

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'someone',
  GIT_AUTHOR_EMAIL: 'someone@example.com',
  GIT_COMMITTER_NAME: 'someone',
  GIT_COMMITTER_EMAIL: 'someone@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
const marked = 'image: ghcr.io/org/web:1.0.0 # {"$imagepolicy": "apps:web"}\n';

describe('image automation run: push rejected as non-fast-forward', () => {
  let root: string;
  let bare: string;
  let work: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'slipway-imgauto-run-'));
    bare = join(root, 'remote.git');
    work = join(root, 'work');
    git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    git(root, 'clone', '--quiet', bare, work);
    git(work, 'checkout', '--quiet', '-b', 'main');
    writeFileSync(join(work, 'app.yaml'), marked);
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'initial');
    git(work, 'push', '--quiet', 'origin', 'main');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('clones again and pushes on top of the commit that raced it', async () => {
    const url = pathToFileURL(bare).href;
    const cache = new RepoCache({
      dir: join(root, 'cache'),
      credentials: { credentialsFor: async () => undefined },
    });
    // the first answer is taken, then someone else pushes before our push
    let raced = false;
    const racing = Object.assign(Object.create(cache) as RepoCache, {
      refs: async (u: string, maxAgeMs?: number) => {
        const refs = await cache.refs(u, maxAgeMs);
        if (!raced) {
          raced = true;
          writeFileSync(join(work, 'other.txt'), 'theirs\n');
          git(work, 'add', '-A');
          git(work, 'commit', '--quiet', '-m', 'theirs');
          git(work, 'push', '--quiet', 'origin', 'main');
        }
        return refs;
      },
    });
    const source = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'apps', namespace: 'apps' },
      spec: { url, interval: '1m', ref: { branch: 'main' } },
    } as GitRepository;
    const automation = {
      apiVersion: 'image.toolkit.fluxcd.io/v1',
      kind: 'ImageUpdateAutomation',
      metadata: { name: 'web', namespace: 'apps', generation: 1 },
      spec: {
        sourceRef: { kind: 'GitRepository', name: 'apps' },
        interval: '1m',
        git: { commit: { author: { name: 'Bot', email: 'bot@example.com' } }, push: { branch: 'main' } },
        update: { strategy: 'Setters' },
      },
    } as ImageUpdateAutomation;
    const result = await runAutomation(
      {
        automation,
        source,
        config: {
          sourceKey: 'apps/apps',
          checkoutRef: { branch: 'main' },
          pushBranch: 'main',
          switchBranch: false,
          refspec: undefined,
        },
        policies: [{ namespace: 'apps', name: 'web', latestRef: { name: 'ghcr.io/org/web', tag: '1.2.5' } }],
        syncNeeded: true,
        now: new Date('2026-12-07T00:00:00Z'),
      },
      {
        git: racing,
        credentials: new GitRepositoryCredentials({} as KubeReader),
        scratchDir: root,
        logger: silentLogger(),
      },
    );
    assert.ok(raced);
    const theirs = git(work, 'rev-parse', 'HEAD');
    assert.equal(result.kind, 'pushed');
    if (result.kind !== 'pushed') return;
    const head = git(bare, 'rev-parse', 'refs/heads/main');
    assert.equal(result.commit, head);
    assert.equal(result.sourceRevision, `main@sha1:${head}`);
    assert.equal(git(bare, 'rev-parse', `${head}^`), theirs);
    assert.equal(git(bare, 'show', `${head}:app.yaml`), marked.replace('1.0.0', '1.2.5').trim());
    assert.equal(
      git(bare, 'log', '-1', '--format=%an <%ae>|%s', head),
      'Bot <bot@example.com>|Update from image update automation',
    );
  });
});
