import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../catalog/index.js';
import { resolveModel } from '../../workload/models/index.js';
import { bucketsFromMix } from './buckets.js';
import { catalogPrice, chipOptions, perfProfiles } from './perf-profile.js';

const catalog = builtinCatalog();
const buckets = bucketsFromMix(10, [
  { inputTokens: 512, outputTokens: 128, weight: 3 },
  { inputTokens: 4096, outputTokens: 256, weight: 1 },
]);

describe('serving profiles from the performance model', () => {
  it('offers only replica shapes whose memory fits the model (70B in bf16 needs more than one 80 GiB card)', () => {
    const profiles = perfProfiles(resolveModel('llama-3.1-70b'), [catalog.get('nvidia-a100')], buckets, { slo: { ttftMs: 5000, tpotMs: 200 } });
    expect(profiles.length).toBeGreaterThan(0);
    expect(profiles.every((p) => p.cardsPerReplica >= 2 && !p.unusable)).toBe(true);
    expect(profiles.every((p) => p.capacity.some((c) => c.requestsPerSecPerReplica > 0))).toBe(true);
  });

  it('marks a chip unusable, with the reason, when the model lacks its figures', () => {
    const unknown = catalog.chips.find((c) => c.memBandwidthGBps.value === null);
    expect(unknown).toBeDefined();
    const [p] = perfProfiles(resolveModel('llama-3.1-8b'), [unknown!], buckets, { slo: { ttftMs: 2000, tpotMs: 60 } });
    expect(p?.unusable).toMatch(/memBandwidthGBps/);
  });

  it('takes prices from --price first, then the catalog, and never makes one up', () => {
    const a100 = catalog.get('nvidia-a100');
    const options = chipOptions([a100], new Map([['nvidia-a100', 3.5]]), new Map([['nvidia-a100', 16]]));
    expect(options).toEqual([{ chip: 'nvidia-a100', priceCnyPerHour: 3.5, priceSource: '--price', availableCards: 16 }]);
    const none = chipOptions([a100], new Map(), null)[0];
    expect(none?.priceCnyPerHour).toBe(catalogPrice(a100)?.cnyPerHour ?? null);
  });
});
