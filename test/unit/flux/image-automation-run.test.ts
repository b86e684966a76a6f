import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { GitRepositoryCredentials } from '../../../src/flux/credentials.js';
import { parseCommitRecord } from '../../../src/flux/image-automation/automation-git.js';
import {
  type AutomationRunResult,
  runAutomation,
} from '../../../src/flux/image-automation/automation-run.js';
import type { GitRepository, ImageUpdateAutomation } from '../../../src/flux/index.js';
import type { KubeReader } from '../../../src/kube/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { RepoCache } from '../../../src/sync/index.js';

// One automation run against a real bare repository (file://): a push the remote rejects because
// someone else pushed meanwhile starts over from a fresh clone and lands on top of their commit.
// After a restart that lost the status write of the previous run's push, the tree is already as the
// policies want it and HEAD is that push (our author, our tree and message on top of its parent): the
// run reports it as pushed, with the commit's time, and pushes nothing. A commit by someone else that
// brings the same change is not taken for ours.

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

/** A bare remote (`main` holding app.yaml as `marked`) and a work clone of it, in a new temp folder. */
function makeRemote(prefix: string): { root: string; bare: string; work: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const bare = join(root, 'remote.git');
  const work = join(root, 'work');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(root, 'clone', '--quiet', bare, work);
  git(work, 'checkout', '--quiet', '-b', 'main');
  writeFileSync(join(work, 'app.yaml'), marked);
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'initial');
  git(work, 'push', '--quiet', 'origin', 'main');
  return { root, bare, work };
}

