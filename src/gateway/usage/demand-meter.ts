import { addToCells, mergeCells, type SizeCell } from '../../plan/serving/index.js';
import { MINUTE_MS } from './service-meter.js';

/**
 * Demand per service and model in one-minute buckets: every request admitted past the rate limits,
 * served or shed, counted into the serving planner's size cells (prompt and max output tokens).
 * Stored like the traffic buckets, so the autoscaler of whichever control plane leads plans on the
 * demand that reached every gateway, not only its own.
 */
export interface DemandBucket {
  /** The service whose replicas took it, or the only one that serves the model to that key ('' when unknown). */
  service: string;
  model: string;
  minuteMs: number;
  cells: SizeCell[];
}

export class DemandMeter {
  private buckets = new Map<string, { row: DemandBucket; cells: Map<string, SizeCell> }>();

  constructor(private readonly now: () => number) {}

  record(service: string, model: string, promptTokens: number, maxTokens: number): void {
    addToCells(this.bucket(service, model, Math.floor(this.now() / MINUTE_MS) * MINUTE_MS).cells, promptTokens, Math.max(1, maxTokens), 1);
  }

  /** Buckets counted since the previous call (for storing); `undrain` puts back what failed to store. */
  drain(): DemandBucket[] {
    const out = [...this.buckets.values()].map((b) => ({ ...b.row, cells: [...b.cells.values()] }));
    this.buckets = new Map();
    return out;
  }

  undrain(rows: readonly DemandBucket[]): void {
    for (const r of rows) mergeCells(this.bucket(r.service, r.model, r.minuteMs).cells, r.cells);
  }

  private bucket(service: string, model: string, minuteMs: number): { row: DemandBucket; cells: Map<string, SizeCell> } {
    const key = `${service}\u0000${model}\u0000${minuteMs}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { row: { service, model, minuteMs, cells: [] }, cells: new Map() };
      this.buckets.set(key, b);
    }
    return b;
  }
}
