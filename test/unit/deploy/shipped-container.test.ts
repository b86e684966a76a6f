// Static checks of what deploy/ ships, for machines where the deploy integration test cannot run:
// every path the controller writes is on a volume, and the image provides the renderers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { it } from 'node:test';
import { parseDockerfile, quantityBytes, shippedContainer } from '../../support/deploy/shipped-container.js';

const onVolume = (path: string, mounts: readonly string[]) =>
  mounts.some((m) => path === m || !relative(m, path).startsWith('..'));

it('runs as non-root with a read-only root, and writes only to size-limited emptyDirs', () => {
  const c = shippedContainer();
  const env = c.env({ namespace: 'slipway-system', podName: 'p' });
  assert.equal(c.uid, 65532);
  assert.equal(c.gid, 65532);
  assert.equal(c.readOnlyRootFilesystem, true);
  assert.equal(c.noNewPrivileges, true);
  assert.equal(c.dropAllCapabilities, true);
  const mounts = c.volumes.map((v) => v.mountPath);
  for (const v of c.volumes)
    assert.ok(v.sizeBytes !== undefined && v.sizeBytes > 0, `${v.name} has no sizeLimit`);
  // os.tmpdir(), the Git cache and helm homes, and the dotfiles of git and kustomize
  for (const name of ['TMPDIR', 'SLIPWAY_SYNC_DIR', 'HOME']) {
    const path = env[name] ?? '';
    assert.ok(isAbsolute(path) && onVolume(path, mounts), `${name}=${path} is not on a volume`);
  }
  assert.ok(onVolume('/tmp', mounts), '/tmp (os.tmpdir() when TMPDIR is unset) is not on a volume');
});

it('provides kustomize and helm at the paths it tells the controller, from the tools stage', () => {
  const { image } = shippedContainer();
  const tools = image.copies
    .filter((c) => c.from === 'tools')
    .flatMap((c) => c.sources.map((s) => c.dest + s.split('/').pop()));
  assert.ok(image.env.SLIPWAY_KUSTOMIZE && tools.includes(image.env.SLIPWAY_KUSTOMIZE));
  assert.ok(image.env.SLIPWAY_HELM && tools.includes(image.env.SLIPWAY_HELM));
  assert.equal(image.entrypoint[0], 'node');
  assert.equal(image.entrypoint.at(-1), `${image.workdir}/bin/slipway.js`);
});

it('pins every base image by digest', () => {
  const dockerfile = readFileSync(new URL('../../../deploy/Dockerfile', import.meta.url), 'utf8');
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1] ?? '');
  assert.ok(froms.length >= 2);
  for (const from of froms) {
    const image = from.replace(/^\$\{(\w+)\}$/, (_, name: string) => String(args[name]));
    assert.match(image, /^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/, `FROM ${from} is not pinned by digest`);
  }
});

it('parses a final stage and Kubernetes quantities', () => {
  const image = parseDockerfile(
    'FROM a AS b\nENV X=1\nFROM c\nENV A=1 B="two"\nWORKDIR /w\nCOPY x ./\nUSER 10\nENTRYPOINT ["n", "/w/m.js"]\n',
  );
  assert.deepEqual(image.env, { PATH: image.env.PATH, A: '1', B: 'two' });
  assert.deepEqual(image.copies, [{ from: undefined, sources: ['x'], dest: '/w/' }]);
  assert.equal(image.user, 10);
  assert.deepEqual(image.entrypoint, ['n', '/w/m.js']);
  assert.equal(quantityBytes('256Mi'), 256 * 2 ** 20);
  assert.equal(quantityBytes('2Gi'), 2 * 2 ** 30);
});
