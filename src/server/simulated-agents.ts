/**
 * In-process simulated agents for the demo: one per fleet node, registered as `simulated` (the flag
 * and a `simulated=true` label show everywhere: API, CLI, console). They speak the same agent
 * service the HTTP protocol uses: heartbeat with made-up telemetry, acknowledge assignments,
 * report them running, and finish them after a simulated duration drawn from a seeded generator.
 * Telemetry (simulated-telemetry.ts) follows what each device runs and is sent marked simulated.
 * The ranks of a multi-node job draw the same duration and outcome (from the job id), so they end
 * together and the job fails only when its rank 0 draws a failure, as one program would.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Fleet, FleetNode } from '../fleet/index.js';
import { seededRng } from '../sched/index.js';
import type { AgentService, Assignment } from './agent-service.js';
import type { ReplicaEmulators } from './replica-emulators.js';
import { SimulatedTelemetry, type DeviceLoad } from './simulated-telemetry.js';

interface Work {
  attempt: number;
  kind: string;
  devices: number[];
  milliPerDevice: number;
  nodeRank: number;
  /** Null: runs until stopped (inference replicas). */
  endsAtMs: number | null;
  reported: boolean;
}

export interface SimulatedAgentsOptions {
  /** Each node heartbeats once per this period; beats are spread across it. */
  heartbeatMs?: number;
  seed?: number;
  /** Chance that a finished batch/training job exits non-zero. */
  failureRate?: number;
  now?: () => number;
  onError?: (e: unknown) => void;
  /** Start an emulated engine per inference replica and report its endpoint (demo mode's serving path). */
  emulators?: ReplicaEmulators;
}

const durationSec: Record<string, [number, number]> = { training: [120, 600], finetune: [60, 240], batch: [15, 90] };

export class SimulatedAgents {
  private readonly work = new Map<string, Map<string, Work>>();
  private readonly rng;
  private readonly telemetry: SimulatedTelemetry;
  private readonly heartbeatMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private cursor = 0;
  private busy = false;

  constructor(
    private readonly agents: AgentService,
    private readonly fleet: Fleet,
    private readonly catalog: Catalog | null,
    private readonly o: SimulatedAgentsOptions = {},
  ) {
    this.rng = seededRng(o.seed ?? 7);
    this.telemetry = new SimulatedTelemetry(catalog, (o.seed ?? 7) + 1);
    this.heartbeatMs = o.heartbeatMs ?? 5000;
    this.now = o.now ?? Date.now;
  }

  get nodeCount(): number {
    return this.fleet.nodes.length;
  }

  async registerAll(): Promise<void> {
    for (const n of this.fleet.nodes) {
      const stack = this.catalog?.tryResolve(n.chip)?.software.stack;
      await this.agents.register(
        {
          id: n.id,
          cluster: n.cluster,
          chip: n.chip,
          rack: n.rack,
          linkDomainSize: n.linkDomainSize,
          devices: n.devices.map((d) => ({ index: d.index, uuid: `SIM-${n.id}-${d.index}`, healthy: true })),
          stacks: stack ? [stack] : [],
          ...(n.cpuMilli !== null ? { cpuMilli: n.cpuMilli } : {}),
          ...(n.memoryMiB !== null ? { memoryMiB: n.memoryMiB } : {}),
          labels: { ...n.labels, simulated: 'true' },
          simulated: true,
          agentVersion: 'simulated',
        },
        { id: `node:${n.id}`, role: 'agent' },
      );
      this.work.set(n.id, new Map());
    }
  }

