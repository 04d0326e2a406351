/** Traffic of one service over a window, from stored per-minute buckets: totals, per chip and per minute. */
import { emptyHist, histQuantileMs, MINUTE_MS, mergeBucket, type TrafficBucket } from './service-meter.js';

export interface TrafficFigures {
  requests: number;
  errors: number;
  requestsPerSec: number;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
  p50TpotMs: number | null;
  p95TpotMs: number | null;
  /** Fraction of judged requests that met the SLO, 0..1; null when none was judged (no SLO or no traffic). */
  sloAttainment: number | null;
  sloJudged: number;
}

export interface TrafficSummary {
  fromMs: number;
  toMs: number;
  windowMin: number;
  total: TrafficFigures;
  perChip: (TrafficFigures & { chip: string })[];
  /** One point per minute of the window, oldest first (minutes without traffic have zero requests). */
  series: (TrafficFigures & { minuteMs: number })[];
}

function figures(b: TrafficBucket, seconds: number): TrafficFigures {
  return {
    requests: b.requests,
    errors: b.errors,
    requestsPerSec: seconds > 0 ? Math.round((b.requests / seconds) * 1000) / 1000 : 0,
    p50TtftMs: histQuantileMs(b.ttftHist, 0.5),
    p95TtftMs: histQuantileMs(b.ttftHist, 0.95),
    p50TpotMs: histQuantileMs(b.tpotHist, 0.5),
    p95TpotMs: histQuantileMs(b.tpotHist, 0.95),
    sloAttainment: b.sloJudged > 0 ? Math.round((b.sloMet / b.sloJudged) * 10_000) / 10_000 : null,
    sloJudged: b.sloJudged,
  };
}

const blank = (model: string, chip: string, minuteMs: number): TrafficBucket => ({ service: '', model, chip, minuteMs, requests: 0, errors: 0, sloJudged: 0, sloMet: 0, ttftHist: emptyHist(), tpotHist: emptyHist() });

/**
 * Summarises `rows` (buckets of one service) over the `windowMin` minutes ending at `nowMs`. The rate
 * divides by the window's elapsed seconds (the current minute counts only as far as it has gone).
 */
export function summarizeTraffic(rows: readonly TrafficBucket[], nowMs: number, windowMin: number): TrafficSummary {
  const currentMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const fromMs = currentMinute - (windowMin - 1) * MINUTE_MS;
  const seconds = (nowMs - fromMs) / 1000;
  const total = blank('', '', fromMs);
  const chips = new Map<string, TrafficBucket>();
  const minutes = new Map<number, TrafficBucket>();
  for (let m = fromMs; m <= currentMinute; m += MINUTE_MS) minutes.set(m, blank('', '', m));
  for (const r of rows) {
    if (r.minuteMs < fromMs || r.minuteMs > currentMinute) continue;
    mergeBucket(total, r);
    const c = chips.get(r.chip) ?? blank('', r.chip, fromMs);
    mergeBucket(c, r);
    chips.set(r.chip, c);
    const m = minutes.get(r.minuteMs);
    if (m) mergeBucket(m, r);
  }
  return {
    fromMs,
    toMs: nowMs,
    windowMin,
    total: figures(total, seconds),
    perChip: [...chips.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([chip, b]) => ({ chip, ...figures(b, seconds) })),
    series: [...minutes.values()].map((b) => ({ minuteMs: b.minuteMs, ...figures(b, Math.min(60, Math.max(1, (nowMs - b.minuteMs) / 1000))) })),
  };
}
