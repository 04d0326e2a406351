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
  /** Replicas whose predicted TTFT is within this of the soonest count as equally fast (ms). */
  ttftSlackMs: number;
  /**
   * SLO routing with affinity: a session stays on its home replica while the home's predicted TTFT
   * is within this of the soonest replica's (ms): the price paid for its prefix cache.
   */
  affinityTtftSlackMs: number;
}

/** The replica picked and why; the replica's own booking (`ReplicaState.begin`) records what was predicted. */
export interface RouteChoice {
  replica: ReplicaState;
  reason: 'affinity' | 'slo' | 'best-effort' | 'least-request' | 'round-robin';
}

/**
 * Picks a replica for one request. Pure apart from the round-robin cursor; no I/O.
 * - `slo`: the replica predicted to give the first token soonest (admission wait, prefill queue
 *   and prefill speed, corrected by what it delivers) among those predicted to meet the TPOT
 *   objective; near-ties go to the least outstanding work per unit of decode capacity.
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
      // SLO routing guards the session's home by its predicted first token instead of its load.
      // Where replicas cache prefixes (and say so), the predictions already count the cached part:
      // the session stays where its prefix is, with no fixed home that might be a slow replica.
      if (this.opts.policy === 'slo') return this.sloChoice(pool, req, nowMs, pool.some((r) => r.spec.prefixCaching) ? null : home);
      const mean = pool.reduce((a, r) => a + load(r), 0) / pool.length;
      // +1/capacity: an idle fleet must not push sessions off their home on the first request.
      if (load(home) <= this.opts.affinityMaxLoadRatio * mean + 1 / home.capacity) {
        return { replica: home, reason: 'affinity' };
      }
    }

    switch (this.opts.policy) {
      case 'round-robin': {
        const r = pool[this.cursor++ % pool.length] as ReplicaState;
        return { replica: r, reason: 'round-robin' };
      }
      case 'least-request': {
        const start = this.cursor++ % pool.length;
        let best = pool[start] as ReplicaState;
        for (let i = 1; i < pool.length; i++) {
          const r = pool[(start + i) % pool.length] as ReplicaState;
          if (r.busy(nowMs) < best.busy(nowMs)) best = r;
        }
        return { replica: best, reason: 'least-request' };
      }
      default:
        return this.sloChoice(pool, req, nowMs);
    }
  }

  /**
   * Capacity- and SLO-aware choice. Each replica's TTFT for this request is predicted from its
   * own state (admission wait for a batch slot and KV cache, its prefill queue, its prefill
   * speed), and its TPOT at the decode batch it will have (requests decoding, those queued for
   * prefill, and this one); both are corrected by what the replica delivers. Among the replicas
   * predicted to meet the TPOT objective, the request goes where it gets its first token soonest;
   * replicas within `ttftSlackMs` of that are equally good, and the one with the least outstanding
   * work per unit of decode capacity (max batch / full-batch TPOT) wins, so fast-decoding replicas
   * take the larger share while their queues allow. When no replica is predicted to meet the TPOT
   * objective, the one with the smallest worst ratio to the objectives (best effort).
   */
  private sloChoice(pool: readonly ReplicaState[], req: RouteRequest, nowMs: number, home: ReplicaState | null = null): RouteChoice {
    const slo = this.opts.slo;
    const maxTokens = Math.max(0, req.workTokens - req.promptTokens);
    type Candidate = { r: ReplicaState; ttft: number; tpot: number; load: number };
    const all: Candidate[] = pool.map((r) => ({
      r,
      ttft: r.predictedTtftMs(req.promptTokens, maxTokens, nowMs, req.sessionKey),
      tpot: r.predictedTpotMs(r.pendingPrefills + 1, nowMs),
      load: (r.busy(nowMs) + 1) / (r.capacity / r.predictedTpotMs(r.capacity, nowMs)),
    }));
    const meeting = all.filter((c) => Number.isFinite(c.ttft) && (slo === null || c.tpot <= slo.tpotMs));
    if (meeting.length === 0) {
      const worst = (c: Candidate): number => (slo === null ? c.ttft : Math.max(c.ttft / slo.ttftMs, c.tpot / slo.tpotMs));
      const chosen = all.reduce((best, c) => (worst(c) < worst(best) ? c : best));
      return { replica: chosen.r, reason: 'best-effort' };
    }
    const soonest = Math.min(...meeting.map((c) => c.ttft));
    const atHome = home === null ? undefined : meeting.find((c) => c.r === home);
    if (atHome && atHome.ttft <= soonest + this.opts.affinityTtftSlackMs) return { replica: atHome.r, reason: 'affinity' };
    let chosen: Candidate | null = null;
    for (const c of meeting) if (c.ttft <= soonest + this.opts.ttftSlackMs && (!chosen || c.load < chosen.load)) chosen = c;
    const pick = chosen as Candidate;
    const reason = slo === null || pick.ttft <= slo.ttftMs ? 'slo' : 'best-effort';
    return { replica: pick.r, reason };
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
