import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ErrorCode, WebClient } from '@slack/web-api';
import { type SlackServer, startSlackServer } from '../../../src/dev/slack-server/index.js';

const token = 'xoxb-test-token';
let server: SlackServer;
let apiUrl: string;
let stop: () => Promise<void>;
const lines: string[] = [];

const client = (t = token): WebClient =>
  new WebClient(t, { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });

before(async () => {
  const started = await startSlackServer({
    tokens: [token],
    channels: ['deploys', { name: 'alerts', id: 'C0ALERTS' }],
    console: (line) => lines.push(line),
  });
  server = started.server;
  apiUrl = started.apiUrl;
  stop = started.stop;
});
after(async () => stop());
beforeEach(() => {
  server.reset();
  lines.length = 0;
});

describe('slack test server', () => {
  it('answers auth.test for a known token', async () => {
    const res = await client().auth.test();
    assert.equal(res.ok, true);
    assert.equal(res.user_id, 'U00000001');
    assert.equal(res.bot_id, 'B00000001');
  });

  it('rejects unknown and missing tokens like Slack', async () => {
    await assert.rejects(
      client('xoxb-wrong').auth.test(),
      (err: { code: string; data: { error: string } }) => {
        assert.equal(err.code, ErrorCode.PlatformError);
        assert.equal(err.data.error, 'invalid_auth');
        return true;
      },
    );
    const res = await fetch(`${apiUrl}auth.test`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: false, error: 'not_authed' });
  });

  it('accepts the token as a form field and JSON bodies with a bearer token', async () => {
    const form = await fetch(`${apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, channel: 'deploys', text: 'form' }).toString(),
    });
    assert.equal(((await form.json()) as { ok: boolean }).ok, true);
    const json = await fetch(`${apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${token}` },
      body: JSON.stringify({
        channel: '#deploys',
        text: 'json',
        attachments: [{ title: 'A', color: 'good' }],
      }),
    });
    const body = (await json.json()) as { ok: boolean; message: { attachments: { title: string }[] } };
    assert.equal(body.ok, true);
    assert.equal(body.message.attachments[0]?.title, 'A');
    assert.deepEqual(
      server.messages('deploys').map((m) => m.text),
      ['form', 'json'],
    );
  });

  it('posts a message with attachments (JSON-encoded by WebClient) and returns channel, ts, message', async () => {
    const res = await client().chat.postMessage({
      channel: 'deploys',
      text: 'Rollout guestbook paused',
      username: 'slipway',
      icon_emoji: ':ship:',
      attachments: [{ title: 'Canary 20%', color: '#18be52', fields: [{ title: 'Step', value: '2/5' }] }],
      unfurl_links: false,
    });
    assert.equal(res.ok, true);
    assert.match(res.channel ?? '', /^C\d{8}$/);
    assert.match(res.ts ?? '', /^\d{10}\.\d{6}$/);
    assert.equal(res.message?.text, 'Rollout guestbook paused');
    const [stored] = server.messages('#deploys');
    assert.equal(stored?.attachments?.[0]?.title, 'Canary 20%');
    assert.equal(stored?.attachments?.[0]?.id, 1);
    assert.equal(stored?.username, 'slipway');
    assert.deepEqual(stored?.icons, { emoji: ':ship:' });
    assert.equal(stored?.unfurl_links, false);
    assert.match(
      lines[0] ?? '',
      /^#deploys {2}\d\d:\d\d:\d\d {2}slipway: Rollout guestbook paused {2}\[#18be52\] Canary 20%/,
    );
  });

  it('issues unique, increasing ts values', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i++)
      ts.push((await client().chat.postMessage({ channel: 'deploys', text: `m${i}` })).ts ?? '');
    assert.equal(new Set(ts).size, 5);
    const sorted = [...ts].sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b));
    assert.deepEqual(ts, sorted);
  });

  it('threads replies under thread_ts, with reply_broadcast', async () => {
    const parent = await client().chat.postMessage({ channel: 'C0ALERTS', text: 'parent' });
    const parentTs = parent.ts ?? '';
    await client().chat.postMessage({ channel: 'alerts', text: 'reply 1', thread_ts: parentTs });
    await client().chat.postMessage({
      channel: 'alerts',
      text: 'reply 2',
      thread_ts: parentTs,
      reply_broadcast: true,
    });
    const replies = server.replies(parentTs);
    assert.deepEqual(
      replies.map((m) => m.text),
      ['reply 1', 'reply 2'],
    );
    assert.equal(replies[1]?.reply_broadcast, true);
    assert.equal(server.messages('alerts').length, 3);
    assert.match(lines[1] ?? '', /↳ bot: reply 1/);
  });

  it('updates a message with chat.update and reports message_not_found for unknown ts', async () => {
    const posted = await client().chat.postMessage({
      channel: 'deploys',
      text: 'v1',
      attachments: [{ title: 'keep me' }],
    });
    const updated = await client().chat.update({
      channel: posted.channel ?? '',
      ts: posted.ts ?? '',
      text: 'v2',
    });
    assert.equal(updated.ok, true);
    assert.equal(updated.ts, posted.ts);
    const [stored] = server.messages('deploys');
    assert.equal(stored?.text, 'v2');
    assert.equal(stored?.attachments?.[0]?.title, 'keep me');
    assert.ok(stored?.edited);
    await assert.rejects(
      client().chat.update({ channel: 'deploys', ts: '1.000001', text: 'x' }),
      (err: { data: { error: string } }) => err.data.error === 'message_not_found',
    );
  });

  it('reports channel_not_found, no_text, invalid_attachments and invalid_blocks', async () => {
    const post = (args: Record<string, string>) =>
      fetch(`${apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${token}` },
        body: new URLSearchParams(args).toString(),
      }).then(async (r) => ((await r.json()) as { error?: string }).error);
    await assert.rejects(
      client().chat.postMessage({ channel: 'nowhere', text: 'x' }),
      (err: { data: { error: string } }) => err.data.error === 'channel_not_found',
    );
    assert.equal(await post({ channel: 'deploys' }), 'no_text');
    assert.equal(
      await post({ channel: 'deploys', attachments: '{"title":"not an array"}' }),
      'invalid_attachments',
    );
    assert.equal(await post({ channel: 'deploys', blocks: '[{"type":' }), 'invalid_blocks');
    assert.equal(server.messages('deploys').length, 0);
  });

  it('fails the next call with an injected error, then recovers', async () => {
    server.failNext('chat.postMessage', { error: 'is_archived' });
    await assert.rejects(
      client().chat.postMessage({ channel: 'deploys', text: 'x' }),
      (err: { data: { error: string } }) => err.data.error === 'is_archived',
    );
    assert.equal((await client().chat.postMessage({ channel: 'deploys', text: 'y' })).ok, true);
  });

  it('answers 429 with Retry-After that WebClient reads as a rate-limited error', async () => {
    server.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
    await assert.rejects(
      client().chat.postMessage({ channel: 'deploys', text: 'x' }),
      (err: { code: string; retryAfter: number }) => {
        assert.equal(err.code, ErrorCode.RateLimitedError);
        assert.equal(err.retryAfter, 7);
        return true;
      },
    );
    server.rateLimit({ seconds: 30 });
    await assert.rejects(
      client().auth.test(),
      (err: { code: string; retryAfter: number }) =>
        err.code === ErrorCode.RateLimitedError && err.retryAfter === 30,
    );
  });

  it('answers HTTP 500 as an HTTP error', async () => {
    server.failNext('chat.postMessage', { status: 500 });
    await assert.rejects(
      client().chat.postMessage({ channel: 'deploys', text: 'x' }),
      (err: { code: string; statusCode: number }) =>
        err.code === ErrorCode.HTTPError && err.statusCode === 500,
    );
  });

  it('lists conversations', async () => {
    const res = await client().conversations.list();
    assert.deepEqual(
      res.channels?.map((c) => c.name),
      ['deploys', 'alerts'],
    );
  });

  it('records requests with timestamps and without tokens; waitFor resolves on arrival', async () => {
    const waiting = server.waitFor((s) => s.messages('deploys').find((m) => m.text === 'late'), 2000);
    await client().chat.postMessage({ channel: 'deploys', text: 'late' });
    assert.equal((await waiting).text, 'late');
    const [record] = server.requests('chat.postMessage');
    assert.equal(record?.status, 200);
    assert.equal(typeof record?.at, 'number');
    assert.equal(JSON.stringify(server.requests()).includes(token), false);
    await assert.rejects(
      server.waitFor(() => false, 20),
      { code: 'SLACK_SERVER_TIMEOUT' },
    );
  });
});

describe('slack test server per-channel pacing', () => {
  it('refuses more than N posts per second per channel and records violations', async () => {
    let now = 1_700_000_000_000;
    const started = await startSlackServer({ perChannelLimit: { messagesPerSecond: 1 }, now: () => now });
    try {
      const c = new WebClient(token, {
        slackApiUrl: started.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      });
      assert.equal((await c.chat.postMessage({ channel: 'a', text: '1' })).ok, true);
      assert.equal((await c.chat.postMessage({ channel: 'b', text: '1' })).ok, true);
      await assert.rejects(
        c.chat.postMessage({ channel: 'a', text: '2' }),
        (err: { retryAfter: number }) => err.retryAfter === 1,
      );
      assert.deepEqual(
        started.server.violations().map((v) => v.postsInWindow),
        [2],
      );
      now += 1000;
      assert.equal((await c.chat.postMessage({ channel: 'a', text: '3' })).ok, true);
      assert.equal(started.server.messages('a').length, 2);
      assert.equal(started.server.messages('a')[0]?.ts, '1700000000.000000');
    } finally {
      await started.stop();
    }
  });
});
