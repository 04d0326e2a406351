import { enumArg, onlyArgs } from '../framework/args.js';
import type { ClusterState } from '../framework/cluster-state.js';
import type { Cycle, PluginFactory, ScorePlugin } from '../framework/plugin.js';

export const NAME = 'chip-preference';

/**
 * Picks the chip when a job accepts several: 100 for the best accepted chip, proportionally less for the
 * others. `throughput`: the perf function's figure for this job when given, else the catalog's dense
 * BF16 peak (FP16 when BF16 is unknown). `cost`: that figure per CNY of rent per card-hour. A chip with
 * no figure scores 0, never a guess; when no chip has one every node scores 0 and the other plugins decide.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['objective']);
  const objective = enumArg(NAME, args, 'objective', ['throughput', 'cost'] as const, 'throughput');
  const key = `${NAME}:values`;
  // Without a perf function the values depend only on which chips the job accepts: cache them per
  // accepted set (and per cluster state), so the hot loop allocates nothing per job.
  let byPattern = new Map<string, Float64Array>();
  let patternState: ClusterState | null = null;
  const values = (cycle: Cycle, state: ClusterState): Float64Array => {
    const cached = cycle.scratch.get(key) as Float64Array | undefined;
    if (cached) return cached;
    let pattern: string | null = null;
    if (!cycle.ctx.perf) {
      if (patternState !== state) {
        patternState = state;
        byPattern = new Map();
      }
      pattern = cycle.chipOk.join('');
      const hit = byPattern.get(pattern);
      if (hit) {
        cycle.scratch.set(key, hit);
        return hit;
      }
    }
    const v = new Float64Array(state.chips.length);
    let max = 0;
    for (let c = 0; c < state.chips.length; c++) {
      if (!cycle.chipOk[c]) continue;
      const x = figure(cycle, state.chips[c] as string, objective);
      v[c] = x;
      if (x > max) max = x;
    }
    for (let c = 0; c < v.length; c++) v[c] = max > 0 ? (100 * (v[c] as number)) / max : 0;
    cycle.scratch.set(key, v);
    if (pattern !== null) byPattern.set(pattern, v);
    return v;
  };
  const plugin: ScorePlugin = { name: NAME, score: (cycle, state, node) => values(cycle, state)[state.chipOf[node] as number] as number };
  return plugin;
};

function figure(cycle: Cycle, chip: string, objective: 'throughput' | 'cost'): number {
  const { perf, catalog } = cycle.ctx;
  let speed: number | undefined = perf?.(cycle.job, chip, Math.max(1, cycle.cards));
  const spec = catalog?.find(chip);
  if (speed === undefined && spec) speed = spec.densePeak.bf16Tflops.value ?? spec.densePeak.fp16Tflops.value ?? undefined;
  if (speed === undefined || !Number.isFinite(speed) || speed <= 0) return 0;
  if (objective === 'throughput') return speed;
  const rent = spec?.prices.find((p) => p.kind === 'rent' && typeof p.cnyPerHour === 'number' && p.cnyPerHour > 0)?.cnyPerHour;
  return rent ? speed / rent : 0;
}
