/**
 * Telemetry for the demo's simulated devices (labelled simulated everywhere): utilisation, memory
 * used, power and temperature that follow what each device runs, so the console's Overview and
 * node pages move with the simulated work. These are a model, not measurements:
 * - utilisation aims at a level per kind of work (training busiest, inference burstiest), scaled by
 *   the share of the card the work holds, with a little seeded noise;
 * - memory used aims at a fraction of the chip's catalog memory per kind of work;
 * - power is the chip's catalog TDP times (idle fraction + the rest in proportion to utilisation);
 * - temperature rises from an ambient level with utilisation;
 * and every figure moves part of the way to its target per heartbeat (thermal and memory inertia).
 * A figure whose catalog input is unknown (memory, TDP) is left out rather than made up.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { FleetNode } from '../fleet/index.js';
import { seededRng } from '../sched/index.js';
import type { DeviceTelemetry } from '../store/index.js';

/** What runs on one device: the kind of work and its share of the card (1000 = whole). */
export interface DeviceLoad {
  kind: string;
  milli: number;
}

interface Profile {
  utilPct: number;
  /** Fraction of the card's memory in use at a whole card. */
  memFraction: number;
  /** Utilisation noise, +- percentage points. */
  jitterPct: number;
}

const profiles: Record<string, Profile> = {
  training: { utilPct: 93, memFraction: 0.88, jitterPct: 4 },
  finetune: { utilPct: 85, memFraction: 0.8, jitterPct: 6 },
  batch: { utilPct: 70, memFraction: 0.5, jitterPct: 12 },
  inference: { utilPct: 45, memFraction: 0.72, jitterPct: 25 },
};
const otherWork: Profile = { utilPct: 60, memFraction: 0.5, jitterPct: 10 };

/** Model constants: an idle card draws about this fraction of its TDP; ambient and full-load temperatures. */
export const idlePowerFraction = 0.15;
export const idleMemFraction = 0.005;
export const ambientTempC = 30;
export const fullLoadTempC = 76;
/** Share of the gap to the target closed per heartbeat. */
const inertia = { util: 0.6, mem: 0.5, temp: 0.35 };

interface DeviceState {
  utilPct: number;
  memFraction: number;
  tempC: number;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

export class SimulatedTelemetry {
  private readonly state = new Map<string, DeviceState>();
  private readonly rng;

  constructor(
    private readonly catalog: Catalog | null,
    seed = 11,
  ) {
    this.rng = seededRng(seed);
  }

  /** One heartbeat's telemetry for a node, given what runs on each of its devices. */
  sample(node: FleetNode, loads: ReadonlyMap<number, readonly DeviceLoad[]>): DeviceTelemetry[] {
    const spec = this.catalog?.tryResolve(node.chip) ?? null;
    const memoryGiB = spec?.memoryGiB.value ?? null;
    const tdpW = spec?.tdpW.value ?? null;
    return node.devices.map((d) => {
      const key = `${node.id}#${d.index}`;
      const s = this.state.get(key) ?? { utilPct: 0, memFraction: idleMemFraction, tempC: ambientTempC };
      const target = this.target(loads.get(d.index) ?? []);
      s.utilPct += (target.utilPct - s.utilPct) * inertia.util;
      s.memFraction += (target.memFraction - s.memFraction) * inertia.mem;
      s.tempC += (ambientTempC + ((fullLoadTempC - ambientTempC) * s.utilPct) / 100 - s.tempC) * inertia.temp;
      this.state.set(key, s);
      const t: DeviceTelemetry = { index: d.index, utilPct: Math.round(s.utilPct), tempC: Math.round(s.tempC), healthy: true };
      if (memoryGiB !== null && memoryGiB > 0) t.memUsedMiB = Math.round(s.memFraction * memoryGiB * 1024);
      if (tdpW !== null && tdpW > 0) t.powerW = Math.round(tdpW * (idlePowerFraction + ((1 - idlePowerFraction) * s.utilPct) / 100));
      return t;
    });
  }

  /** Forgets a node's devices (it left the fleet), so a return starts cold. */
  forget(nodeId: string): void {
    for (const k of [...this.state.keys()]) if (k.startsWith(`${nodeId}#`)) this.state.delete(k);
  }

  private target(loads: readonly DeviceLoad[]): { utilPct: number; memFraction: number } {
    if (loads.length === 0) return { utilPct: 0, memFraction: idleMemFraction };
    let util = 0;
    let mem = idleMemFraction;
    for (const l of loads) {
      const p = profiles[l.kind] ?? otherWork;
      const share = clamp(l.milli / 1000, 0, 1);
      util += share * (p.utilPct + (this.rng.next() * 2 - 1) * p.jitterPct);
      mem += share * p.memFraction;
    }
    return { utilPct: clamp(util, 0, 100), memFraction: clamp(mem, 0, 0.98) };
  }
}
