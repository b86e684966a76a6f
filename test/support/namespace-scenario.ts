// A suite's own namespace on the shared test cluster, set up and torn down by node:test hooks.
import { after, before } from 'node:test';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import { testClient, testNamespace } from './kube.js';

export interface NamespaceScenario {
  /** The shared cluster's client; closed after the suite. */
  readonly client: KubeClient;
  /** The suite's namespace; read `ns.name` inside tests (it is set by the `before` hook). */
  readonly ns: { readonly name: string };
}

export interface NamespaceScenarioOptions {
  /** Install Slipway's CRDs before creating the namespace. */
  readonly crds?: boolean;
}

/**
 * Registers before/after hooks that give the enclosing suite a uniquely named namespace (`prefix-xxxxxx`),
 * optionally after installing the CRDs, and delete it and close the client afterwards.
 */
export function useTestNamespace(prefix: string, options: NamespaceScenarioOptions = {}): NamespaceScenario {
  const client = testClient();
  let created: { name: string; delete(): Promise<void> } | undefined;
  before(async () => {
    if (options.crds) await installCrds(client);
    created = await testNamespace(client, prefix);
  });
  after(async () => {
    await created?.delete();
    client.close();
  });
  return {
    client,
    ns: {
      get name() {
        if (!created) throw new Error('the namespace is not set up yet: use it inside tests');
        return created.name;
      },
    },
  };
}