  /** Heartbeats a slice of the fleet every tick so each node beats once per period. */
  start(tickMs = 250): void {
    const ticksPerPeriod = Math.max(1, Math.round(this.heartbeatMs / tickMs));
    const perTick = Math.max(1, Math.ceil(this.fleet.nodes.length / ticksPerPeriod));
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      const slice: FleetNode[] = [];
      for (let i = 0; i < perTick && this.fleet.nodes.length > 0; i++) {
        slice.push(this.fleet.nodes[this.cursor % this.fleet.nodes.length]!);
        this.cursor++;
      }
      void Promise.all(slice.map((n) => this.beat(n).catch((e: unknown) => this.o.onError?.(e)))).finally(() => (this.busy = false));
    }, tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One heartbeat of one node, and whatever it implies: acknowledge, start, finish. */
  async beat(node: FleetNode): Promise<void> {
    const mine = this.work.get(node.id) ?? new Map<string, Work>();
    this.work.set(node.id, mine);
    const reply = await this.agents.heartbeat(node.id, { devices: this.telemetry.sample(node, loadsOf(mine)), running: [...mine.keys()], simulated: true, droppedLogChunks: 0, queuedReports: 0 });
    for (const id of reply.stop) {
      mine.delete(id);
      await this.o.emulators?.stop(id);
    }
    const now = this.now();
    for (const a of reply.assignments) {
      const w = mine.get(a.jobId);
      if (!w || w.attempt !== a.attempt) await this.startWork(node.id, a, mine, now);
    }
    const assigned = new Set(reply.assignments.map((a) => a.jobId));
    for (const [id, w] of mine) {
      if (!assigned.has(id)) {
        mine.delete(id);
        await this.o.emulators?.stop(id);
        continue;
      }
      if (w.endsAtMs !== null && now >= w.endsAtMs) {
        const failed = w.kind !== 'inference' && w.nodeRank === 0 && jobDraw(id, w.attempt, 2) < (this.o.failureRate ?? 0.03);
        await this.agents.status(node.id, id, { attempt: w.attempt, state: failed ? 'failed' : 'succeeded', exitCode: failed ? 1 : 0, ...(failed ? { message: 'simulated failure (exit 1)' } : {}) });
        mine.delete(id);
      }
    }
  }

  private async startWork(nodeId: string, a: Assignment, mine: Map<string, Work>, now: number): Promise<void> {
    if (!a.acknowledged) await this.agents.ack(nodeId, a.jobId, a.attempt);
    const range = durationSec[a.kind];
    const draw = a.nodeCount > 1 ? jobDraw(a.jobId, a.attempt, 1) : this.rng.next();
    const endsAtMs = range ? now + 1000 * (range[0] + draw * (range[1] - range[0])) : null;
    mine.set(a.jobId, { attempt: a.attempt, kind: a.kind, devices: a.devices, milliPerDevice: a.milliPerDevice, nodeRank: a.nodeRank, endsAtMs, reported: false });
    await this.agents.status(nodeId, a.jobId, { attempt: a.attempt, state: 'running' });
    const lines = [`[simulated] ${a.name} started on ${nodeId} devices ${a.devices.join(',')} (${a.chip})`];
    if (a.kind === 'inference' && this.o.emulators && a.env.TESSERA_MODEL) lines.push(await this.o.emulators.start({ jobId: a.jobId, attempt: a.attempt, model: a.env.TESSERA_MODEL, chip: a.chip, cards: a.devices.length * a.nodeCount }));
    await this.agents.logs(nodeId, a.jobId, a.attempt, lines.map((text, i) => ({ seq: i + 1, stream: 'stdout' as const, text: `${text}\n` })));
  }
}

function loadsOf(mine: ReadonlyMap<string, Work>): Map<number, DeviceLoad[]> {
  const loads = new Map<number, DeviceLoad[]>();
  for (const w of mine.values()) {
    for (const d of w.devices) {
      const l = loads.get(d);
      const load = { kind: w.kind, milli: w.milliPerDevice };
      if (l) l.push(load);
      else loads.set(d, [load]);
    }
  }
  return loads;
}

/** A number in [0, 1) every rank of a job draws alike (FNV-1a of job, attempt and purpose). */
function jobDraw(jobId: string, attempt: number, purpose: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${jobId}#${attempt}#${purpose}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}
