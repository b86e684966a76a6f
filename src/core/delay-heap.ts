/** A binary min-heap of (key, due time) with one entry per key, keeping the earliest due time. */
export class DelayHeap {
  private readonly heap: { key: string; due: number }[] = [];
  private readonly due = new Map<string, number>();

  get size(): number {
    return this.due.size;
  }

  /** Schedules `key` at `due` unless it is already scheduled earlier. */
  push(key: string, due: number): void {
    const existing = this.due.get(key);
    if (existing !== undefined && existing <= due) return;
    this.due.set(key, due);
    this.heap.push({ key, due });
    this.up(this.heap.length - 1);
  }

  /** Earliest due time, skipping superseded entries. */
  peekDue(): number | undefined {
    this.dropStale();
    return this.heap[0]?.due;
  }

  /** Removes and returns every key due at or before `now`. */
  popDue(now: number): string[] {
    const out: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.due > now) return out;
      this.pop();
      this.due.delete(top.key);
      out.push(top.key);
    }
  }

  /** Unschedules `key` (its heap entry is dropped lazily, as a superseded one). */
  remove(key: string): void {
    this.due.delete(key);
  }

  clear(): void {
    this.heap.length = 0;
    this.due.clear();
  }

  private dropStale(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.due.get(top.key) === top.due) return;
      this.pop();
    }
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.due <= h[i]!.due) return;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.due < h[m]!.due) m = l;
      if (r < h.length && h[r]!.due < h[m]!.due) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}
