import type { ReplicaSpec } from '../config/schema.js';

/** Sessions remembered per replica for prefix caching. */
const MAX_SESSIONS = 50_000;

/** Engine-reported load older than this is not used (health checks run every 2 s by default). */
export const ENGINE_LOAD_TTL_MS = 10_000;

/** Prompt tokens the idle-TTFT prediction in a replica's config refers to (`predicted.ttftMs` = TTFT of a 1,000-token prompt). */
export const PREDICTED_TTFT_PROMPT_TOKENS = 1000;

/** One request the gateway has sent to a replica and not yet seen finish. */
export interface InFlight {
  readonly promptTokens: number;
  /** Prompt tokens the engine must prefill: the prompt less what its prefix cache holds of the session. */
  readonly prefillTokens: number;
  readonly sessionKey: string | null;
  readonly maxTokens: number;
  readonly dispatchedAtMs: number;
  /** TTFT predicted at dispatch, corrected by what the replica delivers (ms): when it should start decoding. */
  readonly predictedTtftMs: number;
  /**
   * The uncorrected predictions at dispatch, which the moving averages compare observations with:
   * TTFT when the request was predicted to be admitted at once (null when it had to wait for room,
   * whose length the correction must not learn as prefill speed), and TPOT at its decode batch.
   */
  readonly ttftBaseMs: number | null;
  readonly tpotBaseMs: number;
  /** When its first token came back; null while it waits for admission or prefill. */
  firstTokenAtMs: number | null;
  ended: boolean;
}

/**
 * What the gateway knows about one replica right now: the work it sent there, how fast the
 * replica really is (moving averages of observed / predicted TTFT and TPOT), and its health.
 */
export class ReplicaState {
  outstanding = 0;
  /** Prompt + max output tokens of the requests in flight: the outstanding work. */
  outstandingTokens = 0;
  /** Max output tokens of the requests in flight: their decode work. */
  outstandingOutputTokens = 0;
  /** Prompt tokens of requests in flight that have not produced their first token: the prefill queue. */
  pendingPrefillTokens = 0;
  /** Requests in flight that have not produced their first token. */
  pendingPrefills = 0;
  /** Observed / predicted TTFT and TPOT (ratios of the moving sums below); 1 until measured. */
  ttftRatio = 1;
  tpotRatio = 1;
  private ttftObsSum = 0;
  private ttftPredSum = 0;
  private tpotObsSum = 0;
  private tpotPredSum = 0;
  /** Observed values, moving averages (ms), for display and for replicas without a prediction. */
  ttftMs: number | null = null;
  tpotMs: number | null = null;
  consecutiveFailures = 0;
  ejections = 0;
  ejectedUntilMs = 0;
  /** Active health check verdict; true until a check fails. */
  healthy = true;
  served = 0;
  failed = 0;

  private readonly inFlight = new Set<InFlight>();
  /** The engine's own count of running and waiting requests at the last health check, and ours then. */
  private engineLoad: { running: number; waiting: number; ours: number; atMs: number } | null = null;
  /** Moving means of the prompt and max output tokens of the requests booked here (sizes for others' requests). */
  private meanPrompt = 0;
  private meanOutput = 0;
  /** The latest time any caller told us: the default for predictions asked without one. */
  private clockMs = 0;
  /** With prefix caching: tokens of each session's last sequence sent here (least recently used first). */
  private readonly sessions = new Map<string, number>();

  constructor(public spec: ReplicaSpec) {}

  /**
   * Records what the engine says it runs and queues. The excess over what this gateway has in
   * flight there is other clients' work (another gateway of a standby control plane, direct
   * callers): predictions count it as requests of the sizes this gateway sees.
   */
  noteEngineLoad(load: { running: number; waiting: number } | null, nowMs: number): void {
    this.clockMs = Math.max(this.clockMs, nowMs);
    this.engineLoad = load === null ? null : { running: load.running, waiting: load.waiting, ours: this.outstanding, atMs: nowMs };
  }

