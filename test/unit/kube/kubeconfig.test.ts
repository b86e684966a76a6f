import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { hasErrorCode } from '../../../src/errors/index.js';
import {
  type ClusterAccess,
  type KubeConfigEnvironment,
  loadClusterAccess,
} from '../../../src/kube/index.js';

// Differential tests: our loader against client-node's KubeConfig.applyToHTTPSOptions on the same
// input. Where kubectl and client-node disagree we follow kubectl, and the case says so.

const root = mkdtempSync(join(tmpdir(), 'slipway-kubeconfig-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SERVER = 'https://127.0.0.1:6443';
const CA = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
/** No kubeconfig and no service account anywhere. */
const EMPTY_HOME: KubeConfigEnvironment = {
  env: { HOME: join(root, 'empty-home') },
  serviceAccountDir: join(root, 'no-service-account'),
};

type Fields = Record<string, unknown>;

/** What a request would be sent with: the fields applyToHTTPSOptions fills, plus server and namespace. */
interface Observed {
  readonly server: string;
  readonly namespace: string;
  readonly tls: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
  readonly auth?: string;
}

function observe(server: string, namespace: string, opts: https.RequestOptions): Observed {
  const tls: Record<string, unknown> = {};
  for (const k of ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername'] as const) {
    const v = opts[k];
    if (v !== undefined) tls[k] = Buffer.isBuffer(v) ? v.toString('utf8') : v;
  }
  return {
    server: new URL(server).href,
    namespace,
    tls,
    headers: { ...opts.headers },
    ...(typeof opts.auth === 'string' && { auth: opts.auth }),
  };
}

async function ours(access: ClusterAccess): Promise<Observed> {
  const opts: https.RequestOptions = { headers: {} };
  await access.apply(opts);
  return observe(access.server.href, access.defaultNamespace, opts);
}

async function theirs(kc: KubeConfig): Promise<Observed> {
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
  return observe(kc.getCurrentCluster()?.server ?? '', namespace, opts);
}

/** Sets environment variables around a synchronous client-node load, then restores them. */
function withEnv(vars: Record<string, string>, load: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    load();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

function config(parts: { cluster?: Fields; user?: Fields; context?: Fields; extra?: Fields } = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: SERVER, ...parts.cluster } }],
    users: [{ name: 'u', user: parts.user ?? { token: 't0k3n' } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', ...parts.context } }],
    'current-context': 'ctx',
    ...parts.extra,
  });
}

interface FileCase {
  readonly name: string;
  /** Relative path → content; `config` is the kubeconfig. */
  readonly files: Record<string, string>;
  readonly context?: string;
  /** kubectl's answer where client-node's differs. */
  readonly kubectl?: (clientNode: Observed) => Observed;
}

const fileCases: FileCase[] = [
  { name: 'token', files: { config: config() } },
  {
    name: 'tokenFile, relative to the kubeconfig',
    files: {
      'kube/config': config({ user: { tokenFile: 'secrets/token' } }),
      'kube/secrets/token': 'rotated\n',
    },
    // client-node reads only its own `token-file` key; kubectl reads tokenFile and trims it.
    kubectl: (o) => ({ ...o, headers: { Authorization: 'Bearer rotated' } }),
  },
  {
    name: 'client certificate and key data',
    files: {
      config: config({ user: { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) } }),
    },
  },
  {
    name: 'client certificate and key files, relative',
    files: {
      'kube/config': config({
        user: { 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' },
      }),
      'kube/pki/client.crt': CERT,
      'kube/pki/client.key': KEY,
    },
  },
  {
    name: 'certificate-authority file, relative',
    files: { 'kube/config': config({ cluster: { 'certificate-authority': '../ca.crt' } }), 'ca.crt': CA },
  },
  {
    name: 'certificate-authority-data',
    files: { config: config({ cluster: { 'certificate-authority-data': b64(CA) } }) },
  },
  {
    name: 'insecure-skip-tls-verify',
    files: { config: config({ cluster: { 'insecure-skip-tls-verify': true } }) },
  },
  { name: 'tls-server-name', files: { config: config({ cluster: { 'tls-server-name': 'api.internal' } }) } },
  { name: 'basic auth', files: { config: config({ user: { username: 'admin', password: 's3cret' } }) } },
  { name: 'impersonation (as)', files: { config: config({ user: { token: 't', as: 'jane' } }) } },
  { name: 'context namespace', files: { config: config({ context: { namespace: 'team-a' } }) } },
  {
    name: 'explicit context option',
    context: 'other',
    files: {
      config: config({
        extra: {
          clusters: [
            { name: 'c', cluster: { server: SERVER } },
            { name: 'c2', cluster: { server: 'https://10.0.0.2:443/' } },
          ],
          users: [
            { name: 'u', user: { token: 'a' } },
            { name: 'u2', user: { token: 'b' } },
          ],
          contexts: [
            { name: 'ctx', context: { cluster: 'c', user: 'u' } },
            { name: 'other', context: { cluster: 'c2', user: 'u2', namespace: 'ns2' } },
          ],
        },
      }),
    },
  },
];

