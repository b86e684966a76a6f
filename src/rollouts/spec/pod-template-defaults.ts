/**
 * The Kubernetes defaults the API server applies to a pod template (SetObjectDefaults_PodTemplate),
 * limited to the fields that show up in practice. The Rollout CRD stores its template undefaulted
 * while a ReplicaSet's template comes back defaulted, so comparing the two (Argo's
 * PodTemplateEqualIgnoreHash) needs the desired side defaulted first. Pure.
 */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withDefaults(target: Json, defaults: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(defaults)) if (out[key] === undefined) out[key] = value;
  return out;
}

function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : undefined;
}

function defaultProbe(probe: unknown): unknown {
  if (!isRecord(probe)) return probe;
  let out = withDefaults(probe, {
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  if (isRecord(out.httpGet))
    out = { ...out, httpGet: withDefaults(out.httpGet, { path: '/', scheme: 'HTTP' }) };
  return out;
}

function defaultEnv(env: unknown): unknown {
  if (!Array.isArray(env)) return env;
  return env.map((entry) => {
    if (!isRecord(entry) || !isRecord(entry.valueFrom) || !isRecord(entry.valueFrom.fieldRef)) return entry;
    return {
      ...entry,
      valueFrom: {
        ...entry.valueFrom,
        fieldRef: withDefaults(entry.valueFrom.fieldRef, { apiVersion: 'v1' }),
      },
    };
  });
}

function defaultContainer(container: unknown): unknown {
  if (!isRecord(container)) return container;
  const image = typeof container.image === 'string' ? container.image : '';
  const tag = imageTag(image);
  const pullPolicy =
    image.includes('@') || (tag !== undefined && tag !== 'latest') ? 'IfNotPresent' : 'Always';
  const out = withDefaults(container, {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: pullPolicy,
    resources: {},
  });
  if (Array.isArray(out.ports))
    out.ports = out.ports.map((p) => (isRecord(p) ? withDefaults(p, { protocol: 'TCP' }) : p));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'])
    if (out[probe] !== undefined) out[probe] = defaultProbe(out[probe]);
  if (out.env !== undefined) out.env = defaultEnv(out.env);
  return out;
}

function defaultVolume(volume: unknown): unknown {
  if (!isRecord(volume)) return volume;
  const out: Json = { ...volume };
  for (const source of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const value = out[source];
    if (isRecord(value)) out[source] = withDefaults(value, { defaultMode: 420 });
  }
  if (isRecord(out.hostPath)) out.hostPath = withDefaults(out.hostPath, { type: '' });
  return out;
}

/** The pod template as the API server would store it inside a ReplicaSet. */
export function defaultPodTemplate(template: Json): Json {
  const spec = isRecord(template.spec) ? template.spec : {};
  const out = withDefaults(spec, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  });
  for (const list of ['containers', 'initContainers'])
    if (Array.isArray(out[list])) out[list] = (out[list] as unknown[]).map(defaultContainer);
  if (Array.isArray(out.volumes)) out.volumes = out.volumes.map(defaultVolume);
  return { ...template, spec: out };
}

const QUANTITY = /^([+-]?[0-9.]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e[+-]?\d+|E[+-]?\d+)?$/;
const SUFFIX: Readonly<Record<string, number>> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A resource.Quantity's value, so "1000m" equals "1" and "0.5Gi" equals "512Mi". */
export function quantityValue(text: string): number | undefined {
  const match = QUANTITY.exec(text.trim());
  if (match === null) return undefined;
  const base = Number(match[1]);
  const suffix = match[2];
  if (suffix === undefined) return base;
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  const factor = SUFFIX[suffix];
  return factor === undefined ? undefined : base * factor;
}

const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead']);

/**
 * Kubernetes' semantic equality for JSON: nil and empty slices and maps are equal (and so are Go zero
 * values that omitempty drops), quantities compare by value (inside resources maps and `sizeLimit`).
 */
export function semanticEqual(a: unknown, b: unknown, key = ''): boolean {
  const emptyA = isEmpty(a);
  const emptyB = isEmpty(b);
  if (emptyA || emptyB) return emptyA === emptyB;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const childKey = QUANTITY_MAPS.has(key) ? 'quantity' : k;
      if (!semanticEqual(a[k], b[k], childKey)) return false;
    }
    return true;
  }
  if (isQuantityKey(key) && typeof a === 'string' && typeof b === 'string') {
    const qa = quantityValue(a);
    const qb = quantityValue(b);
    if (qa !== undefined && qb !== undefined) return Math.abs(qa - qb) <= Math.abs(qa) * 1e-12;
  }
  return a === b;
}

const isQuantityKey = (key: string): boolean => key === 'quantity' || key === 'sizeLimit';
/** Go zero values that `omitempty` drops: nil, "", false, empty slices and maps. */
const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (isRecord(v) && Object.keys(v).length === 0);
