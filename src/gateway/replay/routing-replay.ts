import { percentile } from '../../lib/stats.js';
import type { RoutingPolicy } from '../config/schema.js';
import { ChunkedPrefillEngine } from '../emulator/chunked-engine.js';
import { EmulatedEngine, type InferenceEngine } from '../emulator/engine.js';
import type { EmulatorTiming } from '../emulator/timing.js';
import { ReplicaState } from '../routing/replica-state.js';
import { Router } from '../routing/router.js';
import { VirtualClock } from './virtual-clock.js';

export interface ReplayReplica {
  id: string;
  chip: string;
  timing: EmulatorTiming;
}

/** One request to replay: when it arrives (ms from the start) and its size. */
export interface ReplayRequest {
  atMs: number;
  promptTokens: number;
  maxTokens: number;
  /** Session or prompt-prefix key for affinity (the gateway derives it from `user` or the first message). */
  sessionKey?: string;
}

export interface ReplayOptions {
  model: string;
  replicas: readonly ReplayReplica[];
  requests: readonly ReplayRequest[];
  policy: RoutingPolicy;
  slo: { ttftMs: number; tpotMs: number } | null;
  ttftSlackMs: number;
  /** Moving-average weight of each observation (the gateway's `routing.ewmaAlpha`). */
  ewmaAlpha: number;
  /** Engines cache sessions' prompts and answers (this many tokens each), and the router knows they do. */
  prefixCacheTokens?: number;
  /** Emulate chunked prefill with this token budget per step (`ChunkedPrefillEngine`); absent: one prompt at a time. */
  chunkedPrefillTokens?: number;
  /** Session/prefix affinity as the gateway's `routing.affinity` (off unless set). */
  affinity?: { maxLoadRatio: number; ttftSlackMs: number };
  /** One-way delay between the gateway and a replica (ms): loopback HTTP and event-loop turns. TTFT and TPOT are as the gateway sees them. */
  hopMs: number;
}

export interface ReplayResult {
  policy: RoutingPolicy;
  requests: number;
  /** Requests no replica could hold (prompt + max tokens beyond every KV cache). */
  rejected: number;
  ttftMs: { p50: number; p95: number; p99: number };
  tpotMs: { p50: number; p99: number };
  /** Share of all requests with TTFT and TPOT within the SLO (rejected ones miss it); null without an SLO. */
  sloAttainment: number | null;
  perReplica: { id: string; chip: string; requests: number }[];
  /** Simulated time from the first arrival to the last token (ms). */
  spanMs: number;
}

/**
 * Replays requests through the gateway's own router and replica bookkeeping onto emulated
 * engines, in simulated time: the same code that routes live traffic, with the emulator's
 * continuous-batching engine standing in for each replica. What a routing policy does to TTFT,
 * TPOT and SLO attainment on a fleet can be seen in seconds, and the same input always gives the
 * same answer. Each replica's predictions are what the performance model says of it, as the
 * live gateway fills them in.
 */
export function replayRouting(o: ReplayOptions): ReplayResult {
  const clock = new VirtualClock();
  const engineOpts = o.prefixCacheTokens ? { prefixCacheTokens: o.prefixCacheTokens } : {};
  const engines: InferenceEngine[] = o.replicas.map((r) => (o.chunkedPrefillTokens !== undefined ? new ChunkedPrefillEngine(r.timing, o.chunkedPrefillTokens, clock, engineOpts) : new EmulatedEngine(r.timing, clock, engineOpts)));
  const states = o.replicas.map(
    (r) =>
      new ReplicaState({
        id: r.id,
        model: o.model,
        url: 'http://replay.invalid',
        chip: r.chip,
        maxBatch: r.timing.maxBatch,
        ...(r.timing.kvCapacityTokens !== null ? { kvCapacityTokens: r.timing.kvCapacityTokens } : {}),
        ...(o.chunkedPrefillTokens !== undefined ? { chunkedPrefillTokens: o.chunkedPrefillTokens } : {}),
        ...(o.prefixCacheTokens ? { prefixCaching: true } : {}),
        predicted: { ttftMs: r.timing.prefillMs(1000), tpotMs: r.timing.decodeStepMs(1), tpotMsAtMaxBatch: r.timing.decodeStepMs(r.timing.maxBatch) },
      }),
  );
  const router = new Router({ policy: o.policy, slo: o.slo, affinity: o.affinity !== undefined, affinityMaxLoadRatio: o.affinity?.maxLoadRatio ?? 1, affinityTtftSlackMs: o.affinity?.ttftSlackMs ?? 0, ttftSlackMs: o.ttftSlackMs });
  const served = o.replicas.map(() => 0);
  const ttfts: number[] = [];
  const tpots: number[] = [];
  let met = 0;
  let rejected = 0;
  const noneTried = new Set<string>();
  for (const q of o.requests) {
    clock.after(q.atMs, () => {
      const choice = router.choose(states, { model: o.model, sessionKey: q.sessionKey ?? null, workTokens: q.promptTokens + q.maxTokens, promptTokens: q.promptTokens, exclude: noneTried }, clock.now);
      const k = choice ? states.indexOf(choice.replica) : -1;
      const engine = engines[k];
      const state = states[k];
      if (!choice || !engine || !state || !engine.fits(q.promptTokens, q.maxTokens)) {
        rejected += 1;
        return;
      }
      served[k] = (served[k] ?? 0) + 1;
      const booking = state.begin(q.promptTokens, q.maxTokens, clock.now, q.sessionKey ?? null);
      const sentAt = clock.now;
      let firstAt = 0;
      let lastAt = 0;
      clock.after(o.hopMs, () =>
        engine.submit({
          promptTokens: q.promptTokens,
          outputTokens: q.maxTokens,
          prefixKey: q.sessionKey ?? null,
          onToken: (i) => {
            lastAt = clock.now;
            if (i !== 0) return;
            firstAt = clock.now;
            clock.after(o.hopMs, () => state.firstToken(booking, clock.now));
          },
          onDone: () =>
            clock.after(o.hopMs, () => {
              const ttft = firstAt - sentAt + o.hopMs;
              const tpot = q.maxTokens > 1 ? (lastAt - firstAt) / (q.maxTokens - 1) : null;
              state.end(booking);
              state.observe(booking, ttft, tpot, o.ewmaAlpha);
              ttfts.push(ttft);
              if (tpot !== null) tpots.push(tpot);
              if (o.slo && ttft <= o.slo.ttftMs && (tpot === null || tpot <= o.slo.tpotMs)) met += 1;
            }),
        }),
      );
    });
  }
  const end = clock.run();
  const first = o.requests.reduce((m, q) => Math.min(m, q.atMs), Number.POSITIVE_INFINITY);
  return {
    policy: o.policy,
    requests: o.requests.length,
    rejected,
    ttftMs: { p50: percentile(ttfts, 50), p95: percentile(ttfts, 95), p99: percentile(ttfts, 99) },
    tpotMs: { p50: percentile(tpots, 50), p99: percentile(tpots, 99) },
    sloAttainment: o.slo && o.requests.length > 0 ? met / o.requests.length : null,
    perReplica: o.replicas.map((r, i) => ({ id: r.id, chip: r.chip, requests: served[i] ?? 0 })),
    spanMs: Number.isFinite(first) ? end - first : 0,
  };
}
