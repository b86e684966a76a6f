import assert from 'node:assert/strict';
import type https from 'node:https';
import { describe, it } from 'node:test';
import {
  type Cluster,
  ClusterErrorCode,
  clusterFromSecret,
  clusterSecret,
  clusterSecretName,
  clustersFromSecrets,
  IN_CLUSTER_SERVER,
  resolveDestination,
  type SecretObject,
} from '../../../src/clusters/index.js';
import { hasErrorCode } from '../../../src/errors/index.js';
import { clusterAccessFromConfig } from '../../../src/kube/index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function secret(
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): SecretObject {
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) encoded[k] = b64(v);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: 'argocd',
      uid: name,
      resourceVersion: '1',
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...labels },
    },
    data: encoded,
  } as SecretObject;
}

describe('clusters: Argo CD cluster Secrets', () => {
  it('names Secrets as Argo CD URIToSecretName does (its own test table)', () => {
    assert.equal(clusterSecretName('http://foo'), 'cluster-foo-752281925');
    assert.equal(
      clusterSecretName('http://thelongestdomainnameintheworld.argocd-project.com:3000'),
      'cluster-thelongestdomainnameintheworld.argocd-project.com-2721640553',
    );
    assert.equal(
      clusterSecretName('http://[fe80::1ff:fe23:4567:890a]'),
      'cluster-fe80--1ff-fe23-4567-890a-3877258831',
    );
    assert.equal(
      clusterSecretName('http://[fe80::1ff:fe23:4567:890a]:8000'),
      'cluster-fe80--1ff-fe23-4567-890a-664858999',
    );
    assert.equal(
      clusterSecretName('http://[FE80::1FF:FE23:4567:890A]:8000'),
      'cluster-fe80--1ff-fe23-4567-890a-682802007',
    );
  });

  it('reads server, name, config, namespaces, clusterResources, project and labels', () => {
    const c = clusterFromSecret(
      secret(
        'tokyo',
        {
          name: 'tokyo',
          server: 'https://tokyo.example.com/',
          config: JSON.stringify({ bearerToken: 't', tlsClientConfig: { insecure: true } }),
          namespaces: 'a, b,,c',
          clusterResources: 'true',
          project: 'web',
        },
        { region: 'ap-northeast-1' },
      ),
    );
    assert.deepEqual(c, {
      name: 'tokyo',
      server: 'https://tokyo.example.com',
      namespaces: ['a', 'b', 'c'],
      clusterResources: true,
      project: 'web',
      labels: { region: 'ap-northeast-1' },
      config: { bearerToken: 't', tlsClientConfig: { insecure: true } },
      secret: 'argocd/tokyo',
      id: 'tokyo',
    });
  });

  it('reads the `shard` field as Argo CD does (a whole number pins the cluster; anything else does not)', () => {
    const pinned = clusterFromSecret(secret('a', { server: 'https://a', shard: '2' }));
    assert.equal(pinned.shard, 2);
    assert.equal(pinned.shardText, '2');
    const bad = clusterFromSecret(secret('b', { server: 'https://b', shard: 'two' }));
    assert.equal(bad.shard, undefined);
    assert.equal(bad.shardText, 'two');
  });

  it('refuses a Secret without server or with a config that is not JSON, without quoting it', () => {
    assert.ok(
      hasErrorCode(
        catchErr(() => clusterFromSecret(secret('x', { name: 'x' }))),
        ClusterErrorCode.SecretInvalid,
      ),
    );
    const err = catchErr(() =>
      clusterFromSecret(secret('y', { name: 'y', server: 'https://y', config: '{"bearerToken": "s3cret"' })),
    );
    assert.ok(hasErrorCode(err, ClusterErrorCode.SecretInvalid));
    assert.ok(!(err as Error).message.includes('s3cret'));
    assert.match((err as Error).message, /argocd\/y/);
  });

  it('lists the implicit in-cluster unless a Secret registers its server, and reports unreadable Secrets', () => {
    const one = clustersFromSecrets([
      secret('a', { name: 'a', server: 'https://a' }),
      secret('bad', { name: 'bad' }),
    ]);
    assert.deepEqual(
      one.clusters.map((c) => c.name),
      ['a', 'in-cluster'],
    );
    assert.equal(one.invalid.length, 1);
    const renamed = clustersFromSecrets([secret('local', { name: 'local', server: IN_CLUSTER_SERVER })]);
    assert.deepEqual(
      renamed.clusters.map((c) => c.name),
      ['local'],
    );
  });

  it('writes the Secret Argo CD clusterToSecret writes, which reads back to the same cluster', () => {
    const s = clusterSecret(
      {
        name: 'ireland',
        server: 'https://ireland.example.com:6443/',
        config: { bearerToken: 'tok', tlsClientConfig: { insecure: false, caData: b64('CA') } },
        labels: { region: 'eu-west-1' },
      },
      'argocd',
    );
    assert.equal(s.metadata.name, clusterSecretName('https://ireland.example.com:6443'));
    assert.equal(s.metadata.labels?.['argocd.argoproj.io/secret-type'], 'cluster');
    assert.equal(s.metadata.annotations?.['managed-by'], 'argocd.argoproj.io');
    const back = clusterFromSecret({ ...s, metadata: { ...s.metadata } });
    assert.equal(back.server, 'https://ireland.example.com:6443');
    assert.equal(back.name, 'ireland');
    assert.deepEqual(back.labels, { region: 'eu-west-1' });
    assert.equal(back.config.bearerToken, 'tok');
    // no name: the server is the name (Argo CD)
    const unnamed = clusterFromSecret(clusterSecret({ server: 'https://z', config: {} }, 'argocd'));
    assert.equal(unnamed.name, 'https://z');
  });
});

