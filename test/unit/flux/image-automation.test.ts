import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  applySettersInSlices,
  observedPoliciesChanged,
  pushSummary,
  scalarText,
  sourceConfig,
  updateStrategyProblem,
} from '../../../src/flux/image-automation/index.js';
import {
  applySetters,
  applySettersToText,
  type ImageUpdateAutomation,
  NamespacedName,
  type PolicyLatest,
  readManifestFiles,
  renderCommitMessage,
  type SetterChange,
  setterValues,
  TemplateData,
  UpdateResult,
} from '../../../src/flux/index.js';
import { readGolden } from '../../support/golden.js';

describe('flux golden: image policy setters', () => {
  const g = readGolden<{
    cases: {
      name: string;
      policies: PolicyLatest[];
      text: string;
      want: { text: string | null; changes: SetterChange[]; unparsable?: boolean };
    }[];
  }>('flux/image-setters.json');
  for (const c of g.cases) {
    it(c.name, () => {
      const r = applySettersToText(c.text, setterValues(c.policies));
      assert.equal(r.text ?? null, c.want.text);
      assert.deepEqual(r.changes, c.want.changes);
      assert.equal(r.unparsable ?? false, c.want.unparsable ?? false);
      if (r.text !== undefined) {
        // outside the changed scalars every line is byte for byte the same
        const before = c.text.split('\n');
        const after = r.text.split('\n');
        assert.equal(after.length, before.length);
        for (let i = 0; i < before.length; i++)
          if (before[i] !== after[i]) assert.match(before[i] ?? '', /\$imagepolicy|^- [\d.]+$/);
      }
    });
  }
});

const policy: PolicyLatest = {
  namespace: 'apps',
  name: 'web',
  latestRef: { name: 'ghcr.io/org/web', tag: '1.2.5' },
};
const marked = (tag: string) => `image: ghcr.io/org/web:${tag} # {"$imagepolicy": "apps:web"}\n`;

describe('image automation: setters over files', () => {
  it('changes files in path order, lists marked files that are not YAML', () => {
    const out = applySetters(
      [
        { path: 'b/rollout.yaml', text: `kind: Rollout\nmetadata: {name: b}\nspec:\n  ${marked('1.0.0')}` },
        { path: 'a.yaml', text: `kind: Rollout\nmetadata: {name: a}\nspec:\n  ${marked('1.0.0')}` },
        { path: 'broken.yaml', text: `${marked('1.0.0')}  - [\n` },
        { path: 'current.yaml', text: marked('1.2.5') },
      ],
      setterValues([policy]),
    );
    assert.deepEqual(
      out.writes.map((w) => w.path),
      ['a.yaml', 'b/rollout.yaml'],
    );
    assert.deepEqual([...out.changes.keys()], ['a.yaml', 'b/rollout.yaml']);
    assert.deepEqual(out.unparsable, ['broken.yaml']);
  });

  it('a huge marked file is edited in place without copying its other lines around', () => {
    const filler = '# filler line that stays exactly as it is\n'.repeat(20_000);
    const text = `${filler}kind: Pod\nmetadata: {name: p}\nspec:\n  ${marked('1.0.0')}${filler}`;
    const r = applySettersToText(text, setterValues([policy]));
    assert.equal(r.text, text.replace('web:1.0.0', 'web:1.2.5'));
  });
});

