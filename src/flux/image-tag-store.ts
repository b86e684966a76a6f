/** The tags of one ImageRepository's last scan in this process. */
export interface StoredTags {
  /** `status.canonicalImageName` of the scan. */
  readonly canonicalName: string;
  /** Sorted in descending byte order, as Flux stores them. */
  readonly tags: readonly string[];
  /** The checksum `status.lastScanResult.revision` reports for them. */
  readonly revision: string;
  /** When the scan ran (ms since the epoch), to tell a stale entry from a fresh one. */
  readonly scannedAtMs?: number;
}

/**
 * Flux keeps scanned tags in a Badger database; Slipway keeps them in memory, one entry per
 * ImageRepository (`namespace/name`), each bounded by the scan's tag limit. Nothing survives a
 * restart: the ImageRepository reconciler scans again when it finds no entry (Flux's "no tags in
 * database"), and the ImagePolicy reconciler scans itself on a miss or a stale entry (after a
 * restart, or when another shard scanned the repository). Listeners hear every change.
 */
export class ImageTagStore {
  private readonly entries = new Map<string, StoredTags>();
  private readonly listeners: ((key: string) => void)[] = [];

  get(key: string): StoredTags | undefined {
    return this.entries.get(key);
  }

  set(key: string, tags: StoredTags): void {
    const before = this.entries.get(key);
    this.entries.set(key, tags);
    if (before?.revision !== tags.revision || before.canonicalName !== tags.canonicalName)
      for (const l of this.listeners) l(key);
  }

  delete(key: string): void {
    if (this.entries.delete(key)) for (const l of this.listeners) l(key);
  }

  /** How many tags the store holds over all repositories. */
  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.tags.length;
    return n;
  }

  onChange(listener: (key: string) => void): void {
    this.listeners.push(listener);
  }
}
