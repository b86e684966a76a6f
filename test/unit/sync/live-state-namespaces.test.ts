import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manager } from '../../../src/core/index.js';
import { LiveState } from '../../../src/sync/controller/live-state.js';

// checkNamespace reads only the options; the manager is needed for its stop hook.
const manager = { onStop: () => undefined, client: {} } as unknown as Manager;
const obj = (namespace?: string) => ({ metadata: { ...(namespace !== undefined && { namespace }) } });

describe('LiveState.checkNamespace: objects the live state would never see are refused before they are applied', () => {
  it('-n without --sync-namespaces: only that namespace (and cluster-scoped objects)', () => {
    const live = new LiveState(manager, { onChange: () => undefined, namespace: 'argocd' });
    live.checkNamespace(obj('argocd'));
    live.checkNamespace(obj());
    assert.throws(
      () => live.checkNamespace(obj('production')),
      /namespace production is not watched by this controller \(-n argocd\); list the destination namespaces in --sync-namespaces/,
    );
  });
  it('--sync-namespaces decides when given, with or without -n', () => {
    const live = new LiveState(manager, {
      onChange: () => undefined,
      namespace: 'argocd',
      namespaces: ['production'],
    });
    live.checkNamespace(obj('production'));
    assert.throws(() => live.checkNamespace(obj('staging')), /not a sync destination of this controller/);
  });
  it('neither: every namespace', () => {
    const live = new LiveState(manager, { onChange: () => undefined });
    live.checkNamespace(obj('anywhere'));
  });
});
