#!/usr/bin/env node
// npm run bench [-- NAME...]: runs benchmarks by name (default: the foundation set). Each prints
// its figures and a final JSON line; nothing here asserts on time.
import { spawnSync } from 'node:child_process';

const benches = {
  queue: ['bench/queue.ts'],
  'reflector-memory': ['--expose-gc', 'bench/reflector-memory.ts'],
  'expr-fuzz': ['bench/expr-fuzz.ts'],
  'expr-diff': ['bench/expr-diff.ts'],
  'gotemplate-fuzz': ['bench/gotemplate-fuzz.ts'],
  'gotemplate-diff': ['bench/gotemplate-diff.ts'],
  rollouts: ['bench/rollouts.ts'],
  analysis: ['bench/analysis.ts'],
  sync: ['bench/sync.ts'],
  fleet: ['bench/fleet.ts'],
  'render-bounds': ['bench/render-bounds.ts'],
  // The image's Node flags: the figure is the controller's own.
  'render-bounds-controller': [
    '--max-semi-space-size=4',
    '--heap-growing-percent=50',
    'bench/render-bounds-controller.ts',
  ],
  notifications: ['bench/notifications.ts'],
  // what `slipway controller` costs with no objects, per controller set (starts the compiled controller)
  'baseline-memory': ['bench/baseline-memory.ts'],
  chaos: ['bench/chaos.ts'],
  dashboard: ['--expose-gc', 'bench/dashboard.ts'],
  // Need Go: build an oracle against the argo-rollouts module (once) and compare random inputs.
  'argo-replicas-diff': ['bench/argo-replicas-diff.ts'],
  'argo-validation-diff': ['bench/argo-validation-diff.ts'],
};
const defaults = ['queue', 'reflector-memory'];
const argv = process.argv.slice(2);
// bench names first, then the options passed to each (`argo-replicas-diff --cases 1000 --seed 7`)
const firstOption = argv.findIndex((a) => a.startsWith('-'));
const names = firstOption < 0 ? argv : argv.slice(0, firstOption);
const extra = firstOption < 0 ? [] : argv.slice(firstOption);
let failed = 0;
for (const name of names.length > 0 ? names : defaults) {
  const args = benches[name];
  if (!args) {
    console.error(`unknown bench "${name}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  const file = args[args.length - 1];
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args.slice(0, -1), file, ...extra], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
