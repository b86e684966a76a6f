// What the shipped controller container is, read from the files that ship it: the final stage of
// deploy/Dockerfile (ENV, WORKDIR, USER, ENTRYPOINT) and the container of deploy/deployment.yaml
// (args, env, securityContext, volumes, probes). Tests run exactly this, never a copy of its values.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const DOCKERFILE = new URL('../../../deploy/Dockerfile', import.meta.url);
const DEPLOYMENT = new URL('../../../deploy/deployment.yaml', import.meta.url);

/** Docker's default PATH, which the node base images keep. */
const BASE_IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** One COPY of the final stage; `dest` is absolute (a trailing slash: into that directory). */
export interface ImageCopy {
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly dest: string;
}

export interface ImageConfig {
  readonly env: Readonly<Record<string, string>>;
  readonly copies: readonly ImageCopy[];
  readonly workdir: string;
  readonly user: number | undefined;
  readonly entrypoint: readonly string[];
}

export interface EmptyDirVolume {
  readonly name: string;
  readonly mountPath: string;
  /** The emptyDir's sizeLimit in bytes (undefined: unlimited). */
  readonly sizeBytes: number | undefined;
}

export interface PodFacts {
  readonly namespace: string;
  readonly podName: string;
}

export interface ShippedContainer {
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly image: ImageConfig;
  readonly args: readonly string[];
  /** The Deployment's env with `valueFrom.fieldRef`s resolved for one pod, over the image's ENV. */
  env(pod: PodFacts): Record<string, string>;
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups (the pod's fsGroup). */
  readonly groups: readonly number[];
  readonly readOnlyRootFilesystem: boolean;
  readonly noNewPrivileges: boolean;
  readonly dropAllCapabilities: boolean;
  readonly volumes: readonly EmptyDirVolume[];
  /** httpGet probe paths (readiness, liveness). */
  readonly probePaths: readonly string[];
}

/** The final stage of a Dockerfile: ENV, WORKDIR, USER and the exec-form ENTRYPOINT. */
export function parseDockerfile(text: string): ImageConfig {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  const env: Record<string, string> = { PATH: BASE_IMAGE_PATH };
  let workdir = '/';
  let user: number | undefined;
  let entrypoint: string[] = [];
  const copies: ImageCopy[] = [];
  for (const line of lines.slice(lastFrom + 1)) {
    const [instruction = '', rest = ''] = line.split(/\s+(.*)/s);
    switch (instruction.toUpperCase()) {
      case 'ENV':
        for (const m of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
          env[m[1] ?? ''] = (m[2] ?? '').replace(/^"|"$/g, '');
        }
        break;
      case 'COPY': {
        const words = rest.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        const target = paths.pop() ?? '';
        const dest = target.startsWith('/')
          ? target
          : `${workdir.replace(/\/$/, '')}/${target.replace(/^\.\//, '')}`;
        copies.push({ from, sources: paths, dest: target === './' || target === '.' ? `${workdir}/` : dest });
        break;
      }
      case 'WORKDIR':
        workdir = rest.startsWith('/') ? rest : `${workdir.replace(/\/$/, '')}/${rest}`;
        break;
      case 'USER':
        user = Number(rest.split(':')[0]);
        break;
      case 'ENTRYPOINT':
        entrypoint = JSON.parse(rest) as string[];
        break;
    }
  }
  if (entrypoint.length === 0)
    throw new Error('deploy/Dockerfile has no exec-form ENTRYPOINT in its final stage');
  return { env, copies, workdir, user, entrypoint };
}

/** Bytes of a Kubernetes quantity such as 256Mi or 2Gi. */
export function quantityBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) throw new Error(`unsupported quantity ${q}`);
  const unit: Record<string, number> = {
    '': 1,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Math.floor(Number(m[1]) * (unit[m[2] ?? ''] ?? 1));
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}
interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
}
interface Container {
  name: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  readinessProbe?: { httpGet?: { path?: string } };
  livenessProbe?: { httpGet?: { path?: string } };
}
interface DeploymentManifest {
  metadata: { namespace: string };
  spec: {
    template: {
      spec: {
        serviceAccountName: string;
        securityContext?: SecurityContext;
        containers: Container[];
        volumes?: { name: string; emptyDir?: { sizeLimit?: string; medium?: string } }[];
      };
    };
  };
}

export function shippedContainer(): ShippedContainer {
  const image = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
  const deployment = parse(readFileSync(DEPLOYMENT, 'utf8')) as DeploymentManifest;
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  if (!container || pod.containers.length !== 1) throw new Error('deployment.yaml: expected one container');
  if (container.command) throw new Error('deployment.yaml: command would replace the image ENTRYPOINT');
  const sc = { ...pod.securityContext, ...container.securityContext };
  const uid = sc.runAsUser ?? image.user;
  if (uid === undefined || uid === 0) throw new Error('the shipped container must run as a non-root uid');
  const volumes = (container.volumeMounts ?? []).map((m): EmptyDirVolume => {
    const v = pod.volumes?.find((x) => x.name === m.name);
    if (!v?.emptyDir)
      throw new Error(`deployment.yaml: volume ${m.name} is not an emptyDir (unsupported here)`);
    const sizeLimit = v.emptyDir.sizeLimit;
    return {
      name: m.name,
      mountPath: m.mountPath,
      sizeBytes: sizeLimit === undefined ? undefined : quantityBytes(sizeLimit),
    };
  });
  return {
    namespace: deployment.metadata.namespace,
    serviceAccountName: pod.serviceAccountName,
    image,
    args: container.args ?? [],
    env(facts) {
      const env: Record<string, string> = { ...image.env };
      for (const e of container.env ?? []) {
        if (e.value !== undefined) env[e.name] = e.value;
        else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[e.name] = facts.namespace;
        else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.name') env[e.name] = facts.podName;
        else throw new Error(`deployment.yaml: env ${e.name} has a valueFrom this test cannot resolve`);
      }
      return env;
    },
    uid,
    // without runAsGroup the runtime uses the image user's group: 0 for a uid with no passwd entry
    gid: sc.runAsGroup ?? 0,
    groups: sc.fsGroup === undefined ? [] : [sc.fsGroup],
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem === true,
    noNewPrivileges: sc.allowPrivilegeEscalation === false,
    dropAllCapabilities: sc.capabilities?.drop?.includes('ALL') === true,
    volumes,
    probePaths: [container.readinessProbe, container.livenessProbe].flatMap((p) =>
      p?.httpGet?.path ? [p.httpGet.path] : [],
    ),
  };
}
