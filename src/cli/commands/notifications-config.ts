import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/index.js';
import {
  isNotificationKind,
  type NotificationKind,
  notificationKinds,
  type ParsedNotificationConfig,
  parseNotificationConfig,
} from '../../notifications/index.js';
import { type OptionSpec, type ParsedArgs, stringOption, UsageError } from '../command.js';
import { clientFromArgs } from '../kube-options.js';

/** Options shared by the notification dry-run commands. */
export const notificationSourceOptions: Readonly<Record<string, OptionSpec>> = {
  object: { type: 'string', description: 'YAML/JSON file of the Application, Rollout or AnalysisRun' },
  config: { type: 'string', description: 'ConfigMap YAML file (default: read from the cluster)' },
  secret: {
    type: 'string',
    description: 'Secret YAML file (default: read from the cluster with the ConfigMap)',
  },
  namespace: {
    type: 'string',
    short: 'n',
    description:
      'namespace of the ConfigMap/Secret in the cluster (default: argocd or argo-rollouts by kind)',
  },
  'config-map-name': { type: 'string', description: 'ConfigMap name (default by kind)' },
  'secret-name': { type: 'string', description: 'Secret name (default by kind)' },
};

export interface NotificationSource {
  readonly kind: NotificationKind;
  readonly object: KubeObject;
  readonly parsed: ParsedNotificationConfig;
  readonly secrets: Readonly<Record<string, string>>;
  readonly configId: string;
}

function readYamlFile(path: string, what: string): KubeObject {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc === null || typeof doc !== 'object' || !('metadata' in doc))
    throw new UsageError(`${path} is not a kubernetes object`);
  return doc as KubeObject;
}

function secretData(secret: KubeObject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret?.data ?? {}) as Record<string, unknown>))
    if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries((secret?.stringData ?? {}) as Record<string, unknown>))
    if (typeof v === 'string') out[k] = v;
  return out;
}

/** Reads the object and the configuration (files, or the cluster) for the dry-run commands. */
export async function loadNotificationSource(args: ParsedArgs): Promise<NotificationSource> {
  const objectPath = stringOption(args, 'object');
  if (objectPath === undefined) throw new UsageError('--object FILE is required');
  const object = readYamlFile(objectPath, 'object');
  if (!isNotificationKind(object.kind))
    throw new UsageError(`--object must be an Application, Rollout or AnalysisRun`);
  const kind = notificationKinds[object.kind];
  const cmName = stringOption(args, 'config-map-name') ?? kind.configMapName;
  const secretName = stringOption(args, 'secret-name') ?? kind.secretName;
  const configPath = stringOption(args, 'config');
  const secretPath = stringOption(args, 'secret');
  let cm: KubeObject;
  let secret: KubeObject | undefined;
  if (configPath !== undefined) {
    cm = readYamlFile(configPath, 'config');
    if (secretPath !== undefined) secret = readYamlFile(secretPath, 'secret');
  } else {
    const namespace = stringOption(args, 'namespace') ?? kind.upstreamNamespace;
    const client = clientFromArgs(args);
    try {
      cm = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: cmName });
      secret =
        secretPath !== undefined
          ? readYamlFile(secretPath, 'secret')
          : await client
              .get({ apiVersion: 'v1', kind: 'Secret', namespace, name: secretName })
              .catch(() => undefined);
    } finally {
      client.close();
    }
  }
  const secrets = secretData(secret);
  const parsed = parseNotificationConfig((cm.data ?? {}) as Record<string, string>, secrets);
  for (const p of parsed.problems) process.stderr.write(`warning: ${cmName} key '${p.key}': ${p.message}\n`);
  return {
    kind,
    object,
    parsed,
    secrets,
    configId: `${cm.metadata.namespace ?? ''}/${cm.metadata.name ?? cmName}`,
  };
}
