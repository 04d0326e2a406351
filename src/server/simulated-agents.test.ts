/**
 * The demo's simulated agents against a real control plane: their telemetry follows what each
 * device runs and is marked simulated; the ranks of a multi-node job end together and the job
 * succeeds through the all-ranks rule.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import type { Fleet, FleetNode } from '../fleet/index.js';
import { parseJobSpec } from '../workload/index.js';
import { SimulatedAgents } from './simulated-agents.js';
import { fullLoadTempC, idlePowerFraction, SimulatedTelemetry } from './simulated-telemetry.js';
import { testPlane, type TestPlane } from './test-support.js';

const catalog = builtinCatalog();
const h20 = catalog.get('nvidia-h20');

function fleetNode(id: string, cards: number, chip = 'nvidia-h20'): FleetNode {
  return {
    id,
    cluster: 'c1',
    group: 'g',
    chip,
    cards,
    rack: 'r1',
    linkDomainSize: cards,
    serverModel: null,
    contract: null,
    cpuMilli: null,
    memoryMiB: null,
    devices: Array.from({ length: cards }, (_, i) => ({ id: `${id}/${i}`, index: i, linkDomain: 0 })),
    labels: {},
  };
}

describe('SimulatedTelemetry', () => {
  it('follows the work on each device and leaves idle ones cold, within the chip catalog figures', () => {
    const t = new SimulatedTelemetry(catalog, 1);
    const node = fleetNode('n0', 2);
    const loads = new Map([[0, [{ kind: 'training', milli: 1000 }]]]);
    let sample = t.sample(node, loads);
    for (let i = 0; i < 12; i++) sample = t.sample(node, loads);
    const [busy, idle] = sample;
    const memMiB = h20.memoryGiB.value! * 1024;
    const tdp = h20.tdpW.value!;
    expect(busy!.utilPct).toBeGreaterThan(80);
    expect(idle!.utilPct).toBe(0);
    expect(busy!.memUsedMiB).toBeGreaterThan(0.7 * memMiB);
    expect(busy!.memUsedMiB).toBeLessThanOrEqual(memMiB);
    expect(idle!.memUsedMiB).toBeLessThan(0.02 * memMiB);
    expect(busy!.powerW).toBeGreaterThan(0.75 * tdp);
    expect(busy!.powerW).toBeLessThanOrEqual(tdp);
    expect(idle!.powerW).toBe(Math.round(idlePowerFraction * tdp));
    expect(busy!.tempC).toBeGreaterThan(idle!.tempC!);
    expect(busy!.tempC).toBeLessThanOrEqual(fullLoadTempC);
    // The work ends: the figures fall back part of the way each beat, not all at once.
    const after = t.sample(node, new Map())[0]!;
    expect(after.utilPct).toBeLessThan(busy!.utilPct!);
    expect(after.utilPct).toBeGreaterThan(0);
    expect(after.tempC).toBeGreaterThan(idle!.tempC!);
  });

  it('scales with the share of the card and leaves out figures the catalog does not know', () => {
    const t = new SimulatedTelemetry(catalog, 1);
    const node = fleetNode('n0', 2);
    const loads = new Map([
      [0, [{ kind: 'batch', milli: 1000 }]],
      [1, [{ kind: 'batch', milli: 250 }]],
    ]);
    let s = t.sample(node, loads);
    for (let i = 0; i < 12; i++) s = t.sample(node, loads);
    expect(s[1]!.memUsedMiB!).toBeLessThan(s[0]!.memUsedMiB!);
    const unknown = new SimulatedTelemetry(null, 1).sample(fleetNode('x', 1, 'no-such-chip'), new Map([[0, [{ kind: 'training', milli: 1000 }]]]))[0]!;
    expect(unknown.memUsedMiB).toBeUndefined();
    expect(unknown.powerW).toBeUndefined();
    expect(unknown.utilPct).toBeGreaterThan(0);
  });
});

describe('SimulatedAgents against a real control plane', () => {
  let p: TestPlane;
  let t: number;
  beforeEach(async () => {
    t = 1_800_000_000_000;
    p = await testPlane({ now: () => t });
  });
  afterEach(async () => p.close());

  it('sends telemetry marked simulated that follows the work, and ends a two-node job when both ranks finish', async () => {
    const nodes = [fleetNode('s0', 8), fleetNode('s1', 8)];
    const fleet = { name: 'test', description: '', source: null, doc: {} as Fleet['doc'], clusters: [], nodes, cards: 16 } as Fleet;
    const sim = new SimulatedAgents(p.agents, fleet, catalog, { now: () => t, failureRate: 0 });
    await sim.registerAll();
    const sys = { id: 'test', role: 'system' as const };
    const { job } = await p.store.submitJob(parseJobSpec({ name: 'ddp', kind: 'training', command: ['python', 'train.py'], resources: { count: 16 }, tenant: 'alice-co' }), { actor: sys });
    await p.store.admitJobs([{ id: job.id, version: job.version }], sys);
    const bind = await p.store.applyDecisions(
      [{ kind: 'bind', jobId: job.id, chip: 'nvidia-h20', placements: nodes.map((n) => ({ nodeId: n.id, devices: n.devices.map((d) => d.index), milliPerDevice: 1000 })) }],
      { actor: sys, versions: {} },
    );
    expect(bind.applied).toHaveLength(1);
    for (let beat = 0; beat < 6; beat++) for (const n of nodes) await sim.beat(n);
    expect((await p.store.getJob(job.id))?.state).toBe('Running');
    const node = await p.store.getNode('s1');
    expect(node?.telemetry).toMatchObject({ simulated: true });
    const devices = (node?.telemetry as { devices: { utilPct: number; memUsedMiB: number; powerW: number; tempC: number }[] }).devices;
    expect(devices).toHaveLength(8);
    for (const d of devices) {
      expect(d.utilPct).toBeGreaterThan(70);
      expect(d.memUsedMiB).toBeGreaterThan(0);
      expect(d.powerW).toBeGreaterThan(0);
    }
    // Both ranks drew the same duration: past it, each reports 0 and the job succeeds once both have.
    t += 3_600_000;
    await sim.beat(nodes[0]!);
    expect((await p.store.getJob(job.id))?.state).toBe('Running');
    await sim.beat(nodes[1]!);
    expect((await p.store.getJob(job.id))?.state).toBe('Succeeded');
    expect((await p.store.rankExits(job.id, 1)).map((e) => e.exitCode)).toEqual([0, 0]);
  });
});
