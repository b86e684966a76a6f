import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisTemplateLike, AnalysisTemplateRef } from '../../../src/analysis/index.js';
import {
  analysisTemplateError,
  DEFAULT_MAX_REPLICAS,
  type Rollout,
  referencesAnalysisTemplates,
  replicaCeilingError,
  unsupportedFeature,
} from '../../../src/rollouts/index.js';

const rollout = (canary: Record<string, unknown>, spec: Record<string, unknown> = {}): Rollout =>
  ({
    metadata: { name: 'r', namespace: 'ns' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'r' } },
      template: { metadata: { labels: { app: 'r' } } },
      strategy: { canary },
      ...spec,
    },
  }) as Rollout;

describe('features Slipway cannot run are InvalidSpec naming the field', () => {
  it('a plugin step names its index and field', () => {
    const r = rollout({ steps: [{ setWeight: 20 }, { plugin: { name: 'x', config: {} } }] });
    assert.equal(
      unsupportedFeature(r),
      'spec.strategy.canary.steps[1].plugin: Unsupported value: Slipway cannot run step plugins',
    );
  });
  it('canary fields Slipway would ignore (pingPong, antiAffinity) name the field', () => {
    const pingPong = rollout({ pingPong: { pingService: 'ping', pongService: 'pong' } });
    assert.equal(
      unsupportedFeature(pingPong),
      'spec.strategy.canary.pingPong: Unsupported value: Slipway does not run ping-pong Services yet',
    );
    const affinity = rollout({ antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } });
    assert.equal(
      unsupportedFeature(affinity),
      'spec.strategy.canary.antiAffinity: Unsupported value: Slipway does not set canary anti-affinity yet',
    );
  });
  it('an experiment step runs (issue 15): not refused', () => {
    const r = rollout({
      steps: [{ experiment: { templates: [{ name: 'baseline', specRef: 'stable' }] } }, { setWeight: 50 }],
    });
    assert.equal(unsupportedFeature(r), undefined);
  });
  it('a traffic router Slipway does not run names the router', () => {
    const r = rollout({ trafficRouting: { maxTrafficWeight: 1000, alb: { ingress: 'x' } } });
    assert.match(
      unsupportedFeature(r) ?? '',
      /^spec\.strategy\.canary\.trafficRouting\.alb: Unsupported value/,
    );
    const plugin = rollout({ trafficRouting: { plugins: { 'acme/router': {} } } });
    assert.match(unsupportedFeature(plugin) ?? '', /trafficRouting\.plugins: Unsupported value/);
  });
  it('routers Slipway does not run are named as Argo names them', () => {
    const cases = [
      ['alb', { ingress: 'web' }, 'ALB'],
      ['ambassador', { mappings: ['m'] }, 'Ambassador'],
      ['appMesh', { virtualService: { name: 'v' } }, 'AppMesh'],
      ['traefik', { weightedTraefikServiceName: 't' }, 'Traefik'],
      ['apisix', { route: { name: 'r' } }, 'Apisix'],
    ] as const;
    for (const [key, config, name] of cases) {
      assert.equal(
        unsupportedFeature(rollout({ trafficRouting: { [key]: config } })),
        `spec.strategy.canary.trafficRouting.${key}: Unsupported value: Slipway does not run the ${name} traffic router`,
      );
    }
  });
  it('the routers Slipway runs (Istio, SMI, NGINX, the Gateway API plugin) pass with a valid configuration', () => {
    for (const routing of [
      { istio: { virtualService: { name: 'vs', routes: ['primary'] } } },
      { smi: {} },
      { nginx: { stableIngress: 'web' } },
      { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'r' } } },
    ]) {
      assert.equal(
        unsupportedFeature(rollout({ trafficRouting: routing })),
        undefined,
        JSON.stringify(routing),
      );
    }
  });
  it("a registered router's own validation decides its configuration", () => {
    assert.match(unsupportedFeature(rollout({ trafficRouting: { istio: {} } })) ?? '', /VirtualService/);
    assert.match(unsupportedFeature(rollout({ trafficRouting: { nginx: {} } })) ?? '', /StableIngress/);
  });
  it('other router plugins are refused naming the plugin', () => {
    const r = rollout({ trafficRouting: { plugins: { 'acme/router': {} } } });
    assert.equal(
      unsupportedFeature(r),
      'spec.strategy.canary.trafficRouting.plugins: Unsupported value: Slipway does not run the traffic router plugin "acme/router"',
    );
  });
  it('a registered router passes; every configured router must be registered', () => {
    const routers = [{ key: 'istio' }, { key: 'argoproj-labs/gatewayAPI' }];
    const istio = rollout({
      trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [] },
    });
    assert.equal(unsupportedFeature(istio, routers), undefined);
    const gateway = rollout({ trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': {} } } });
    assert.equal(unsupportedFeature(gateway, routers), undefined);
    const both = rollout({
      trafficRouting: { istio: { virtualService: { name: 'vs' } }, alb: { ingress: 'x' } },
    });
    assert.match(unsupportedFeature(both, routers) ?? '', /trafficRouting\.alb: Unsupported value: .*ALB/);
    const plugins = rollout({
      trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': {}, 'acme/router': {} } },
    });
    assert.match(unsupportedFeature(plugins, routers) ?? '', /plugin "acme\/router"/);
  });
  it('blue-green runs (issue 15); workloadRef runs', () => {
    const bg = {
      ...rollout({}),
      spec: { ...rollout({}).spec, strategy: { blueGreen: { activeService: 'a' } } },
    };
    assert.equal(unsupportedFeature(bg as Rollout), undefined);
    const ref = rollout({}, { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } });
    assert.equal(unsupportedFeature(ref), undefined);
  });
  it('supported steps pass', () => {
    const r = rollout({ steps: [{ setWeight: 20 }, { pause: {} }, { analysis: { templates: [] } }] });
    assert.equal(unsupportedFeature(r), undefined);
  });
});

