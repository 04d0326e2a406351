import { describe, expect, it } from 'vitest';
import { histQuantileMs, LATENCY_BOUNDS_MS, ServiceMeter } from './service-meter.js';
import { summarizeTraffic } from './traffic-summary.js';

describe('ServiceMeter', () => {
  it('counts requests, errors and SLO attainment per model, chip and minute', () => {
    let now = 60_000 * 10 + 5_000;
    const m = new ServiceMeter(() => now, (_service, model) => (model === 'm' ? { ttftMs: 200, tpotMs: 50 } : null));
    m.record({ service: 's1', model: 'm', chip: 'a', ok: true, ttftMs: 100, tpotMs: 20 });
    m.record({ service: 's1', model: 'm', chip: 'a', ok: true, ttftMs: 300, tpotMs: 20 }); // misses TTFT
    m.record({ service: 's1', model: 'm', chip: 'a', ok: true, ttftMs: 100, tpotMs: 80 }); // misses TPOT
    m.record({ service: 's1', model: 'm', chip: 'a', ok: false, ttftMs: null, tpotMs: null });
    m.record({ service: 's1', model: 'x', chip: 'a', ok: true, ttftMs: 10, tpotMs: 10 }); // no SLO: not judged
    now += 60_000;
    m.record({ service: 's1', model: 'm', chip: 'b', ok: true, ttftMs: 150, tpotMs: 40 });
    // Another service of the same model and chip counts apart, against its own objective.
    m.record({ service: 's2', model: 'm', chip: 'b', ok: true, ttftMs: 150, tpotMs: 40 });
    const rows = m.drain().filter((r) => r.service === 's1');
    expect(m.drain()).toEqual([]);
    const a = rows.find((r) => r.model === 'm' && r.chip === 'a')!;
    expect([a.minuteMs, a.requests, a.errors, a.sloJudged, a.sloMet]).toEqual([600_000, 4, 1, 3, 1]);
    expect(rows.find((r) => r.model === 'x')!.sloJudged).toBe(0);
    // Summary over the last two minutes, 25 s into the second one.
    now += 20_000;
    const s = summarizeTraffic(rows.filter((r) => r.model === 'm'), now, 2);
    expect(s.total.requests).toBe(5);
    expect(s.total.sloAttainment).toBe(0.5);
    expect(s.perChip.map((c) => [c.chip, c.requests, c.sloAttainment])).toEqual([['a', 4, 0.3333], ['b', 1, 1]]);
    expect(s.series.map((p) => p.requests)).toEqual([4, 1]);
    expect(s.total.requestsPerSec).toBeCloseTo(5 / 85, 3);
    expect(s.perChip[0]!.p95TtftMs).toBe(300);
    expect(s.perChip[0]!.p50TtftMs).toBe(100);
  });

  it('puts back undrained buckets and reads quantiles as bucket upper bounds', () => {
    const m = new ServiceMeter(() => 0);
    m.record({ service: 's1', model: 'm', chip: 'a', ok: true, ttftMs: 4, tpotMs: null });
    const rows = m.drain();
    m.undrain(rows);
    m.record({ service: 's1', model: 'm', chip: 'a', ok: true, ttftMs: 4, tpotMs: null });
    expect(m.drain()[0]!.requests).toBe(2);
    const h = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    expect(histQuantileMs(h, 0.95)).toBeNull();
    h[h.length - 1] = 1;
    expect(histQuantileMs(h, 0.5)).toBeNull(); // above 60 s: unknown, not a made-up number
  });
});
