import { createHash } from 'node:crypto';
import type { EventRecorder, Manager } from '../core/index.js';
import type { KubeObject, Reflector } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import { type ParsedNotificationConfig, parseNotificationConfig } from './config.js';
import type { NotificationKind } from './kinds.js';
import type { NotificationMetrics } from './metrics.js';
import type { NotificationApi } from './plan.js';
import { createService, type NotificationService, type ServiceDefaults } from './services/index.js';

export interface ConfigSourceOptions {
  /** Namespace of the shared configuration, per kind. */
  readonly controllerNamespace: (kind: NotificationKind) => string;
  /**
   * Also read the configuration in each object's own namespace (Argo's
   * `--self-service-notification-enabled`): both configurations then send. Default false: only the
   * controller namespaces are read, which is what deploy/rbac.yaml grants.
   */
  readonly selfService?: boolean;
  /** ConfigMap / Secret names instead of each kind's default. */
  readonly configMapName?: string;
  readonly secretName?: string;
  /** With `selfService`: watch only this namespace (and the controller namespaces). Default: all. */
  readonly watchNamespace?: string;
  readonly kinds: readonly NotificationKind[];
  readonly serviceDefaults: ServiceDefaults;
}

interface Parsed {
  readonly version: string;
  readonly result: ParsedNotificationConfig;
  readonly secrets: Readonly<Record<string, string>>;
}

function decodeSecret(secret: KubeObject | undefined): Record<string, string> {
  const data = (secret?.data ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data))
    if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** One ConfigMap and its Secret, watched by name in one namespace (`undefined`: every namespace). */
export interface ConfigWatch {
  readonly namespace: string | undefined;
  readonly configMapName: string;
  readonly secretName: string;
}

/**
 * What is watched: each kind's own ConfigMap and Secret names in that kind's controller namespace only
 * (the Roles in deploy/rbac.yaml name exactly these), and with self-service every kind's names in every
 * (or the watched) namespace.
 */
export function configWatches(options: ConfigSourceOptions): readonly ConfigWatch[] {
  const watches = new Map<string, ConfigWatch>();
  const add = (namespace: string | undefined, kind: NotificationKind) => {
    const configMapName = options.configMapName ?? kind.configMapName;
    const secretName = options.secretName ?? kind.secretName;
    watches.set(`${namespace ?? '*'}|${configMapName}|${secretName}`, {
      namespace,
      configMapName,
      secretName,
    });
  };
  const everywhere = options.selfService === true && options.watchNamespace === undefined;
  for (const kind of options.kinds) {
    if (everywhere) add(undefined, kind);
    else add(options.controllerNamespace(kind), kind);
    if (options.selfService === true && options.watchNamespace !== undefined)
      add(options.watchNamespace, kind);
  }
  return [...watches.values()];
}

/**
 * Notification configuration from ConfigMaps and Secrets (watched by name with field selectors): the
 * controller namespace's and, with self-service on (Argo's namespace-based configuration), the object's own. Each
 * ConfigMap version is parsed once; its broken keys are logged, counted and reported as Warning Events on
 * the ConfigMap, and left out while every other key keeps working.
 */
export class ConfigSource {
  private readonly configMaps: Reflector<KubeObject>[] = [];
  private readonly secrets: Reflector<KubeObject>[] = [];
  private readonly parsed = new Map<string, Parsed>();
  private readonly services = new Map<string, NotificationService>();
  private readonly listeners: ((namespace: string) => void)[] = [];

  constructor(
    manager: Manager,
    private readonly options: ConfigSourceOptions,
    private readonly events: EventRecorder,
    private readonly logger: Logger,
    private readonly metrics?: NotificationMetrics,
  ) {
    const watched = new Set<string>();
    const watch = (kind: 'ConfigMap' | 'Secret', namespace: string | undefined, name: string) => {
      const id = `${kind}|${namespace ?? '*'}|${name}`;
      if (watched.has(id)) return;
      watched.add(id);
      const r = manager.informer<KubeObject>({
        gvk: { apiVersion: 'v1', kind },
        ...(namespace !== undefined && { namespace }),
        fieldSelector: `metadata.name=${name}`,
      });
      r.onChange((cur, prev) => this.changed((cur ?? prev)?.metadata.namespace ?? ''));
      (kind === 'ConfigMap' ? this.configMaps : this.secrets).push(r);
    };
    for (const w of configWatches(options)) {
      watch('ConfigMap', w.namespace, w.configMapName);
      watch('Secret', w.namespace, w.secretName);
    }
    const all = [...this.configMaps, ...this.secrets];
    void Promise.all(all.map((r) => r.waitForSync())).then(() => this.refreshAll());
  }