describe('image automation run: push rejected as non-fast-forward', () => {
  let root: string;
  let bare: string;
  let work: string;
  before(() => {
    ({ root, bare, work } = makeRemote('slipway-imgauto-run-'));
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

describe('image automation run: a push its status does not record', () => {
  let root: string;
  let bare: string;
  let work: string;
  let cache: RepoCache;
  before(() => {
    ({ root, bare, work } = makeRemote('slipway-imgauto-unrecorded-'));
    cache = new RepoCache({
      dir: join(root, 'cache'),
      credentials: { credentialsFor: async () => undefined },
    });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const automation = (status?: ImageUpdateAutomation['status']) =>
    ({
      apiVersion: 'image.toolkit.fluxcd.io/v1',
      kind: 'ImageUpdateAutomation',
      metadata: { name: 'web', namespace: 'apps', generation: 1 },
      spec: {
        sourceRef: { kind: 'GitRepository', name: 'apps' },
        interval: '1m',
        git: {
          commit: {
            author: { name: 'Bot', email: 'bot@example.com' },
            messageTemplate:
              'bump\n{{ range .Changed.Changes }}{{ .OldValue }} -> {{ .NewValue }}\n{{ end }}',
          },
          push: { branch: 'main' },
        },
        update: { strategy: 'Setters' },
      },
      ...(status && { status }),
    }) as ImageUpdateAutomation;
  const run = (obj: ImageUpdateAutomation, tag: string, now: string): Promise<AutomationRunResult> =>
    runAutomation(
      {
        automation: obj,
        source: {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'apps', namespace: 'apps' },
          spec: { url: pathToFileURL(bare).href, interval: '1m', ref: { branch: 'main' } },
        } as GitRepository,
        config: {
          sourceKey: 'apps/apps',
          checkoutRef: { branch: 'main' },
          pushBranch: 'main',
          switchBranch: false,
          refspec: undefined,
        },
        policies: [{ namespace: 'apps', name: 'web', latestRef: { name: 'ghcr.io/org/web', tag } }],
        syncNeeded: true,
        now: new Date(now),
      },
      {
        git: cache,
        credentials: new GitRepositoryCredentials({} as KubeReader),
        scratchDir: root,
        logger: silentLogger(),
      },
    );
  const head = () => git(bare, 'rev-parse', 'refs/heads/main');

  it('reports the push again (commit, time, summary) and pushes nothing', async () => {
    const first = await run(automation(), '1.2.5', '2026-12-07T00:00:00Z');
    assert.equal(first.kind, 'pushed');
    if (first.kind !== 'pushed') return;
    assert.equal(first.pushedAt, undefined);
    const pushed = head();
    assert.equal(first.commit, pushed);

    // the status write was lost: the status still says what it said before the push
    const again = await run(
      automation({ observedSourceRevision: 'main@sha1:0' }),
      '1.2.5',
      '2026-12-07T00:05:00Z',
    );
    assert.deepEqual(again, {
      kind: 'pushed',
      commit: pushed,
      sourceRevision: `main@sha1:${pushed}`,
      summary: first.summary,
      pushedAt: new Date('2026-12-07T00:00:00Z'),
    });
    assert.equal(head(), pushed);

    // recorded: nothing to report
    const recorded = await run(
      automation({ lastPushCommit: pushed, observedSourceRevision: 'main@sha1:0' }),
      '1.2.5',
      '2026-12-07T00:10:00Z',
    );
    assert.deepEqual(recorded, { kind: 'unchanged', sourceRevision: `main@sha1:${pushed}` });
    assert.equal(head(), pushed);
  });

  it('does not take a commit by someone else for its own', async () => {
    git(work, 'pull', '--quiet', 'origin', 'main');
    writeFileSync(join(work, 'app.yaml'), marked.replace('1.0.0', '1.2.6'));
    git(work, 'commit', '--quiet', '-am', 'bump by hand');
    git(work, 'push', '--quiet', 'origin', 'main');
    const theirs = head();
    const result = await run(
      automation({ observedSourceRevision: 'main@sha1:0' }),
      '1.2.6',
      '2026-12-07T00:20:00Z',
    );
    assert.deepEqual(result, { kind: 'unchanged', sourceRevision: `main@sha1:${theirs}` });
    assert.equal(head(), theirs);
  });

  it('does not take its author’s commit with another change for this one', async () => {
    // the bot's commit on top holds 1.2.7, but these policies want 1.2.7 from a parent at 1.2.6 with
    // another message: a commit made with the same author by hand, not by this template
    writeFileSync(join(work, 'app.yaml'), marked.replace('1.0.0', '1.2.7'));
    execFileSync('git', ['commit', '--quiet', '-am', 'bump'], {
      cwd: work,
      env: { ...env, GIT_AUTHOR_NAME: 'Bot', GIT_AUTHOR_EMAIL: 'bot@example.com' },
    });
    git(work, 'push', '--quiet', 'origin', 'main');
    const bots = head();
    const result = await run(
      automation({ observedSourceRevision: 'main@sha1:0' }),
      '1.2.7',
      '2026-12-07T00:30:00Z',
    );
    assert.deepEqual(result, { kind: 'unchanged', sourceRevision: `main@sha1:${bots}` });
  });
});

describe('parseCommitRecord', () => {
  it('reads the tree, first parent, author, committer time and the message as stored', () => {
    const raw = [
      'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      'parent 1111111111111111111111111111111111111111',
      'parent 2222222222222222222222222222222222222222',
      'author Flux Bot <fluxbot@example.com> 1796601600 +0000',
      'committer Flux Bot <fluxbot@example.com> 1796601660 +0100',
      '',
      'Update images',
      '',
      '- Deployment web',
      '',
    ].join('\n');
    assert.deepEqual(parseCommitRecord('abc', raw), {
      sha: 'abc',
      tree: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      parent: '1111111111111111111111111111111111111111',
      author: { name: 'Flux Bot', email: 'fluxbot@example.com' },
      committedAt: new Date(1796601660 * 1000),
      message: 'Update images\n\n- Deployment web\n',
    });
    assert.equal(parseCommitRecord('abc', 'tree x\n\nno author'), undefined);
    const root = parseCommitRecord('r', 'tree t\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 2 +0000\n\nm\n');
    assert.equal(root?.parent, undefined);
  });
});
