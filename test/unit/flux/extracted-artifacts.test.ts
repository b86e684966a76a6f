import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listArtifactFiles } from '../../../src/flux/artifact.js';
import { buildKustomization } from '../../../src/flux/build.js';
import { ExtractedArtifacts } from '../../../src/flux/extracted-artifacts.js';
import type { Kustomization } from '../../../src/flux/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-flux-trees-'));
  dirs.push(d);
  return d;
}
function repo(files: Record<string, string>): string {
  const d = tempDir();
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), text);
  }
  return d;
}
const ks = (path: string, extra: Partial<Kustomization['spec']> = {}): Kustomization => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'k', namespace: 'flux-system' },
  spec: { sourceRef: { kind: 'GitRepository', name: 'r' }, interval: '5m', prune: true, path, ...extra },
});
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;

describe('flux: extracted artifacts', () => {
  it('extracts an artifact once, shares it, and removes it when unused beyond the kept ones', async () => {
    const src = repo({ 'a/cm.yaml': cm('a'), '.git/HEAD': 'ref' });
    const trees = new ExtractedArtifacts(join(tempDir(), 'trees'), 1);
    let listed = 0;
    const list = async () => {
      listed++;
      return listArtifactFiles(src, undefined);
    };
    const [one, two] = await Promise.all([
      trees.acquire('sha256:1', undefined, list),
      trees.acquire('sha256:1', undefined, list),
    ]);
    assert.equal(listed, 1);
    assert.equal(one.root, two.root);
    assert.ok(existsSync(join(one.root, 'a/cm.yaml')));
    assert.ok(!existsSync(join(one.root, '.git')), 'the filtered files only');
    one.release();
    two.release();
    assert.ok(existsSync(one.root), 'kept while among the most recent unused');
    const other = await trees.acquire('sha256:2', undefined, list);
    other.release();
    assert.equal(trees.size, 1);
    for (let i = 0; i < 50 && existsSync(one.root); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!existsSync(one.root), 'the older unused tree is removed');
    const again = await trees.acquire('sha256:2', undefined, list);
    assert.equal(again.root, other.root, 'a kept tree is reused');
    again.release();
  });

  it('builds from a copy of the path next to it: relative bases resolve, the tree is never written', async () => {
    const root = repo({
      'base/cm.yaml': cm('base'),
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/web/kustomization.yaml': 'resources: [../../base, web.yaml]\n',
      'apps/web/web.yaml': cm('web'),
      'apps/plain/one.yaml': cm('one'),
      'apps/plain/sub/kustomization.yaml': 'resources: [../../../base]\nnamePrefix: sub-\n',
    });
    const files = await listArtifactFiles(root, undefined);
    const before = readFileSync(join(root, 'apps/web/kustomization.yaml'), 'utf8');
    const web = await buildKustomization(files, ks('./apps/web', { targetNamespace: 'prod' }));
    assert.deepEqual(web.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort(), [
      'prod/base',
      'prod/web',
    ]);
    const plain = await buildKustomization(files, ks('./apps/plain', { targetNamespace: 'prod' }));
    assert.deepEqual(plain.map((o) => o.metadata.name).sort(), ['one', 'sub-base']);
    assert.equal(readFileSync(join(root, 'apps/web/kustomization.yaml'), 'utf8'), before);
    assert.ok(!existsSync(join(root, 'apps/plain/kustomization.yaml')));
    assert.deepEqual(readdirSync(join(root, 'apps')).sort(), ['plain', 'web'], 'no build copy left');
  });

  it('reports a missing path and a failed build with the Kustomization path', async () => {
    const root = repo({ 'apps/bad/kustomization.yaml': 'resources: [missing.yaml]\n' });
    const files = await listArtifactFiles(root, undefined);
    await assert.rejects(buildKustomization(files, ks('./apps/nope')), /kustomization path not found/);
    await assert.rejects(buildKustomization(files, ks('./apps/bad')), (err: Error) => {
      assert.match(err.message, /apps\/bad/);
      assert.doesNotMatch(err.message, /slipway-build/);
      return true;
    });
    assert.deepEqual(readdirSync(join(root, 'apps')), ['bad']);
  });
});
