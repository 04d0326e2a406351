/** A source of uniform numbers in [0, 1); injected everywhere so runs replay from their seed. */
export interface Rng {
  next(): number;
}

/**
 * A small seeded generator (SplitMix32 feeding a xorshift-multiply mix): reproducible from its seed,
 * fast, and good enough for tie-breaks, shuffles and sampling. Not for cryptography.
 */
export function seededRng(seed: number): Rng & { int(n: number): number } {
  let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  const v = Math.floor(rng.next() * n);
  return v >= n ? n - 1 : v;
}
