/**
 * Inference estimate for one layout (TP x PP per replica, replicas = cards / (tp * pp)): the largest
 * concurrency the KV cache allows, then a roofline of one continuous-batching iteration in steady
 * state (every running sequence decodes one token while new prompts are prefilled at the rate they
 * arrive), giving TPOT, TTFT and output tokens/s at maximum load or at the SLO.
 */
import { invalid } from '../lib/errors.js';
import { modelShape, type ModelShape } from '../workload/models/shape.js';
import { chipFigures, computePeak, figureAssumption, profileAssumption, type ChipFigures } from './chip-figures.js';
import { ConfidenceTracker, explainer, type EstimateOptions, type Explain } from './confidence.js';
import { roundMem } from './train.js';
import type { Assumption, CannotEstimate, InferEstimate, InferRequest, InferResult, Infeasible, LengthBucket } from './types.js';
import { GiB, positiveInt, positiveNumber, round } from './validate-input.js';

const WEIGHT_BYTES: Record<string, number> = { bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 };

interface Lengths {
  meanInput: number;
  meanOutput: number;
  /** Mean context length seen by a decode step (input + half the output, weighted by output tokens). */
  decodeCtx: number;
  /** Mean reserved KV length per sequence (input + output). */
  reserveCtx: number;
  /** The prompt TTFT is reported for: the 90th percentile of input lengths (by weight); the input itself when fixed. */
  ttftInput: number;
}

export function validateInferRequest(req: InferRequest): void {
  positiveInt('cards', req.cards);
  positiveInt('tp', req.tp, true);
  positiveInt('pp', req.pp, true);
  positiveInt('batch', req.batch, true);
  positiveNumber('ttft-ms', req.ttftMs, true);
  positiveNumber('tpot-ms', req.tpotMs, true);
  if (req.lengths) {
    if (req.lengths.length === 0) throw invalid('lengths must list at least one input/output bucket.');
    req.lengths.forEach((b, i) => {
      positiveInt(`lengths[${i}].inputTokens`, b.inputTokens);
      positiveInt(`lengths[${i}].outputTokens`, b.outputTokens);
      positiveNumber(`lengths[${i}].weight`, b.weight, true);
    });
  } else {
    positiveInt('input', req.inputTokens);
    positiveInt('output', req.outputTokens);
  }
}

export function lengthsOf(req: InferRequest): Lengths {
  const buckets: LengthBucket[] = req.lengths ?? [{ inputTokens: req.inputTokens ?? 1, outputTokens: req.outputTokens ?? 1 }];
  let w = 0;
  let inSum = 0;
  let outSum = 0;
  let ctxOut = 0;
  let reserve = 0;
  const byInput: { input: number; weight: number }[] = [];
  for (const b of buckets) {
    const wt = b.weight ?? 1;
    w += wt;
    inSum += wt * b.inputTokens;
    outSum += wt * b.outputTokens;
    ctxOut += wt * b.outputTokens * (b.inputTokens + b.outputTokens / 2);
    reserve += wt * (b.inputTokens + b.outputTokens);
    byInput.push({ input: b.inputTokens, weight: wt });
  }
  byInput.sort((a, b) => a.input - b.input);
  let acc = 0;
  let ttftInput = byInput[byInput.length - 1]?.input ?? 1;
  for (const x of byInput) {
    acc += x.weight;
    if (acc >= 0.9 * w) {
      ttftInput = x.input;
      break;
    }
  }
  return { meanInput: inSum / w, meanOutput: outSum / w, decodeCtx: ctxOut / outSum, reserveCtx: reserve / w, ttftInput };
}

/** Why this TP/PP cannot serve the model on these cards, or null. */
export function inferLayoutProblem(req: InferRequest, tp: number, pp: number): string | null {
  const m = req.model;
  if (tp * pp > req.cards) return `tp x pp = ${tp * pp} needs more cards than the ${req.cards} given`;
  if (req.cards % (tp * pp) !== 0) return `cards (${req.cards}) must be a multiple of tp x pp (${tp * pp})`;
  if (m.heads % tp !== 0) return `tp (${tp}) must divide the ${m.heads} attention heads of ${m.id}`;
  if (!m.mla && m.kvHeads % tp !== 0 && tp % m.kvHeads !== 0) return `tp (${tp}) and the ${m.kvHeads} KV heads of ${m.id} must divide one another`;
  if (pp > m.layers) return `pp (${pp}) exceeds the ${m.layers} layers of ${m.id}`;
  return null;
}

