/**
 * Exponential backoff with jitter for reconnecting: base, 2x base, 4x base ... up to a cap, each
 * delay scaled by a random factor in [0.5, 1) so that a fleet of agents that lost the control
 * plane together does not come back in lockstep. Randomness is injected (tests pass a fixed one).
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

export class Backoff {
  private failures = 0;

  constructor(private readonly o: BackoffOptions) {
    if (!(o.baseMs > 0) || !(o.maxMs >= o.baseMs)) throw new RangeError('backoff needs 0 < baseMs <= maxMs');
  }

  /** The delay before the next attempt, growing with each consecutive failure. */
  next(): number {
    const raw = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(raw * (0.5 + 0.5 * this.o.random()));
  }

  reset(): void {
    this.failures = 0;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
