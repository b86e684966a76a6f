/** mulberry32: a small seeded PRNG, so a generated case or a chaos schedule is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from one seeded stream: a number in [0, 1), an integer below `n`, a coin that lands true with `p`, an item. */
export interface SeededChoices {
  random(): number;
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seededChoices(seed: number): SeededChoices {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  return {
    random,
    int,
    chance: (p) => random() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
  };
}
