import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import { DashboardApi, type DashboardServer, startDashboardServer } from '../../../src/dashboard/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { canaryRollout, emptyStores, FakeReviewer, T0 } from './fixtures.js';

const assets = { 'app.js': Buffer.from('console.log(1)'), 'app.css': Buffer.from('body{}') };
const GRANTS = { alice: ['list rollouts *', 'get rollouts team-a'] };

async function start(mode: 'token' | 'kubeconfig') {
  const stores = emptyStores();
  stores.rollouts.upsert(canaryRollout('web', 'team-a'));
  const reviewer = new FakeReviewer(mode === 'token' ? GRANTS : { local: GRANTS.alice });
  const local = { authenticate: async () => ({ username: 'local' }) };
  const client = {
    get: async () => ({}),
    listAll: async () => ({ items: [], resourceVersion: '' }),
    patch: async () => ({}),
    replace: async () => ({}),
  } as never;
  const api = new DashboardApi({
    stores,
    reviewer,
    client,
    readOnly: false,
    now: () => T0,
    logger: silentLogger(),
  });
  const server = await startDashboardServer({
    api,
    reviewer: mode === 'token' ? reviewer : local,
    assets,
    mode,
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger(),
    streams: { throttleMs: 10 },
  });
  return { server, stores, base: `http://127.0.0.1:${server.port}` };
}

/** Reads server-sent `view` events from a fetch body. */
async function* views(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith('event: view\n')) yield JSON.parse(block.slice(block.indexOf('data: ') + 6));
    }
  }
}

describe('dashboard: HTTP server', () => {
  const servers: DashboardServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it('serves the page and its bundle with security headers; the API needs a valid bearer token', async () => {
    const { server, base } = await start('token');
    servers.push(server);
    const page = await fetch(`${base}/rollouts/team-a/web`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="\/assets\/app.js">/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(await (await fetch(`${base}/assets/app.js`)).text(), 'console.log(1)');
    assert.equal((await fetch(`${base}/api/fleet`)).status, 401);
    assert.equal(
      (await fetch(`${base}/api/fleet`, { headers: { Authorization: 'Bearer wrong' } })).status,
      401,
    );
    const me = await fetch(`${base}/api/whoami`, { headers: { Authorization: 'Bearer alice' } });
    assert.deepEqual(await me.json(), { username: 'alice', readOnly: false, mode: 'token' });
    const action = await fetch(`${base}/api/rollouts/team-a/web/actions/promote`, {
      method: 'POST',
      headers: { Authorization: 'Bearer alice', 'Content-Type': 'text/plain' },
    });
    assert.equal(action.status, 415, 'a cross-site form post is refused');
  });

  it('routes the Application and Notifications pages and bounds action bodies', async () => {
    const { server, base } = await start('token');
    servers.push(server);
    const auth = { Authorization: 'Bearer alice' };
    // alice may not get applications: the route answers with the RBAC refusal, not a 404 of the router
    const app = await fetch(`${base}/api/applications/team-a/shop`, { headers: auth });
    assert.equal(app.status, 403);
    assert.match(((await app.json()) as { error: string }).error, /may not get applications/);
    const notifications = await fetch(`${base}/api/notifications`, { headers: auth });
    assert.equal(notifications.status, 200);
    assert.deepEqual(await notifications.json(), { configs: [], objects: [], omitted: 0 });
    const post = (path: string, body: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body,
      });
    assert.equal((await post('/api/rollouts/team-a/web/actions/undo', 'x'.repeat(5_000))).status, 400);
    assert.equal((await post('/api/rollouts/team-a/web/actions/undo', '{"revision":"2"}')).status, 400);
    assert.equal((await post('/api/rollouts/team-a/web/actions/undo', '[]')).status, 400);
    // a well-formed body reaches the RBAC check (alice may not patch)
    assert.equal((await post('/api/rollouts/team-a/web/actions/undo', '{"revision":2}')).status, 403);
    assert.equal((await post('/api/applications/team-a/shop/actions/sync', '{}')).status, 403);
  });

  it('streams the fleet and sends it again after the caches change', async () => {
    const { server, stores, base } = await start('token');
    servers.push(server);
    const abort = new AbortController();
    const res = await fetch(`${base}/api/stream?view=fleet`, {
      headers: { Authorization: 'Bearer alice' },
      signal: abort.signal,
    });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const events = views(res.body!);
    const names = async () =>
      ((await events.next()).value as { rows: { name: string }[] }).rows.map((r) => r.name);
    assert.deepEqual(await names(), ['web']);
    stores.rollouts.upsert(canaryRollout('api', 'team-b'));
    server.changed();
    assert.deepEqual(await names(), ['web', 'api']);
    abort.abort();
  });

  it('a local dashboard needs no token but answers only to localhost', async () => {
    const { server, base } = await start('kubeconfig');
    servers.push(server);
    const me = await fetch(`${base}/api/whoami`);
    assert.equal(((await me.json()) as { username: string }).username, 'local');
    // fetch cannot set Host: a plain request as a page on a rebound DNS name would send it
    const status = await new Promise<number | undefined>((resolve, reject) =>
      http
        .get(`${base}/api/whoami`, { headers: { Host: 'evil.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on('error', reject),
    );
    assert.equal(status, 421);
  });
});
