import { parseGoDuration } from '../../go/index.js';

/** Argo CD sync options (`syncPolicy.syncOptions`, the operation's, and per-resource annotations). */
export interface SyncOptions {
  readonly createNamespace: boolean;
  readonly pruneLast: boolean;
  readonly prunePropagationPolicy: 'Foreground' | 'Background' | 'Orphan';
  readonly applyOutOfSyncOnly: boolean;
  readonly respectIgnoreDifferences: boolean;
  readonly serverSideApply: boolean;
  readonly replace: boolean;
  /** Slipway: how long a wave may wait for health before the sync fails (`SyncWaveTimeout=90s`). */
  readonly waveTimeoutMs: number;
}

export const DEFAULT_WAVE_TIMEOUT_MS = 300_000;

/**
 * Argo CD's duration strings (`backoff.duration`, `SyncWaveTimeout`): bare digits are seconds, anything
 * else a Go duration ("5s", "1m30s", "500ms"). Undefined when invalid or negative.
 */
export function parseDurationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const parsed = parseGoDuration(text);
  return parsed.ok && parsed.nanos >= 0n ? Number(parsed.nanos) / 1e6 : undefined;
}

/** Reads `Key=value` options; later lists win. */
export function parseSyncOptions(...lists: readonly (readonly string[] | undefined)[]): SyncOptions {
  const map = new Map<string, string>();
  for (const list of lists) {
    for (const o of list ?? []) {
      const eq = o.indexOf('=');
      if (eq > 0) map.set(o.slice(0, eq).trim(), o.slice(eq + 1).trim());
    }
  }
  const flag = (k: string) => map.get(k)?.toLowerCase() === 'true';
  const policy = map.get('PrunePropagationPolicy')?.toLowerCase();
  return {
    createNamespace: flag('CreateNamespace'),
    pruneLast: flag('PruneLast'),
    prunePropagationPolicy:
      policy === 'background' ? 'Background' : policy === 'orphan' ? 'Orphan' : 'Foreground',
    applyOutOfSyncOnly: flag('ApplyOutOfSyncOnly'),
    respectIgnoreDifferences: flag('RespectIgnoreDifferences'),
    serverSideApply: map.get('ServerSideApply')?.toLowerCase() !== 'false',
    replace: flag('Replace'),
    waveTimeoutMs: parseDurationMs(map.get('SyncWaveTimeout')) ?? DEFAULT_WAVE_TIMEOUT_MS,
  };
}

/** A resource's own `argocd.argoproj.io/sync-options` annotation (`Prune=false,Replace=true`). */
export function resourceSyncOptions(
  annotations: Readonly<Record<string, string>> | undefined,
): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const part of (annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}
