import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { machinePages } from '../../../src/dev/machines/docs-machines.js';
import { rolloutMachine } from '../../../src/rollouts/index.js';

const root = new URL('../../../', import.meta.url);

describe('docs/machines (npm run docs:machines)', () => {
  for (const page of machinePages()) {
    it(`${page.path} is the rendering of the machine it names`, () => {
      const committed = readFileSync(new URL(page.path, root), 'utf8');
      assert.equal(committed, page.content, `${page.path} is out of date: run npm run docs:machines`);
    });
  }

  it('the canary diagram shows every state and every guarded transition of the machine', () => {
    const page = machinePages().find((p) => p.path.endsWith('/canary.md'));
    assert.ok(page);
    for (const state of Object.keys(rolloutMachine.root.states))
      assert.match(page.content, new RegExp(`\\b${state}\\b`));
    const guards = Object.keys(rolloutMachine.implementations.guards);
    for (const guard of guards) assert.ok(page.content.includes(`[${guard}]`), guard);
  });
});
