/**
 * The autoscaler: every interval, for each active inference service, it reads the traffic the
 * gateway admitted for the service's model, runs the serving planner (HiGHS) with the service's
 * SLO, the chips it may use and the cards free for it, and applies the planned replica mix per
 * chip through the store, with hysteresis and cooldowns (src/plan/serving/autoscale.ts). Each
 * change is one `service.autoscaled` event saying why: observed traffic, the plan, old and new mix.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { ChipSpec } from '../catalog/types.js';
import type { TrafficSample } from '../gateway/index.js';
import { addToCells, bucketsFromCells, mergeCells, chipOptions, clampMix, decideScale, defaultScalePolicy, freshScaleMemory, perfProfiles, planServing, type ScaleMemory, type ScalePolicy, type SizeCell, type TrafficBucket } from '../plan/serving/index.js';
import type { LpSolver } from '../sched/lp/index.js';
import { NodeState, type Actor, type ServiceRecord, type Store } from '../store/index.js';
import { isTerminal, type ChipRequest } from '../workload/index.js';
import { findModelPreset } from '../workload/models/index.js';
import { pinnedReplicaJobSpec } from './routes/services.js';

export interface TrafficView {
  /** Arrivals for `model` from `tenant`'s keys (the traffic its own services carry). */
  recentTraffic(model: string, windowMs?: number, tenant?: string): TrafficSample[];
}

export interface AutoscalerOptions {
  intervalMs?: number;
  /** Traffic is measured over this trailing window. */
  windowSec?: number;
  policy?: Partial<ScalePolicy>;
  /** Highest planned load per replica as a share of its SLO capacity: headroom for bursts within the window. */
  maxUtilization?: number;
  /** CNY per card-hour, over the catalog's rents (chips without any price are left out of plans). */
  prices?: ReadonlyMap<string, number>;
  /** Only these service ids (default: every active service). */
  services?: readonly string[];
  /**
   * Whether this instance may act now: the control plane passes "holds the scheduling lease", so
   * that of several control planes on one database only the leader scales services (two would
   * undo each other's changes). Default: always.
   */
  acting?: () => boolean;
  /**
   * Plan on the demand every gateway stored (`service_demand`), not only this process's gateway's:
   * with several control planes, the leader then sees all of it. Default: this gateway's arrivals.
   */
  demandFromStore?: boolean;
  /** Runs before each pass (the control plane flushes its own gateway's counts to the store). */
  beforePass?: () => Promise<void>;
  now?: () => number;
  onError?: (e: unknown) => void;
  onDecision?: (serviceId: string, action: string, reason: string) => void;
}

const actor: Actor = { id: 'autoscaler', role: 'system' };

