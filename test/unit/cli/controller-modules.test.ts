import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ANALYSIS_THREADS } from '../../../src/analysis/index.js';
import {
  controllerFlagDefaults,
  controllerModuleNames,
  controllerModulesOptions,
} from '../../../src/cli/controller-modules.js';
import { readCliEnvironment } from '../../../src/cli/environment.js';
import { DEFAULT_EXPERIMENT_THREADS } from '../../../src/experiments/index.js';
import { DEFAULT_MAX_REPLICAS, DEFAULT_ROLLOUT_THREADS } from '../../../src/rollouts/index.js';
import { DefaultRenderLimits } from '../../../src/sync/index.js';

describe('CLI environment', () => {
  it('has the README defaults when nothing is set', () => {
    const env = readCliEnvironment({});
    assert.deepEqual(env, {
      repoPollIntervalMs: 180_000,
      renderLimits: { limits: DefaultRenderLimits, invalid: [] },
      webhookSecrets: {},
      noColor: false,
    });
  });

  it('reads every variable once into typed fields', () => {
    const env = readCliEnvironment({
      POD_NAMESPACE: 'slipway-system',
      SLIPWAY_LOG_LEVEL: 'debug',
      SLIPWAY_SYNC_DIR: '/var/lib/slipway/sync',
      SLIPWAY_REPO_POLL_SECONDS: '2',
      SLIPWAY_MAX_MANIFEST_FILE_BYTES: '1024',
      SLIPWAY_MAX_RENDER_BYTES: 'lots',
      SLIPWAY_WEBHOOK_GITHUB_SECRET: 'gh',
      SLIPWAY_WEBHOOK_GITLAB_SECRET: '',
      SLIPWAY_NOTIFICATIONS_NAMESPACE: 'notify',
      SLIPWAY_SLACK_API_URL: 'http://127.0.0.1:1/api/',
      SLIPWAY_PROMETHEUS_BIN: '/opt/prometheus',
      USER: 'alice',
      NO_COLOR: '',
    });
    assert.equal(env.podNamespace, 'slipway-system');
    assert.equal(env.logLevel, 'debug');
    assert.equal(env.syncDir, '/var/lib/slipway/sync');
    assert.equal(env.repoPollIntervalMs, 2_000);
    assert.deepEqual(env.renderLimits, {
      limits: { maxFileBytes: 1024, maxRenderBytes: DefaultRenderLimits.maxRenderBytes },
      invalid: ['SLIPWAY_MAX_RENDER_BYTES'],
    });
    assert.deepEqual(env.webhookSecrets, { github: 'gh' }, 'an empty secret is no secret');
    assert.equal(env.notificationsNamespace, 'notify');
    assert.equal(env.slackApiUrl, 'http://127.0.0.1:1/api/');
    assert.equal(env.prometheusBin, '/opt/prometheus');
    assert.equal(env.user, 'alice');
    assert.equal(env.noColor, true);
  });
});

describe('controller module options', () => {
  it('lists the modules in registration order', () => {
    assert.deepEqual(controllerModuleNames, [
      'analysis',
      'rollouts',
      'experiments',
      'notifications',
      'sync',
      'applicationsets',
    ]);
  });

  it('shows and passes the modules’ own defaults (kept in the CLI so that help loads no module)', () => {
    assert.deepEqual(controllerFlagDefaults, {
      rolloutThreads: DEFAULT_ROLLOUT_THREADS,
      analysisThreads: DEFAULT_ANALYSIS_THREADS,
      experimentThreads: DEFAULT_EXPERIMENT_THREADS,
      maxReplicas: DEFAULT_MAX_REPLICAS,
    });
  });

  it('gives each module only its own flags and environment', () => {
    const env = readCliEnvironment({
      SLIPWAY_SYNC_DIR: '/sync',
      SLIPWAY_NOTIFICATIONS_NAMESPACE: 'notify',
      SLIPWAY_WEBHOOK_GITLAB_SECRET: 'gl',
    });
    const options = controllerModulesOptions(
      {
        namespace: 'team',
        rolloutThreads: 8,
        analysisThreads: 3,
        experimentThreads: 2,
        maxReplicas: 50,
        selfServiceNotification: true,
        syncNamespaces: ['a', 'b'],
      },
      env,
    );
    assert.deepEqual(options, {
      analysis: { namespace: 'team', analysisThreads: 3 },
      rollouts: { namespace: 'team', rolloutThreads: 8, maxReplicas: 50 },
      experiments: { namespace: 'team', experimentThreads: 2 },
      notifications: { namespace: 'team', selfServiceNotification: true, configNamespace: 'notify' },
      sync: {
        namespace: 'team',
        syncNamespaces: ['a', 'b'],
        workDir: '/sync',
        pollIntervalMs: 180_000,
        webhookSecrets: { gitlab: 'gl' },
        renderLimits: DefaultRenderLimits,
      },
      applicationsets: { namespace: 'team', workDir: '/sync', renderLimits: DefaultRenderLimits },
      flux: { namespace: 'team', workDir: '/sync', renderLimits: DefaultRenderLimits },
    });
  });

  it('gives the instance id to the modules that run Argo Rollouts objects only', () => {
    const options = controllerModulesOptions({ instanceId: 'team-b' }, readCliEnvironment({}));
    assert.equal(options.analysis.instanceId, 'team-b');
    assert.equal(options.rollouts.instanceId, 'team-b');
    assert.equal(options.notifications.instanceId, 'team-b');
    assert.equal(options.sync.instanceId, undefined);
  });

  it('leaves unset flags to the modules’ defaults', () => {
    const options = controllerModulesOptions({}, readCliEnvironment({}));
    assert.deepEqual(options.analysis, {});
    assert.deepEqual(options.rollouts, {});
    assert.deepEqual(options.experiments, {});
    assert.deepEqual(options.notifications, { selfServiceNotification: false });
    assert.equal(options.sync.workDir, undefined);
  });
});
