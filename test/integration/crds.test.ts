import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installCrds, parseManifests } from '../../src/install/index.js';
import { isInvalid, KubeErrorCode, type KubeObject } from '../../src/kube/index.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const fixtures = fileURLToPath(new URL('../fixtures/argo-manifests/', import.meta.url));

describe('CRDs on a real API server', () => {
  const { client, ns } = useTestNamespace('crds', { crds: true });

  it('installs idempotently and every kind is served', async () => {
    const names = await installCrds(client);
    assert.equal(names.length, 8);
    for (const kind of [
      'Rollout',
      'AnalysisTemplate',
      'ClusterAnalysisTemplate',
      'AnalysisRun',
      'Experiment',
      'Application',
      'AppProject',
      'ApplicationSet',
    ]) {
      const info = await client.discovery.resolve({ apiVersion: 'argoproj.io/v1alpha1', kind });
      assert.equal(info.namespaced, kind !== 'ClusterAnalysisTemplate', kind);
    }
    const rollout = await client.discovery.resolve({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' });
    assert.deepEqual([...rollout.subresources].sort(), ['scale', 'status']);
  });

  const files = readdirSync(fixtures)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  for (const file of files) {
    it(`accepts ${file} (server-side dry run)`, async () => {
      const docs = parseManifests(readFileSync(join(fixtures, file), 'utf8'), file);
      assert.ok(docs.length > 0);
      for (const doc of docs) {
        const info = await client.discovery.resolve({
          apiVersion: doc.apiVersion ?? '',
          kind: doc.kind ?? '',
        });
        const obj: KubeObject = info.namespaced
          ? { ...doc, metadata: { ...doc.metadata, namespace: ns.name } }
          : doc;
        await client.apply(obj, { fieldManager: 'slipway-test', dryRun: true, force: true });
      }
    });
  }

  it('rejects wrongly typed fields instead of silently keeping them', async () => {
    const bad: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'bad', namespace: ns.name },
      spec: {
        replicas: 'ten',
        selector: { matchLabels: { app: 'x' } },
        template: { metadata: { labels: { app: 'x' } } },
      },
    };
    // Create validates against the schema (422 Invalid); server-side apply fails earlier, when it
    // builds the typed patch, and the API server reports that as a 500. Both must be Invalid, naming the field.
    await assert.rejects(client.create(bad, { dryRun: true }), (err: unknown) => {
      assert.ok(isInvalid(err), String(err));
      assert.match((err as Error).message, /replicas/);
      return true;
    });
    await assert.rejects(
      client.apply(bad, { fieldManager: 'slipway-test', dryRun: true }),
      (err: unknown) => {
        assert.equal((err as { code?: string }).code, KubeErrorCode.Invalid, String(err));
        assert.match((err as Error).message, /spec\.replicas/);
        return true;
      },
    );
  });
});