interface StepModel {
  /** Iteration time at concurrency b, seconds, and its dominant term. */
  step(b: number): { sec: number; bound: InferEstimate['decodeBound'] };
  prefillSec: number;
}

export function estimateInfer(req: InferRequest, opts: EstimateOptions = {}): InferResult {
  validateInferRequest(req);
  const tp = req.tp ?? req.cards;
  const pp = req.pp ?? 1;
  const f = chipFigures(req.chip, req.declared);
  const prof = f.profile;
  const precision = req.precision ?? 'bf16';
  const assumptions: Assumption[] = [];
  const explain = explainer(assumptions, opts.explain === false);
  const conf = new ConfidenceTracker();
  const peak = computePeak(f, precision);
  const missing: string[] = [];
  if (peak.value === null) missing.push(precision === 'fp8' ? 'densePeak.fp8Tflops' : 'densePeak.bf16Tflops');
  if (f.memBandwidthGBps.value === null) missing.push('memBandwidthGBps');
  if (f.memoryGiB.value === null) missing.push('memoryGiB');
  if (missing.length > 0) return cannot(req, missing, precision === 'fp8' && missing.length === 1 && f.peak16Tflops.value !== null ? `${req.chip.id} has no known FP8 peak (no FP8 units, or not published); use bf16, int8 or int4 weights` : undefined);
  const layoutProblem = inferLayoutProblem(req, tp, pp);
  if (layoutProblem) return infeasible(layoutProblem, assumptions, conf);
  const peakTflops = peak.value as number;
  const bwGBps = f.memBandwidthGBps.value as number;
  const memGiB = f.memoryGiB.value as number;
  explain(() => figureAssumption(`${precision === 'fp8' ? 'fp8' : '16-bit'} dense peak`, peak, 'TFLOPS'), () => figureAssumption('memory bandwidth', f.memBandwidthGBps, 'GB/s'), () => figureAssumption('memory', f.memoryGiB, 'GiB'));
  conf.figure('peak compute', peak);
  conf.figure('memory bandwidth', f.memBandwidthGBps);
  conf.figure('memory capacity', f.memoryGiB);
  if (req.model.synthesized) conf.note('low', `model shape of ${req.model.id} is synthesised from its parameter count, not a published configuration`);
  if (precision === 'int8' || precision === 'int4') explain(() => ({ name: 'weight-only quantisation', value: precision, origin: 'assumed', note: 'weights stored in low precision and dequantised; matmuls run at the 16-bit peak' }));

  const shape = modelShape(req.model);
  const len = lengthsOf(req);
  const kvPrecision = req.kvPrecision ?? (precision === 'fp8' ? 'fp8' : 'bf16');
  const kvBytes = kvPrecision === 'fp8' ? 1 : 2;
  const weightBytes = WEIGHT_BYTES[precision] ?? 2;
  const cardsPerReplica = tp * pp;
  const replicas = req.cards / cardsPerReplica;
  const weightsPerCardB = (shape.totalParams * weightBytes) / cardsPerReplica;
  const kvSplit = shape.kvReplicatedAcrossTp ? 1 : Math.min(tp, req.model.kvHeads);
  const kvPerTokenCardB = (shape.kvElemsPerToken * kvBytes) / pp / kvSplit;
  const overheadB = prof.inferOverheadGiB.value * GiB;
  const kvBudgetB = (memGiB * GiB - weightsPerCardB - overheadB) * prof.memoryUsable.value;
  explain(() => ({ name: 'KV cache precision', value: kvPrecision, origin: req.kvPrecision ? 'declared' : 'assumed' }), () => profileAssumption('usable share of free memory for the KV cache', prof.memoryUsable, 'fraction', prof.id), () => ({ name: 'KV reservation', value: round(len.reserveCtx, 4), unit: 'tokens per sequence', origin: 'assumed', note: 'input + output reserved up front (no eviction), as TensorRT-LLM GUARANTEED_NO_EVICT does' }));
  const weightsGiB = weightsPerCardB / GiB;
  if (kvBudgetB <= 0) {
    const r = infeasible(
      `does not fit: weights alone need ${round(weightsGiB, 3)} GiB per card at ${precision} over tp ${tp} x pp ${pp}, ${round(memGiB, 3)} GiB per card; use more cards or a lower precision`,
      assumptions,
      conf,
    );
    return { ...r, fits: false, memoryPerCardGiB: round(weightsGiB + prof.inferOverheadGiB.value, 4), memoryAvailableGiB: memGiB };
  }
  const maxBatchByMemory = Math.floor(kvBudgetB / (kvPerTokenCardB * len.reserveCtx));
  if (maxBatchByMemory < 1) {
    const needGiB = weightsGiB + prof.inferOverheadGiB.value + (kvPerTokenCardB * len.reserveCtx) / GiB / prof.memoryUsable.value;
    const r = infeasible(`does not fit: one sequence of ${round(len.reserveCtx, 4)} tokens needs ${round((kvPerTokenCardB * len.reserveCtx) / GiB, 3)} GiB of KV cache per card, ${round(kvBudgetB / GiB, 3)} GiB left after weights`, assumptions, conf);
    return { ...r, fits: false, memoryPerCardGiB: round(needGiB, 4), memoryAvailableGiB: memGiB };
  }
  const engineCap = prof.maxBatch.value;
  explain(() => profileAssumption('engine concurrency cap', prof.maxBatch, 'sequences', prof.id));

  const sm = stepModel(req, f, shape, len, { tp, pp, peakTflops, peak16Tflops: f.peak16Tflops.value ?? peakTflops, bwGBps, weightBytes, kvPerTokenCardB, weightsPerCardB }, explain, conf);
  const cap = Math.max(1, Math.min(maxBatchByMemory, engineCap));
  // Alone, the first token comes out of the prefill pass; under load a new prompt also waits for
  // the running iteration (which then carries its prefill chunk).
  const ttftOf = (b: number): number => sm.prefillSec + (b > 1 ? sm.step(b).sec : 0);
  let batch: number;
  let operatingPoint: InferEstimate['operatingPoint'];
  const hasSlo = req.ttftMs !== undefined || req.tpotMs !== undefined;
  const meets = (b: number): boolean => (req.tpotMs === undefined || sm.step(b).sec * 1e3 <= req.tpotMs) && (req.ttftMs === undefined || ttftOf(b) * 1e3 <= req.ttftMs);
  if (req.batch !== undefined) {
    if (req.batch > maxBatchByMemory) {
      const r = infeasible(`batch ${req.batch} does not fit: the KV cache holds at most ${maxBatchByMemory} sequences of ${round(len.reserveCtx, 4)} tokens per replica`, assumptions, conf);
      return { ...r, fits: false };
    }
    batch = req.batch;
    operatingPoint = 'fixed-batch';
  } else if (hasSlo) {
    if (!meets(1)) {
      const s1 = sm.step(1).sec * 1e3;
      const t1 = ttftOf(1) * 1e3;
      const parts: string[] = [];
      if (req.tpotMs !== undefined && s1 > req.tpotMs) parts.push(`TPOT is ${round(s1, 3)} ms > ${req.tpotMs} ms`);
      if (req.ttftMs !== undefined && t1 > req.ttftMs) parts.push(`TTFT is ${round(t1, 3)} ms > ${req.ttftMs} ms`);
      const shortfall = Math.max(req.tpotMs !== undefined ? s1 / req.tpotMs : 0, req.ttftMs !== undefined ? t1 / req.ttftMs : 0);
      return { ...infeasible(`SLO cannot be met on ${req.cards} x ${req.chip.id} with tp ${tp} x pp ${pp}: even one request at a time, ${parts.join(' and ')}`, assumptions, conf), sloShortfall: round(shortfall, 4) };
    }
    let lo = 1;
    let hi = cap;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (meets(mid)) lo = mid;
      else hi = mid - 1;
    }
    batch = lo;
    operatingPoint = 'slo';
  } else {
    batch = cap;
    operatingPoint = 'max-load';
  }
  const st = sm.step(batch);
  const tpotSec = st.sec;
  const ttftSec = ttftOf(batch);
  const perReplica = batch / tpotSec;
  const total = perReplica * replicas;
  const perCard = total / req.cards;
  const price = f.cnyPerHour.value;
  const power = f.powerW.value;
  if (price === null) explain(() => ({ name: 'price per card-hour', value: null, origin: 'unknown', note: 'no price in the catalog or declaration: cost unknown' }));
  else explain(() => figureAssumption('price per card-hour', f.cnyPerHour, 'CNY'));
  if (power !== null) explain(() => figureAssumption('power per card (TDP; an upper bound on draw)', f.powerW, 'W'));
  const kvGiB = (batch * len.reserveCtx * kvPerTokenCardB) / GiB;
  const memTotal = weightsGiB + kvGiB + prof.inferOverheadGiB.value;
  return {
    kind: 'inference',
    model: req.model.id,
    chip: req.chip.id,
    cards: req.cards,
    layout: { tp, pp, replicas },
    precision,
    kvPrecision,
    fits: true,
    batch,
    maxBatchByMemory,
    memoryPerCardGiB: round(memTotal, 4),
    memoryAvailableGiB: memGiB,
    memory: roundMem({ weights: weightsGiB, gradients: 0, optimizer: 0, activations: 0, kvCache: kvGiB, overhead: prof.inferOverheadGiB.value, total: memTotal }),
    meanInputTokens: round(len.meanInput, 5),
    meanOutputTokens: round(len.meanOutput, 5),
    prefillMs: round(sm.prefillSec * 1e3, 4),
    ttftInputTokens: len.ttftInput,
    ttftMs: round(ttftSec * 1e3, 4),
    tpotMs: round(tpotSec * 1e3, 4),
    decodeBound: st.bound,
    outputTokensPerSecPerReplica: round(perReplica, 5),
    outputTokensPerSecTotal: round(total, 5),
    outputTokensPerSecPerCard: round(perCard, 5),
    requestsPerSec: round(total / len.meanOutput, 5),
    operatingPoint,
    slo: { ttftMs: req.ttftMs ?? null, tpotMs: req.tpotMs ?? null, met: hasSlo ? meets(batch) : true },
    costCnyPerMillionOutputTokens: price === null ? null : round(((price * cardsPerReplica) / 3600 / perReplica) * 1e6, 4),
    energyJPerOutputToken: power === null ? null : round((power * cardsPerReplica) / perReplica, 4),
    confidence: conf.level,
    confidenceReasons: conf.reasons,
    assumptions,
  };
}

