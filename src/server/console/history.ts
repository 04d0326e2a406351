/**
 * Allocation over time: a bounded ring of samples taken by the control plane itself, so the
 * Overview's chart has a past even when the browser just opened. In memory only (an hour at the
 * default interval); the durable record of work is the job table and the audit log.
 */
import type { Store } from '../../store/index.js';
import type { FleetCache } from './fleet-cache.js';
import { JobState } from '../../workload/index.js';

export interface HistorySample {
  atMs: number;
  cards: number;
  allocatedCards: number;
  running: number;
  waiting: number;
}

export class AllocationHistory {
  private readonly samples: HistorySample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly fleet: FleetCache,
    private readonly now: () => number,
    readonly intervalSec = 10,
    private readonly capacity = 360,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.sample().catch(() => undefined);
    this.timer = setInterval(() => void this.sample().catch(() => undefined), this.intervalSec * 1000);
    // A sampler must never keep a process (or a test) alive on its own.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  list(): HistorySample[] {
    return [...this.samples];
  }

  async sample(): Promise<HistorySample> {
    const [{ nodes, devices }, running, waiting] = await Promise.all([
      this.fleet.read(),
      this.store.listJobs({ states: [JobState.running], limit: 1, offset: 0 }),
      this.store.listJobs({ states: [JobState.pending, JobState.admitted], limit: 1, offset: 0 }),
    ]);
    const s: HistorySample = {
      atMs: this.now(),
      cards: nodes.reduce((n, x) => n + x.cards, 0),
      allocatedCards: Math.round(devices.reduce((n, d) => n + d.usedMilli, 0)) / 1000,
      running: running.total,
      waiting: waiting.total,
    };
    this.samples.push(s);
    if (this.samples.length > this.capacity) this.samples.shift();
    return s;
  }
}
