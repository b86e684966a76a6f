import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  currentProcessOwner,
  isOwnerAlive,
  ownerToken,
  type ProcessOwner,
  type ProcessProbe,
  parseOwnerToken,
  systemProcessProbe,
} from './process-owner.js';
import { type DirFamily, reapAbandonedDirs } from './reaper.js';

export interface WorkspaceOptions {
  /**
   * A persistent cache directory ($SLIPWAY_SYNC_DIR): its Git caches survive restarts. Default: a
   * directory of this process's own in the temp dir, removed on close (and by the next start if the
   * process is killed).
   */
  readonly dir?: string;
  /** Parent of the default directory. Default os.tmpdir(). */
  readonly tempRoot?: string;
  /**
   * Age after which an ownerless `slipway-sync-*` dir (made by a version before owner records; it may
   * belong to such a controller still running) is removed. Default 24 h.
   */
  readonly ownerlessMaxAgeMs?: number;
  /** The same for ownerless Helm/Kustomize/Git-credential scratch dirs (each lives < 2 min). Default 1 h. */
  readonly ownerlessScratchMaxAgeMs?: number;
  readonly self?: ProcessOwner;
  readonly probe?: ProcessProbe;
  readonly nowMs?: number;
  readonly onReapError?: (path: string, err: unknown) => void;
}

/**
 * Where the sync loop keeps files. `cacheDir` holds what may outlive the process (bare Git caches);
 * `runDir`, inside it and named after this process, holds checkouts and scratch files (Helm values,
 * Kustomize overlays, Git credentials), so whatever a killed process leaves behind is found and
 * removed by the next start, while directories of live controllers on the same machine are left alone.
 */
export interface Workspace {
  readonly cacheDir: string;
  readonly runDir: string;
  /** Short-lived files: Helm values, Kustomize overlays, Git credentials. */
  readonly scratchDir: string;
  /** Directories of dead processes removed while opening. */
  readonly reaped: readonly string[];
  /** Removes what this process owns (everything, for a default directory; the run dir otherwise). */
  close(): void;
}

const SYNC_PREFIX = 'slipway-sync-';
const RUN_DIRS = 'run';

/** Stale `*.lock` files left in the Git caches by a killed `git fetch` block every later fetch. */
function removeGitLocks(reposDir: string): void {
  for (const repo of entries(reposDir)) {
    const gitDir = join(reposDir, repo);
    for (const name of entries(gitDir))
      if (name.endsWith('.lock')) rmSync(join(gitDir, name), { force: true });
    removeLocksUnder(join(gitDir, 'refs'), 0);
  }
}

function removeLocksUnder(dir: string, depth: number): void {
  for (const name of entries(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.lock')) rmSync(path, { force: true, recursive: true });
    else if (depth < 8 && isDir(path)) removeLocksUnder(path, depth + 1);
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Opens (creates) the sync work directory and removes what dead controllers left behind. */
export function openWorkspace(options: WorkspaceOptions = {}): Workspace {
  const self = options.self ?? currentProcessOwner();
  const probe = options.probe ?? systemProcessProbe;
  const reap = {
    self,
    probe,
    nowMs: options.nowMs ?? Date.now(),
    ...(options.onReapError && { onError: options.onReapError }),
  };
  const ownerlessMaxAgeMs = options.ownerlessMaxAgeMs ?? 24 * 3_600_000;
  const ownerlessScratchMaxAgeMs = options.ownerlessScratchMaxAgeMs ?? 3_600_000;
  const tempRoot = options.tempRoot ?? tmpdir();
  const token = ownerToken(self);
  const reaped: string[] = [];
  // Default directories of dead controllers, and scratch dirs older versions made in the temp dir.
  const legacy = ['slipway-helm-', 'slipway-kustomize-', 'slipway-git-cred-'];
  reaped.push(
    ...reapAbandonedDirs(
      tempRoot,
      [
        { prefix: SYNC_PREFIX, ownerlessMaxAgeMs },
        ...legacy.map((prefix): DirFamily => ({ prefix, ownerlessMaxAgeMs: ownerlessScratchMaxAgeMs })),
      ],
      reap,
    ),
  );
  const persistent = options.dir !== undefined;
  const cacheDir = options.dir ?? mkdtempSync(join(tempRoot, `${SYNC_PREFIX}${token}-`));
  const runParent = join(cacheDir, RUN_DIRS);
  mkdirSync(runParent, { recursive: true });
  if (persistent) {
    reaped.push(...reapAbandonedDirs(runParent, [{ prefix: '' }], reap));
    const others = entries(runParent).some((name) => {
      const owner = parseOwnerToken(name.replace(/-[A-Za-z0-9]{6}$/, ''));
      return owner !== undefined && isOwnerAlive(owner, self, probe);
    });
    // Only when no live controller shares this cache can its lock files be stale.
    if (!others) removeGitLocks(join(cacheDir, 'repos'));
  }
  const runDir = mkdtempSync(join(runParent, `${token}-`));
  const scratchDir = join(runDir, 'tmp');
  mkdirSync(scratchDir);
  return {
    cacheDir,
    runDir,
    scratchDir,
    reaped,
    close: () => rmSync(persistent ? runDir : cacheDir, { recursive: true, force: true }),
  };
}
