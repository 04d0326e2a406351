import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../catalog/index.js';
import { parseTraceCsv } from '../../plan/serving/index.js';
import { resolveModel } from '../../workload/models/index.js';
import { perfTiming } from '../emulator/perf-timing.js';
import { explicitTiming } from '../emulator/timing.js';
import { requestsFromTrace } from './replay-requests.js';
import { replayRouting, type ReplayOptions } from './routing-replay.js';

const base = { model: 'm', slo: { ttftMs: 250, tpotMs: 20 }, ttftSlackMs: 50, ewmaAlpha: 0.2, hopMs: 1 } as const;

describe('routing replay', () => {
  it('times requests through the emulated engine exactly, in simulated time', () => {
    // 1 ms of prefill per prompt token, 10 ms per decode step, prompts prefilled one at a time.
    const timing = explicitTiming({ ttftMs: 0, prefillMsPer1kTokens: 1000, tpotMs: 10, maxBatch: 4 });
    const r = replayRouting({
      ...base,
      policy: 'round-robin',
      replicas: [{ id: 'a', chip: 'c', timing }],
      requests: [
        { atMs: 0, promptTokens: 100, maxTokens: 5 },
        { atMs: 0, promptTokens: 200, maxTokens: 3 },
      ],
    });
    // First: sent at 0, reaches the engine at 1, first token at 101, seen at the gateway at 102.
    // Second: prefilled after the first, 101..301, seen at 302 (misses the 250 ms TTFT objective).
    expect(r.ttftMs.p50).toBe(102);
    expect(r.ttftMs.p99).toBe(302);
    expect(r.tpotMs.p99).toBe(10);
    expect(r.sloAttainment).toBe(0.5);
    expect(r.perReplica).toEqual([{ id: 'a', chip: 'c', requests: 2 }]);
    expect(r.spanMs).toBe(302 + 20);
  });

  it('sends a request that one replica cannot hold to one that can, and counts what none can hold', () => {
    const small = explicitTiming({ ttftMs: 0, prefillMsPer1kTokens: 100, tpotMs: 1, maxBatch: 4, kvCapacityTokens: 500 });
    const large = explicitTiming({ ttftMs: 0, prefillMsPer1kTokens: 1000, tpotMs: 1, maxBatch: 4, kvCapacityTokens: 5000 });
    const r = replayRouting({
      ...base,
      policy: 'slo',
      replicas: [
        { id: 'small', chip: 's', timing: small },
        { id: 'large', chip: 'l', timing: large },
      ],
      requests: [
        { atMs: 0, promptTokens: 1000, maxTokens: 10 },
        { atMs: 5, promptTokens: 9000, maxTokens: 10 },
      ],
    });
    expect(r.perReplica.map((x) => x.requests)).toEqual([0, 1]);
    expect(r.rejected).toBe(1);
  });

  it('on the Splitwise conversation trace, SLO-aware routing beats round-robin and least-request on p99 TTFT and SLO attainment', () => {
    const shared = process.env.TESSERA_SHARED_DIR ?? resolve(import.meta.dirname, '../../../../shared');
    const rows = parseTraceCsv(readFileSync(join(shared, 'data/vidur/traces/splitwise_conv.csv'), 'utf8'), 'splitwise_conv.csv');
    const model = resolveModel('llama-3.1-8b');
    const replicas = ['nvidia-h20', 'nvidia-h20', 'nvidia-l20', 'nvidia-a10'].map((chip, i) => ({
      id: `r${i}`,
      chip,
      timing: perfTiming(model, builtinCatalog().get(chip), { inputTokens: 1024, outputTokens: 256, maxBatchCap: 64 }),
    }));
    // Three windows of 800 requests at 10 requests/s (about 80% of what the fleet decodes with full batches).
    for (const offset of [0, 800, 1600]) {
      const requests = requestsFromTrace(rows, { offset, count: 800, ratePerSec: 10, maxOutputTokens: 400 });
      const run = (policy: ReplayOptions['policy']) => replayRouting({ ...base, model: model.id, slo: { ttftMs: 1000, tpotMs: 100 }, replicas, requests, policy });
      const [rr, lr, slo] = [run('round-robin'), run('least-request'), run('slo')];
      for (const other of [rr, lr]) {
        expect(slo.ttftMs.p99, `window ${offset}: p99 TTFT against ${other.policy}`).toBeLessThan(other.ttftMs.p99);
        expect(slo.sloAttainment!, `window ${offset}: attainment against ${other.policy}`).toBeGreaterThan(other.sloAttainment!);
      }
      expect(slo.rejected).toBe(0);
    }
  });
});

