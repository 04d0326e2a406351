/**
 * A per-minute allowance that refills continuously (a token bucket of one minute's size).
 * `tryTake` admits on an estimate; `adjust` settles the difference once the actual amount is
 * known, and may drive the level below zero so that an under-estimate is paid back by waiting.
 */
export class MinuteBucket {
  private level: number;
  private lastMs: number;

  constructor(
    readonly perMin: number,
    nowMs: number,
  ) {
    this.level = perMin;
    this.lastMs = nowMs;
  }

  private refill(nowMs: number): void {
    const dt = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    this.level = Math.min(this.perMin, this.level + (dt * this.perMin) / 60_000);
  }

  /** Takes `amount` if it is available now; an amount larger than a whole minute is admitted only on a full bucket. */
  tryTake(amount: number, nowMs: number): boolean {
    this.refill(nowMs);
    const need = Math.min(amount, this.perMin);
    if (this.level < need) return false;
    this.level -= amount;
    return true;
  }

  adjust(delta: number, nowMs: number): void {
    this.refill(nowMs);
    this.level = Math.min(this.perMin, this.level - delta);
  }

  /** Milliseconds until `amount` would be available (for Retry-After). */
  waitMs(amount: number, nowMs: number): number {
    this.refill(nowMs);
    const missing = Math.min(amount, this.perMin) - this.level;
    return missing <= 0 ? 0 : Math.ceil((missing * 60_000) / this.perMin);
  }
}