  /** Other clients' requests on the engine (running, waiting), from a health check at most `ENGINE_LOAD_TTL_MS` old. */
  external(nowMs = this.clockMs): { running: number; waiting: number } {
    const l = this.engineLoad;
    if (l === null || nowMs - l.atMs > ENGINE_LOAD_TTL_MS) return { running: 0, waiting: 0 };
    const extra = Math.max(0, l.running + l.waiting - l.ours);
    const waiting = Math.min(extra, l.waiting);
    return { running: extra - waiting, waiting };
  }

  /** Requests on the replica: this gateway's in flight plus others' it was told of. */
  busy(nowMs: number): number {
    const e = this.external(nowMs);
    return this.outstanding + e.running + e.waiting;
  }

  /** Capacity weight: the replica's max batch (1 when unknown). */
  get capacity(): number {
    return this.spec.maxBatch ?? 1;
  }

  available(nowMs: number): boolean {
    return this.healthy && nowMs >= this.ejectedUntilMs;
  }

  /** Books a request dispatched to this replica now; pass the handle to `firstToken`, `end` and `observe`. */
  begin(promptTokens: number, maxTokens: number, nowMs: number, sessionKey: string | null = null): InFlight {
    this.clockMs = Math.max(this.clockMs, nowMs);
    const t = this.ttft(promptTokens, maxTokens, nowMs, sessionKey);
    const prefillTokens = Math.max(1, promptTokens - this.cachedFor(sessionKey, promptTokens));
    const f: InFlight = {
      promptTokens,
      prefillTokens,
      sessionKey,
      maxTokens,
      dispatchedAtMs: nowMs,
      predictedTtftMs: this.corrected(t),
      ttftBaseMs: t.waitMs === 0 ? t.queuedMs : null,
      tpotBaseMs: this.tpotBase(this.pendingPrefills + 1, nowMs),
      firstTokenAtMs: null,
      ended: false,
    };
    this.inFlight.add(f);
    const w = this.meanPrompt === 0 ? 1 : 0.05;
    this.meanPrompt += w * (promptTokens - this.meanPrompt);
    this.meanOutput += w * (maxTokens - this.meanOutput);
    this.outstanding += 1;
    this.outstandingTokens += promptTokens + maxTokens;
    this.outstandingOutputTokens += maxTokens;
    this.pendingPrefillTokens += prefillTokens;
    this.pendingPrefills += 1;
    return f;
  }

  /** The request's first byte came back: its prefill is done. Idempotent. */
  firstToken(f: InFlight, nowMs: number): void {
    if (f.firstTokenAtMs !== null || f.ended) return;
    f.firstTokenAtMs = nowMs;
    this.pendingPrefillTokens -= f.prefillTokens;
    this.pendingPrefills -= 1;
    this.remember(f);
  }

  /** The request finished, failed or was abandoned. Idempotent. */
  end(f: InFlight): void {
    if (f.ended) return;
    if (f.firstTokenAtMs === null) {
      this.pendingPrefillTokens -= f.prefillTokens;
      this.pendingPrefills -= 1;
    }
    f.ended = true;
    this.inFlight.delete(f);
    this.outstanding -= 1;
    this.outstandingTokens -= f.promptTokens + f.maxTokens;
    this.outstandingOutputTokens -= f.maxTokens;
  }

  /**
   * Predicted TTFT of a new request: an engine admits a request only when a batch slot and its KV
   * cache (prompt + max output, reserved at admission) are free, then prefills prompts one after
   * another. So the request waits for the in-flight requests that must finish to make room, then
   * for the prompts queued ahead of it and its own, at the replica's prefill speed (the prediction
   * corrected by what it delivers). Without a prediction the speed is learned from observations
   * alone (1 ms per token to start). Infinity when the request can never fit.
   */
  predictedTtftMs(promptTokens: number, maxTokens = 0, nowMs = this.clockMs, sessionKey: string | null = null): number {
    this.clockMs = Math.max(this.clockMs, nowMs);
    return this.corrected(this.ttft(promptTokens, maxTokens, nowMs, sessionKey));
  }

  /**
   * With prefix caching (`spec.prefixCaching`): the tokens of this prompt the engine likely still
   * holds, its session's previous sequence sent here (the engine may have evicted it since).
   */
  cachedFor(sessionKey: string | null, promptTokens: number): number {
    if (!this.spec.prefixCaching || sessionKey === null) return 0;
    return Math.min(this.sessions.get(sessionKey) ?? 0, promptTokens);
  }

