import { randomInt, seededRng } from '../../lib/rng.js';
import type { Rng } from '../../sched/types.js';
import { GoRand } from './go-rand.js';

/** The draws the FGD experiment makes, in the order it makes them (see fgd-method.md §4). */
export interface ExperimentRng extends Rng {
  intn(n: number): number;
  shuffle(n: number, swap: (i: number, j: number) => void): void;
  perm(n: number): number[];
  /** Draws the FGD simulator makes without using them (its debug log argument, informer jitter). */
  discard(count: number): void;
}

/**
 * `go`: Go's math/rand with Go's cooked table, replaying the published runs draw for draw.
 * `tessera`: Tessera's own seeded generator; the same procedure, other shuffles, so per-seed curves differ
 * but means over seeds agree within the seed-to-seed spread.
 */
export function experimentRng(seed: number, goCooked?: readonly bigint[]): ExperimentRng {
  if (goCooked) {
    const go = new GoRand(goCooked, seed);
    return {
      next: () => go.next(),
      intn: (n) => go.intn(n),
      shuffle: (n, swap) => go.shuffle(n, swap),
      perm: (n) => go.perm(n),
      discard: (count) => {
        for (let i = 0; i < count; i++) go.int63();
      },
    };
  }
  const rng = seededRng(seed);
  const intn = (n: number): number => randomInt(rng, n);
  return {
    next: rng.next,
    intn,
    shuffle: (n, swap) => {
      for (let i = n - 1; i > 0; i--) swap(i, intn(i + 1));
    },
    perm: (n) => {
      const m = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = intn(i + 1);
        [m[i], m[j]] = [m[j] as number, m[i] as number];
      }
      return m;
    },
    discard: () => undefined,
  };
}
