import type { ServiceConfig } from '../config.js';
import { SlackService } from './slack.js';
import type { LookupOutcome, NotificationService, SendOutcome } from './types.js';
import { WebhookService } from './webhook.js';

export interface ServiceDefaults {
  /** Slack API URL when `service.slack` sets no `apiURL` (tests, the demo). Default Slack's. */
  readonly slackApiUrl?: string;
  readonly timeoutMs?: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A configured service type Slipway does not send to: every send is a permanent failure. */
class UnsupportedService implements NotificationService {
  readonly workspace: string;
  constructor(readonly type: ServiceConfig['type']) {
    this.workspace = `unsupported:${type}`;
  }
  async send(): Promise<SendOutcome> {
    return { kind: 'permanent', reason: `service type '${this.type}' is not supported by slipway` };
  }
  async findDelivered(): Promise<LookupOutcome> {
    return { kind: 'unsupported', reason: 'unsupported service' };
  }
}

function headerList(v: unknown): { name: string; value: string }[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((h: unknown) => {
    const r = (typeof h === 'object' && h !== null ? h : {}) as Record<string, unknown>;
    const name = str(r.name);
    return name === undefined ? [] : [{ name, value: str(r.value) ?? '' }];
  });
}

/** Builds the service of one `service.<type>[.<name>]` key. */
export function createService(config: ServiceConfig, defaults: ServiceDefaults = {}): NotificationService {
  const o = config.options;
  const timeout = defaults.timeoutMs !== undefined ? { timeoutMs: defaults.timeoutMs } : {};
  switch (config.type) {
    case 'slack': {
      const apiUrl = str(o.apiURL) ?? defaults.slackApiUrl;
      const username = str(o.username);
      const icon = str(o.icon);
      return new SlackService({
        token: str(o.token) ?? '',
        ...(apiUrl !== undefined && { apiUrl }),
        ...(username !== undefined && { username }),
        ...(icon !== undefined && { icon }),
        disableUnfurl: o.disableUnfurl === true,
        ...timeout,
      });
    }
    case 'webhook': {
      const auth = (typeof o.basicAuth === 'object' && o.basicAuth !== null ? o.basicAuth : undefined) as
        | Record<string, unknown>
        | undefined;
      return new WebhookService({
        name: config.name,
        url: str(o.url) ?? '',
        headers: headerList(o.headers),
        ...(auth !== undefined && {
          basicAuth: { username: str(auth.username) ?? '', password: str(auth.password) ?? '' },
        }),
        ...timeout,
      });
    }
    default:
      return new UnsupportedService(config.type);
  }
}