  /** A prefilled prompt and its answer-to-be stay in the engine's prefix cache for the session's next turn. */
  private remember(f: InFlight): void {
    if (!this.spec.prefixCaching || f.sessionKey === null) return;
    this.sessions.delete(f.sessionKey);
    this.sessions.set(f.sessionKey, f.promptTokens + f.maxTokens);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
  }

  /** Predicted TPOT with `extra` more sequences decoding than now, corrected by what the replica delivers. */
  predictedTpotMs(extra = 0, nowMs = this.clockMs): number {
    return this.tpotBase(extra, nowMs) * this.tpotRatio;
  }

  /**
   * Feeds what a finished request delivered into the moving averages. The corrections are ratios
   * of moving sums (observed over the uncorrected prediction made at dispatch), so long requests
   * weigh more than short ones and a fixed per-request delay (network, event loop) cannot inflate
   * the ratio the way a mean of per-request ratios would. TTFT is learned only from requests that
   * were predicted to be admitted at once: it corrects the prefill speed, not the wait for room.
   * TPOT is compared with the mean of the predictions at the request's start and end, since the
   * batch changes while it decodes.
   */
  observe(f: InFlight, ttftMs: number | null, tpotMs: number | null, alpha: number): void {
    if (ttftMs !== null) {
      this.ttftMs = this.ttftMs === null ? ttftMs : this.ttftMs + alpha * (ttftMs - this.ttftMs);
      if (f.ttftBaseMs !== null && f.ttftBaseMs > 0) {
        this.ttftObsSum += alpha * (ttftMs - this.ttftObsSum);
        this.ttftPredSum += alpha * (f.ttftBaseMs - this.ttftPredSum);
        this.ttftRatio = clamp(this.ttftObsSum / this.ttftPredSum);
      }
    }
    if (tpotMs !== null) {
      this.tpotMs = this.tpotMs === null ? tpotMs : this.tpotMs + alpha * (tpotMs - this.tpotMs);
      const base = (f.tpotBaseMs + this.tpotBase(1)) / 2;
      if (base > 0) {
        this.tpotObsSum += alpha * (tpotMs - this.tpotObsSum);
        this.tpotPredSum += alpha * (base - this.tpotPredSum);
        this.tpotRatio = clamp(this.tpotObsSum / this.tpotPredSum);
      }
    }
  }

  /** Uncorrected prefill time per prompt token (ms). */
  private get prefillPerTokenMs(): number {
    return (this.spec.predicted?.ttftMs ?? PREDICTED_TTFT_PROMPT_TOKENS) / PREDICTED_TTFT_PROMPT_TOKENS;
  }

  /**
   * The parts of a TTFT prediction before correction: the prefill queue with this prompt at the
   * end (`queuedMs`), the wait for a batch slot and KV cache (`waitMs`, 0 when there is room now),
   * and this prompt's own prefill (`ownMs`).
   */
  private ttft(promptTokens: number, maxTokens: number, nowMs: number, sessionKey: string | null = null): { queuedMs: number; waitMs: number; ownMs: number } {
    const ext = this.external(nowMs);
    const prefill = Math.max(1, promptTokens - this.cachedFor(sessionKey, promptTokens));
    const queuedMs = this.prefillTimeMs(this.pendingPrefillTokens + ext.waiting * this.meanPrompt + prefill, nowMs);
    const ownMs = this.prefillTimeMs(prefill, nowMs);
    const kv = this.spec.kvCapacityTokens ?? null;
    if (kv !== null && promptTokens + maxTokens > kv) return { queuedMs, waitMs: Number.POSITIVE_INFINITY, ownMs };
    const others = ext.running + ext.waiting;
    const slotsShort = this.outstanding + others + 1 - this.capacity;
    const kvShort = kv === null ? 0 : this.outstandingTokens + others * (this.meanPrompt + this.meanOutput) + promptTokens + maxTokens - kv;
    const waitMs = slotsShort <= 0 && kvShort <= 0 ? 0 : this.admissionWaitMs(slotsShort, kvShort, nowMs, others);
    return { queuedMs, waitMs, ownMs };
  }

