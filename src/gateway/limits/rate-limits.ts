import type { LimitsInput } from '../config/schema.js';
import { MinuteBucket } from './token-bucket.js';

export interface Subject {
  /** `key:<id>` or `tenant:<id>`. */
  id: string;
  limits: LimitsInput;
}

export interface Admission {
  ok: boolean;
  /** When refused: which limit, and how long to wait. */
  refusedBy?: { subject: string; limit: 'requestsPerMin' | 'tokensPerMin'; retryAfterMs: number };
  /** Settles tokens once the backend reports actual usage (or the request fails: actual 0). */
  settle(actualTokens: number): void;
}

/** Requests/min and tokens/min per key and per tenant; both must admit a request. */
export class RateLimits {
  private readonly requests = new Map<string, MinuteBucket>();
  private readonly tokens = new Map<string, MinuteBucket>();

  constructor(private readonly now: () => number) {}

  admit(subjects: readonly Subject[], estimatedTokens: number): Admission {
    const t = this.now();
    const taken: { bucket: MinuteBucket; amount: number }[] = [];
    const rollback = (): void => {
      for (const x of taken) x.bucket.adjust(-x.amount, t);
    };
    for (const s of subjects) {
      const rb = this.bucket(this.requests, s.id, s.limits.requestsPerMin, t);
      if (rb && !rb.tryTake(1, t)) {
        rollback();
        return refused(s.id, 'requestsPerMin', rb.waitMs(1, t));
      }
      if (rb) taken.push({ bucket: rb, amount: 1 });
      const tb = this.bucket(this.tokens, s.id, s.limits.tokensPerMin, t);
      if (tb && !tb.tryTake(estimatedTokens, t)) {
        rollback();
        return refused(s.id, 'tokensPerMin', tb.waitMs(estimatedTokens, t));
      }
      if (tb) taken.push({ bucket: tb, amount: estimatedTokens });
    }
    const tokenBuckets = subjects.map((s) => this.tokens.get(s.id)).filter((b): b is MinuteBucket => b !== undefined);
    let settled = false;
    return {
      ok: true,
      settle: (actual) => {
        if (settled) return;
        settled = true;
        for (const b of tokenBuckets) b.adjust(actual - estimatedTokens, this.now());
      },
    };
  }

  private bucket(map: Map<string, MinuteBucket>, id: string, perMin: number | undefined, t: number): MinuteBucket | null {
    if (perMin === undefined) return null;
    let b = map.get(id);
    if (!b || b.perMin !== perMin) {
      b = new MinuteBucket(perMin, t);
      map.set(id, b);
    }
    return b;
  }
}

function refused(subject: string, limit: 'requestsPerMin' | 'tokensPerMin', retryAfterMs: number): Admission {
  return { ok: false, refusedBy: { subject, limit, retryAfterMs }, settle: () => undefined };
}