  /** Parses every known ConfigMap (reporting broken keys even when no object uses the configuration yet). */
  private refreshAll(): void {
    if (!this.hasSynced) return;
    for (const r of this.configMaps) {
      for (const cm of r.store.list()) {
        const name = cm.metadata.name ?? '';
        this.load(cm.metadata.namespace ?? '', name, this.secretNameFor(name));
      }
    }
  }

  get hasSynced(): boolean {
    return [...this.configMaps, ...this.secrets].every((r) => r.hasSynced);
  }

  /** Called with the namespace whose configuration changed. */
  onChange(listener: (namespace: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(namespace: string): void {
    this.refreshAll();
    for (const l of this.listeners) l(namespace);
  }

  private find(
    list: readonly Reflector<KubeObject>[],
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    for (const r of list) {
      const o = r.store.get(`${namespace}/${name}`);
      if (o !== undefined) return o;
    }
    return undefined;
  }

  private load(namespace: string, cmName: string, secretName: string): Parsed | undefined {
    const cm = this.find(this.configMaps, namespace, cmName);
    if (cm === undefined) return undefined;
    const secret = this.find(this.secrets, namespace, secretName);
    const id = `${namespace}/${cmName}`;
    const version = `${cm.metadata.uid}/${cm.metadata.resourceVersion}|${secret?.metadata.resourceVersion ?? ''}`;
    const known = this.parsed.get(id);
    if (known?.version === version) return known;
    const secrets = decodeSecret(secret);
    const data = (cm.data ?? {}) as Record<string, string>;
    const result = parseNotificationConfig(data, secrets);
    const parsed = { version, result, secrets };
    this.parsed.set(id, parsed);
    this.report(cm, result);
    return parsed;
  }

  private report(cm: KubeObject, result: ParsedNotificationConfig): void {
    const labels = { namespace: cm.metadata.namespace ?? '', configmap: cm.metadata.name ?? '' };
    let errors = 0;
    for (const p of result.problems) {
      if (p.severity === 'error') errors += 1;
      this.logger.warn(
        { configMap: labels, key: p.key, code: p.code, problem: p.message },
        'notification config problem',
      );
      const message = `key '${p.key}' ${p.severity === 'error' ? 'ignored' : 'suspicious'}: ${p.message}`;
      this.events.warning(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: cm.metadata },
        'InvalidNotificationConfig',
        message,
      );
    }
    this.metrics?.configProblems.set({ ...labels, severity: 'error' }, errors);
    this.metrics?.configProblems.set({ ...labels, severity: 'warning' }, result.problems.length - errors);
  }

  /** The configurations that apply to an object of `kind` in `namespace`. */
  apisFor(kind: NotificationKind, namespace: string): NotificationApi[] {
    const cmName = this.options.configMapName ?? kind.configMapName;
    const secretName = this.options.secretName ?? kind.secretName;
    const shared = this.options.controllerNamespace(kind);
    const out: NotificationApi[] = [];
    const own = this.options.selfService === true && namespace !== shared;
    for (const ns of own ? [shared, namespace] : [shared]) {
      const p = this.load(ns, cmName, secretName);
      if (p === undefined) continue;
      out.push({
        id: `${ns}/${cmName}`,
        ...(ns !== shared && { keyPrefix: ns }),
        config: p.result.config,
        secrets: p.secrets,
        problems: p.result.problems,
      });
    }
    return out;
  }

  /** The service `name` of configuration `id` (`namespace/configmap`), built once per option set. */
  service(id: string, name: string): NotificationService | undefined {
    const slash = id.indexOf('/');
    const parsed =
      this.parsed.get(id) ??
      this.load(id.slice(0, slash), id.slice(slash + 1), this.secretNameFor(id.slice(slash + 1)));
    const config = parsed?.result.config.services[name];
    if (config === undefined) return undefined;
    const key = `${id}|${name}|${createHash('sha256').update(JSON.stringify(config)).digest('hex')}`;
    let service = this.services.get(key);
    if (service === undefined) {
      service = createService(config, this.options.serviceDefaults);
      this.services.set(key, service);
    }
    return service;
  }

  private secretNameFor(cmName: string): string {
    const kind = this.options.kinds.find((k) => k.configMapName === cmName);
    return this.options.secretName ?? kind?.secretName ?? '';
  }
}
