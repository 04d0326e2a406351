import { invalid } from '../../lib/errors.js';

const LEN = 607;
const TAP = 273;
const MASK63 = (1n << 63n) - 1n;
const M31 = 2147483647;

/**
 * Go's `math/rand` (the pre-1.22 global source), so that the FGD experiment can replay the published
 * runs draw for draw: an additive lagged Fibonacci generator (lags 607/273) seeded through a
 * Park-Miller LCG and XORed with Go's 607-entry "cooked" table. The table is Go's, not ours: it is
 * read at run time from a Go source file (`src/math/rand/rng.go` of any Go release) by
 * `parseGoCookedTable`, so this mode is available wherever a Go source tree is.
 * Only the low 63 bits matter for every output, so the state is kept masked to 63 bits.
 */
export class GoRand {
  private readonly vec = new Array<bigint>(LEN).fill(0n);
  private tap = 0;
  private feed = LEN - TAP;

  constructor(private readonly cooked: readonly bigint[], seed: number) {
    if (cooked.length !== LEN) throw invalid(`Go's cooked table has ${LEN} entries, got ${cooked.length}`);
    this.seed(seed);
  }

  seed(seedIn: number): void {
    this.tap = 0;
    this.feed = LEN - TAP;
    let seed = seedIn % M31;
    if (seed < 0) seed += M31;
    if (seed === 0) seed = 89482311;
    let x = seed;
    for (let i = -20; i < LEN; i++) {
      x = seedrand(x);
      if (i >= 0) {
        let u = BigInt(x) << 40n;
        x = seedrand(x);
        u ^= BigInt(x) << 20n;
        x = seedrand(x);
        u ^= BigInt(x);
        u ^= this.cooked[i] as bigint;
        this.vec[i] = u & MASK63;
      }
    }
  }

  int63(): bigint {
    if (--this.tap < 0) this.tap += LEN;
    if (--this.feed < 0) this.feed += LEN;
    const x = ((this.vec[this.feed] as bigint) + (this.vec[this.tap] as bigint)) & MASK63;
    this.vec[this.feed] = x;
    return x;
  }

  int31(): number {
    return Number(this.int63() >> 32n);
  }

  uint32(): number {
    return Number(this.int63() >> 31n);
  }

  /** Go's exported Int31n: masking for powers of two, else rejection sampling. */
  int31n(n: number): number {
    if ((n & (n - 1)) === 0) return this.int31() & (n - 1);
    const max = 2147483647 - (2147483648 % n);
    let v = this.int31();
    while (v > max) v = this.int31();
    return v % n;
  }

  intn(n: number): number {
    if (n <= 0) throw invalid('intn needs n > 0');
    if (n > M31) throw invalid('intn beyond 2^31-1 is not needed here');
    return this.int31n(n);
  }

  /** Go's unexported int31n (Lemire's multiply-shift), used by Shuffle. */
  private int31nLemire(n: number): number {
    let v = BigInt(this.uint32());
    const bn = BigInt(n);
    let prod = v * bn;
    let low = Number(prod & 0xffffffffn);
    if (low < n) {
      const thresh = (2 ** 32 - n) % n;
      while (low < thresh) {
        v = BigInt(this.uint32());
        prod = v * bn;
        low = Number(prod & 0xffffffffn);
      }
    }
    return Number(prod >> 32n);
  }

  shuffle(n: number, swap: (i: number, j: number) => void): void {
    for (let i = n - 1; i > 0; i--) swap(i, this.int31nLemire(i + 1));
  }

  perm(n: number): number[] {
    const m = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const j = this.intn(i + 1);
      m[i] = m[j] as number;
      m[j] = i;
    }
    return m;
  }

  /** Uniform in [0, 1), as Go's Float64 (one Int63 per draw). */
  next(): number {
    for (;;) {
      const f = Number(this.int63()) / 2 ** 63;
      if (f < 1) return f;
    }
  }
}

/** x[n+1] = 48271 * x[n] mod (2^31 - 1), Schrage's method as in Go (exact in doubles). */
function seedrand(x: number): number {
  const hi = Math.trunc(x / 44488);
  const lo = x % 44488;
  let r = 48271 * lo - 3399 * hi;
  if (r < 0) r += M31;
  return r;
}

/**
 * Extracts the cooked table from the text of Go's `rng.go` (the array literal after `rngCooked` or
 * `rng_cooked`). Throws a clear error when the text does not hold 607 integers there.
 */
export function parseGoCookedTable(source: string): bigint[] {
  const at = source.search(/rng_?[cC]ooked\s*\[/);
  if (at < 0) throw invalid('no rngCooked table found in the given Go source (expected src/math/rand/rng.go)');
  const open = source.indexOf('{', at);
  const close = source.indexOf('}', open);
  const body = source.slice(open + 1, close).replace(/\/\/.*$/gm, '');
  const nums = body.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (nums.length !== LEN || !nums.every((s) => /^-?\d+$/.test(s))) throw invalid(`the rngCooked table in the given Go source has ${nums.length} entries, expected ${LEN} integers`);
  return nums.map((s) => BigInt.asUintN(64, BigInt(s)) & MASK63);
}