describe('replica ceiling', () => {
  it('names the value, the limit and the flag', () => {
    assert.equal(replicaCeilingError({ replicas: 10_000 }, 10_000), undefined);
    assert.equal(replicaCeilingError({}, 10_000), undefined);
    assert.equal(
      replicaCeilingError({ replicas: 1_000_000_000 }, DEFAULT_MAX_REPLICAS),
      "spec.replicas: Invalid value: 1000000000: must be no more than 10000, the controller's replica ceiling (slipway controller --max-replicas)",
    );
    assert.match(replicaCeilingError({ replicas: 6 }, 5) ?? '', /no more than 5,/);
  });
});

describe('referenced analysis templates with conditions that do not compile', () => {
  const template = (name: string, spec: AnalysisTemplateLike['spec'], kind = 'AnalysisTemplate') =>
    ({ kind, metadata: { name }, spec }) as AnalysisTemplateLike;
  const store: Record<string, AnalysisTemplateLike> = {
    good: template('good', {
      args: [{ name: 'threshold' }],
      metrics: [
        {
          name: 'rate',
          successCondition: 'result[0] >= {{args.threshold}}',
          provider: { web: { url: 'x' } },
        },
      ],
    }),
    broken: template('broken', {
      metrics: [
        { name: 'ok', successCondition: 'result == 1', provider: { web: { url: 'x' } } },
        { name: 'rate', failureCondition: 'result >', provider: { web: { url: 'x' } } },
      ],
    }),
    parent: template('parent', { templates: [{ templateName: 'broken' }] }),
    cbroken: template(
      'cbroken',
      { metrics: [{ name: 'm', successCondition: '(((', provider: { web: { url: 'x' } } }] },
      'ClusterAnalysisTemplate',
    ),
  };
  const lookup = (ref: AnalysisTemplateRef) => store[ref.templateName];

  it('a step referencing a broken template is invalid, naming path, template, metric and the compile error', () => {
    const r = rollout({
      steps: [
        { setWeight: 20 },
        { analysis: { templates: [{ templateName: 'good' }, { templateName: 'broken' }] } },
      ],
    });
    assert.equal(
      analysisTemplateError(r, lookup),
      'spec.strategy.canary.steps[1].analysis.templates: Invalid value: "broken": AnalysisTemplate broken: metric "rate": could not evaluate failureCondition "result >": unexpected token EOF at line 1, column 9',
    );
    assert.ok(referencesAnalysisTemplates(r));
  });
  it('nested and cluster templates, and background analysis', () => {
    const nested = rollout({ steps: [{ analysis: { templates: [{ templateName: 'parent' }] } }] });
    assert.match(
      analysisTemplateError(nested, lookup) ?? '',
      /"broken": AnalysisTemplate broken: metric "rate"/,
    );
    const background = rollout({
      analysis: { templates: [{ templateName: 'cbroken', clusterScope: true }] },
    });
    assert.match(
      analysisTemplateError(background, lookup) ?? '',
      /^spec\.strategy\.canary\.analysis\.templates: Invalid value: "cbroken": ClusterAnalysisTemplate cbroken: metric "m": could not evaluate successCondition "\(\(\("/,
    );
  });
  it('good templates, args filled by a placeholder, and missing templates pass (the step reports those)', () => {
    const r = rollout({
      steps: [
        { analysis: { templates: [{ templateName: 'good' }] } },
        { analysis: { templates: [{ templateName: 'missing' }] } },
      ],
    });
    assert.equal(analysisTemplateError(r, lookup), undefined);
    assert.equal(referencesAnalysisTemplates(rollout({ steps: [{ setWeight: 1 }] })), false);
  });
});

describe('referenced template args', () => {
  it('a value the Rollout passes wins over the template default; valueFrom gets the placeholder', () => {
    const store: Record<string, AnalysisTemplateLike> = {
      t: {
        kind: 'AnalysisTemplate',
        metadata: { name: 't' },
        spec: {
          args: [{ name: 'threshold', value: '' }],
          metrics: [
            { name: 'm', successCondition: 'result > {{args.threshold}}', provider: { web: { url: 'x' } } },
          ],
        },
      },
    };
    const lookup = (ref: AnalysisTemplateRef) => store[ref.templateName];
    const withArgs = (args: unknown[]) =>
      rollout({ steps: [{ analysis: { templates: [{ templateName: 't' }], args } }] });
    assert.equal(analysisTemplateError(withArgs([{ name: 'threshold', value: '0.9' }]), lookup), undefined);
    assert.equal(
      analysisTemplateError(
        withArgs([{ name: 'threshold', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
        lookup,
      ),
      undefined,
    );
    assert.match(
      analysisTemplateError(withArgs([]), lookup) ?? '',
      /could not evaluate successCondition "result > "/,
    );
  });
});
