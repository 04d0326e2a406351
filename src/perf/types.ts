/**
 * Types of the performance model. Every estimate says what it assumed (`assumptions`), which
 * figures it used with their sources, and how much to trust it (`confidence`). An estimate that
 * cannot be made says so (`kind: 'cannot-estimate'`) instead of returning a number.
 */
import type { ChipSpec } from '../catalog/types.js';
import type { ModelSpec } from '../workload/models/types.js';

/** How much to trust an estimate: `high` only when every figure is a datasheet value and the efficiency was fitted to measurements on that chip and stack. */
export const EstimateConfidence = { high: 'high', medium: 'medium', low: 'low' } as const;
export type EstimateConfidence = (typeof EstimateConfidence)[keyof typeof EstimateConfidence];

/** Where a figure used by an estimate came from. */
export const FigureOrigin = {
  datasheet: 'datasheet',
  press: 'press',
  derived: 'derived',
  declared: 'declared',
  calibrated: 'calibrated',
  published: 'published',
  assumed: 'assumed',
  unknown: 'unknown',
} as const;
export type FigureOrigin = (typeof FigureOrigin)[keyof typeof FigureOrigin];

/** One figure or choice an estimate relied on. */
export interface Assumption {
  /** What it is, e.g. `bf16 peak`, `decode memory-bandwidth efficiency`. */
  name: string;
  value: number | string | null;
  unit?: string;
  origin: FigureOrigin;
  source?: string;
  note?: string;
}

/** Precisions an estimate can run at. `int8`/`int4` are weight-only (activations bf16), `fp8` is W8A8 where the chip has FP8 units. */
export const PerfPrecision = { bf16: 'bf16', fp16: 'fp16', fp8: 'fp8', int8: 'int8', int4: 'int4' } as const;
export type PerfPrecision = (typeof PerfPrecision)[keyof typeof PerfPrecision];

/** Figures an operator declares for a chip when the catalog lacks them (e.g. from a fleet contract). */
export interface DeclaredChipFigures {
  /** Dense 16-bit compute per card, TFLOPS. */
  bf16Tflops?: number;
  fp8Tflops?: number;
  memBandwidthGBps?: number;
  memoryGiB?: number;
  cardLinkGBps?: number;
  /** Inter-server network bandwidth per card, GB/s. */
  networkGBpsPerCard?: number;
  powerW?: number;
  priceCnyPerHour?: number;
  /** Where the declaration comes from (contract, report). */
  source: string;
}

export interface ParallelLayout {
  tp: number;
  pp: number;
  dp: number;
  /** Context (sequence) parallel degree; training only. */
  cp: number;
  /** Expert parallel degree for MoE (inside DP x TP); 1 for dense. */
  ep: number;
}

export const Recompute = { none: 'none', selective: 'selective', full: 'full' } as const;
export type Recompute = (typeof Recompute)[keyof typeof Recompute];

export interface TrainRequest {
  model: ModelSpec;
  chip: ChipSpec;
  cards: number;
  seqLen: number;
  /** Tokens per optimizer step over all replicas; default 4Mi tokens (Llama 2/3 pretraining) rounded to whole micro-batches. */
  globalBatchTokens?: number;
  precision?: 'bf16' | 'fp16' | 'fp8';
  method?: 'full' | 'lora';
  /** LoRA rank (all linear layers adapted); default 16. */
  loraRank?: number;
  /** Base-weight precision under LoRA (`int4` = QLoRA); default the compute precision. */
  loraBasePrecision?: PerfPrecision;
  tp?: number;
  pp?: number;
  cp?: number;
  ep?: number;
  /** ZeRO stage of the data-parallel optimizer (Megatron's distributed optimizer = 1); default 1. */
  zero?: 0 | 1 | 2 | 3;
  /** Sequences per micro-batch; default 1. */
  microBatchSeqs?: number;
  /** Virtual pipeline stages per card (interleaved 1F1B); default 1. */
  virtualStages?: number;
  /** Activation recomputation; default: the least recomputation that fits. */
  recompute?: Recompute;
  /** Tokens to process, for time/energy/cost; default 1e9. */
  tokens?: number;
  declared?: DeclaredChipFigures;
}

export interface LengthBucket {
  inputTokens: number;
  outputTokens: number;
  /** Relative share of requests; default 1. */
  weight?: number;
}

