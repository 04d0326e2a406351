import type { RoutingPolicy } from '../config/schema.js';
import { fnv1a } from '../openai/request.js';
import type { ReplicaState } from './replica-state.js';

export interface RouteRequest {
  model: string;
  sessionKey: string | null;
  /** Prompt + max output tokens of this request: its work. */
  workTokens: number;
  promptTokens: number;
  /** Replicas already tried for this request (retries go elsewhere when they can). */
  exclude: ReadonlySet<string>;
}

export interface RouterOptions {
  policy: RoutingPolicy;
  slo: { ttftMs: number; tpotMs: number } | null;
  affinity: boolean;
  affinityMaxLoadRatio: number;
}

export interface RouteChoice {
  replica: ReplicaState;
  /** TTFT and TPOT predicted at dispatch, for correcting the moving averages afterwards. */
  predictedTtftMs: number;
  predictedTpotMs: number;
  reason: 'affinity' | 'slo' | 'best-effort' | 'least-request' | 'round-robin';
}

/**
 * Picks a replica for one request. Pure apart from the round-robin cursor; no I/O.
 * - `slo`: among replicas whose predicted TTFT and TPOT (corrected by what they deliver) meet the
 *   SLO, the one with the least outstanding work per unit of capacity; if none meets it, the one
 *   with the lowest predicted TTFT.
 * - `least-request`: fewest requests in flight. `round-robin`: in turn.
 * Session affinity (rendezvous hashing) applies first under every policy, guarded so that a
 * session's replica is left when its load exceeds `affinityMaxLoadRatio` times the mean.
 */
export class Router {
  private cursor = 0;

  constructor(private readonly opts: RouterOptions) {}

  choose(all: readonly ReplicaState[], req: RouteRequest, nowMs: number): RouteChoice | null {
    const live = all.filter((r) => r.spec.model === req.model && r.available(nowMs));
    const fresh = live.filter((r) => !req.exclude.has(r.spec.id));
    const pool = fresh.length > 0 ? fresh : live;
    if (pool.length === 0) return null;

    if (this.opts.affinity && req.sessionKey !== null && pool.length > 1) {
      const home = rendezvous(pool, req.sessionKey);
      const mean = pool.reduce((a, r) => a + load(r), 0) / pool.length;
      // +1/capacity: an idle fleet must not push sessions off their home on the first request.
      if (load(home) <= this.opts.affinityMaxLoadRatio * mean + 1 / home.capacity) {
        return { replica: home, predictedTtftMs: home.predictedTtftMs(req.promptTokens), predictedTpotMs: home.predictedTpotMs(1), reason: 'affinity' };
      }
    }

    switch (this.opts.policy) {
      case 'round-robin': {
        const r = pool[this.cursor++ % pool.length] as ReplicaState;
        return { replica: r, predictedTtftMs: r.predictedTtftMs(req.promptTokens), predictedTpotMs: r.predictedTpotMs(1), reason: 'round-robin' };
      }
      case 'least-request': {
        const start = this.cursor++ % pool.length;
        let best = pool[start] as ReplicaState;
        for (let i = 1; i < pool.length; i++) {
          const r = pool[(start + i) % pool.length] as ReplicaState;
          if (r.outstanding < best.outstanding) best = r;
        }
        return { replica: best, predictedTtftMs: best.predictedTtftMs(req.promptTokens), predictedTpotMs: best.predictedTpotMs(1), reason: 'least-request' };
      }
      default:
        return this.sloChoice(pool, req);
    }
  }

  /**
   * Capacity- and SLO-aware choice: the least outstanding work per unit of predicted capacity
   * ((requests in flight + this one) over the replica's decode throughput at full batch, max batch
   * / TPOT, corrected by what it delivers) among the replicas predicted to meet the SLO (TTFT from
   * its prefill queue and batch slots, TPOT at its decode batch plus this request). When none is
   * predicted to meet it, the same rule over all replicas (best effort: spread by capacity).
   */
  private sloChoice(pool: readonly ReplicaState[], req: RouteRequest): RouteChoice {
    const slo = this.opts.slo;
    type Candidate = { r: ReplicaState; ttft: number; tpot: number; load: number };
    let pick: Candidate | null = null;
    let fallback: Candidate | null = null;
    for (const r of pool) {
      const ttft = r.predictedTtftMs(req.promptTokens);
      const tpot = r.predictedTpotMs(1);
      const load = (r.outstanding + 1) / (r.capacity / r.predictedTpotMs(r.capacity));
      const c: Candidate = { r, ttft, tpot, load };
      if (!fallback || load < fallback.load) fallback = c;
      const meets = slo === null || (ttft <= slo.ttftMs && tpot <= slo.tpotMs);
      if (meets && (!pick || load < pick.load)) pick = c;
    }
    const chosen = (pick ?? fallback) as Candidate;
    return { replica: chosen.r, predictedTtftMs: chosen.ttft, predictedTpotMs: chosen.tpot, reason: pick ? 'slo' : 'best-effort' };
  }
}

function load(r: ReplicaState): number {
  return r.outstanding / r.capacity;
}

/** Highest-random-weight hashing: a session keeps its replica when others come and go. */
function rendezvous(pool: readonly ReplicaState[], key: string): ReplicaState {
  let best = pool[0] as ReplicaState;
  let bestScore = -1;
  for (const r of pool) {
    const score = parseInt(fnv1a(`${key}|${r.spec.id}`), 16);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}
