import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  IMAGE_POLICY_GVK,
  IMAGE_UPDATE_AUTOMATION_GVK,
  type ImageUpdateAutomation,
} from '../../src/flux/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { condition, FluxHarness, getGitRepository, gitRepository } from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// ImageUpdateAutomation against a real Git server that accepts pushes (git http-backend): an
// ImagePolicy's latestRef (status patched here, as image-reflector would write it) moves the marked
// field of a Rollout manifest; one commit with the rendered message is pushed; nothing is pushed
// when nothing changed; a broken template is a condition and a Warning Event, not a commit.

const rollout = (
  ns: string,
  image: string,
) => `# the web Rollout (its image is bumped by Flux image automation)
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web   # keep me
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image} # {"$imagepolicy": "${ns}:web"}
        ports: [{containerPort: 8080}]  # untouched
  strategy:
    canary:
      steps: [{setWeight: 50}, {pause: {duration: 10s}}]
`;

const template = `Automated image update

Automation name: {{ .AutomationObject }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind }} {{ $resource.Name }}
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
{{- end }}
{{ end -}}
{{ .Values.team }}`;

type Event = KubeObject & {
  reason?: string;
  type?: string;
  message?: string;
  involvedObject?: { name?: string };
};

describe('flux: ImageUpdateAutomation commits and pushes image updates', { timeout: 400_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let server: GitHttpServer;
  let initial: string;
  const client = testClient();
  const auto = (): Promise<ImageUpdateAutomation> =>
    client.get<ImageUpdateAutomation>({ ...IMAGE_UPDATE_AUTOMATION_GVK, namespace: ns.name, name: 'web' });
  const log = () => repo.git('log', '--format=%H %an <%ae>', 'main').trim().split('\n');
  const setPolicy = async (tag: string) => {
    await client.patch(
      { ...IMAGE_POLICY_GVK, namespace: ns.name, name: 'web' },
      {
        status: {
          latestRef: { name: 'ghcr.io/org/web', tag },
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Succeeded',
              message: `Latest image tag for ghcr.io/org/web resolved to ${tag}`,
              lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            },
          ],
        },
      },
      { type: 'merge', subresource: 'status' },
    );
  };
  const waitAuto = async (what: string, check: (a: ImageUpdateAutomation) => boolean) => {
    let last: ImageUpdateAutomation | undefined;
    try {
      return await eventually(
        what,
        async () => {
          last = await auto();
          return check(last) ? last : undefined;
        },
        120_000,
        250,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
    }
  };
  const events = async () =>
    (await client.list<Event>({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })).items.filter(
      (e) => e.involvedObject?.name === 'web',
    );

  before(async () => {
    ns = await testNamespace(client, 'flux-imgauto');
    repo = TestRepo.create({
      'apps/web/rollout.yaml': rollout(ns.name, 'ghcr.io/org/web:1.2.4'),
      'apps/web/README.md': `image: ghcr.io/org/web:1.0.0 # {"$imagepolicy": "${ns.name}:web"}\n`,
      'other/rollout.yaml': rollout(ns.name, 'ghcr.io/org/web:1.0.0'),
    });
    initial = repo.head();
    server = await GitHttpServer.start(repo, undefined, { push: true });
    h = await FluxHarness.start(ns.name);
    await client.create(
      gitRepository(ns.name, 'apps', { url: server.url, interval: '10m', ref: { branch: 'main' } }),
    );
    await client.create({
      ...IMAGE_POLICY_GVK,
      metadata: { name: 'web', namespace: ns.name },
      spec: { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } },
    } as KubeObject);
    await setPolicy('1.2.5');
    await client.create({
      ...IMAGE_UPDATE_AUTOMATION_GVK,
      metadata: { name: 'web', namespace: ns.name },
      spec: {
        interval: '10m',
        sourceRef: { kind: 'GitRepository', name: 'apps' },
        git: {
          checkout: { ref: { branch: 'main' } },
          commit: {
            author: { name: 'Flux Bot', email: 'fluxbot@example.com' },
            messageTemplate: template,
            messageTemplateValues: { team: 'team: web' },
          },
          push: { branch: 'main' },
        },
        update: { path: './apps/web', strategy: 'Setters' },
      },
    } as KubeObject);
  });
  after(async () => {
    await h?.stop();
    await server?.close();
    repo?.dispose();
    await ns?.delete();
  });

  it('pushes one commit with the rendered message; only the marked scalar under update.path changes', async () => {
    const a = await waitAuto('a push', (x) => x.status?.lastPushCommit !== undefined);
    const commits = log();
    assert.equal(commits.length, 2, commits.join('\n'));
    const head = repo.head();
    assert.equal(a.status?.lastPushCommit, head);
    assert.equal(commits[0], `${head} Flux Bot <fluxbot@example.com>`);
    assert.equal(
      repo.git('log', '-1', '--format=%B', 'main').replace(/\n+$/, ''),
      `Automated image update

Automation name: ${ns.name}/web

Files:
- rollout.yaml
Objects:
- Rollout web
    - ghcr.io/org/web:1.2.4 -> ghcr.io/org/web:1.2.5
team: web`,
    );
    // the push updated the server's work tree (updateInstead): every other byte is as it was
    assert.equal(
      readFileSync(join(repo.dir, 'apps/web/rollout.yaml'), 'utf8'),
      rollout(ns.name, 'ghcr.io/org/web:1.2.5'),
    );
    assert.deepEqual(repo.git('diff', '--name-only', initial, head).trim().split('\n'), [
      'apps/web/rollout.yaml',
    ]);
    assert.equal(condition(a, 'Ready')?.status, 'True');
    assert.equal(condition(a, 'Ready')?.reason, 'Succeeded');
    assert.equal(condition(a, 'Ready')?.message, 'repository up-to-date');
    assert.deepEqual(a.status?.observedPolicies, { web: { name: 'ghcr.io/org/web', tag: '1.2.5' } });
    assert.equal(a.status?.observedSourceRevision, `main@sha1:${head}`);
    assert.ok(a.status?.lastPushTime && a.status.lastAutomationRunTime);
    assert.equal(a.status?.observedGeneration, 1);
    const pushed = await eventually('the push Event', async () =>
      (await events()).find(
        (e) =>
          e.type === 'Normal' &&
          e.message?.startsWith(
            `pushed commit '${head.slice(0, 7)}' to branch 'main'\nAutomated image update`,
          ),
      ),
    );
    assert.equal(pushed.reason, 'Succeeded');
    // the GitRepository was asked to fetch again: its artifact is the pushed commit
    await eventually(
      'the GitRepository artifact at the pushed commit',
      async () =>
        (await getGitRepository(client, ns.name, 'apps')).status?.artifact?.revision === `main@sha1:${head}`,
      120_000,
      250,
    );
  });

  it('pushes nothing when nothing changed (a requested run, the same policy)', async () => {
    const head = repo.head();
    await client.patch(
      { ...IMAGE_UPDATE_AUTOMATION_GVK, namespace: ns.name, name: 'web' },
      { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 'again-1' } } },
      { type: 'merge' },
    );
    const a = await waitAuto(
      'the requested run handled',
      (x) => x.status?.lastHandledReconcileAt === 'again-1',
    );
    assert.equal(repo.head(), head);
    assert.equal(log().length, 2);
    assert.equal(a.status?.lastPushCommit, head);
    assert.equal(condition(a, 'Ready')?.status, 'True');
  });

  it('a template that does not parse is a condition and a Warning Event, not a commit; fixed, it pushes', async () => {
    const head = repo.head();
    await client.patch(
      { ...IMAGE_UPDATE_AUTOMATION_GVK, namespace: ns.name, name: 'web' },
      { spec: { git: { commit: { messageTemplate: 'bump {{ if }' } } } },
      { type: 'merge' },
    );
    await setPolicy('1.2.6');
    const broken = await waitAuto(
      'the template failure',
      (x) => condition(x, 'Ready')?.reason === 'GitOperationFailed',
    );
    assert.equal(condition(broken, 'Ready')?.status, 'False');
    assert.match(
      condition(broken, 'Ready')?.message ?? '',
      /^failed to update source: unable to create commit message template from spec: template: commit message:1/,
    );
    assert.equal(condition(broken, 'Reconciling')?.reason, 'ProgressingWithRetry');
    await eventually('a Warning Event', async () =>
      (await events()).find((e) => e.type === 'Warning' && e.reason === 'GitOperationFailed'),
    );
    assert.equal(repo.head(), head);

    // the removed v1beta1 field `.Updated` stalls, as Flux v1 does
    await client.patch(
      { ...IMAGE_UPDATE_AUTOMATION_GVK, namespace: ns.name, name: 'web' },
      {
        spec: {
          git: { commit: { messageTemplate: '{{ range $f, $_ := .Updated.Files }}{{ $f }}{{ end }}' } },
        },
      },
      { type: 'merge' },
    );
    const stalled = await waitAuto(
      'the removed-field stall',
      (x) => condition(x, 'Stalled')?.status === 'True',
    );
    assert.equal(condition(stalled, 'Stalled')?.reason, 'RemovedTemplateField');
    assert.equal(condition(stalled, 'Ready')?.reason, 'RemovedTemplateField');
    assert.match(condition(stalled, 'Ready')?.message ?? '', /template uses removed '\.Updated' field/);
    assert.equal(repo.head(), head);

    await client.patch(
      { ...IMAGE_UPDATE_AUTOMATION_GVK, namespace: ns.name, name: 'web' },
      { spec: { git: { commit: { messageTemplate: '' } } } },
      { type: 'merge' },
    );
    const fixed = await waitAuto(
      'the push after the fix',
      (x) => x.status?.lastPushCommit !== head && condition(x, 'Ready')?.status === 'True',
    );
    assert.equal(fixed.status?.lastPushCommit, repo.head());
    assert.equal(condition(fixed, 'Stalled'), undefined);
    assert.equal(repo.git('log', '-1', '--format=%B', 'main').trim(), 'Update from image update automation');
    assert.match(
      readFileSync(join(repo.dir, 'apps/web/rollout.yaml'), 'utf8'),
      /image: ghcr\.io\/org\/web:1\.2\.6 # /,
    );
    assert.equal(log().length, 3);
  });
});
