import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterState } from '../../sched/index.js';
import { FragMeter } from '../../sched/plugins/fragmentation.js';
import { parseOpenbNodes, parseOpenbPods } from '../openb/index.js';
import { fgdMix, runFgdExperiment, toSchedNode } from './experiment.js';
import { runFgdSeeds } from './summary.js';

const shared = process.env.TESSERA_SHARED_DIR ?? new URL('../../../../shared', import.meta.url).pathname;
const nodeText = readFileSync(join(shared, 'data/openb/openb_node_list_gpu_node.csv'), 'utf8').split('\n');
const podText = readFileSync(join(shared, 'data/openb/openb_pod_list_gpuspec10.csv'), 'utf8').split('\n');
// A small excerpt built at run time: every 15th node (all models), the first 500 pods.
const nodes = parseOpenbNodes([nodeText[0], ...nodeText.slice(1).filter((l, i) => l && i % 15 === 0)].join('\n'));
const pods = parseOpenbPods(podText.slice(0, 501).join('\n'));

describe('the FGD experiment on an openb excerpt', () => {
  it('is deterministic from the seed', () => {
    const a = runFgdExperiment({ nodes, pods, policy: 'fgd', seed: 42 });
    const b = runFgdExperiment({ nodes, pods, policy: 'fgd', seed: 42 });
    expect(a).toEqual(b);
    const r1 = runFgdExperiment({ nodes, pods, policy: 'random', seed: 1 });
    const r2 = runFgdExperiment({ nodes, pods, policy: 'random', seed: 2 });
    expect(r1.alloc).not.toEqual(r2.alloc);
  });

  it('never allocates more than arrived, and packs better with FGD than at random', () => {
    const summary = (policy: 'fgd' | 'random') => runFgdSeeds({ nodes, pods, policy, seeds: 3 });
    const fgd = summary('fgd');
    const random = summary('random');
    for (const s of [fgd, random]) for (const [x, y] of Object.entries(s.alloc)) expect(y).toBeLessThanOrEqual(Number(x) + 1);
    expect(fgd.alloc['130']).toBeGreaterThan(random.alloc['130'] ?? 0);
    // demand reaches 130% of capacity, so the last column exists
    expect(fgd.perSeed.every((r) => r.alloc[130] !== null)).toBe(true);
  });
});

describe('fragmentation (FGD) on a hand-made node', () => {
  it('counts only the card milli each typical job cannot use', () => {
    // Mix: 50% a 1x500 job, 50% a 1x1000 job, both 1 core. Node: 2 cards with 300 and 1000 free, 8 cores.
    // 1x500: the 1000-card fits it, the 300 left on the other card is a fragment -> 0.5 * 300 = 150.
    // 1x1000: the free card fits, the 300 is a fragment -> 0.5 * 300 = 150. F = 300.
    const mix = [{ cpuMilli: 1000, milli: 500, cards: 1, chips: null, weight: 0.5 }, { cpuMilli: 1000, milli: 1000, cards: 1, chips: null, weight: 0.5 }];
    const meter = new FragMeter(mix);
    const state = new ClusterState([{ ...toSchedNode({ name: 'n', cpuMilli: 8000, memoryMiB: 1, gpus: 2, model: 'T4', chip: 'nvidia-t4' }), freeMilli: [300, 1000] }]);
    expect(meter.fleetFrag(state)).toBe(300);
    // With 500 CPU milli left no typical job fits: all 1300 free milli is fragment.
    state.cpuFree[0] = 500;
    expect(meter.fleetFrag(state)).toBe(1300);
  });

  it('builds the typical mix from the original pods, covering 95% and summing to 1', () => {
    const mix = fgdMix(pods);
    expect(mix.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 12);
    expect(mix[0]!.weight).toBeGreaterThanOrEqual(mix[mix.length - 1]!.weight);
  });
});
