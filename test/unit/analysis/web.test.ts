import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  evaluateJsonPath,
  goJsonText,
  type MetricResult,
  measureWebResponse,
  ProviderRegistry,
  takeMeasurements,
  type WebMetricSpec,
  webRequest,
} from '../../../src/analysis/index.js';
import { ManualClock } from '../../../src/core/index.js';
import { createLogger } from '../../../src/observability/index.js';

type Fields = { phase: string; value?: string; message?: string };
const file = fileURLToPath(new URL('../../golden/analysis/web.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8')) as {
  jsonPath: { path: string; body: string; expect: Fields }[];
  jsonPathDiffers: { path: string; body: string; expect: Fields; argo: string }[];
  responses: {
    name: string;
    status: number;
    body: string;
    successCondition?: string;
    failureCondition?: string;
    jsonPath?: string;
    expect: Fields;
  }[];
  requests: {
    name: string;
    spec: WebMetricSpec;
    expect: { ok: true; request: Record<string, unknown> } | { ok: false; message: string };
  }[];
};
const NOW = new Date('2024-05-01T12:00:00Z');
const judge = (path: string | undefined, status: number, body: string, conditions = {}) =>
  measureWebResponse(conditions, path, { status, body }, { now: NOW });

describe('web jsonPath golden (k8s JSONPath FindResults + Argo getValue, generated with client-go)', () => {
  for (const c of golden.jsonPath) {
    it(`${c.path} over ${c.body.slice(0, 40)}`, () => assert.deepEqual(judge(c.path, 200, c.body), c.expect));
  }
  for (const c of golden.jsonPathDiffers) {
    it(`${c.path} over ${c.body} (Argo: ${c.argo})`, () =>
      assert.deepEqual(judge(c.path, 200, c.body), c.expect));
  }
  it('the selected value keeps its JSON type for conditions', () => {
    const doc = { a: { n: 1.5, s: '1', b: false, z: null, l: [1, 'x'] } };
    assert.deepEqual(evaluateJsonPath('{$.a.n}', doc), { ok: true, value: 1.5 });
    assert.deepEqual(evaluateJsonPath('{$.a.s}', doc), { ok: true, value: '1' });
    assert.deepEqual(evaluateJsonPath('{$.a.b}', doc), { ok: true, value: false });
    assert.deepEqual(evaluateJsonPath('{$.a.z}', doc), { ok: true, value: null });
    assert.deepEqual(evaluateJsonPath('{$.a.l}', doc), { ok: true, value: [1, 'x'] });
    assert.deepEqual(evaluateJsonPath('', doc), { ok: true, value: doc });
  });
  it("values print like Go's json.Marshal", () => {
    assert.equal(
      goJsonText({ b: 1, a: ['<&>', null, true], A: { y: 2, x: 1.5 } }),
      '{"A":{"x":1.5,"y":2},"a":["\\u003c\\u0026\\u003e",null,true],"b":1}',
    );
    assert.equal(goJsonText('line\u2028'), '"line\\u2028"');
  });
});

describe('web responses golden (Argo webmetric_test.go TestRunSuite)', () => {
  for (const c of golden.responses) {
    it(c.name, () => {
      const conditions = { successCondition: c.successCondition, failureCondition: c.failureCondition };
      assert.deepEqual(judge(c.jsonPath, c.status, c.body, conditions), c.expect);
    });
  }
});

describe('webRequest golden (method, body, headers, checks in Argo order)', () => {
  for (const c of golden.requests) {
    it(c.name, () => {
      const out = webRequest(c.spec);
      if (!out.ok || !c.expect.ok) {
        assert.deepEqual(out, c.expect);
        return;
      }
      assert.deepEqual({ ...out.request, url: out.request.url.href }, c.expect.request);
    });
  }
});

describe('web provider over HTTP: secrets in header values never reach logs or status', () => {
  const SECRET = 's3cr3t-token-value';
  const seen: { method?: string; auth?: string; contentType?: string; body: string }[] = [];
  let base = '';
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push({
        ...(req.method !== undefined && { method: req.method }),
        ...(req.headers.authorization !== undefined && { auth: req.headers.authorization }),
        ...(req.headers['content-type'] !== undefined && { contentType: req.headers['content-type'] }),
        body,
      });
      if (req.url === '/echo') res.end(JSON.stringify({ auth: req.headers.authorization ?? '' }));
      else if (req.url === '/down') res.writeHead(503).end(`no ${req.headers.authorization}`);
      else res.end(JSON.stringify({ data: { ok: true } }));
    });
  });
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  async function measure(name: string, web: Record<string, unknown>, successCondition?: string) {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const results: MetricResult[] = await takeMeasurements({
      run: { namespace: 'ns', name: 'run', uid: 'uid' },
      args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
      secrets: new Map([['token', SECRET]]),
      tasks: [
        {
          metric: {
            name,
            ...(successCondition !== undefined && { successCondition }),
            provider: { web: { url: `${base}/echo`, ...web } as WebMetricSpec },
          },
        },
      ],
      metricResults: [],
      dryRunMetrics: new Set(),
      terminating: false,
      providers: new ProviderRegistry(undefined),
      clock: new ManualClock(NOW.getTime()),
      signal: new AbortController().signal,
      logger,
    });
    return { result: results[0], log: lines.join('') };
  }

  it('sends method, body and the secret header; stores and logs only *****', async () => {
    const { result, log } = await measure(
      'echo',
      {
        method: 'POST',
        body: 'payload',
        jsonPath: '{$.auth}',
        headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }],
      },
      'result == "Bearer " + "' + SECRET + '"',
    );
    assert.deepEqual(seen.at(-1), { method: 'POST', auth: `Bearer ${SECRET}`, body: 'payload' });
    assert.equal(result?.measurements?.[0]?.phase, 'Successful');
    assert.equal(result?.measurements?.[0]?.value, '"Bearer *****"');
    assert.ok(!JSON.stringify(result).includes(SECRET), 'status holds no secret');
    assert.ok(log.includes('measurement taken'), 'the measurement was logged');
    assert.ok(!log.includes(SECRET), 'the log holds no secret');
  });

  it('an error response that echoes the secret is redacted in the message and the log', async () => {
    const { result, log } = await measure('down', {
      url: `${base}/down`,
      headers: [{ key: 'Authorization', value: '{{args.token}}' }],
    });
    assert.equal(result?.measurements?.[0]?.phase, 'Error');
    assert.equal(result?.measurements?.[0]?.message, 'received non 2xx response code: 503');
    assert.ok(!JSON.stringify(result).includes(SECRET));
    assert.ok(!log.includes(SECRET));
  });

  it('jsonBody is sent as JSON with Content-Type application/json', async () => {
    const { result } = await measure('json', { method: 'PUT', jsonBody: { a: 1 }, url: `${base}/ok` });
    assert.deepEqual(seen.at(-1), { method: 'PUT', contentType: 'application/json', body: '{"a":1}' });
    assert.equal(result?.measurements?.[0]?.value, '{"data":{"ok":true}}');
  });
});