  /**
   * Uncorrected time to prefill `tokens` prompt tokens queued on this replica. One prompt at a time
   * beside decoding: at the prefill speed. With chunked prefill (`chunkedPrefillTokens`, the
   * engine's token budget per step), each step carries the decoding sequences plus at most the
   * rest of the budget in prompt tokens and lasts the longer of the decode and the chunk (the
   * emulator's roofline): a full decode batch slows prefill down.
   */
  private prefillTimeMs(tokens: number, nowMs: number): number {
    const perToken = this.prefillPerTokenMs;
    const chunk = this.spec.chunkedPrefillTokens;
    if (chunk === undefined) return tokens * perToken;
    const decoding = Math.max(0, this.outstanding - this.pendingPrefills) + this.external(nowMs).running;
    const budget = Math.max(1, chunk - decoding);
    const decodeMs = decoding > 0 ? this.tpotBase(0, nowMs) : 0;
    const full = Math.floor(tokens / budget);
    const rest = tokens - full * budget;
    return full * Math.max(decodeMs, budget * perToken) + (rest > 0 ? Math.max(decodeMs, rest * perToken) : 0);
  }

  /** A TTFT prediction with the prefill speed corrected: queue and own prefill scale; the wait for room is already in delivered times. */
  private corrected(t: { queuedMs: number; waitMs: number; ownMs: number }): number {
    if (t.waitMs === 0) return t.queuedMs * this.ttftRatio;
    return Math.max(t.queuedMs * this.ttftRatio, t.waitMs + t.ownMs * this.ttftRatio);
  }

  /**
   * How long until enough in-flight requests finish to free `slots` batch slots and `kvTokens` of
   * KV cache, taking them in order of their expected ends (first token, or dispatch plus predicted
   * TTFT, plus max output at the current TPOT). Requests booked without `begin` (counters set by
   * hand) and other clients' requests are spread evenly over the mean remaining decode time.
   */
  private admissionWaitMs(slots: number, kvTokens: number, nowMs: number, others: number): number {
    const tpot = this.predictedTpotMs(0, nowMs);
    const ends: { at: number; tokens: number }[] = [];
    for (const f of this.inFlight) {
      const decodeFrom = f.firstTokenAtMs ?? Math.max(nowMs, f.dispatchedAtMs + f.predictedTtftMs);
      ends.push({ at: Math.max(nowMs, decodeFrom + f.maxTokens * tpot), tokens: f.promptTokens + f.maxTokens });
    }
    const unbooked = this.outstanding - this.inFlight.size + others;
    if (unbooked > 0) {
      const meanOutput = this.outstanding > 0 ? this.outstandingOutputTokens / this.outstanding : this.meanOutput;
      const meanTokens = this.outstanding > 0 ? this.outstandingTokens / this.outstanding : this.meanPrompt + this.meanOutput;
      for (let i = 0; i < unbooked; i++) ends.push({ at: nowMs + ((i + 1) / unbooked) * meanOutput * tpot, tokens: meanTokens });
    }
    ends.sort((a, b) => a.at - b.at);
    let freedSlots = 0;
    let freedKv = 0;
    for (const e of ends) {
      freedSlots += 1;
      freedKv += e.tokens;
      if (freedSlots >= slots && freedKv >= kvTokens) return Math.max(1e-9, e.at - nowMs);
    }
    return Number.POSITIVE_INFINITY;
  }

  /**
   * Uncorrected TPOT with `extra` more sequences decoding than now: linear from batch 1 to the full
   * batch (a decode step reads the weights once plus each sequence's KV cache).
   */
  private tpotBase(extra: number, nowMs = this.clockMs): number {
    const p = this.spec.predicted;
    const base = p?.tpotMs ?? 1;
    const full = p?.tpotMsAtMaxBatch ?? base;
    const decoding = Math.max(1, this.outstanding - this.pendingPrefills + this.external(nowMs).running + extra);
    const cap = this.capacity;
    return cap <= 1 ? full : base + ((full - base) * Math.min(cap - 1, decoding - 1)) / (cap - 1);
  }
}

/** Ratios stay within three orders of magnitude either way, so one wild sample cannot poison a replica. */
function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1000, Math.max(0.001, x)) : 1;
}