describe('routing replay: multi-turn conversations on engines that cache prefixes', () => {
  it('SLO routing follows the cached prefixes, ahead of round-robin and least-request with affinity', async () => {
    const { poissonTrace } = await import('./replay-requests.js');
    const model = resolveModel('llama-3.1-8b');
    const replicas = ['nvidia-h20', 'nvidia-h20', 'nvidia-l20', 'nvidia-a10'].map((chip, i) => ({ id: `r${i}`, chip, timing: perfTiming(model, builtinCatalog().get(chip), { inputTokens: 1024, outputTokens: 256, maxBatchCap: 64 }) }));
    // 100 conversations, 300 new tokens and 200 answer tokens a turn, 4 turns a second.
    const requests = requestsFromTrace(poissonTrace(1200, 4, [{ inputTokens: 300, outputTokens: 200, weight: 1 }], 2, 100), { offset: 0, count: 1200, ratePerSec: null, maxOutputTokens: null });
    expect(requests.every((q) => q.sessionKey !== undefined)).toBe(true);
    const run = (policy: ReplayOptions['policy']) =>
      replayRouting({ ...base, model: model.id, slo: { ttftMs: 1000, tpotMs: 100 }, replicas, requests, policy, prefixCacheTokens: 400_000, affinity: { maxLoadRatio: 1.5, ttftSlackMs: 200 } });
    const [rr, lr, slo] = [run('round-robin'), run('least-request'), run('slo')];
    for (const other of [rr, lr]) {
      expect(slo.ttftMs.p99).toBeLessThan(other.ttftMs.p99);
      expect(slo.sloAttainment!).toBeGreaterThan(other.sloAttainment!);
    }
  });
});

describe('trace windows', () => {
  const rows = [0, 1, 3, 4, 10].map((s, i) => ({ arrivedAtSec: s, inputTokens: 100 + i, outputTokens: 1000 }));

  it('keeps the burst pattern while rescaling to a mean rate, and caps outputs', () => {
    const r = requestsFromTrace(rows, { offset: 1, count: 3, ratePerSec: 1, maxOutputTokens: 50 });
    // Rows at 1, 3, 4 s: 2 gaps over 3 s recorded; at 1 request/s they span 2 s.
    expect(r.map((x) => Math.round(x.atMs))).toEqual([0, 1333, 2000]);
    expect(r.map((x) => x.maxTokens)).toEqual([50, 50, 50]);
    expect(r[0]!.promptTokens).toBe(101);
    expect(requestsFromTrace(rows, { offset: 0, count: 5, ratePerSec: null, maxOutputTokens: null }).map((x) => x.atMs)).toEqual([0, 1000, 3000, 4000, 10000]);
  });

  it('names the field it rejects', () => {
    expect(() => requestsFromTrace(rows, { offset: 4, count: 3, ratePerSec: null, maxOutputTokens: null })).toThrow(/a window from 4 needs at least 2/);
    expect(() => requestsFromTrace(rows, { offset: 0, count: 3, ratePerSec: 0, maxOutputTokens: null })).toThrow(/rate must be a positive number/);
    expect(() => requestsFromTrace(rows, { offset: -1, count: 3, ratePerSec: null, maxOutputTokens: null })).toThrow(/offset/);
    expect(() => requestsFromTrace(rows, { offset: 0, count: 3, ratePerSec: null, maxOutputTokens: 0.5 })).toThrow(/max output/);
  });
});
