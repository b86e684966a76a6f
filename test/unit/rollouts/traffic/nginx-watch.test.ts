import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNginxIngress, rolloutIngressKeys } from '../../../../src/rollouts/traffic/nginx/index.js';
import type { Rollout } from '../../../../src/rollouts/types.js';

const rollout = (nginx: Record<string, unknown>): Rollout => ({
  metadata: { name: 'rollout', namespace: 'ns' },
  spec: { strategy: { canary: { trafficRouting: { nginx } } } },
});

describe('NGINX Ingress watch mapping', () => {
  it('maps each stable Ingress and its canary Ingress to the Rollout (GetRolloutIngressKeys)', () => {
    assert.deepEqual(rolloutIngressKeys(rollout({ stableIngress: 'web' })), [
      'ns/web',
      'ns/rollout-web-canary',
    ]);
    assert.deepEqual(rolloutIngressKeys(rollout({ stableIngresses: ['a', 'b'] })), [
      'ns/a',
      'ns/rollout-a-canary',
      'ns/b',
      'ns/rollout-b-canary',
    ]);
    assert.deepEqual(rolloutIngressKeys({ metadata: { name: 'r' } }), []);
  });

  it('only Ingresses of an NGINX class count: annotation first, then ingressClassName', () => {
    const ing = (annotation?: string, className?: string) => ({
      metadata: {
        name: 'i',
        ...(annotation !== undefined && { annotations: { 'kubernetes.io/ingress.class': annotation } }),
      },
      spec: { ...(className !== undefined && { ingressClassName: className }) },
    });
    assert.equal(isNginxIngress(ing('nginx')), true);
    assert.equal(isNginxIngress(ing(undefined, 'nginx')), true);
    assert.equal(isNginxIngress(ing('alb', 'nginx')), false);
    assert.equal(isNginxIngress(ing()), false);
    assert.equal(isNginxIngress(ing(), ['']), true, "--nginx-ingress-classes '' takes class-less Ingresses");
    assert.equal(isNginxIngress(ing('internal'), ['nginx', 'internal']), true);
  });
});
