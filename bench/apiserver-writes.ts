// What the API server wrote during a benchmark phase, from its own /metrics: write requests by
// resource and verb, with their mean latency. Lets a bench say how much of the server's write budget
// the controller used and how much went to kube-controller-manager, the scheduler, kwok and Events.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';

interface Kubeconfig {
  clusters?: { cluster?: { server?: string } }[];
  users?: { user?: { token?: string } }[];
}

/** The API server's /metrics text, read with the local cluster's admin token. */
export function scrapeApiserver(kubeconfigPath: string): Promise<string> {
  const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const server = kc.clusters?.[0]?.cluster?.server ?? '';
  const token = kc.users?.[0]?.user?.token ?? '';
  return new Promise((resolve, reject) => {
    https
      .get(
        `${server}/metrics`,
        { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('error', reject);
        },
      )
      .on('error', reject);
  });
}

const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY']);

function writeSeries(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const m = /^\S+\{(.*)\} (\S+)$/.exec(line);
    if (m === null) continue;
    const labels = Object.fromEntries(
      [...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] ?? '', x[2] ?? '']),
    );
    if (!WRITE_VERBS.has(labels.verb ?? '')) continue;
    const resource = labels.subresource ? `${labels.resource}/${labels.subresource}` : labels.resource;
    const key = `${labels.verb} ${resource}`;
    out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}

export interface ApiWrites {
  readonly total: number;
  readonly byResource: readonly { readonly what: string; readonly count: number; readonly meanMs: number }[];
}

/** Write requests between two scrapes, largest first. */
export function summarizeApiWrites(before: string, after: string): ApiWrites {
  const delta = (name: string) => {
    const a = writeSeries(before, name);
    return new Map([...writeSeries(after, name)].map(([k, v]) => [k, v - (a.get(k) ?? 0)]));
  };
  const counts = delta('apiserver_request_duration_seconds_count');
  const sums = delta('apiserver_request_duration_seconds_sum');
  const byResource = [...counts]
    .filter(([, count]) => count > 0)
    .map(([what, count]) => ({ what, count, meanMs: Math.round(((sums.get(what) ?? 0) / count) * 1000) }))
    .sort((x, y) => y.count - x.count);
  return { total: byResource.reduce((s, r) => s + r.count, 0), byResource };
}
