import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isOwnerAlive, type ProcessOwner, type ProcessProbe, parseOwnerToken } from './process-owner.js';

/** A family of directories in one parent: `<prefix><owner token>-XXXXXX`, or `<prefix>XXXXXX` (legacy). */
export interface DirFamily {
  readonly prefix: string;
  /**
   * Directories without an owner token (made by versions before owner records) are removed once they
   * are this old. Undefined: never.
   */
  readonly ownerlessMaxAgeMs?: number;
}

export interface ReapOptions {
  readonly self: ProcessOwner;
  readonly probe: ProcessProbe;
  readonly nowMs: number;
  /** Called for each directory that could not be removed (another user's, say). */
  readonly onError?: (path: string, err: unknown) => void;
}

/** What mkdtemp appends. */
const SUFFIX = /^(.*?)-?[A-Za-z0-9]{6}$/;

/** Whether the directory named `name` (in a family) belongs to a process that is gone. Pure. */
export function isAbandoned(
  name: string,
  family: DirFamily,
  ageMs: () => number,
  options: Pick<ReapOptions, 'self' | 'probe'>,
): boolean {
  if (!name.startsWith(family.prefix)) return false;
  const rest = name.slice(family.prefix.length);
  const m = SUFFIX.exec(rest);
  if (!m) return false;
  const token = m[1] ?? '';
  if (token === '') return family.ownerlessMaxAgeMs !== undefined && ageMs() > family.ownerlessMaxAgeMs;
  const owner = parseOwnerToken(token);
  // A name we do not recognise (a test's `slipway-sync-test-…`) is not ours to judge.
  if (!owner) return false;
  return !isOwnerAlive(owner, options.self, options.probe);
}

/** Removes the directories in `parent` whose owning process is gone; returns their paths. */
export function reapAbandonedDirs(
  parent: string,
  families: readonly DirFamily[],
  options: ReapOptions,
): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(parent, name);
    const ageMs = () => {
      try {
        return options.nowMs - statSync(path).mtimeMs;
      } catch {
        return 0;
      }
    };
    if (!families.some((f) => isAbandoned(name, f, ageMs, options))) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch (err) {
      options.onError?.(path, err);
    }
  }
  return removed;
}
