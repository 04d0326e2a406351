import { invalid } from '../../lib/errors.js';

/**
 * How long an emulated engine takes: the contract between the emulator and whatever predicts
 * the timing (explicit numbers today, the performance model in `src/perf` when it offers an
 * inference estimate). All times are milliseconds of wall time.
 */
export interface EmulatorTiming {
  /** Where these numbers come from, shown in `/v1/models` and the emulator's banner. */
  readonly source: string;
  /** Sequences decoded together at most (the engine's max batch / max_num_seqs). */
  readonly maxBatch: number;
  /** KV-cache capacity in tokens across all running sequences; null = limited by maxBatch only. */
  readonly kvCapacityTokens: number | null;
  /** Longest prompt + completion one request may have; null = no limit besides the KV cache. */
  readonly maxContextTokens: number | null;
  /** Time to prefill one prompt of this many tokens (runs one prompt at a time, as a real engine's prefill blocks its step). */
  prefillMs(promptTokens: number): number;
  /** Time of one decode step when this many sequences run together (>= 1). */
  decodeStepMs(batch: number): number;
}

export interface ExplicitTimingParams {
  /** Time to first token of a short prompt when idle. */
  ttftMs: number;
  /** Extra prefill time per 1,000 prompt tokens (0 = TTFT independent of prompt length). */
  prefillMsPer1kTokens?: number;
  /** Time per output token at batch 1. */
  tpotMs: number;
  /** Extra decode-step time per additional running sequence (0 = flat until maxBatch). */
  tpotMsPerExtraSeq?: number;
  maxBatch: number;
  kvCapacityTokens?: number | null;
  maxContextTokens?: number | null;
}

/** Timing from explicit numbers (`--ttft-ms`, `--tpot-ms`, `--max-batch`), for demos, tests and engines without a perf estimate. */
export function explicitTiming(p: ExplicitTimingParams): EmulatorTiming {
  const check = (name: string, v: number | null | undefined, min: number): void => {
    if (v === undefined || v === null) return;
    if (!Number.isFinite(v) || v < min) throw invalid(`${name} must be a finite number >= ${min}, got ${String(v)}.`, { field: name });
  };
  check('ttftMs', p.ttftMs, 0);
  check('tpotMs', p.tpotMs, 0);
  check('prefillMsPer1kTokens', p.prefillMsPer1kTokens, 0);
  check('tpotMsPerExtraSeq', p.tpotMsPerExtraSeq, 0);
  check('maxBatch', p.maxBatch, 1);
  check('kvCapacityTokens', p.kvCapacityTokens, 1);
  check('maxContextTokens', p.maxContextTokens, 1);
  if (!Number.isInteger(p.maxBatch)) throw invalid(`maxBatch must be a whole number, got ${p.maxBatch}.`, { field: 'maxBatch' });
  const perTok = (p.prefillMsPer1kTokens ?? 0) / 1000;
  const slope = p.tpotMsPerExtraSeq ?? 0;
  return {
    source: 'explicit',
    maxBatch: p.maxBatch,
    kvCapacityTokens: p.kvCapacityTokens ?? null,
    maxContextTokens: p.maxContextTokens ?? null,
    prefillMs: (promptTokens) => p.ttftMs + perTok * promptTokens,
    decodeStepMs: (batch) => p.tpotMs + slope * Math.max(0, batch - 1),
  };
}
