import { PrefixCache } from './prefix-cache.js';
import type { EmulatorTiming } from './timing.js';

/** One generation asked of the emulated engine. Callbacks fire in order: firstToken?, token*, done | failed. */
export interface EngineJob {
  promptTokens: number;
  /** Output tokens to produce (the emulator always generates exactly this many, like `ignore_eos`). */
  outputTokens: number;
  /** Session of the prompt, for the prefix cache (`user`, or the first message's hash). */
  prefixKey?: string | null;
  /** Called for every output token, index from 0; index 0 marks the first token (TTFT). */
  onToken: (index: number) => void;
  onDone: () => void;
}

export interface EngineHandle {
  /** Stops the job and frees its slot and KV cache (client went away). Idempotent. */
  cancel(): void;
}

export interface EngineStats {
  running: number;
  waiting: number;
  kvUsedTokens: number;
  completed: number;
}

/** Whether a request of these lengths can ever run: within the context limit and the whole KV cache. */
export function fitsEngine(timing: EmulatorTiming, promptTokens: number, outputTokens: number): boolean {
  const need = promptTokens + outputTokens;
  if (timing.maxContextTokens !== null && need > timing.maxContextTokens) return false;
  return timing.kvCapacityTokens === null || need <= timing.kvCapacityTokens;
}

/** Engine options beyond timing. */
export interface EngineOptions {
  /** Keep sessions' prompts and answers in a prefix cache of this many tokens (0 or absent: no prefix caching). */
  prefixCacheTokens?: number;
}

/** What the emulator's server and the routing replay need of an engine model. */
export interface InferenceEngine {
  readonly timing: EmulatorTiming;
  /** Whether a request of these lengths can ever be held (callers reject it otherwise). */
  fits(promptTokens: number, outputTokens: number): boolean;
  submit(job: EngineJob): EngineHandle;
  stats(): EngineStats;
  /** Cancels everything (server shutting down). */
  stopAll(): void;
}

/** Where the engine's delays run: real timers by default, a virtual clock in replays (`VirtualClock`). */
export interface EngineTimers {
  /** Runs `fn` after `ms` (0 = on the next turn); returns a handle for `cancel`. */
  after(ms: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

/** Zero-delay work runs on the next turn without a timer's 1 ms floor, so an idle emulator adds nothing measurable. */
export const realTimers: EngineTimers = {
  after: (ms, fn) => (ms > 0 ? { t: setTimeout(fn, ms) } : { i: setImmediate(fn) }),
  cancel: (h) => {
    const x = h as { t?: NodeJS.Timeout; i?: NodeJS.Immediate };
    if (x.t) clearTimeout(x.t);
    if (x.i) clearImmediate(x.i);
  },
};

type Phase = 'waiting' | 'prefill' | 'decode' | 'done';

interface Slot {
  job: EngineJob;
  phase: Phase;
  kvTokens: number;
  emitted: number;
  timer: unknown;
}

/**
 * A continuous-batching engine in wall time (or a replay's virtual time): at most `maxBatch` sequences (and `kvCapacityTokens`
 * of KV cache, reserved for prompt + output at admission, as vLLM's scheduler must guarantee)
 * run at once; the rest wait in FIFO order. Prompts prefill one at a time (a real engine's
 * prefill occupies the step), so TTFT grows with queueing; each decode step lasts
 * `decodeStepMs(batch)` for the batch running at that moment.
 */
export class EmulatedEngine implements InferenceEngine {
  private readonly waiting: Slot[] = [];
  private readonly prefillQueue: Slot[] = [];
  private prefilling: Slot | null = null;
  private running = 0;
  private decoding = 0;
  private kvUsed = 0;
  private completed = 0;

  private readonly cache: PrefixCache | null;

  constructor(
    readonly timing: EmulatorTiming,
    private readonly timers: EngineTimers = realTimers,
    opts: EngineOptions = {},
  ) {
    this.cache = opts.prefixCacheTokens ? new PrefixCache(opts.prefixCacheTokens) : null;
  }

  /** KV tokens a request reserves; callers reject requests that can never fit. */
  fits(promptTokens: number, outputTokens: number): boolean {
    return fitsEngine(this.timing, promptTokens, outputTokens);
  }

  submit(job: EngineJob): EngineHandle {
    const slot: Slot = { job, phase: 'waiting', kvTokens: job.promptTokens + job.outputTokens, emitted: 0, timer: null };
    this.waiting.push(slot);
    this.admit();
    return { cancel: () => this.finish(slot, false) };
  }

  stats(): EngineStats {
    return { running: this.running, waiting: this.waiting.length, kvUsedTokens: this.kvUsed, completed: this.completed };
  }

  /** Cancels everything (server shutting down). */
  stopAll(): void {
    for (const s of [...this.waiting, ...this.prefillQueue]) this.finish(s, false);
    if (this.prefilling) this.finish(this.prefilling, false);
  }

  private admit(): void {
    const cap = this.timing.kvCapacityTokens;
    while (this.waiting.length > 0 && this.running < this.timing.maxBatch) {
      const next = this.waiting[0];
      if (!next || (cap !== null && this.kvUsed + next.kvTokens > cap)) break;
      this.waiting.shift();
      this.running += 1;
      this.kvUsed += next.kvTokens;
      next.phase = 'prefill';
      this.prefillQueue.push(next);
    }
    this.startPrefill();
  }

  private startPrefill(): void {
    if (this.prefilling || this.prefillQueue.length === 0) return;
    const slot = this.prefillQueue.shift();
    if (!slot) return;
    this.prefilling = slot;
    // A cached prefix (this session's previous turn) is not prefilled again.
    const cached = this.cache?.hit(slot.job.prefixKey, slot.job.promptTokens) ?? 0;
    slot.timer = this.timers.after(this.timing.prefillMs(Math.max(1, slot.job.promptTokens - cached)), () => {
      slot.timer = null;
      this.prefilling = null;
      if (slot.phase !== 'prefill') return;
      slot.phase = 'decode';
      this.decoding += 1;
      this.emit(slot);
      this.startPrefill();
    });
  }

  private emit(slot: Slot): void {
    if (slot.phase !== 'decode') return;
    slot.job.onToken(slot.emitted);
    slot.emitted += 1;
    if (slot.phase !== 'decode') return; // the callback may have cancelled
    if (slot.emitted >= slot.job.outputTokens) {
      this.finish(slot, true);
      return;
    }
    slot.timer = this.timers.after(this.timing.decodeStepMs(Math.max(1, this.decoding)), () => {
      slot.timer = null;
      this.emit(slot);
    });
  }

  private finish(slot: Slot, ok: boolean): void {
    if (slot.phase === 'done') return;
    const was = slot.phase;
    slot.phase = 'done';
    if (slot.timer !== null) this.timers.cancel(slot.timer);
    slot.timer = null;
    if (was === 'waiting') {
      const i = this.waiting.indexOf(slot);
      if (i >= 0) this.waiting.splice(i, 1);
    } else {
      if (was === 'prefill') {
        const i = this.prefillQueue.indexOf(slot);
        if (i >= 0) this.prefillQueue.splice(i, 1);
        if (this.prefilling === slot) this.prefilling = null;
      }
      if (was === 'decode') this.decoding -= 1;
      this.running -= 1;
      this.kvUsed -= slot.kvTokens;
    }
    if (ok) {
      this.completed += 1;
      this.cache?.store(slot.job.prefixKey, slot.job.promptTokens + slot.job.outputTokens);
      slot.job.onDone();
    }
    this.admit();
  }
}