describe('image automation: setters in slices', () => {
  it('gives the event loop turns on a file of thousands of marked documents, same outcome', async () => {
    const doc = (i: number) =>
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata:\n  ${marked('1.0.0')}`;
    const files = [{ path: 'many.yaml', text: Array.from({ length: 3000 }, (_, i) => doc(i)).join('') }];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let clock = 0;
    // a fake clock that says every document took 10 ms: a turn at least every second document
    const sliced = await applySettersInSlices(files, setterValues([policy]), () => (clock += 10));
    clearInterval(timer);
    const whole = applySetters(files, setterValues([policy]));
    assert.deepEqual(sliced, whole);
    assert.equal(whole.changes.get('many.yaml')?.length, 3000);
    assert.ok(ticks > 1, `timer ticks while applying: ${ticks}`);
  });
});

describe('image automation: reading the update path (hostile repositories)', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'slipway-setters-'));
    const repo = join(root, 'repo');
    const outside = join(root, 'outside');
    mkdirSync(join(repo, 'apps', 'web', 'nested'), { recursive: true });
    mkdirSync(join(repo, 'other'), { recursive: true });
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.yaml'), marked('0.0.1'));
    writeFileSync(join(repo, 'apps', 'web', 'rollout.yaml'), marked('1.0.0'));
    writeFileSync(join(repo, 'apps', 'web', 'nested', 'Kustomization'), marked('1.0.0'));
    writeFileSync(join(repo, 'apps', 'web', 'notes.txt'), marked('1.0.0'));
    writeFileSync(join(repo, 'apps', 'web', 'plain.yaml'), 'kind: ConfigMap\n');
    writeFileSync(join(repo, 'apps', 'web', 'huge.yaml'), `${marked('1.0.0')}${'#'.repeat(4096)}\n`);
    writeFileSync(join(repo, 'other', 'app.yaml'), marked('1.0.0'));
    writeFileSync(join(repo, '.git', 'x.yaml'), marked('1.0.0'));
    symlinkSync(join(outside, 'secret.yaml'), join(repo, 'apps', 'web', 'link.yaml'));
    symlinkSync(outside, join(repo, 'apps', 'web', 'linkdir'));
    symlinkSync('../../other', join(repo, 'apps', 'web', 'sibling'));
    symlinkSync(outside, join(repo, 'escape'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  const limits = { maxFileBytes: 2048, maxEntries: 100, maxTotalBytes: 1 << 20 };

  it('reads marked YAML under the path only, follows no symlink, skips .git, names oversized files', async () => {
    const r = await readManifestFiles(join(root, 'repo'), './apps/web', limits);
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.deepEqual(r.files.map((f) => f.path).sort(), ['nested/Kustomization', 'rollout.yaml']);
    assert.deepEqual(
      r.skipped.map((s) => s.path),
      ['huge.yaml'],
    );
  });

  it('the whole checkout when no path is given, still without .git', async () => {
    const r = await readManifestFiles(join(root, 'repo'), undefined, limits);
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.deepEqual(r.files.map((f) => f.path).sort(), [
      'apps/web/nested/Kustomization',
      'apps/web/rollout.yaml',
      'other/app.yaml',
    ]);
  });

  it('refuses an update path that leaves the checkout', async () => {
    for (const p of ['../outside', 'escape', '/etc']) {
      const r = await readManifestFiles(join(root, 'repo'), p, limits);
      assert.equal(r.kind, 'error', p);
    }
    const missing = await readManifestFiles(join(root, 'repo'), 'nope', limits);
    assert.equal(missing.kind, 'error');
  });

  it('gives up past the entry limit with a clear message', async () => {
    const r = await readManifestFiles(join(root, 'repo'), undefined, { ...limits, maxEntries: 3 });
    assert.equal(r.kind, 'error');
    if (r.kind === 'error') assert.match(r.message, /more than 3 files and directories/);
  });
});

const data = (changes: Map<string, SetterChange[]>, values: Record<string, string> = {}) =>
  new TemplateData(new NamespacedName('flux-system', 'web-auto'), new UpdateResult(changes), values);
const change = (kind: string, name: string, oldValue: string, newValue: string): SetterChange => ({
  object: { apiVersion: 'argoproj.io/v1alpha1', kind, name, namespace: '' },
  setter: 'apps:web',
  oldValue,
  newValue,
});

describe('image automation: commit message template (Flux v1 data)', () => {
  const changes = new Map([
    ['web/rollout.yaml', [change('Rollout', 'web', 'web:1.2.4', 'web:1.2.5')]],
    ['api/deploy.yaml', [change('Deployment', 'api', 'web:1.2.4', 'web:1.2.5')]],
  ]);

  it("renders Flux's documented template", () => {
    const t = `Automated image update

Automation name: {{ .AutomationObject }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind }} {{ $resource.Name }}
  Changes:
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
{{ end -}}
{{ end -}}
{{ .Values.env }}: {{ len .Changed.Changes }} change(s)`;
    const r = renderCommitMessage(t, data(changes, { env: 'prod' }));
    assert.deepEqual(r, {
      kind: 'ok',
      message: `Automated image update

Automation name: flux-system/web-auto

Files:
- api/deploy.yaml
- web/rollout.yaml
Objects:
- Deployment api
  Changes:
    - web:1.2.4 -> web:1.2.5
- Rollout web
  Changes:
    - web:1.2.4 -> web:1.2.5
prod: 1 change(s)`,
    });
  });

  it("the default message, Flux's error texts, removed fields stall", () => {
    assert.deepEqual(renderCommitMessage(undefined, data(changes)), {
      kind: 'ok',
      message: 'Update from image update automation',
    });
    const parse = renderCommitMessage('{{ if }', data(changes));
    assert.equal(parse.kind, 'error');
    if (parse.kind === 'error') {
      assert.match(
        parse.message,
        /^unable to create commit message template from spec: template: commit message:/,
      );
      assert.equal(parse.removedField, false);
    }
    const updated = renderCommitMessage(
      '{{ range $f, $_ := .Updated.Files }}{{ $f }}{{ end }}',
      data(changes),
    );
    assert.deepEqual(updated, {
      kind: 'error',
      removedField: true,
      message:
        "template uses removed '.Updated' field. Please use '.Changed' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template",
    });
    const hermetic = renderCommitMessage('{{ now }}', data(changes));
    assert.equal(hermetic.kind, 'error');
    if (hermetic.kind === 'error')
      assert.match(hermetic.message, /^failed to run template from spec: .*"now" not defined/);
    const loop = renderCommitMessage('{{ range $i := until 100000000 }}x{{ end }}', data(changes));
    assert.equal(loop.kind, 'error');
  });
});

const automation = (spec: Partial<ImageUpdateAutomation['spec']>): ImageUpdateAutomation => ({
  apiVersion: 'image.toolkit.fluxcd.io/v1',
  kind: 'ImageUpdateAutomation',
  metadata: { name: 'auto', namespace: 'flux-system', generation: 1 },
  spec: {
    sourceRef: { kind: 'GitRepository', name: 'repo' },
    interval: '1m',
    git: { commit: { author: { email: 'bot@example.com' } }, push: { branch: 'main' } },
    update: { strategy: 'Setters', path: './apps' },
    ...spec,
  },
});

describe('image automation: source configuration (Flux messages)', () => {
  it('push branch from the checkout ref; switching branches; refspec checks', () => {
    assert.deepEqual(sourceConfig(automation({}), { branch: 'main' }), {
      sourceKey: 'flux-system/repo',
      checkoutRef: { branch: 'main' },
      pushBranch: 'main',
      switchBranch: false,
      refspec: undefined,
    });
    const other = sourceConfig(
      automation({ git: { commit: { author: { email: 'b@x' } }, push: { branch: 'auto' } } }),
      { branch: 'main' },
    );
    assert.equal('switchBranch' in other && other.switchBranch, true);
    const noPush = sourceConfig(automation({ git: { commit: { author: { email: 'b@x' } } } }), { tag: 'v1' });
    assert.equal('kind' in noPush && noPush.kind, 'failed');
    const deletion = sourceConfig(
      automation({ git: { commit: { author: { email: 'b@x' } }, push: { branch: 'main', refspec: ':x' } } }),
      undefined,
    );
    assert.deepEqual(deletion, {
      kind: 'stalled',
      reason: 'InvalidSourceConfiguration',
      message: 'push refspec must not specify a deletion: invalid source configuration',
    });
    const signing = sourceConfig(
      automation({
        git: {
          commit: { author: { email: 'b@x' }, signingKey: { secretRef: { name: 'k' } } },
          push: { branch: 'main' },
        },
      }),
      undefined,
    );
    assert.equal('kind' in signing && signing.kind, 'stalled');
    const missing = sourceConfig(automation({}), null);
    assert.equal('reason' in missing && missing.reason, 'SourceManagerFailed');
    assert.deepEqual(sourceConfig(automation({ sourceRef: { kind: 'Bucket', name: 'b' } }), undefined), {
      kind: 'stalled',
      reason: 'InvalidSourceConfiguration',
      message: "source kind 'Bucket' not supported: invalid source configuration",
    });
  });

  it('only the Setters strategy', () => {
    assert.equal(updateStrategyProblem(automation({})), undefined);
    assert.deepEqual(updateStrategyProblem(automation({ update: { strategy: 'Regex' } })), {
      kind: 'stalled',
      reason: 'InvalidUpdateStrategy',
      message: 'unsupported update strategy: Regex',
    });
  });
});

describe('image automation: small pure pieces', () => {
  it('observed policies change when a policy moves, appears or goes', () => {
    const a = { web: { name: 'w', tag: '1' } };
    assert.equal(observedPoliciesChanged(a, { web: { name: 'w', tag: '1' } }), false);
    assert.equal(observedPoliciesChanged(a, { web: { name: 'w', tag: '2' } }), true);
    assert.equal(observedPoliciesChanged(undefined, a), true);
    assert.equal(observedPoliciesChanged(a, {}), true);
  });
  it("push summary as Flux's PushResult.Summary", () => {
    assert.equal(
      pushSummary('0123456789abcdef', 'main', [], 'msg'),
      "pushed commit '0123456' to branch 'main'\nmsg",
    );
    assert.equal(
      pushSummary('0123456789abcdef', 'main', ['refs/heads/x'], ''),
      "pushed commit '0123456' to branch 'main' and refspecs 'refs/heads/x'",
    );
  });
  it('scalar text keeps the style unless the value would change type', () => {
    assert.equal(scalarText('app:1.2.5', 'PLAIN', false), 'app:1.2.5');
    assert.equal(scalarText('1.10', 'PLAIN', false), '"1.10"');
    assert.equal(scalarText('yes', 'PLAIN', false), '"yes"');
    assert.equal(scalarText('a,b', 'PLAIN', true), '"a,b"');
    assert.equal(scalarText("it's", 'QUOTE_SINGLE', false), "'it''s'");
    assert.equal(scalarText('x', 'QUOTE_DOUBLE', false), '"x"');
    assert.equal(scalarText('', 'PLAIN', false), '""');
  });
});
