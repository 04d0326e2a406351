import { numberArg } from './args.js';
import type { ClusterState } from './cluster-state.js';

/**
 * The normalising constants of the FGD simulator's scores (open-gpu-share `MaxSpecCpu`, `MaxSpecGpu`):
 * the largest node's CPU milli and card milli. Defaults are openb's (128 cores, 8 cards).
 */
export interface Scale {
  maxCpuMilli: number;
  maxCardMilli: number;
}

export function scaleArgs(plugin: string, args: Record<string, unknown>): Scale {
  return {
    maxCpuMilli: numberArg(plugin, args, 'maxCpuMilli', 128000, 1),
    maxCardMilli: numberArg(plugin, args, 'maxCardMilli', 8000, 1),
  };
}

/** CPU milli left on a node; a node without a CPU figure counts as having exactly what the job asks. */
export function cpuLeft(state: ClusterState, node: number, ask: number): number {
  const v = state.cpuFree[node] as number;
  return Number.isFinite(v) ? v : ask;
}
