import type { ReplicaSpec } from '../config/schema.js';

/**
 * What the gateway knows about one replica right now: load it sent there, how fast it really
 * is (moving averages of observed TTFT and TPOT as a ratio to the prediction), and its health.
 */
export class ReplicaState {
  outstanding = 0;
  /** Prompt + max output tokens of the requests in flight: the outstanding work. */
  outstandingTokens = 0;
  /** Observed / predicted TTFT and TPOT, moving averages; 1 until measured. */
  ttftRatio = 1;
  tpotRatio = 1;
  /** Observed values, moving averages (ms), for replicas without a prediction and for display. */
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

  /** Predicted TTFT at the current load, corrected by what the replica has delivered. */
  predictedTtftMs(): number {
    const base = this.spec.predicted ? this.spec.predicted.ttftMs * this.ttftRatio : (this.ttftMs ?? 1);
    const cap = this.capacity;
    // Prefills run one after another, so a new prompt waits for those ahead of it; past the
    // batch limit it also waits for a slot, about one service time per `cap` requests ahead.
    const ahead = this.outstanding;
    const queued = Math.max(0, ahead + 1 - cap);
    const serviceMs = base + this.predictedTpotMs() * 64;
    return base * (1 + ahead / cap) + (queued / cap) * serviceMs;
  }

  predictedTpotMs(): number {
    return this.spec.predicted ? this.spec.predicted.tpotMs * this.tpotRatio : (this.tpotMs ?? 1);
  }

  /** Feeds one observation into the moving averages. `predictedTtftMs` is what was predicted at dispatch. */
  observe(ttftMs: number | null, tpotMs: number | null, predictedTtftAtDispatch: number, alpha: number): void {
    if (ttftMs !== null) {
      this.ttftMs = this.ttftMs === null ? ttftMs : this.ttftMs + alpha * (ttftMs - this.ttftMs);
      if (predictedTtftAtDispatch > 0) this.ttftRatio = clamp(this.ttftRatio + alpha * (ttftMs / predictedTtftAtDispatch * this.ttftRatio - this.ttftRatio), 0.05, 20);
    }
    if (tpotMs !== null) {
      this.tpotMs = this.tpotMs === null ? tpotMs : this.tpotMs + alpha * (tpotMs - this.tpotMs);
      if (this.spec.predicted) this.tpotRatio = clamp(this.tpotRatio + alpha * (tpotMs / this.spec.predicted.tpotMs - this.tpotRatio), 0.05, 20);
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : 1;
}
