import type { ReplicaSpec } from '../config/schema.js';

/** Prompt tokens the idle-TTFT prediction in a replica's config refers to (`predicted.ttftMs` = TTFT of a 1,000-token prompt). */
export const PREDICTED_TTFT_PROMPT_TOKENS = 1000;

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

  constructor(public spec: ReplicaSpec) {}

  /** Capacity weight: the replica's max batch (1 when unknown). */
  get capacity(): number {
    return this.spec.maxBatch ?? 1;
  }

  available(nowMs: number): boolean {
    return this.healthy && nowMs >= this.ejectedUntilMs;
  }

  /**
   * Predicted TTFT of a new prompt: engines prefill prompts one after another, so it waits for the
   * prompts queued ahead of it, then its own, at the replica's prefill speed (the prediction
   * corrected by what it delivers); past the batch limit it also waits for a slot to free up.
   * Without a prediction the speed is learned from observations alone (1 ms per token to start).
   */
  predictedTtftMs(promptTokens: number): number {
    const perToken = ((this.spec.predicted?.ttftMs ?? PREDICTED_TTFT_PROMPT_TOKENS) / PREDICTED_TTFT_PROMPT_TOKENS) * this.ttftRatio;
    const prefill = (this.pendingPrefillTokens + promptTokens) * perToken;
    const cap = this.capacity;
    const waiting = this.outstanding + 1 - cap;
    if (waiting <= 0) return prefill;
    // A slot frees up about every (remaining decode time / cap): in-flight requests are on average
    // half-way through their outputs, decoding at the full-batch TPOT.
    const meanOutput = this.outstanding > 0 ? this.outstandingOutputTokens / this.outstanding : 0;
    return prefill + (waiting / cap) * 0.5 * meanOutput * this.predictedTpotMs(cap);
  }

  /** Predicted TPOT with `extra` more sequences decoding than now, corrected by what the replica delivers. */
  predictedTpotMs(extra = 0): number {
    const p = this.spec.predicted;
    const base = p?.tpotMs ?? 1;
    const full = p?.tpotMsAtMaxBatch ?? base;
    const decoding = Math.max(1, this.outstanding - this.pendingPrefills + extra);
    const cap = this.capacity;
    const atLoad = cap <= 1 ? full : base + ((full - base) * Math.min(cap - 1, decoding - 1)) / (cap - 1);
    return atLoad * this.tpotRatio;
  }

  /**
   * Feeds one observation into the moving averages. The corrections are ratios of moving sums
   * (observed over predicted), so long requests weigh more than short ones and a fixed per-request
   * delay (network, event loop) cannot inflate the ratio the way a mean of per-request ratios would.
   */
  observe(ttftMs: number | null, tpotMs: number | null, predictedTtftAtDispatch: number, predictedTpotAtDispatch: number, alpha: number): void {
    if (ttftMs !== null) {
      this.ttftMs = this.ttftMs === null ? ttftMs : this.ttftMs + alpha * (ttftMs - this.ttftMs);
      const base = predictedTtftAtDispatch / this.ttftRatio;
      if (base > 0) {
        this.ttftObsSum += alpha * (ttftMs - this.ttftObsSum);
        this.ttftPredSum += alpha * (base - this.ttftPredSum);
        this.ttftRatio = clamp(this.ttftObsSum / this.ttftPredSum);
      }
    }
    if (tpotMs !== null) {
      this.tpotMs = this.tpotMs === null ? tpotMs : this.tpotMs + alpha * (tpotMs - this.tpotMs);
      const base = predictedTpotAtDispatch / this.tpotRatio;
      if (base > 0) {
        this.tpotObsSum += alpha * (tpotMs - this.tpotObsSum);
        this.tpotPredSum += alpha * (base - this.tpotPredSum);
        this.tpotRatio = clamp(this.tpotObsSum / this.tpotPredSum);
      }
    }
  }
}

/** Ratios stay within three orders of magnitude either way, so one wild sample cannot poison a replica. */
function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1000, Math.max(0.001, x)) : 1;
}
