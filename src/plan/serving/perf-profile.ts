import type { ChipSpec } from '../../catalog/types.js';
import { estimateInfer } from '../../perf/infer.js';
import type { PerfPrecision } from '../../perf/types.js';
import type { ModelSpec } from '../../workload/models/index.js';
import type { ChipOption, ChipProfile, TrafficBucket } from './types.js';

export interface ProfileOptions {
  slo: { ttftMs: number; tpotMs: number };
  precision?: PerfPrecision;
  /** Tensor-parallel degrees to try per replica; default 1, 2, 4, 8. */
  tpChoices?: readonly number[];
}

/**
 * Each chip's replica shapes (TP 1, 2, 4, 8) and their capacity per request-size bucket under the
 * SLO, from the performance model: the requests/s one replica sustains at the largest batch that
 * meets the SLO (0 where it cannot). Shapes that add nothing over narrower ones are dropped.
 */
export function perfProfiles(model: ModelSpec, chips: readonly ChipSpec[], buckets: readonly TrafficBucket[], o: ProfileOptions): ChipProfile[] {
  const tps = o.tpChoices ?? [1, 2, 4, 8];
  return chips.flatMap((chip): ChipProfile[] => {
    const shapes: ChipProfile[] = [];
    let why = '';
    for (const tp of tps) {
      let confidence = 'high';
      const caps = buckets.map((b) => {
        const e = estimateInfer({ model, chip, cards: tp, tp, inputTokens: b.inputTokens, outputTokens: b.outputTokens, ttftMs: o.slo.ttftMs, tpotMs: o.slo.tpotMs, ...(o.precision ? { precision: o.precision } : {}) });
        if (e.kind !== 'inference') {
          why ||= e.reason;
          return 0;
        }
        if (e.confidence === 'low' || (e.confidence === 'medium' && confidence === 'high')) confidence = e.confidence;
        if (!e.slo.met) {
          why ||= `the SLO cannot be met on ${chip.id}`;
          return 0;
        }
        return e.requestsPerSec / e.layout.replicas;
      });
      // A wider shape is worth offering only if it serves a bucket the narrower ones cannot, or serves some bucket more cheaply per card.
      const useful = caps.some((c, i) => c > 0 && shapes.every((s) => (s.capacity[i]?.requestsPerSecPerReplica ?? 0) / s.cardsPerReplica < c / tp));
      if (useful) shapes.push({ chip: chip.id, cardsPerReplica: tp, capacity: caps.map((c) => ({ requestsPerSecPerReplica: c })), confidence });
    }
    return shapes.length > 0 ? shapes : [{ chip: chip.id, cardsPerReplica: 1, capacity: buckets.map(() => ({ requestsPerSecPerReplica: 0 })), unusable: why || `cannot serve ${model.id}` }];
  });
}

/** A chip's rent from the catalog (CNY per card-hour), or null: prices are never invented. */
export function catalogPrice(chip: ChipSpec): { cnyPerHour: number; source: string } | null {
  const rent = chip.prices.find((p) => p.kind === 'rent' && typeof p.cnyPerHour === 'number');
  return rent && rent.cnyPerHour !== undefined ? { cnyPerHour: rent.cnyPerHour, source: `catalog:${rent.source} (${rent.confidence})` } : null;
}

/** Chip options with prices: `overrides` (from --price) win over the catalog. */
export function chipOptions(chips: readonly ChipSpec[], overrides: ReadonlyMap<string, number>, availableCards: ReadonlyMap<string, number> | null): ChipOption[] {
  return chips.map((chip) => {
    const given = overrides.get(chip.id);
    const fromCatalog = catalogPrice(chip);
    return {
      chip: chip.id,
      priceCnyPerHour: given ?? fromCatalog?.cnyPerHour ?? null,
      priceSource: given !== undefined ? '--price' : (fromCatalog?.source ?? null),
      availableCards: availableCards === null ? null : (availableCards.get(chip.id) ?? 0),
    };
  });
}
