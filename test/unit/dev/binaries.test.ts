import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ensureBinaries } from '../../../src/dev/cluster/binaries.js';

it('fails with a clear message naming what to install when Go is missing', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'slipway-nogo-'));
  const saved = { path: process.env.PATH, cache: process.env.SLIPWAY_CACHE };
  process.env.PATH = '/nonexistent';
  process.env.SLIPWAY_CACHE = cache;
  try {
    await assert.rejects(ensureBinaries(), (err: unknown) => {
      assert.equal((err as { code?: string }).code, 'DEV_GO_MISSING');
      assert.match((err as Error).message, /install go/i);
      return true;
    });
  } finally {
    process.env.PATH = saved.path;
    if (saved.cache === undefined) delete process.env.SLIPWAY_CACHE;
    else process.env.SLIPWAY_CACHE = saved.cache;
    rmSync(cache, { recursive: true, force: true });
  }
});
