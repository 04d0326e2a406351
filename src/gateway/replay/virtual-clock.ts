import type { EngineTimers } from '../emulator/engine.js';

interface Event {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Simulated time for replays: events run in time order (ties in the order they were scheduled)
 * and the clock jumps from one to the next, so an hour of traffic replays in well under a second
 * and every run of the same input gives the same result.
 */
export class VirtualClock implements EngineTimers {
  private nowMs = 0;
  private seq = 0;
  private readonly heap: Event[] = [];

  get now(): number {
    return this.nowMs;
  }

  after(ms: number, fn: () => void): Event {
    const e: Event = { at: this.nowMs + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: this.seq++, fn, cancelled: false };
    this.push(e);
    return e;
  }

  cancel(handle: unknown): void {
    (handle as Event).cancelled = true;
  }

  /** Runs events until none is left; returns the time of the last one. */
  run(): number {
    for (let e = this.pop(); e; e = this.pop()) {
      if (e.cancelled) continue;
      this.nowMs = e.at;
      e.fn();
    }
    return this.nowMs;
  }

  private before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Event): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i] as Event, h[p] as Event)) break;
      [h[i], h[p]] = [h[p] as Event, h[i] as Event];
      i = p;
    }
  }

  private pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l] as Event, h[m] as Event)) m = l;
        if (r < h.length && this.before(h[r] as Event, h[m] as Event)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Event, h[i] as Event];
        i = m;
      }
    }
    return top;
  }
}
