import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import {
  checkKustomizeInputs,
  DefaultRenderLimits,
  decodeDoubleQuoted,
  findOutOfBoundsSymlink,
  isRemoteReference,
  parseManifests,
  renderLimitsFromEnv,
  renderSource,
  resolveInRepo,
  SymlinkAudit,
  SyncError,
} from '../../../src/sync/index.js';
import { runProcess } from '../../../src/sync/run-process.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {k: v}\n`;

/** A checkout on disk: `files` are written, `links` are symlinks (path → target, verbatim). */
function makeRepo(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-bounds-')));
  const tree = join(root, 'tree');
  mkdirSync(tree);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, p)), { recursive: true });
    writeFileSync(join(tree, p), text);
  }
  for (const [p, target] of Object.entries(links)) {
    mkdirSync(dirname(join(tree, p)), { recursive: true });
    symlinkSync(target, join(tree, p));
  }
  return tree;
}

async function rejection(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SyncError, `a SyncError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

const render = (checkoutDir: string, source: Record<string, unknown>, limits = DefaultRenderLimits) =>
  renderSource({
    checkoutDir,
    source: { repoURL: 'file:///repo', ...source },
    appName: 'app',
    namespace: 'ns',
    helmHome: join(checkoutDir, '..', 'helm'),
    limits,
    symlinks: new SymlinkAudit(),
  });

describe('repository bounds: resolving paths through symlinks', () => {
  let outside: string;
  let tree: string;
  before(() => {
    outside = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-outside-')));
    writeFileSync(join(outside, 'secret.yaml'), 'root:x:0:0:root:/root:/bin/bash\n');
    tree = makeRepo(
      { 'apps/a/cm.yaml': cm('a'), 'shared/base.yaml': cm('base') },
      {
        'apps/a/abs.yaml': join(outside, 'secret.yaml'),
        'apps/a/up.yaml': '../../../secret.yaml',
        'apps/a/shared.yaml': '../../shared/base.yaml',
        'apps/a/chain1': 'chain2',
        'apps/a/chain2': '/etc',
        here: '.',
        tricky: 'here/..',
        'dangling-inside': 'no/such/file',
        loop1: 'loop2',
        loop2: 'loop1',
      },
    );
  });
  after(() => {
    rmSync(dirname(tree), { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('keeps plain paths and in-bounds symlinks inside', async () => {
    assert.deepEqual(await resolveInRepo(tree, 'apps/a/cm.yaml'), {
      kind: 'inside',
      path: 'apps/a/cm.yaml',
      exists: true,
    });
    assert.deepEqual(await resolveInRepo(tree, 'apps/a/shared.yaml'), {
      kind: 'inside',
      path: 'shared/base.yaml',
      exists: true,
    });
    assert.deepEqual(await resolveInRepo(tree, 'here/apps/a/cm.yaml'), {
      kind: 'inside',
      path: 'apps/a/cm.yaml',
      exists: true,
    });
    assert.deepEqual(await resolveInRepo(tree, 'dangling-inside'), {
      kind: 'inside',
      path: 'no/such/file',
      exists: false,
    });
    assert.equal((await resolveInRepo(tree, 'loop1')).kind, 'loop');
  });

  it('names the symlink that leaves the checkout: absolute, via .., through a chain, or after a link', async () => {
    assert.deepEqual(await resolveInRepo(tree, 'apps/a/abs.yaml'), {
      kind: 'outside',
      via: 'apps/a/abs.yaml',
    });
    assert.deepEqual(await resolveInRepo(tree, 'apps/a/up.yaml'), { kind: 'outside', via: 'apps/a/up.yaml' });
    assert.deepEqual(await resolveInRepo(tree, 'apps/a/chain1/passwd'), {
      kind: 'outside',
      via: 'apps/a/chain2',
    });
    // Lexically `here/..` is the root; physically `here` is the root, so `..` leaves it.
    assert.deepEqual(await resolveInRepo(tree, 'tricky'), { kind: 'outside', via: 'tricky' });
    assert.deepEqual(await resolveInRepo(tree, '../x'), { kind: 'outside', via: '../x' });
    assert.deepEqual(await resolveInRepo(tree, '/etc/passwd'), { kind: 'outside', via: '/etc/passwd' });
  });

  it('finds the first out-of-bounds symlink of a checkout, repository-relative', async () => {
    assert.equal(await findOutOfBoundsSymlink(tree), 'apps/a/abs.yaml');
    const clean = makeRepo({ 'a/x.yaml': cm('x') }, { 'a/y.yaml': 'x.yaml', b: 'a' });
    assert.equal(await findOutOfBoundsSymlink(clean), undefined);
    rmSync(dirname(clean), { recursive: true, force: true });
  });
});

describe('repository bounds: rendering refuses what leaves the checkout', () => {
  const dirs: string[] = [];
  const repo = (files: Record<string, string>, links: Record<string, string> = {}) => {
    const t = makeRepo(files, links);
    dirs.push(dirname(t));
    return t;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a directory app with a symlink to /etc/passwd and never shows the target', async () => {
    const t = repo({ 'app/cm.yaml': cm('ok') }, { 'app/passwd.yaml': '/etc/passwd' });
    const err = await rejection(render(t, { path: 'app' }));
    assert.equal(err.code, 'SYNC_OUT_OF_BOUNDS');
    assert.equal(err.message, 'repository contains out-of-bounds symlinks. file: app/passwd.yaml');
    assert.doesNotMatch(err.message, /root:/);
  });

  it('refuses an app path that is a symlink out of the checkout, and .. and absolute paths', async () => {
    const t = repo({ 'x/cm.yaml': cm('x') }, { escape: '../../..' });
    assert.equal((await rejection(render(t, { path: 'escape' }))).code, 'SYNC_OUT_OF_BOUNDS');
    const u = repo({ 'x/cm.yaml': cm('x') });
    const dotdot = await rejection(render(u, { path: 'x/../..' }));
    assert.equal(dotdot.code, 'SYNC_INVALID_SPEC');
    assert.match(dotdot.message, /app path outside root/);
    const abs = await rejection(render(u, { path: '/etc' }));
    assert.match(abs.message, /app path is absolute/);
  });

  it('refuses a checkout whose out-of-bounds symlink sits outside the app path (charts, bases)', async () => {
    const t = repo({ 'app/cm.yaml': cm('ok') }, { 'chart/files/p': '/etc/passwd' });
    const err = await rejection(render(t, { path: 'app' }));
    assert.match(err.message, /file: chart\/files\/p$/);
  });

  it('renders symlinks that stay inside the checkout', async () => {
    const t = repo(
      { 'app/cm.yaml': cm('own'), 'shared/common.yaml': cm('shared') },
      { 'app/common.yaml': '../shared/common.yaml', 'link-to-app': 'app' },
    );
    const a = await render(t, { path: 'app' });
    assert.deepEqual(a.objects.map((o) => o.metadata.name).sort(), ['own', 'shared']);
    const b = await render(t, { path: 'link-to-app' });
    assert.equal(b.objects.length, 2);
  });

  it('refuses helm value files outside the repository and URLs before running helm', async () => {
    const saved = process.env.SLIPWAY_HELM;
    process.env.SLIPWAY_HELM = '/bin/false'; // never reached; keeps ensureRenderTools from building
    after(() => {
      if (saved === undefined) delete process.env.SLIPWAY_HELM;
      else process.env.SLIPWAY_HELM = saved;
    });
    const t = repo({ 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'v.yaml': 'a: 1\n' });
    for (const f of ['../../etc/passwd', '/../../etc/passwd']) {
      const err = await rejection(render(t, { path: 'chart', helm: { valueFiles: [f] } }));
      assert.equal(err.code, 'SYNC_OUT_OF_BOUNDS');
      assert.match(err.message, /resolved to outside repository root/);
    }
    const url = await rejection(
      render(t, { path: 'chart', helm: { valueFiles: ['https://example.com/v.yaml'] } }),
    );
    assert.match(url.message, /URL scheme 'https' is not allowed/);
  });

  it('refuses kustomize bases outside the checkout, remote bases and missing ones', async () => {
    const t = repo({
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'base/cm.yaml': cm('b'),
      'ok/kustomization.yaml': 'resources: [../base]\n',
      'up/kustomization.yaml': 'resources: [../../somewhere]\n',
      'abs/kustomization.yaml': 'resources: [/etc/kubernetes]\n',
      'remote/kustomization.yaml': 'resources: ["github.com/org/repo//deploy?ref=v1"]\n',
      'patch/kustomization.yaml': 'resources: [../base]\npatches:\n- path: https://example.com/p.yaml\n',
      'deep/kustomization.yaml': 'resources: [../up]\n',
    });
    const limits = DefaultRenderLimits;
    await checkKustomizeInputs(t, 'ok', limits, 'ok');
    const cases: [string, RegExp][] = [
      ['up', /up\/kustomization.yaml: \.\.\/\.\.\/somewhere is outside the repository/],
      ['abs', /\/etc\/kubernetes is outside the repository/],
      ['remote', /remote base github.com\/org\/repo\/\/deploy\?ref=v1 is not allowed/],
      ['patch', /remote file https:\/\/example.com\/p.yaml is not allowed/],
      ['deep', /up\/kustomization.yaml: \.\.\/\.\.\/somewhere is outside/],
    ];
    for (const [dir, re] of cases) {
      const err = await rejection(checkKustomizeInputs(t, dir, limits, dir));
      assert.match(err.message, re);
      assert.equal(err.code, 'SYNC_OUT_OF_BOUNDS');
    }
    assert.ok(isRemoteReference('https://raw.githubusercontent.com/x/y.yaml'));
    assert.ok(isRemoteReference('git@github.com:org/repo.git'));
    assert.ok(!isRemoteReference('../base'));
  });
});

describe('render size limits', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a manifest file over the per-file limit from its size, naming it', async () => {
    const t = makeRepo({ 'app/small.yaml': cm('small'), 'app/huge.yaml': '' });
    dirs.push(dirname(t));
    truncateSync(join(t, 'app/huge.yaml'), 50 * 1024 * 1024); // sparse: costs no disk
    const err = await rejection(render(t, { path: 'app' }));
    assert.equal(err.code, 'SYNC_RENDER_TOO_LARGE');
    assert.match(err.message, /^app\/huge.yaml is 52428800 bytes, over the 10485760-byte limit per file/);
    assert.match(err.message, /SLIPWAY_MAX_MANIFEST_FILE_BYTES/);
  });

  it('refuses a directory whose files together pass the render limit', async () => {
    const t = makeRepo({ 'app/a.yaml': cm('a'), 'app/b.yaml': cm('b'), 'app/c.yaml': cm('c') });
    dirs.push(dirname(t));
    const limits = { maxFileBytes: 1000, maxRenderBytes: cm('a').length * 2 + 1 };
    const err = await rejection(render(t, { path: 'app' }, limits));
    assert.equal(err.code, 'SYNC_RENDER_TOO_LARGE');
    assert.match(
      err.message,
      /directory app produced more than the \d+-byte render limit \(SLIPWAY_MAX_RENDER_BYTES\)/,
    );
    const ok = await render(t, { path: 'app', directory: { exclude: 'c.yaml' } }, limits);
    assert.equal(ok.objects.length, 2);
  });

  it('stops reading a process past maxStdoutBytes and kills it', async () => {
    const r = await runProcess('head', ['-c', String(200 * 1024 * 1024), '/dev/zero'], {
      maxStdoutBytes: 1024 * 1024,
    });
    assert.equal(r.stdoutOverflow, true);
    assert.equal(r.stdout, '');
    const small = await runProcess('echo', ['hi'], { maxStdoutBytes: 1024 });
    assert.equal(small.stdout, 'hi\n');
    assert.equal(small.stdoutOverflow, undefined);
  });

  it('reads the limits from the environment, ignoring nonsense', () => {
    assert.deepEqual(renderLimitsFromEnv({}), { limits: DefaultRenderLimits, invalid: [] });
    assert.deepEqual(
      renderLimitsFromEnv({ SLIPWAY_MAX_MANIFEST_FILE_BYTES: '1024', SLIPWAY_MAX_RENDER_BYTES: '10Mi' }),
      {
        limits: { maxFileBytes: 1024, maxRenderBytes: DefaultRenderLimits.maxRenderBytes },
        invalid: ['SLIPWAY_MAX_RENDER_BYTES'],
      },
    );
  });

  it('parses documents one at a time and still names the broken one', () => {
    const text = `${cm('a')}---\n${cm('b')}---\nkind: [\n`;
    assert.throws(
      () => parseManifests(text, 'f.yaml'),
      /^SyncError: f.yaml \(document 3\): invalid yaml at line \d+/,
    );
    assert.equal(parseManifests(`---\n${cm('a')}`, 'g.yaml').length, 1);
    assert.throws(() => parseManifests('---\nkind: [\n', 'g.yaml'), /g.yaml: invalid yaml/);
  });
});

describe('large double-quoted scalars', () => {
  const big = (inner: string) => `${inner}${' '.repeat(0)}`.padEnd(5000, 'y');
  const viaLibrary = (text: string) => parseDocument(text).toJS() as unknown;

  it('decodes exactly like the yaml library: escapes, folding, trimming, CRLF', () => {
    const bodies = [
      'plain text',
      'tab\\tnew\\nline \\"quoted\\" back\\\\slash \\/ \\0 \\a \\b \\e \\f \\r \\v \\N \\_ \\L \\P \\ x',
      'hex \\x41 \\u00e9 \\U0001F600 end',
      'fold\n    continued\n\n\n    after blanks   \n    \tend',
      'escaped break \\\n    joined',
      'crlf\r\n    next\r\n\r\n    para',
      'trailing   \n    spaces\t \n    ',
      'lone \r cr',
    ];
    for (const b of bodies) {
      const inner = big(b);
      const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  k: "${inner}"\n  list: ["${inner}", b]\n`;
      assert.deepEqual(parseManifests(text, 'f.yaml')[0], viaLibrary(text), JSON.stringify(b));
      assert.equal(decodeDoubleQuoted(`"${inner}"`), (viaLibrary(`k: "${inner}"`) as { k: string }).k);
    }
  });

  it('leaves invalid escapes and tagged scalars to the library', () => {
    assert.equal(decodeDoubleQuoted('"bad \\q escape"'), undefined);
    assert.equal(decodeDoubleQuoted('"bad \\xZZ"'), undefined);
    const tagged = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  k: !!str "${big('a')}"\n`;
    assert.deepEqual(parseManifests(tagged, 'f.yaml')[0], viaLibrary(tagged));
    const bad = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  k: "${big('\\q')}"\n`;
    assert.throws(() => parseManifests(bad, 'f.yaml'), /invalid yaml at line 5: Invalid escape sequence/);
  });

  it('restores placeholders in keys and through aliases', () => {
    const key = big('key');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ? "${key}"\n  : &a "${big('v')}"\n  other: *a\n`;
    assert.deepEqual(parseManifests(text, 'f.yaml')[0], viaLibrary(text));
  });
});
