/**
 * Traffic per inference service and chip in one-minute buckets: requests, errors, TTFT
 * and TPOT histograms, and how many requests met the service's SLO. Buckets are drained to the
 * store like token usage; percentiles and attainment over any window are computed from them.
 */

/** Upper bounds (ms) of the latency histogram buckets; one more bucket counts everything above the last. */
export const LATENCY_BOUNDS_MS = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 20_000, 60_000] as const;

export const MINUTE_MS = 60_000;

/** The objectives a request is judged against (from the service spec); an absent one is not judged. */
export interface SloTargets {
  ttftMs?: number;
  tpotMs?: number;
}

export interface TrafficBucket {
  /** The control-plane service whose replica served it ('' for replicas outside any service, e.g. from a static file). */
  service: string;
  model: string;
  chip: string;
  /** Start of the minute, epoch ms. */
  minuteMs: number;
  requests: number;
  errors: number;
  /** Requests judged against an SLO (successful ones of a service that has one). */
  sloJudged: number;
  sloMet: number;
  /** Counts per `LATENCY_BOUNDS_MS` bucket plus one overflow bucket. */
  ttftHist: number[];
  tpotHist: number[];
}

export function emptyHist(): number[] {
  return new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
}

export function histIndex(ms: number): number {
  const k = LATENCY_BOUNDS_MS.findIndex((b) => ms <= b);
  return k === -1 ? LATENCY_BOUNDS_MS.length : k;
}

/** Adds `b` into `a` (same length; a shorter `b` adds what it has). */
export function addHist(a: number[], b: readonly number[]): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
}

/**
 * The q-quantile of a histogram as its bucket's upper bound (a conservative reading: the true value
 * is at most this); null when empty or when it falls in the overflow bucket (above 60 s: unknown).
 */
export function histQuantileMs(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return LATENCY_BOUNDS_MS[i] ?? null;
  }
  return null;
}

export interface ServedObservation {
  service: string;
  model: string;
  chip: string;
  ok: boolean;
  ttftMs: number | null;
  tpotMs: number | null;
}

export class ServiceMeter {
  private buckets = new Map<string, TrafficBucket>();

  constructor(
    private readonly now: () => number,
    private readonly sloFor: (service: string, model: string) => SloTargets | null = () => null,
  ) {}

  record(o: ServedObservation): void {
    const b = this.bucket(o.service, o.model, o.chip, Math.floor(this.now() / MINUTE_MS) * MINUTE_MS);
    b.requests += 1;
    if (!o.ok) {
      b.errors += 1;
      return;
    }
    if (o.ttftMs !== null && Number.isFinite(o.ttftMs)) (b.ttftHist[histIndex(o.ttftMs)] as number)++;
    if (o.tpotMs !== null && Number.isFinite(o.tpotMs)) (b.tpotHist[histIndex(o.tpotMs)] as number)++;
    const slo = this.sloFor(o.service, o.model);
    if (!slo || (slo.ttftMs === undefined && slo.tpotMs === undefined)) return;
    b.sloJudged += 1;
    // A latency the gateway could not observe is not held against the replica.
    const ttftOk = slo.ttftMs === undefined || o.ttftMs === null || o.ttftMs <= slo.ttftMs;
    const tpotOk = slo.tpotMs === undefined || o.tpotMs === null || o.tpotMs <= slo.tpotMs;
    if (ttftOk && tpotOk) b.sloMet += 1;
  }

  /** Buckets counted since the previous call (for storing); `undrain` puts back what failed to store. */
  drain(): TrafficBucket[] {
    const out = [...this.buckets.values()];
    this.buckets = new Map();
    return out;
  }

  undrain(rows: readonly TrafficBucket[]): void {
    for (const r of rows) mergeBucket(this.bucket(r.service, r.model, r.chip, r.minuteMs), r);
  }

  private bucket(service: string, model: string, chip: string, minuteMs: number): TrafficBucket {
    const key = `${service}\u0000${model}\u0000${chip}\u0000${minuteMs}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { service, model, chip, minuteMs, requests: 0, errors: 0, sloJudged: 0, sloMet: 0, ttftHist: emptyHist(), tpotHist: emptyHist() };
      this.buckets.set(key, b);
    }
    return b;
  }
}

export function mergeBucket(into: TrafficBucket, b: TrafficBucket): void {
  into.requests += b.requests;
  into.errors += b.errors;
  into.sloJudged += b.sloJudged;
  into.sloMet += b.sloMet;
  addHist(into.ttftHist, b.ttftHist);
  addHist(into.tpotHist, b.tpotHist);
}