interface StepInputs {
  peak16Tflops: number;
  tp: number;
  pp: number;
  peakTflops: number;
  bwGBps: number;
  weightBytes: number;
  kvPerTokenCardB: number;
  weightsPerCardB: number;
}

function stepModel(req: InferRequest, f: ChipFigures, shape: ModelShape, len: Lengths, s: StepInputs, explain: Explain, conf: ConfidenceTracker): StepModel {
  const prof = f.profile;
  const m = req.model;
  const N = shape.matmulParamsPerToken;
  const effC = prof.inferCompute.value;
  const effM = prof.memBandwidth.value;
  const rp = prof.rooflineExponent.value;
  conf.efficiency('inference compute efficiency', prof.inferCompute, prof);
  conf.efficiency('memory-bandwidth efficiency', prof.memBandwidth, prof);
  explain(() => profileAssumption('inference compute efficiency', prof.inferCompute, 'fraction of peak', prof.id), () => profileAssumption('memory-bandwidth efficiency', prof.memBandwidth, 'fraction of peak', prof.id), () => profileAssumption('iteration overhead', prof.iterationOverheadMs, 'ms', prof.id));
  const cardsPerReplica = s.tp * s.pp;
  const flopsRate = s.peakTflops * 1e12 * effC;
  const byteRate = s.bwGBps * 1e9 * effM;
  const overheadSec = prof.iterationOverheadMs.value / 1e3;
  const cardsPerServer = f.cardsPerServer.value ?? 8;
  const link = f.cardLinkGBps.value;
  const net = f.networkGBpsPerCard.value ?? prof.networkGBpsPerCard.value;
  let commBw = 0;
  if (s.tp > 1) {
    if (s.tp > cardsPerServer) {
      commBw = net * 1e9;
      conf.note('medium', `tp ${s.tp} spans servers: all-reduce over the network`);
    } else if (link === null) {
      commBw = net * 1e9;
      conf.note('low', 'card-to-card link bandwidth unknown: TP all-reduce costed at the network rate');
    } else {
      commBw = (link / 2) * 1e9 * prof.cardLink.value;
      conf.figure('card-to-card link', f.cardLinkGBps);
      explain(() => figureAssumption('card-to-card link (bidirectional; half used per direction)', f.cardLinkGBps, 'GB/s'), () => profileAssumption('collective bus-bandwidth efficiency', prof.cardLink, 'fraction', prof.id));
    }
  }
  const latency = prof.collectiveLatencyUs.value * 1e-6;
  const commSec = (tokens: number): number => (s.tp > 1 ? 2 * m.layers * (((2 * (s.tp - 1)) / s.tp) * tokens * m.hiddenSize * 2 / commBw + latency) : 0);
  const moe = m.moe;
  const nonExpertBytesPerCard = ((shape.totalParams - shape.routedExpertParams) * s.weightBytes) / cardsPerReplica;
  const weightReadBytes = (tokens: number): number => {
    if (!moe) return s.weightsPerCardB * s.pp;
    const touched = moe.routedExperts * (1 - Math.pow(1 - moe.activeExperts / moe.routedExperts, tokens));
    return (nonExpertBytesPerCard + (shape.moeLayers * touched * shape.paramsPerExpert * s.weightBytes) / cardsPerReplica) * s.pp;
  };
  const prefillTokensPerSeqStep = len.meanInput / len.meanOutput;
  // Attention kernels run at the 16-bit peak even when the GEMMs use FP8.
  const attnRate = Math.min(s.peakTflops, s.peak16Tflops) * 1e12 * effC;
  const step = (b: number): { sec: number; bound: InferEstimate['decodeBound'] } => {
    const prefillTokens = b * prefillTokensPerSeqStep;
    const tokens = b + prefillTokens;
    // Kernels of one iteration run one after another: the GEMMs (all tokens, weights streamed
    // once), then decode attention (streams the KV cache), then prefill attention (compute).
    const gemmCompute = (tokens * 2 * N) / cardsPerReplica / flopsRate;
    const gemmMemory = weightReadBytes(tokens) / byteRate;
    const decodeAttnMemory = (b * len.decodeCtx * s.kvPerTokenCardB + prefillTokens * s.kvPerTokenCardB) / byteRate;
    const decodeAttnCompute = (b * shape.attnFlopsPerTokenPerCtx * len.decodeCtx) / cardsPerReplica / attnRate;
    const prefillAttn = (prefillTokens * shape.attnFlopsPerTokenPerCtx * len.meanInput) / 2 / cardsPerReplica / attnRate;
    const comm = commSec(tokens);
    const compute = Math.max(gemmCompute - gemmMemory, 0) + Math.max(decodeAttnCompute - decodeAttnMemory, 0) + prefillAttn;
    const memory = Math.max(gemmMemory, gemmCompute) - Math.max(gemmCompute - gemmMemory, 0) + Math.max(decodeAttnMemory, decodeAttnCompute) - Math.max(decodeAttnCompute - decodeAttnMemory, 0);
    const sec = (gemmCompute ** rp + gemmMemory ** rp) ** (1 / rp) + Math.max(decodeAttnMemory, decodeAttnCompute) + prefillAttn + comm + overheadSec;
    const terms: [InferEstimate['decodeBound'], number][] = [
      ['compute', compute],
      ['memory', memory],
      ['communication', comm],
      ['overhead', overheadSec],
    ];
    return { sec, bound: terms.reduce((x, y) => (y[1] > x[1] ? y : x))[0] };
  };
  // One prompt alone: pipeline stages run one after another, so only TP divides its FLOPs.
  const prefillSec = (((len.ttftInput * 2 * N) / s.tp / flopsRate) ** rp + (weightReadBytes(len.ttftInput) / byteRate) ** rp) ** (1 / rp) + (len.ttftInput * shape.attnFlopsPerTokenPerCtx * len.ttftInput) / 2 / s.tp / attnRate + commSec(len.ttftInput) + overheadSec;
  return { step, prefillSec };
}

function cannot(req: InferRequest, missing: string[], reason?: string): CannotEstimate {
  return {
    kind: 'cannot-estimate',
    reason: reason ?? `cannot estimate ${req.model.id} on ${req.chip.id}: the catalog does not know ${missing.join(', ')} and nothing was declared (declare it, e.g. from a fleet contract)`,
    missing,
    assumptions: [],
    confidence: 'low',
  };
}

function infeasible(reason: string, assumptions: Assumption[], conf: ConfidenceTracker): Infeasible {
  return { kind: 'infeasible', reason, fits: true, assumptions, confidence: conf.level, confidenceReasons: conf.reasons };
}
