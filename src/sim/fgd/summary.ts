import type { OpenbNode } from '../openb/nodes.js';
import type { OpenbPod } from '../openb/pods.js';
import { MAX_COLUMN } from './binning.js';
import { runFgdExperiment, type FgdRunResult } from './experiment.js';
import type { FgdPolicy } from './policies.js';

export interface FgdPolicySummary {
  policy: FgdPolicy;
  seeds: number[];
  /** Mean over seeds of each column, keyed "0".."130" (columns blank in every seed are left out). */
  alloc: Record<string, number>;
  perSeed: FgdRunResult[];
}

/** Runs one policy over seeds `firstSeed .. firstSeed+seeds-1` (the paper: 42..51) and averages the columns. */
export function runFgdSeeds(opts: { nodes: readonly OpenbNode[]; pods: readonly OpenbPod[]; policy: FgdPolicy; seeds: number; firstSeed?: number; tuneRatio?: number; goCooked?: readonly bigint[]; onRun?: (r: FgdRunResult) => void }): FgdPolicySummary {
  const first = opts.firstSeed ?? 42;
  const perSeed: FgdRunResult[] = [];
  for (let s = 0; s < opts.seeds; s++) {
    const r = runFgdExperiment({ nodes: opts.nodes, pods: opts.pods, policy: opts.policy, seed: first + s, ...(opts.tuneRatio ? { tuneRatio: opts.tuneRatio } : {}), ...(opts.goCooked ? { goCooked: opts.goCooked } : {}) });
    perSeed.push(r);
    opts.onRun?.(r);
  }
  const alloc: Record<string, number> = {};
  for (let x = 0; x <= MAX_COLUMN; x++) {
    const vals = perSeed.map((r) => r.alloc[x]).filter((v): v is number => typeof v === 'number');
    if (vals.length > 0) alloc[String(x)] = Math.round((vals.reduce((a, b) => a + b, 0) / vals.length) * 100) / 100;
  }
  return { policy: opts.policy, seeds: perSeed.map((r) => r.seed), alloc, perSeed };
}
