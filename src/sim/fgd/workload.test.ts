import { describe, expect, it } from 'vitest';
import type { OpenbPod } from '../openb/pods.js';
import { totalMilli } from '../openb/pods.js';
import { experimentRng } from './experiment-rng.js';
import { tuneWorkload } from './workload.js';

const pod = (name: string, gpus: number, milli: number): OpenbPod => ({ name, cpuMilli: 1000, memoryMiB: 100, gpus, milliPerGpu: milli, spec: '', chips: null });
const pods = [pod('p3', 1, 500), pod('p1', 2, 1000), pod('p2', 0, 0), pod('p4', 1, 250)];

describe('tuneWorkload', () => {
  it('tunes up by cloning until the next clone would pass the target', () => {
    // demand 2750 milli; cluster 4000 milli x 1.3 = 5200 target.
    const w = tuneWorkload(pods, 4000, 1.3, experimentRng(42));
    expect(w.removed).toBe(0);
    expect(w.clones).toBeGreaterThan(0);
    expect(w.pods.slice(0, 4).map((p) => p.name).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(w.pods.slice(4).every((p, i) => p.name.endsWith(`-tuned-${i}`) || p.name.includes('-tuned-'))).toBe(true);
    const total = w.pods.reduce((s, p) => s + totalMilli(p), 0);
    expect(total).toBe(w.totalMilli);
    // the break compares with the clone's per-GPU milli, so the total may pass the target by at most one clone
    expect(total).toBeLessThanOrEqual(5200 + 2000);
  });

  it('tunes down by removing random pods while above the target', () => {
    const w = tuneWorkload(pods, 1000, 1.3, experimentRng(1));
    expect(w.clones).toBe(0);
    expect(w.totalMilli).toBeLessThanOrEqual(1300);
    expect(w.pods.length).toBe(4 - w.removed);
  });

  it('is deterministic from the seed and differs across seeds', () => {
    const a = tuneWorkload(pods, 4000, 1.3, experimentRng(7)).pods.map((p) => p.name);
    const b = tuneWorkload(pods, 4000, 1.3, experimentRng(7)).pods.map((p) => p.name);
    const c = tuneWorkload(pods, 40000, 1.3, experimentRng(8)).pods.map((p) => p.name);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('does not loop forever on a CPU-only workload', () => {
    expect(tuneWorkload([pod('c', 0, 0)], 4000, 1.3, experimentRng(1)).clones).toBe(0);
  });
});
