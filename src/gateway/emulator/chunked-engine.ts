import { fitsEngine, realTimers, type EngineHandle, type EngineJob, type EngineOptions, type EngineStats, type EngineTimers, type InferenceEngine } from './engine.js';
import { PrefixCache } from './prefix-cache.js';
import type { EmulatorTiming } from './timing.js';

interface Seq {
  job: EngineJob;
  phase: 'waiting' | 'prefill' | 'decode' | 'done';
  kvTokens: number;
  /** Prompt tokens not prefilled yet. */
  prefillLeft: number;
  emitted: number;
}

/**
 * A continuous-batching engine with chunked prefill, as vLLM (V1) and SGLang run by default: time
 * advances in steps; each step decodes one token for every running sequence and spends the rest
 * of a token budget (`maxBatchedTokens`) on prompt chunks, oldest first. A step lasts the longer
 * of its batch's decode time (memory-bound) and its chunks' prefill time (compute-bound), a
 * first-order roofline for a fused step. So a big prompt chunk stretches the step for every
 * sequence decoding (TPOT grows with the prefill load), and prompts advance only a budget per step:
 * the interference the one-prompt-at-a-time engine (`EmulatedEngine`), which prefills beside
 * decoding at full speed, leaves out. Admission is the same: a batch slot and KV cache for prompt + output.
 */
export class ChunkedPrefillEngine implements InferenceEngine {
  private readonly waiting: Seq[] = [];
  private readonly running: Seq[] = [];
  private kvUsed = 0;
  private completed = 0;
  private stepping = false;

  private readonly cache: PrefixCache | null;

  constructor(
    readonly timing: EmulatorTiming,
    private readonly maxBatchedTokens: number,
    private readonly timers: EngineTimers = realTimers,
    opts: EngineOptions = {},
  ) {
    this.cache = opts.prefixCacheTokens ? new PrefixCache(opts.prefixCacheTokens) : null;
  }

  fits(promptTokens: number, outputTokens: number): boolean {
    return fitsEngine(this.timing, promptTokens, outputTokens);
  }

  submit(job: EngineJob): EngineHandle {
    const seq: Seq = { job, phase: 'waiting', kvTokens: job.promptTokens + job.outputTokens, prefillLeft: Math.max(1, job.promptTokens), emitted: 0 };
    this.waiting.push(seq);
    this.admit();
    return { cancel: () => this.finish(seq, false) };
  }

  stats(): EngineStats {
    return { running: this.running.length, waiting: this.waiting.length, kvUsedTokens: this.kvUsed, completed: this.completed };
  }

  stopAll(): void {
    for (const s of [...this.waiting, ...this.running]) this.finish(s, false);
  }

  private admit(): void {
    const cap = this.timing.kvCapacityTokens;
    while (this.waiting.length > 0 && this.running.length < this.timing.maxBatch) {
      const next = this.waiting[0];
      if (!next || (cap !== null && this.kvUsed + next.kvTokens > cap)) break;
      this.waiting.shift();
      this.kvUsed += next.kvTokens;
      // A cached prefix (this session's previous turn) is not prefilled again.
      next.prefillLeft = Math.max(1, next.job.promptTokens - (this.cache?.hit(next.job.prefixKey, next.job.promptTokens) ?? 0));
      next.phase = 'prefill';
      this.running.push(next);
    }
    if (!this.stepping && this.running.length > 0) this.step();
  }

  /** Composes one step from the running sequences, and completes it after its duration. */
  private step(): void {
    const decoding = this.running.filter((s) => s.phase === 'decode');
    let budget = Math.max(1, this.maxBatchedTokens - decoding.length);
    const chunks: { seq: Seq; tokens: number }[] = [];
    let prefillMs = 0;
    for (const s of this.running) {
      if (budget <= 0) break;
      if (s.phase !== 'prefill') continue;
      const tokens = Math.min(s.prefillLeft, budget);
      budget -= tokens;
      chunks.push({ seq: s, tokens });
      // Each prompt's whole prefill time, split over its chunks in proportion.
      prefillMs += (this.timing.prefillMs(s.job.promptTokens) * tokens) / Math.max(1, s.job.promptTokens);
    }
    if (decoding.length === 0 && chunks.length === 0) {
      this.stepping = false;
      return;
    }
    this.stepping = true;
    // Roofline: a decode step is bound by memory (weights and KV cache read once), prefill by
    // compute, and a fused step does both at once: it lasts the longer of the two, not their sum.
    const ms = Math.max(decoding.length > 0 ? this.timing.decodeStepMs(decoding.length) : 0, prefillMs);
    this.timers.after(ms, () => {
      for (const s of decoding) this.emit(s);
      for (const c of chunks) {
        if (c.seq.phase !== 'prefill') continue;
        c.seq.prefillLeft -= c.tokens;
        if (c.seq.prefillLeft <= 0) {
          c.seq.phase = 'decode';
          this.emit(c.seq);
        }
      }
      this.stepping = false;
      this.admit();
    });
  }

  private emit(s: Seq): void {
    if (s.phase !== 'decode') return;
    s.job.onToken(s.emitted);
    s.emitted += 1;
    if (s.phase === 'decode' && s.emitted >= s.job.outputTokens) this.finish(s, true);
  }

  private finish(s: Seq, ok: boolean): void {
    if (s.phase === 'done') return;
    const was = s.phase;
    s.phase = 'done';
    if (was === 'waiting') {
      const i = this.waiting.indexOf(s);
      if (i >= 0) this.waiting.splice(i, 1);
    } else {
      const i = this.running.indexOf(s);
      if (i >= 0) this.running.splice(i, 1);
      this.kvUsed -= s.kvTokens;
    }
    if (ok) {
      this.completed += 1;
      this.cache?.store(s.job.prefixKey, s.job.promptTokens + s.job.outputTokens);
      s.job.onDone();
    }
    this.admit();
  }
}
