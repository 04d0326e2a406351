import type { Catalog } from '../../catalog/catalog.js';
import { h20eq } from '../../perf/index.js';

export interface H20eqTable {
  workloadClass: string;
  /** Chip id -> H20-equivalents per card, for the `h20eq` argument of `queue-quota`. */
  table: Record<string, number>;
  /** Chips the performance model gives no figure for (they count 1 per card), with why. */
  missing: { chip: string; reason: string }[];
}

/**
 * The H20-eq weights for quotas and DRF from the performance model, for one workload class (an H20 is
 * weak at dense compute and strong at memory bandwidth, so the weight depends on the work): the caller
 * picks the class that represents its quota, e.g. `llm-serve-8b` for an inference platform. Pure and
 * deterministic; compute it once per configuration, not per scheduling call.
 */
export function h20eqFromPerf(catalog: Catalog, chips: readonly string[], workloadClass: string): H20eqTable {
  const out: H20eqTable = { workloadClass, table: {}, missing: [] };
  for (const id of [...new Set(chips)].sort()) {
    const chip = catalog.tryResolve(id);
    if (!chip) {
      out.missing.push({ chip: id, reason: 'not in the catalog' });
      continue;
    }
    const e = h20eq(catalog, chip, workloadClass);
    if (e.h20eq === null || !(e.h20eq > 0)) out.missing.push({ chip: id, reason: e.reason ?? 'no estimate' });
    else out.table[id] = e.h20eq;
  }
  return out;
}
