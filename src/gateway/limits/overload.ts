import type { Priority } from '../config/schema.js';

/**
 * Sheds load by priority: a model's in-flight limit is its replicas' capacity (sum of max batch)
 * times `queueFactor`; a request of tier p is refused once in-flight reaches `shedAt[p]` of it,
 * so low priority is shed first and high priority keeps headroom above the nominal limit.
 */
export class OverloadGuard {
  private readonly inFlight: Map<string, number>;

  /** `carryOver`: the guard this one replaces on a config reload; its in-flight counts continue here. */
  constructor(
    private readonly opts: { queueFactor: number; shedAt: Record<Priority, number> },
    carryOver?: OverloadGuard,
  ) {
    this.inFlight = carryOver ? carryOver.inFlight : new Map();
  }

  /** Returns false (shed) or true and counts the request in flight; call `release` when it ends. */
  tryEnter(model: string, priority: Priority, capacity: number): boolean {
    const n = this.inFlight.get(model) ?? 0;
    const limit = Math.max(1, capacity * this.opts.queueFactor * this.opts.shedAt[priority]);
    if (n >= limit) return false;
    this.inFlight.set(model, n + 1);
    return true;
  }

  release(model: string): void {
    this.inFlight.set(model, Math.max(0, (this.inFlight.get(model) ?? 1) - 1));
  }

  current(model: string): number {
    return this.inFlight.get(model) ?? 0;
  }
}