describe('loadClusterAccess matches client-node', () => {
  for (const c of fileCases) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(root, 'case-'));
      writeFiles(dir, c.files);
      const path = join(dir, c.files.config ? 'config' : 'kube/config');
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      if (c.context) kc.setCurrentContext(c.context);
      const expected = await theirs(kc);
      const actual = await ours(
        loadClusterAccess({ kubeconfigPath: path, ...(c.context && { context: c.context }) }),
      );
      assert.deepEqual(actual, c.kubectl ? c.kubectl(expected) : expected);
    });
  }

  it('two files in a KUBECONFIG list, paths relative to each file', async () => {
    const dir = mkdtempSync(join(root, 'list-'));
    const doc = stringify({
      clusters: [{ name: 'c', cluster: { server: SERVER, 'certificate-authority': 'ca.crt' } }],
      users: [{ name: 'u', user: { 'client-certificate': 'client.crt', 'client-key-data': b64(KEY) } }],
    });
    const ctx = stringify({
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'from-b' } }],
      'current-context': 'ctx',
    });
    writeFiles(dir, { 'a/config': doc, 'a/ca.crt': CA, 'a/client.crt': CERT, 'b/config': ctx });
    const list = [join(dir, 'a/config'), join(dir, 'b/config')].join(delimiter);
    const kc = new KubeConfig();
    withEnv({ KUBECONFIG: list }, () => kc.loadFromDefault());
    const actual = await ours(loadClusterAccess({}, { ...EMPTY_HOME, env: { KUBECONFIG: list } }));
    assert.deepEqual(actual, await theirs(kc));
    assert.equal(actual.tls.ca, CA);
  });

  const inCluster = (host: string, port: string) => {
    const prefix = mkdtempSync(join(root, 'pod-'));
    const sa = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    writeFiles(sa, { token: 'sa-token', 'ca.crt': CA, namespace: 'slipway-system' });
    const env = { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port };
    const kc = new KubeConfig();
    withEnv(env, () => kc.loadFromCluster(prefix));
    const access = loadClusterAccess(
      {},
      { env: { ...env, HOME: join(root, 'empty-home') }, serviceAccountDir: sa },
    );
    return { kc, access };
  };

  it('in-cluster', async () => {
    const { kc, access } = inCluster('10.96.0.1', '443');
    assert.deepEqual(await ours(access), await theirs(kc));
  });

  it('in-cluster over IPv6', async () => {
    const { kc, access } = inCluster('fd00::1', '443');
    assert.deepEqual(await ours(access), await theirs(kc));
  });

  it('in-cluster on an http port', async () => {
    const { kc, access } = inCluster('10.96.0.1', '8080');
    // client-node builds an http:// server for ports 80/8080/8001, then its own agent refuses it.
    await assert.rejects(theirs(kc), /HTTP protocol is not allowed/);
    assert.equal(access.server.href, `${kc.getCurrentCluster()?.server}/`);
    assert.deepEqual(await ours(access), {
      server: 'http://10.96.0.1:8080/',
      namespace: 'slipway-system',
      tls: { ca: CA },
      headers: { Authorization: 'Bearer sa-token' },
    });
  });
});

describe('loadClusterAccess (kubectl behaviour client-node lacks)', () => {
  it('merges a KUBECONFIG list first-wins: names and current-context come from the first file defining them', async () => {
    const dir = mkdtempSync(join(root, 'merge-'));
    const file = (server: string, token: string, ns: string, current: string) =>
      stringify({
        clusters: [{ name: 'c', cluster: { server } }],
        users: [{ name: 'u', user: { token } }],
        contexts: [
          { name: 'ctx', context: { cluster: 'c', user: 'u', namespace: ns } },
          { name: `only-${ns}`, context: { cluster: 'c', user: 'u', namespace: `${ns}-2` } },
        ],
        'current-context': current,
      });
    writeFiles(dir, {
      one: file('https://first:6443', 'one', 'first', ''),
      two: file('https://second:6443', 'two', 'second', 'only-second'),
      three: file('https://third:6443', 'three', 'third', 'ctx'),
    });
    const files = ['one', 'missing', 'two', 'three'].map((f) => join(dir, f));
    const env = { KUBECONFIG: files.join(delimiter) };
    // client-node throws "Duplicate cluster: c" here.
    const access = loadClusterAccess({}, { ...EMPTY_HOME, env });
    const seen = await ours(access);
    assert.equal(seen.server, 'https://first:6443/');
    assert.equal(seen.namespace, 'second-2', 'current-context from the first file that sets one');
    assert.deepEqual(seen.headers, { Authorization: 'Bearer one' });
  });

  it('re-reads token files on every apply (bound service-account tokens rotate)', async () => {
    const dir = mkdtempSync(join(root, 'rotate-'));
    writeFiles(dir, { config: config({ user: { tokenFile: 'token' } }), token: 'first' });
    const access = loadClusterAccess({ kubeconfigPath: join(dir, 'config') });
    assert.deepEqual((await ours(access)).headers, { Authorization: 'Bearer first' });
    writeFileSync(join(dir, 'token'), 'second\n');
    assert.deepEqual((await ours(access)).headers, { Authorization: 'Bearer second' });
  });

  it('uses an exec plugin through client-node', async () => {
    const dir = mkdtempSync(join(root, 'exec-'));
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'from-exec' },
    };
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: ['-e', `console.log(${JSON.stringify(JSON.stringify(credential))})`],
      interactiveMode: 'Never',
    };
    writeFiles(dir, {
      config: config({ user: { exec }, cluster: { 'certificate-authority': 'ca.crt' } }),
      'ca.crt': CA,
    });
    const seen = await ours(loadClusterAccess({ kubeconfigPath: join(dir, 'config') }));
    assert.deepEqual(seen.headers, { Authorization: 'Bearer from-exec' });
    assert.equal(seen.tls.ca, CA);
  });
});

