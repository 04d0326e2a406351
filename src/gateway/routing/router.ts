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
   * SLO-aware choice: among replicas predicted to meet the TPOT objective at their decode batch
   * plus this request, the one with the lowest predicted TTFT (its prefill queue and batch slots at
   * its corrected speed: outstanding work weighted by capacity); within 10% of that TTFT, the one
   * with the least decode work per unit of capacity. When none meets the TPOT objective, the lowest
   * predicted TTFT over all (best effort).
   */
  private sloChoice(pool: readonly ReplicaState[], req: RouteRequest): RouteChoice {
    const slo = this.opts.slo;
    const scored = pool.map((r) => ({ r, ttft: r.predictedTtftMs(req.promptTokens), tpot: r.predictedTpotMs(1) }));
    const tpotOk = scored.filter((s) => slo === null || s.tpot <= slo.tpotMs);
    const from = tpotOk.length > 0 ? tpotOk : scored;
    let best = from[0] as (typeof scored)[number];
    for (const s of from) if (s.ttft < best.ttft) best = s;
    // Decode drain time: outstanding tokens over predicted tokens per ms (max batch / TPOT).
    const drain = (r: ReplicaState): number => (r.outstandingTokens + req.workTokens) / (r.capacity / r.predictedTpotMs());
    let pick = best;
    for (const s of from) if (s.ttft <= best.ttft * 1.1 && drain(s.r) < drain(pick.r)) pick = s;
    const meets = slo === null || (pick.ttft <= slo.ttftMs && pick.tpot <= slo.tpotMs);
    return { replica: pick.r, predictedTtftMs: pick.ttft, predictedTpotMs: pick.tpot, reason: meets ? 'slo' : 'best-effort' };
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