export interface InferRequest {
  model: ModelSpec;
  chip: ChipSpec;
  cards: number;
  /** Tensor parallel degree; default: all cards (one replica). Cards / (tp * pp) replicas. */
  tp?: number;
  pp?: number;
  precision?: PerfPrecision;
  /** KV-cache precision; default bf16 (fp8 when the precision is fp8 and the chip has FP8). */
  kvPrecision?: 'bf16' | 'fp8';
  inputTokens?: number;
  outputTokens?: number;
  /** A length distribution instead of fixed lengths. */
  lengths?: LengthBucket[];
  ttftMs?: number;
  tpotMs?: number;
  /** Concurrency to evaluate instead of the maximum (or the largest meeting the SLO). */
  batch?: number;
  declared?: DeclaredChipFigures;
}

/** What an estimate could not do, and why. */
export interface CannotEstimate {
  kind: 'cannot-estimate';
  reason: string;
  /** Figures that were needed and unknown. */
  missing: string[];
  assumptions: Assumption[];
  confidence: 'low';
}

export interface Infeasible {
  kind: 'infeasible';
  reason: string;
  /** False when memory is the reason (the model or its KV cache does not fit); true otherwise (layout, SLO). */
  fits: boolean;
  assumptions: Assumption[];
  confidence: EstimateConfidence;
  confidenceReasons: string[];
  /** Memory per card needed by the smallest configuration tried, GiB, when memory was the problem. */
  memoryPerCardGiB?: number;
  memoryAvailableGiB?: number;
  /** For a missed SLO: how far off even one request at a time is (latency / SLO, > 1). */
  sloShortfall?: number;
}

export interface MemoryBreakdownGiB {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  kvCache: number;
  overhead: number;
  total: number;
}

export interface TrainEstimate {
  kind: 'train';
  model: string;
  chip: string;
  cards: number;
  layout: ParallelLayout & { zero: number; microBatchSeqs: number; microBatches: number; virtualStages: number; recompute: Recompute };
  precision: string;
  method: 'full' | 'lora';
  fits: true;
  memoryPerCardGiB: number;
  memoryAvailableGiB: number;
  memory: MemoryBreakdownGiB;
  globalBatchTokens: number;
  stepTimeSec: number;
  /** Step time split: compute (incl. recompute), exposed communication, pipeline bubble. */
  stepBreakdownSec: { compute: number; tpComm: number; cpComm: number; dpComm: number; epComm: number; ppComm: number; bubble: number; memoryBound: number };
  bottleneck: 'compute' | 'memory' | 'communication' | 'pipeline-bubble';
  tokensPerSec: number;
  tokensPerSecPerCard: number;
  /** Model FLOPs per token (6N + 12·L·s·d convention, as NeMo and PaLM count MFU). */
  modelFlopsPerToken: number;
  tflopsPerCard: number;
  mfu: number;
  peakTflopsPerCard: number;
  tokens: number;
  timeSec: number;
  energyKWh: number | null;
  costCny: number | null;
  confidence: EstimateConfidence;
  confidenceReasons: string[];
  assumptions: Assumption[];
}

export interface InferEstimate {
  kind: 'inference';
  model: string;
  chip: string;
  cards: number;
  layout: { tp: number; pp: number; replicas: number };
  precision: string;
  kvPrecision: string;
  fits: true;
  /** Concurrent sequences per replica. */
  batch: number;
  /** Largest concurrency the KV cache allows per replica (before engine caps and SLOs). */
  maxBatchByMemory: number;
  memoryPerCardGiB: number;
  memoryAvailableGiB: number;
  memory: MemoryBreakdownGiB;
  meanInputTokens: number;
  meanOutputTokens: number;
  /** Time to prefill one prompt alone, ms. */
  prefillMs: number;
  /** The prompt length TTFT and prefill refer to: the input, or the 90th percentile of a distribution. */
  ttftInputTokens: number;
  ttftMs: number;
  tpotMs: number;
  decodeBound: 'compute' | 'memory' | 'communication' | 'overhead';
  outputTokensPerSecPerReplica: number;
  outputTokensPerSecTotal: number;
  outputTokensPerSecPerCard: number;
  requestsPerSec: number;
  /** `max-load` without an SLO, `slo` when the batch was limited to meet it, `fixed-batch` when the caller set one. */
  operatingPoint: 'max-load' | 'slo' | 'fixed-batch';
  slo: { ttftMs: number | null; tpotMs: number | null; met: boolean };
  costCnyPerMillionOutputTokens: number | null;
  energyJPerOutputToken: number | null;
  confidence: EstimateConfidence;
  confidenceReasons: string[];
  assumptions: Assumption[];
}

export type TrainResult = TrainEstimate | Infeasible | CannotEstimate;
export type InferResult = InferEstimate | Infeasible | CannotEstimate;
