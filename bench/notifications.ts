// Notification delivery: 10,000 Rollout events over 100 channels, through the real engine path (event
// trigger evaluation, template rendering, outbox entry, delivery via @slack/web-api) into the local
// Slack-compatible server without rate limiting and with per-channel pacing disabled. The outbox is the
// in-memory store (BENCH ONLY: it does not survive a restart; the controller writes object annotations).
// The Slack server runs in a child process so the figures measure the engine, not the fake server.
// Latency is from the event to the moment its request is sent; duplicates are counted from the channels'
// history (message metadata carries the outbox id).
// Prints throughput, p50/p99 event→request latency, duplicates, and one JSON line.
//   node --import tsx bench/notifications.ts [--events 10000] [--channels 100] [--rate 1000]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { startSlackServer } from '../src/dev/slack-server/index.js';
import type { KubeObject } from '../src/kube/index.js';
import {
  DeliveryEngine,
  MemoryOutboxStore,
  notificationKinds,
  parseNotificationConfig,
  planEventNotifications,
  renderJob,
  SlackService,
  TemplateRenderer,
  TriggerEvaluator,
} from '../src/notifications/index.js';
import { silentLogger } from '../src/observability/index.js';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const total = Number(args.get('--events') ?? 10_000);
const channels = Number(args.get('--channels') ?? 100);
const rate = Number(args.get('--rate') ?? 1_000); // events per second offered

const token = 'xoxb-bench';
if (args.has('--serve')) {
  const { apiUrl } = await startSlackServer({ tokens: [token] });
  process.stdout.write(`${apiUrl}\n`);
  await new Promise(() => {});
}
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', '1'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const apiUrl = await new Promise<string>((resolve) => {
  child.stdout?.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk.trim()));
});
const { config } = parseNotificationConfig(
  {
    'service.slack': 'token: $slack-token',
    'trigger.on-rollout-step-completed': '- send: [step]',
    'template.step': [
      'message: Rollout {{.rollout.metadata.name}} step {{.rollout.status.currentStepIndex}} completed',
      'slack:',
      '  attachments: |',
      '    [{"title": {{ .rollout.metadata.name | toJson }}, "color": "#18be52", "text": "step {{.rollout.status.currentStepIndex}}"}]',
    ].join('\n'),
  },
  { 'slack-token': token },
);
const slack = new SlackService({ token, apiUrl });
const store = new MemoryOutboxStore();
const emittedAt = new Map<string, number>();
const latencies: number[] = [];
let sent = 0;
const engine = new DeliveryEngine({
  services: () => slack,
  store,
  logger: silentLogger(),
  pacing: false,
  beforeSend: (entry) => {
    const at = emittedAt.get(entry.id);
    if (at !== undefined) latencies.push(performance.now() - at);
  },
  afterSend: () => {
    sent += 1;
  },
});
const evaluator = new TriggerEvaluator();
const renderer = new TemplateRenderer();
const api = { id: 'bench/argo-rollouts-notification-configmap', config, secrets: {} };
const rollouts: KubeObject[] = Array.from({ length: channels }, (_, c) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: {
    namespace: 'bench',
    name: `app-${c}`,
    uid: `uid-${c}`,
    resourceVersion: '1',
    annotations: { 'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': `chan-${c}` },
  },
  status: { currentStepIndex: 1 },
}));

const started = performance.now();
const startedWall = Date.now();
for (let i = 0; i < total; i++) {
  const target = started + (i / rate) * 1000;
  const wait = target - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const object = rollouts[i % channels] as KubeObject;
  const at = performance.now();
  const plan = planEventNotifications({
    kind: notificationKinds.Rollout,
    object,
    apis: [api],
    events: [{ id: `e${i}`, reason: 'RolloutStepCompleted' }],
    now: new Date(),
    evaluator,
  });
  const m = object.metadata;
  const entries = plan.deliveries.flatMap((d) => {
    const r = renderJob(renderer, d.job);
    return r.ok
      ? [
          {
            id: d.id,
            createdAt: Date.now(),
            trigger: d.trigger,
            service: d.service,
            recipient: d.recipient,
            config: d.config,
            notification: r.notification,
          },
        ]
      : [];
  });
  for (const entry of entries) {
    emittedAt.set(entry.id, at);
    engine.enqueue(
      { ...notificationKinds.Rollout.gvk, namespace: 'bench', name: m.name ?? '', uid: m.uid ?? '' },
      entry,
      false,
    );
  }
}
while (sent + store.completed.length < 2 * total && performance.now() - started < 300_000) {
  await new Promise((r) => setTimeout(r, 20));
}
const seconds = (performance.now() - started) / 1000;
engine.stop();

// Count what the workspace received, per outbox id, through conversations.history.
const reader = new WebClient(token, { slackApiUrl: apiUrl });
const seen = new Map<string, number>();
const { channels: list = [] } = await reader.conversations.list({ limit: 1000 });
for (const c of list) {
  let cursor: string | undefined;
  do {
    const page = await reader.conversations.history({
      channel: c.id ?? '',
      limit: 999,
      include_all_metadata: true,
      ...(cursor !== undefined && { cursor }),
    });
    for (const m of page.messages ?? []) {
      const meta = (m as { metadata?: { event_payload?: { id?: string } } }).metadata;
      const id = String(meta?.event_payload?.id ?? '');
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor !== undefined);
}
child.kill('SIGKILL');
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
const duplicates = [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
const delivered = [...seen.values()].reduce((n, c) => n + c, 0);

const result = {
  bench: 'notifications',
  outbox: 'in-memory (bench only)',
  pacing: 'disabled',
  events: total,
  channels,
  offeredRatePerSecond: rate,
  delivered,
  lost: total - seen.size,
  duplicates,
  seconds: Number(seconds.toFixed(2)),
  messagesPerSecond: Math.round(delivered / seconds),
  latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) },
  startedAt: new Date(startedWall).toISOString(),
};
console.log('outbox: in-memory store (BENCH ONLY; the controller persists entries as object annotations)');
console.log(
  `${total.toLocaleString()} events over ${channels} channels offered at ${rate}/s, pacing disabled`,
);
console.log(
  `delivered ${delivered.toLocaleString()} in ${result.seconds} s (${result.messagesPerSecond}/s), lost ${result.lost}, duplicates ${duplicates}`,
);
console.log(
  `event→request latency p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms (goal p99 < 200 ms), max ${result.latencyMs.max} ms`,
);
console.log(JSON.stringify(result));
