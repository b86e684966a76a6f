// Runs a process under a container's runtime conditions without a container engine: private mount
// and UTS namespaces; a root that is this machine's root as a read-only overlay (mount points are made
// in the overlay, never on the host); the image's files and the kubelet's mounts bound in; emptyDir
// volumes as size-limited tmpfs; then chroot + setpriv to the pod's uid/gid with no capabilities and
// no_new_privs, and `env -i` with exactly the container's environment. Needs root (CAP_SYS_ADMIN).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SandboxBind {
  /** A host file or directory. */
  readonly source: string;
  /** Where the container sees it. */
  readonly target: string;
  /** Default true. */
  readonly readOnly?: boolean;
}

export interface SandboxVolume {
  readonly name: string;
  readonly mountPath: string;
  readonly sizeBytes?: number | undefined;
}

export interface SandboxSpec {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
  readonly readOnlyRootFilesystem: boolean;
  readonly noNewPrivileges: boolean;
  readonly dropAllCapabilities: boolean;
  readonly volumes: readonly SandboxVolume[];
  readonly binds: readonly SandboxBind[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir: string;
  readonly command: readonly string[];
  /** The pod's hostname (its own UTS namespace). Default: the pod-less host's. */
  readonly hostname?: string;
}

export interface SandboxedProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited(): Promise<number | null>;
  /** SIGTERM, SIGKILL after `graceMs`; then removes the host scratch dir. */
  stop(graceMs?: number): Promise<void>;
}

/** Why the sandbox cannot run here, or undefined when it can. */
export function sandboxUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for mount namespaces, chroot and setpriv';
  for (const tool of ['unshare', 'setpriv', 'chroot']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  const probe = spawnSync('unshare', ['--mount', '--uts', '--propagation', 'private', 'true']);
  if (probe.status !== 0) return `mount namespaces are unavailable: ${probe.stderr.toString().trim()}`;
  return undefined;
}

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

function tmpfsOptions(v: SandboxVolume): string {
  return `mode=0777${v.sizeBytes === undefined ? '' : `,size=${v.sizeBytes}`}`;
}

/** The script run as root inside the new mount namespace; it ends by exec'ing the command. */
export function sandboxScript(spec: SandboxSpec, layersDir: string): string {
  const binds = [...spec.binds].sort((a, b) => a.target.length - b.target.length);
  const staged = (i: number) => `/.sandbox/${i}`;
  // Inside the chroot: make mount points in the overlay (symlinks like /var/run resolve in the image's
  // root, not the host's), mount emptyDirs and bind the staged sources.
  const inside = [
    ...spec.volumes.flatMap((v) => [
      `mkdir -p ${q(v.mountPath)}`,
      `mount -t tmpfs -o ${tmpfsOptions(v)} ${q(v.name)} ${q(v.mountPath)}`,
    ]),
    ...binds.flatMap((b, i) => [
      `if [ -d ${staged(i)} ]; then mkdir -p ${q(b.target)}; else mkdir -p "$(dirname ${q(b.target)})"; [ -e ${q(b.target)} ] || touch ${q(b.target)}; fi`,
      `mount --bind ${staged(i)} ${q(b.target)}`,
      ...(b.readOnly === false ? [] : [`mount -o remount,bind,ro ${q(b.target)}`]),
    ]),
  ].join('\n');
  const privileges = [
    `--reuid=${spec.uid}`,
    `--regid=${spec.gid}`,
    spec.groups.length > 0 ? `--groups=${spec.groups.join(',')}` : '--clear-groups',
    ...(spec.noNewPrivileges ? ['--no-new-privs'] : []),
    ...(spec.dropAllCapabilities ? ['--bounding-set=-all', '--inh-caps=-all'] : []),
  ];
  const env = Object.entries(spec.env).map(([k, v]) => q(`${k}=${v}`));
  return [
    'set -eu',
    ...(spec.hostname === undefined ? [] : [`printf %s ${q(spec.hostname)} > /proc/sys/kernel/hostname`]),
    `L=${q(layersDir)}`,
    'mount -t tmpfs -o mode=0755 slipway-sandbox "$L"',
    'mkdir "$L/upper" "$L/work" "$L/root"',
    'mount -t overlay overlay -o "lowerdir=/,upperdir=$L/upper,workdir=$L/work" "$L/root"',
    'R="$L/root"',
    'mount --rbind /dev "$R/dev"',
    'mount -t proc proc "$R/proc"',
    'mount --rbind /sys "$R/sys"',
    'mount -o remount,bind,ro "$R/sys"',
    'mkdir "$R/.sandbox"',
    ...binds.map(
      (b, i) =>
        `if [ -d ${q(b.source)} ]; then mkdir "$R${staged(i)}"; else touch "$R${staged(i)}"; fi; mount --bind ${q(b.source)} "$R${staged(i)}"`,
    ),
    `chroot "$R" /bin/sh -euc ${q(inside)}`,
    ...binds.map(
      (_, i) => `umount "$R${staged(i)}"; rmdir "$R${staged(i)}" 2>/dev/null || rm -f "$R${staged(i)}"`,
    ),
    'rmdir "$R/.sandbox"',
    ...(spec.readOnlyRootFilesystem ? ['mount -o remount,bind,ro "$R"'] : []),
    `exec chroot "$R" setpriv ${privileges.join(' ')} env -i -C ${q(spec.workdir)} ${env.join(' ')} ${spec.command.map(q).join(' ')}`,
    '',
  ].join('\n');
}

/** Starts `spec.command` in the sandbox; its pid is the command's own (every step exec's). */
export function startSandboxed(spec: SandboxSpec): SandboxedProcess {
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-sandbox-'));
  const layers = join(scratch, 'layers');
  mkdirSync(layers);
  const script = join(scratch, 'setup.sh');
  writeFileSync(script, sandboxScript(spec, layers));
  const child = spawn('unshare', ['--mount', '--uts', '--propagation', 'private', 'sh', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: string) => {
    out = (out + chunk).slice(-2_000_000);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exit = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  return {
    child,
    output: () => out,
    exited: () => exit.finally(cleanup),
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(timer);
      }
      await exit;
      cleanup();
    },
  };
}

/** Runs a short command in the sandbox and returns its exit code and output. */
export async function runSandboxed(spec: SandboxSpec): Promise<{ code: number | null; output: string }> {
  const p = startSandboxed(spec);
  const code = await p.exited();
  return { code, output: p.output() };
}
