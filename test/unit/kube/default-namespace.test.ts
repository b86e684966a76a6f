import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeClient } from '../../../src/kube/index.js';

const dir = mkdtempSync(join(tmpdir(), 'slipway-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(name: string, contextNamespace?: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]',
      'users: [{name: u, user: {token: t}}]',
      `contexts: [{name: ctx, context: {cluster: c, user: u${contextNamespace ? `, namespace: ${contextNamespace}` : ''}}}]`,
      'current-context: ctx',
    ].join('\n'),
  );
  return path;
}

describe('KubeClient.defaultNamespace (what kubectl uses without -n)', () => {
  it("is the current context's namespace", () => {
    const client = KubeClient.fromKubeConfig({ kubeconfigPath: kubeconfig('a', 'team-a') });
    assert.equal(client.defaultNamespace, 'team-a');
    client.close();
  });

  it('is "default" when the context names none', () => {
    const client = KubeClient.fromKubeConfig({ kubeconfigPath: kubeconfig('b') });
    assert.equal(client.defaultNamespace, 'default');
    client.close();
  });
});
