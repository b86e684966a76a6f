import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrerequisites, majorMinor, missingPrerequisites } from '../../../src/dev/prerequisites.js';
import { ensurePrometheusBinary } from '../../../src/dev/prometheus/index.js';

describe('prerequisites of the demo and the tests, checked before any long build', () => {
  let cache: string;
  const saved = { path: process.env.PATH, cache: process.env.SLIPWAY_CACHE };
  before(() => {
    cache = mkdtempSync(join(tmpdir(), 'slipway-prereq-'));
    process.env.SLIPWAY_CACHE = cache; // nothing built yet
  });
  after(() => {
    process.env.PATH = saved.path;
    if (saved.cache === undefined) delete process.env.SLIPWAY_CACHE;
    else process.env.SLIPWAY_CACHE = saved.cache;
    rmSync(cache, { recursive: true, force: true });
  });

  it('reads major.minor from the version strings node and go print', () => {
    assert.deepEqual(majorMinor('v20.19.1'), [20, 19]);
    assert.deepEqual(majorMinor('1.26.8 linux/amd64'), [1, 26]);
    assert.equal(majorMinor('unknown'), undefined);
  });

  it('names an old Node and, when something must be built without Go, Go with every build it is for', () => {
    process.env.PATH = '/nonexistent';
    try {
      const missing = missingPrerequisites(
        { cluster: true, prometheus: { override: '/nonexistent/prometheus' } },
        'v18.19.0',
      );
      assert.equal(missing.length, 3, missing.join('\n'));
      assert.match(missing[0]!, /Node\.js 20\.10 or newer \(this is v18\.19\.0\)/);
      assert.match(missing[1]!, /^git /);
      assert.match(missing[2]!, /^Go 1\.24 or newer, to build once: the local control plane .*; Prometheus/);
      assert.throws(
        () => assertPrerequisites({ cluster: true }),
        (err: unknown) =>
          (err as { code?: string }).code === 'DEV_PREREQUISITES' && /- git/.test(String(err)),
      );
    } finally {
      process.env.PATH = saved.path;
    }
  });

  it('asks for nothing to be built when an explicit Prometheus binary exists', () => {
    const missing = missingPrerequisites({ cluster: false, prometheus: { override: process.execPath } });
    assert.deepEqual(missing, []);
  });

  it('an explicit Prometheus path that does not exist stands for "not installed": it is built', async () => {
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(
        ensurePrometheusBinary({ override: '/nonexistent/prometheus' }),
        (err: unknown) => {
          assert.equal((err as { code?: string }).code, 'DEV_GO_MISSING');
          return true;
        },
      );
    } finally {
      process.env.PATH = saved.path;
    }
  });
});