describe('clusters: destination resolution (Argo CD GetDestinationCluster messages)', () => {
  const { clusters } = clustersFromSecrets([
    secret('a', { name: 'tokyo', server: 'https://tokyo' }),
    secret('b', { name: 'twin', server: 'https://twin-1' }),
    secret('c', { name: 'twin', server: 'https://twin-2' }),
  ]);
  const name = (r: ReturnType<typeof resolveDestination>) =>
    r.kind === 'resolved' ? r.cluster.name : r.message;
  const cases: [string, { server?: string; name?: string }, string][] = [
    ['by server', { server: 'https://tokyo' }, 'tokyo'],
    ['by server with a trailing slash', { server: 'https://tokyo/' }, 'tokyo'],
    ['by name', { name: 'tokyo' }, 'tokyo'],
    ['in-cluster by server', { server: IN_CLUSTER_SERVER }, 'in-cluster'],
    ['in-cluster by name', { name: 'in-cluster' }, 'in-cluster'],
    ['empty: in-cluster', {}, 'in-cluster'],
    [
      'both',
      { name: 'tokyo', server: 'https://tokyo' },
      "application destination can't have both name and server defined: tokyo https://tokyo",
    ],
    ['unknown name', { name: 'mars' }, 'there are no clusters with this name: mars'],
    [
      'ambiguous name',
      { name: 'twin' },
      'there are 2 clusters with the same name: [https://twin-1 https://twin-2]',
    ],
    [
      'unknown server',
      { server: 'https://mars/' },
      'error getting cluster by server "https://mars/": cluster "https://mars" not found',
    ],
  ];
  for (const [what, destination, want] of cases)
    it(what, () => assert.equal(name(resolveDestination(destination, clusters)), want));

  it('a Secret renaming the in-cluster makes it reachable by its new name only', () => {
    const renamed: readonly Cluster[] = clustersFromSecrets([
      secret('l', { name: 'local', server: IN_CLUSTER_SERVER }),
    ]).clusters;
    assert.equal(name(resolveDestination({ name: 'local' }, renamed)), 'local');
    assert.equal(name(resolveDestination({ name: 'in-cluster' }, renamed)), 'local');
  });
});

describe('kube: access from a cluster config', () => {
  it('bearer token, CA data and insecure become the request options', async () => {
    const access = clusterAccessFromConfig('x', 'https://127.0.0.1:6443', {
      bearerToken: 'tok',
      tlsClientConfig: { caData: b64('CA'), serverName: 'api.local' },
    });
    const opts: https.RequestOptions = { headers: {} };
    await access.apply(opts);
    assert.equal((opts.headers as Record<string, string>).Authorization, 'Bearer tok');
    assert.equal(String(opts.ca), 'CA');
    assert.equal(opts.servername, 'api.local');
    assert.equal(access.server.href, 'https://127.0.0.1:6443/');
    const insecure = clusterAccessFromConfig('y', 'https://h', {
      username: 'u',
      password: 'p',
      tlsClientConfig: { insecure: true },
    });
    const o2: { headers?: Record<string, string>; rejectUnauthorized?: boolean; auth?: string } = {
      headers: {},
    };
    await insecure.apply(o2);
    assert.equal(o2.rejectUnauthorized, false);
    assert.equal(o2.auth, 'u:p');
  });
});

function catchErr(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  assert.fail('expected an error');
}
