/**
 * Seeded randomness for reproducible runs. tfjs draws dropout masks and unseeded initialisers
 * from generators seeded by Math.random, so the trainer process (which does nothing else)
 * replaces Math.random with a seeded generator before building the model.
 */

/** mulberry32: small, fast, and good enough for shuffling and dropout seeds. */
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

/** Only in a process of its own (the trainer): every later Math.random call is seeded. */
export function seedGlobalRandom(seed: number): void {
  Math.random = seededRandom(seed ^ 0x5eed);
}

/** Fisher–Yates over 0..n-1. */
export function permutation(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
