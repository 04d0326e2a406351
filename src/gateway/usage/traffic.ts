/** One admitted request, as the autoscaler sees traffic: when, how long its prompt, how many tokens it may produce. */
export interface TrafficSample {
  atMs: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * Recent arrivals per model, kept for a sliding window: what the autoscaler plans for. Arrivals
 * (not completions) are counted, so a burst shows at once rather than after it has been served.
 */
export class TrafficMeter {
  private readonly byModel = new Map<string, TrafficSample[]>();

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  record(model: string, inputTokens: number, outputTokens: number): void {
    const list = this.byModel.get(model) ?? [];
    list.push({ atMs: this.now(), inputTokens, outputTokens });
    this.byModel.set(model, list);
    if (list.length % 256 === 0) this.prune(list);
  }

  /** Arrivals of `model` within the last `windowMs` (at most the meter's window), oldest first. */
  recent(model: string, windowMs = this.windowMs): TrafficSample[] {
    const list = this.byModel.get(model);
    if (!list) return [];
    this.prune(list);
    const from = this.now() - Math.min(windowMs, this.windowMs);
    return list.filter((s) => s.atMs >= from);
  }

  models(): string[] {
    return [...this.byModel.keys()].sort();
  }

  private prune(list: TrafficSample[]): void {
    const from = this.now() - this.windowMs;
    let k = 0;
    while (k < list.length && (list[k] as TrafficSample).atMs < from) k++;
    if (k > 0) list.splice(0, k);
  }
}