describe('loadClusterAccess errors', () => {
  const fails = (fn: () => unknown, includes: string, secret?: string) =>
    assert.throws(fn, (err: unknown) => {
      assert.ok(hasErrorCode(err, 'KUBE_CONFIG'), String(err));
      const message = (err as Error).message;
      assert.match(message, new RegExp(includes));
      if (secret) assert.ok(!message.includes(secret), 'the message must not contain the secret');
      return true;
    });

  it('names a missing context', () => {
    const dir = mkdtempSync(join(root, 'err-'));
    writeFiles(dir, { config: config() });
    fails(
      () => loadClusterAccess({ kubeconfigPath: join(dir, 'config'), context: 'nope' }),
      'context "nope"',
    );
  });

  it('names a missing cluster and user', () => {
    const dir = mkdtempSync(join(root, 'err-'));
    writeFiles(dir, {
      a: config({ context: { cluster: 'gone' } }),
      b: config({ context: { user: 'ghost' } }),
    });
    fails(() => loadClusterAccess({ kubeconfigPath: join(dir, 'a') }), 'cluster "gone"');
    fails(() => loadClusterAccess({ kubeconfigPath: join(dir, 'b') }), 'user "ghost"');
  });

  it('says what to do when there is no config anywhere', () => {
    fails(() => loadClusterAccess({}, EMPTY_HOME), 'no kubeconfig found');
  });

  it('keeps secrets out of YAML errors', () => {
    const dir = mkdtempSync(join(root, 'err-'));
    writeFiles(dir, { config: 'users:\n- name: u\n  user: {token: hunter2-secret\n' });
    fails(() => loadClusterAccess({ kubeconfigPath: join(dir, 'config') }), 'not valid YAML', 'hunter2');
  });
});

describe('@kubernetes/client-node is loaded only when needed', () => {
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  const dir = mkdtempSync(join(root, 'imports-'));
  // A resolve hook records every module URL under @kubernetes/client-node; the child then loads a
  // client and its credentials the way main does.
  writeFiles(dir, {
    'hook.mjs': `import { appendFileSync } from 'node:fs';
let marker;
export function initialize(data) { marker = data.marker; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('@kubernetes/client-node')) appendFileSync(marker, result.url + '\\n');
  return result;
}`,
    'child.mjs': `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
const [kubeconfigPath, marker] = process.argv.slice(2);
register(new URL('./hook.mjs', import.meta.url), { data: { marker } });
const kube = await import(${JSON.stringify(pathToFileURL(join(repo, 'src/kube/index.ts')).href)});
const client = kube.KubeClient.fromKubeConfig({ kubeconfigPath });
const opts = { headers: {} };
await kube.loadClusterAccess({ kubeconfigPath }).apply(opts);
client.close();
for (const id of Object.keys(createRequire(import.meta.url).cache)) {
  if (id.includes('@kubernetes/client-node')) appendFileSync(marker, id + '\\n');
}
console.log(opts.headers.Authorization);`,
    'token/config': config(),
    'exec/config': config({
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: ['-e', 'console.log(JSON.stringify({status: {token: "x"}}))'],
        },
      },
    }),
  });

  function loadedModules(kubeconfig: string): { modules: string[]; authorization: string } {
    const marker = join(dir, `${kubeconfig}.loaded`);
    writeFileSync(marker, '');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(dir, 'child.mjs'), join(dir, kubeconfig, 'config'), marker],
      { cwd: repo, encoding: 'utf8' },
    );
    assert.equal(child.status, 0, child.stderr);
    const modules = readFileSync(marker, 'utf8').split('\n').filter(Boolean);
    return { modules, authorization: child.stdout.trim() };
  }

  it('not for a token user', () => {
    const { modules, authorization } = loadedModules('token');
    assert.equal(authorization, 'Bearer t0k3n');
    assert.deepEqual(modules, []);
  });

  it('for an exec user (which also shows the hook sees the import)', () => {
    const { modules, authorization } = loadedModules('exec');
    assert.equal(authorization, 'Bearer x');
    assert.ok(
      modules.some((m) => m.includes('@kubernetes/client-node')),
      'client-node was loaded',
    );
  });
});