export class Autoscaler {
  private readonly memory = new Map<string, ScaleMemory>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly policy: ScalePolicy;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly traffic: TrafficView,
    private readonly solver: LpSolver,
    private readonly o: AutoscalerOptions = {},
  ) {
    this.policy = { ...defaultScalePolicy, ...(o.policy ?? {}) };
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs ?? 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over the services; overlapping calls share one pass. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    if (this.o.acting && !this.o.acting()) return;
    await this.o.beforePass?.();
    const services = (await this.store.listServices()).filter((s) => !this.o.services || this.o.services.includes(s.id));
    for (const svc of services) {
      try {
        await this.scale(svc);
      } catch (e) {
        this.o.onError?.(e);
      }
    }
  }

  private async scale(svc: ServiceRecord): Promise<void> {
    const spec = svc.spec;
    const model = findModelPreset(spec.model.name);
    const ttftMs = spec.slo.ttftMsP99;
    const tpotMs = spec.slo.tpotMsP99;
    if (!model || ttftMs === undefined || tpotMs === undefined) return this.decided(svc.id, 'hold', !model ? `model ${spec.model.name} is not known to the performance model` : 'the service has no TTFT and TPOT objectives to plan for');
    const replicas = (await this.store.listJobs({ serviceId: svc.id, limit: 10_000, offset: 0 })).items.filter((j) => !isTerminal(j.state) && j.state !== 'Cancelled');
    const current: Record<string, number> = {};
    const held = new Map<string, number>();
    for (const j of replicas) {
      const chip = j.chip ?? (j.spec.resources.chips.kind === 'pinned' ? j.spec.resources.chips.chip : '*');
      current[chip] = (current[chip] ?? 0) + 1;
      if (j.chip) held.set(j.chip, (held.get(j.chip) ?? 0) + j.cards);
    }
    const free = await this.freeCards();
    const chips = this.allowedChips(spec.chips, [...free.keys()]);
    const now = this.now();
    const windowSec = this.o.windowSec ?? 60;
    const demand = await this.demand(svc, windowSec, now);
    const rps = demand.requests / demand.overSec;
    let planned: Record<string, number> = {};
    let planNote = 'no traffic in the window';
    if (demand.requests >= 2) {
      const buckets = demand.buckets;
      const available = new Map(chips.map((c) => [c.id, (free.get(c.id) ?? 0) + (held.get(c.id) ?? 0)]));
      const plan = planServing(
        { buckets, chips: chipOptions(chips, this.o.prices ?? new Map(), available), profiles: perfProfiles(model, chips, buckets, { slo: { ttftMs, tpotMs }, tpChoices: [spec.cardsPerReplica] }), maxUtilization: this.o.maxUtilization ?? 0.7 },
        this.solver,
      );
      if (!plan.mix) {
        planNote = `no feasible mix (${plan.excluded.map((e) => `${e.chip}: ${e.reason}`).join('; ') || plan.solver.status})`;
        return this.decided(svc.id, 'hold', planNote);
      }
      for (const p of plan.mix.chips) if (p.replicas > 0) planned[p.chip] = (planned[p.chip] ?? 0) + p.replicas;
      planNote = `planner: ${plan.mix.costCnyPerHour.toFixed(2)} CNY/h${plan.bestSingle ? ` vs best single type ${plan.bestSingle.costCnyPerHour.toFixed(2)}` : ''}`;
    }
    planned = clampMix(planned, current, this.policy, chips.map((c) => c.id));
    const decision = decideScale(current, planned, this.memory.get(svc.id) ?? freshScaleMemory, this.policy, now);
    this.memory.set(svc.id, decision.memory);
    if (decision.action === 'hold') return this.decided(svc.id, 'hold', decision.reason);
    const observed = { requestsPerSec: round(rps), windowSec: round(demand.overSec), requests: demand.requests, meanInputTokens: round(demand.meanInputTokens), meanOutputTokens: round(demand.meanOutputTokens), source: demand.source };
    await this.store.applyServiceMix(svc.id, decision.mix, (chip, i) => pinnedReplicaJobSpec(spec, chip, i), actor, { action: decision.action, reason: decision.reason, observed, planned, plan: planNote, slo: { ttftMs, tpotMs } });
    this.decided(svc.id, decision.action, decision.reason);
  }

  /**
   * The demand to plan for over the trailing window, as planner buckets: from the store (every
   * gateway's demand for this service, whole minutes back to the one the window starts in) or from
   * this process's gateway (its own arrivals for the service's tenant and model).
   */
  private async demand(svc: ServiceRecord, windowSec: number, now: number): Promise<{ buckets: TrafficBucket[]; requests: number; overSec: number; meanInputTokens: number; meanOutputTokens: number; source: 'store' | 'local' }> {
    const cells = new Map<string, SizeCell>();
    let overSec = windowSec;
    if (this.o.demandFromStore) {
      const since = Math.floor((now - windowSec * 1000) / 60_000) * 60_000;
      overSec = Math.max(1, (now - since) / 1000);
      for (const row of await this.store.serviceDemand(svc.id, since)) if (row.model === svc.spec.model.name) mergeCells(cells, row.cells);
    } else {
      for (const x of this.traffic.recentTraffic(svc.spec.model.name, windowSec * 1000, svc.tenant)) addToCells(cells, x.inputTokens, Math.max(1, x.outputTokens), 1);
    }
    const all = [...cells.values()];
    const requests = all.reduce((a, c) => a + c.n, 0);
    return {
      buckets: requests > 0 ? bucketsFromCells(all, overSec) : [],
      requests,
      overSec,
      meanInputTokens: requests > 0 ? all.reduce((a, c) => a + c.inSum, 0) / requests : 0,
      meanOutputTokens: requests > 0 ? all.reduce((a, c) => a + c.outSum, 0) / requests : 0,
      source: this.o.demandFromStore ? 'store' : 'local',
    };
  }

  private decided(serviceId: string, action: string, reason: string): void {
    this.o.onDecision?.(serviceId, action, reason);
  }

  /** Whole free cards per chip on Ready, schedulable nodes. */
  private async freeCards(): Promise<Map<string, number>> {
    const nodes = (await this.store.listNodes({ state: NodeState.ready, limit: 100_000, offset: 0 })).items.filter((n) => n.schedulable);
    const chipOf = new Map(nodes.map((n) => [n.id, n.chip]));
    const free = new Map<string, number>();
    for (const n of nodes) free.set(n.chip, free.get(n.chip) ?? 0);
    for (const d of await this.store.listDevices()) {
      const chip = chipOf.get(d.nodeId);
      if (chip !== undefined && d.healthy && d.usedMilli === 0) free.set(chip, (free.get(chip) ?? 0) + 1);
    }
    return free;
  }

  private allowedChips(req: ChipRequest, fleetChips: readonly string[]): ChipSpec[] {
    const ids = req.kind === 'pinned' ? [req.chip] : req.kind === 'any-of' ? req.chips : fleetChips;
    const specs = ids.filter((id) => fleetChips.includes(id)).map((id) => this.catalog.tryResolve(id)).filter((c): c is ChipSpec => c !== undefined);
    return req.kind === 'any-stack' ? specs.filter((c) => (req.stacks as readonly string[]).includes(c.software.stack)) : specs;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
