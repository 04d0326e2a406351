import { totalMilli, type OpenbPod } from '../openb/pods.js';
import type { ExperimentRng } from './experiment-rng.js';

export interface TunedWorkload {
  /** Arrival order: the shuffled originals (minus removed ones), then the clones in creation order. */
  pods: OpenbPod[];
  clones: number;
  removed: number;
  /** Σ GPU milli of the final list. */
  totalMilli: number;
}

/**
 * FGD's workload construction (fgd-method.md §4): sort by name, shuffle, then tune the total GPU demand
 * to `ratio` x the cluster's GPU milli: sample name-sorted originals with replacement and append clones
 * until the next clone would pass the target (the check uses the clone's per-GPU milli, as the original
 * does), or remove random pods while above it.
 */
export function tuneWorkload(original: readonly OpenbPod[], clusterGpuMilli: number, ratio: number, rng: ExperimentRng): TunedWorkload {
  const sorted = [...original].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pods = [...sorted];
  rng.shuffle(pods.length, (i, j) => {
    const t = pods[i] as OpenbPod;
    pods[i] = pods[j] as OpenbPod;
    pods[j] = t;
  });
  let total = 0;
  for (const p of pods) total += totalMilli(p);
  const target = ratio * clusterGpuMilli;
  let clones = 0;
  let removed = 0;
  if (total < target && sorted.some((p) => totalMilli(p) > 0)) {
    for (let i = 0; ; i++) {
      const src = sorted[rng.intn(sorted.length)] as OpenbPod;
      if (total + src.milliPerGpu > target) break;
      total += totalMilli(src);
      pods.push({ ...src, name: `${src.name}-tuned-${i}` });
      clones++;
    }
  } else {
    while (total > target && pods.length > 0) {
      const [gone] = pods.splice(rng.intn(pods.length), 1);
      total -= totalMilli(gone as OpenbPod);
      removed++;
    }
  }
  return { pods, clones, removed, totalMilli: total };
}
