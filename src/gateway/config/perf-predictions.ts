import type { Catalog } from '../../catalog/catalog.js';
import type { ModelSpec } from '../../workload/models/index.js';
import { perfTiming } from '../emulator/perf-timing.js';
import type { GatewayConfig } from './load.js';
import type { ReplicaSpec } from './schema.js';

/** Prompt and output lengths the filled-in predictions are sized for (the emulator's defaults). */
const TYPICAL = { inputTokens: 1000, outputTokens: 256 };

/**
 * Fills each replica's missing `predicted` timing, `maxBatch` and `kvCapacityTokens` (the memory fit
 * at typical lengths) from the performance model, when
 * the chip is in the catalog and the model is known; replicas it cannot estimate keep learning
 * from observations alone. Returns the new config and one note per replica saying what happened.
 */
export function withPerfPredictions(config: GatewayConfig, catalog: Catalog, findModel: (name: string) => ModelSpec | undefined): { config: GatewayConfig; notes: string[] } {
  const notes: string[] = [];
  const replicas = config.replicas.map((r): ReplicaSpec => {
    if (r.predicted && r.maxBatch && r.kvCapacityTokens) return r;
    const chip = catalog.tryResolve(r.chip);
    const model = findModel(r.model);
    if (!chip || !model) {
      if (r.predicted && r.maxBatch) return r;
      notes.push(`${r.id}: no prediction (${!chip ? `chip ${r.chip} is not in the catalog` : `model ${r.model} is not known to the performance model`}); routing learns its speed from what it delivers`);
      return r;
    }
    try {
      const t = perfTiming(model, chip, TYPICAL);
      const maxBatch = r.maxBatch ?? t.maxBatch;
      const kvCapacityTokens = r.kvCapacityTokens ?? t.kvCapacityTokens ?? undefined;
      const filled = [r.predicted ? null : 'timing', r.maxBatch ? null : 'max batch', r.kvCapacityTokens || kvCapacityTokens === undefined ? null : 'KV capacity'].filter((x) => x !== null);
      notes.push(`${r.id}: ${filled.join(', ')} from the performance model (${t.source})`);
      return { ...r, maxBatch, ...(kvCapacityTokens !== undefined ? { kvCapacityTokens: Math.round(kvCapacityTokens) } : {}), predicted: r.predicted ?? { ttftMs: round(t.prefillMs(1000)), tpotMs: round(t.decodeStepMs(1)), tpotMsAtMaxBatch: round(t.decodeStepMs(maxBatch)) } };
    } catch (e) {
      notes.push(`${r.id}: no prediction (${e instanceof Error ? e.message : String(e)})`);
      return r;
    }
  });
  return { config: { ...config, replicas }, notes };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
