import type { ChipSpec } from '../../catalog/types.js';
import { invalid } from '../../lib/errors.js';
import { estimateInfer } from '../../perf/infer.js';
import type { PerfPrecision } from '../../perf/types.js';
import type { ModelSpec } from '../../workload/models/index.js';
import type { EmulatorTiming } from './timing.js';

export interface PerfTimingOptions {
  /** Typical lengths the engine is sized for (the KV cache holds max batch x their sum). */
  inputTokens: number;
  outputTokens: number;
  /** Tensor-parallel degree of the emulated replica; default 1. */
  tp?: number;
  precision?: PerfPrecision;
  /** Cap on concurrent sequences (an engine's max_num_seqs, e.g. vLLM's default 256). */
  maxBatchCap?: number;
}

/**
 * Timing from the performance model: the max batch and KV capacity from its memory fit, prefill
 * time per prompt token from its prefill estimate, and the decode step at each batch size from
 * its TPOT at that concurrency (a table at powers of two, interpolated between them).
 */
export function perfTiming(model: ModelSpec, chip: ChipSpec, o: PerfTimingOptions): EmulatorTiming {
  const tp = o.tp ?? 1;
  const req = { model, chip, cards: tp, tp, inputTokens: o.inputTokens, outputTokens: o.outputTokens, ...(o.precision ? { precision: o.precision } : {}) };
  const base = estimateInfer(req);
  if (base.kind !== 'inference') throw invalid(`The performance model cannot time ${model.id} on ${chip.id}: ${base.reason}.`);
  const maxBatch = Math.max(1, Math.min(o.maxBatchCap ?? 256, base.maxBatchByMemory));
  const points: [number, number][] = [];
  for (let b = 1; ; b = Math.min(b * 2, maxBatch)) {
    const e = estimateInfer({ ...req, batch: b });
    if (e.kind === 'inference') points.push([b, e.tpotMs]);
    if (b >= maxBatch) break;
  }
  if (points.length === 0) throw invalid(`The performance model gave no decode time for ${model.id} on ${chip.id}.`);
  const prefillPerToken = base.prefillMs / o.inputTokens;
  return {
    source: `perf: ${model.id} on ${chip.id}, tp ${tp}, confidence ${base.confidence}`,
    maxBatch,
    kvCapacityTokens: base.maxBatchByMemory * (o.inputTokens + o.outputTokens),
    maxContextTokens: null,
    prefillMs: (promptTokens) => prefillPerToken * promptTokens,
    decodeStepMs: (batch) => interpolate(points, batch),
  };
}

function interpolate(points: readonly [number, number][], x: number): number {
  const first = points[0] as [number, number];
  if (x <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i] as [number, number];
    const [x0, y0] = points[i - 1] as [number, number];
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return (points[points.length - 1] as [number, number])[1];
}
