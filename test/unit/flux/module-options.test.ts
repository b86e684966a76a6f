import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  controllerModuleNames,
  controllerModulesOptions,
  knownModuleNames,
  optionalModuleNames,
} from '../../../src/cli/controller-modules.js';
import { readCliEnvironment } from '../../../src/cli/environment.js';
import { DefaultRenderLimits } from '../../../src/sync/index.js';

describe('flux module selection', () => {
  it('is off by default and accepted by --controllers', () => {
    assert.ok(!controllerModuleNames.includes('flux'));
    assert.deepEqual(optionalModuleNames, ['flux']);
    assert.deepEqual(knownModuleNames, [...controllerModuleNames, 'flux']);
  });

  it('gets the namespace, the sync dir and the render limits', () => {
    const env = readCliEnvironment({ SLIPWAY_SYNC_DIR: '/var/lib/slipway/sync' });
    assert.deepEqual(controllerModulesOptions({ namespace: 'flux-system' }, env).flux, {
      namespace: 'flux-system',
      workDir: '/var/lib/slipway/sync',
      renderLimits: DefaultRenderLimits,
    });
  });

  it('makes the notifications module watch Kustomizations and HelmReleases only when it runs', () => {
    const env = readCliEnvironment({});
    assert.equal(controllerModulesOptions({ fluxModule: true }, env).notifications.fluxKinds, true);
    assert.equal(controllerModulesOptions({}, env).notifications.fluxKinds, undefined);
  });
});
