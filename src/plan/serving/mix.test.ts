import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighs, type LpSolver } from '../../sched/lp/index.js';
import { bucketsFromMix, bucketsFromTrace } from './buckets.js';
import { planServing } from './mix.js';
import type { ChipOption, ChipProfile } from './types.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighs();
});

// Two buckets: short requests (10 req/s) and long ones (2 req/s).
const buckets = bucketsFromMix(12, [
  { inputTokens: 256, outputTokens: 64, weight: 10 },
  { inputTokens: 4096, outputTokens: 512, weight: 2 },
]);
// `cheap` is good at short requests and poor at long ones; `big` the other way round (Mélange's
// observation: small GPUs are cost-effective for small requests, large ones for large requests).
const profiles: ChipProfile[] = [
  { chip: 'cheap', cardsPerReplica: 1, capacity: [{ requestsPerSecPerReplica: 5 }, { requestsPerSecPerReplica: 0.25 }] },
  { chip: 'big', cardsPerReplica: 1, capacity: [{ requestsPerSecPerReplica: 8 }, { requestsPerSecPerReplica: 2 }] },
];
const chips: ChipOption[] = [
  { chip: 'cheap', priceCnyPerHour: 2, priceSource: 'test', availableCards: null },
  { chip: 'big', priceCnyPerHour: 6, priceSource: 'test', availableCards: null },
];

describe('serving planner', () => {
  it('mixes chip types where that is cheaper than any single type', () => {
    const plan = planServing({ buckets, chips, profiles }, solver);
    // Single types: cheap needs 10/5 + 2/0.25 = 10 replicas (20 CNY/h); big needs 10/8 + 2/2 = 2.25 -> 3 (18 CNY/h).
    expect(plan.singles.map((s) => [s.chips[0]?.chip, s.costCnyPerHour])).toEqual([['big', 18], ['cheap', 20]]);
    // Mix: short requests on 2 cheap (4 CNY/h), long ones on 1 big (6 CNY/h) = 10 CNY/h.
    expect(plan.mix?.costCnyPerHour).toBe(10);
    expect(plan.mix?.chips.map((c) => [c.chip, c.replicas])).toEqual([['cheap', 2], ['big', 1]]);
    expect(plan.savingFraction).toBeCloseTo((18 - 10) / 18, 4);
  });

  it('respects availability caps and leaves out chips without a price, saying why', () => {
    const capped: ChipOption[] = [
      { chip: 'cheap', priceCnyPerHour: 2, priceSource: 'test', availableCards: 1 },
      { chip: 'big', priceCnyPerHour: 6, priceSource: 'test', availableCards: null },
      { chip: 'mystery', priceCnyPerHour: null, priceSource: null, availableCards: 8 },
    ];
    const plan = planServing({ buckets, chips: capped, profiles: [...profiles, { chip: 'mystery', cardsPerReplica: 1, capacity: [{ requestsPerSecPerReplica: 100 }, { requestsPerSecPerReplica: 100 }] }] }, solver);
    // 1 cheap takes 5 of the 10 short req/s; big carries 5/8 + 2/2 = 1.625 -> 2 replicas: 2 + 12 = 14 CNY/h.
    expect(plan.mix?.costCnyPerHour).toBe(14);
    expect(plan.mix?.chips.find((c) => c.chip === 'cheap')?.replicas).toBe(1);
    expect(plan.excluded).toEqual([{ chip: 'mystery', reason: 'price unknown; pass --price mystery=<CNY per card-hour>' }]);
  });

  it('says the traffic is infeasible when the available cards cannot carry it', () => {
    const few = chips.map((c) => ({ ...c, availableCards: 1 }));
    const plan = planServing({ buckets, chips: few, profiles }, solver);
    expect(plan.mix).toBeNull();
    expect(plan.solver.status).toMatch(/infeasible/);
  });

  it('buckets a trace by request size with rates over its duration', () => {
    const trace = [
      { arrivedAtSec: 0, inputTokens: 100, outputTokens: 20 },
      { arrivedAtSec: 5, inputTokens: 120, outputTokens: 30 },
      { arrivedAtSec: 10, inputTokens: 3000, outputTokens: 300 },
    ];
    const b = bucketsFromTrace(trace);
    // 10 s span: two short requests (0.2 req/s, mean 110 in / 25 out) and one long (0.1 req/s).
    expect(b).toEqual([
      { inputTokens: 110, outputTokens: 25, requestsPerSec: 0.2, label: 'in 0-128, out 0-32' },
      { inputTokens: 3000, outputTokens: 300, requestsPerSec: 0.1, label: 'in 2048-4096, out 256-512' },
    ]);
  });
});
