#!/usr/bin/env node
// Runs Slipway's tests with node's test runner in one invocation, so the closing summary covers
// everything. When integration tests are selected it first starts ONE shared local control plane
// (etcd, kube-apiserver, controller-manager, scheduler, kwok), hands its kubeconfig to every test
// file through SLIPWAY_TEST_KUBECONFIG, and always tears it down afterwards (also on Ctrl-C).
//
//   node test/run.mjs                 unit + integration
//   node test/run.mjs --unit          unit and golden tests only (no cluster, fast)
//   node test/run.mjs --integration   integration tests only
//   node test/run.mjs FILTER...       only test files whose path contains FILTER
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const wantUnit = !args.includes('--integration');
const wantIntegration = !args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir) {
  const out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const select = (files) =>
  files
    .map((f) => relative(root, f))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const unit = wantUnit ? select(findTests(join(root, 'test/unit'))) : [];
const integration = wantIntegration ? select(findTests(join(root, 'test/integration'))) : [];
const files = [...unit, ...integration];
if (files.length === 0) {
  console.error('no test files selected');
  process.exit(1);
}

let cluster;
const env = { ...process.env };
if (integration.length > 0) {
  const { register } = await import('tsx/esm/api');
  register();
  // Everything missing is named at once, before any long build starts.
  const { assertPrerequisites } = await import('../src/dev/prerequisites.ts');
  const { ensurePrometheusBinary } = await import('../src/dev/prometheus/index.ts');
  const { renderToolPaths } = await import('../src/sync/render/index.ts');
  const prometheus = { override: process.env.SLIPWAY_PROMETHEUS_BIN };
  const { ensureTrafficCrds, trafficCrdPaths } = await import('../src/dev/traffic-crds/index.ts');
  const renderTools = { what: 'kustomize and helm', paths: Object.values(renderToolPaths()) };
  const trafficCrds = { what: 'the upstream traffic CRDs (fetched)', paths: trafficCrdPaths() };
  try {
    assertPrerequisites({ cluster: true, prometheus, otherBuilds: [renderTools, trafficCrds] });
  } catch (err) {
    console.error(`slipway tests: ${err.message}`);
    process.exit(1);
  }
  // Debian packages some integration tests drive: installed with apt-get when missing (as root)
  const { ensureSystemPackages } = await import('../src/dev/system-packages.ts');
  const packages = [];
  if (integration.some((f) => f.includes('dashboard-browser')))
    packages.push({
      path: process.env.SLIPWAY_CHROMIUM ?? '/usr/bin/chromium',
      debian: 'chromium',
      usedBy: 'the dashboard browser test',
    });
  if (integration.some((f) => f.includes('flux')))
    packages.push({
      path: process.env.SLIPWAY_DOCKER_REGISTRY ?? '/usr/bin/docker-registry',
      debian: 'docker-registry',
      usedBy: 'the Flux OCI tests',
    });
  try {
    ensureSystemPackages(packages, (m) => process.stderr.write(`[system packages] ${m}\n`));
  } catch (err) {
    console.error(`slipway tests: ${err.message}`);
    process.exit(1);
  }
  const onProgress = (m) => process.stderr.write(`[prometheus] ${m}\n`);
  env.SLIPWAY_PROMETHEUS_BIN = await ensurePrometheusBinary({ ...prometheus, onProgress });
  try {
    await ensureTrafficCrds({ onProgress: (m) => process.stderr.write(`[traffic-crds] ${m}\n`) });
  } catch (err) {
    console.error(`slipway tests: ${err.message}`);
    process.exit(1);
  }
  const { startSharedTestCluster } = await import('./support/cluster/shared.ts');
  cluster = await startSharedTestCluster();
  env.SLIPWAY_TEST_KUBECONFIG = cluster.kubeconfigPath;
  env.SLIPWAY_TEST_CLUSTER_INFO = cluster.infoPath;
}

const concurrency = process.env.SLIPWAY_TEST_CONCURRENCY ?? '4';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, env, stdio: 'inherit' },
);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (cluster) await cluster.stop().catch((err) => console.error('cluster teardown failed:', err));
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    child.kill(sig);
    void stop(130);
  });
}
child.on('exit', (code, signal) => void stop(code ?? (signal ? 1 : 0)));
