/**
 * Training and fine-tuning estimate for one parallel layout: memory per card and fit, step time
 * split into compute, communication and pipeline bubble, tokens/s, achieved TFLOPS, MFU, and the
 * time, energy and cost of a token budget. Roofline first, then the chip+stack efficiency profile.
 */
import { invalid } from '../lib/errors.js';
import { modelShape } from '../workload/models/shape.js';
import { chipFigures, computePeak, figureAssumption, profileAssumption } from './chip-figures.js';
import { ConfidenceTracker, explainer, type EstimateOptions } from './confidence.js';
import type { Assumption, CannotEstimate, Infeasible, MemoryBreakdownGiB, Recompute, TrainEstimate, TrainRequest, TrainResult } from './types.js';
import { GiB, positiveInt, positiveNumber, round } from './validate-input.js';

const DEFAULT_GLOBAL_BATCH_TOKENS = 4 * 1024 * 1024;
const DEFAULT_TOKENS = 1e9;
/**
 * Mixed precision as Megatron-Core runs it in NeMo recipes: bf16 weights, bf16 gradient buffers
 * (grad_reduce_in_fp32 off), fp32 master weights + Adam m and v in the (distributed) optimizer.
 */
const BYTES = { weight16: 2, grad: 2, optimizer: 12 } as const;
const WEIGHT_BYTES: Record<string, number> = { bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 };
/**
 * With flash attention there is no s^2 score tensor to drop, so selective recomputation (attention
 * core only) saves little: the softmax statistics and attention inputs, taken as 15% of a layer's
 * stored activations (assumption, reported in the result).
 */
const SELECTIVE_ACTIVATION_SHARE = 0.85;
/** GEMMs narrower than a few thousand columns reach less of the peak: factor w / (w + GEMM_HALF_WIDTH), normalised at w = 4096. */
const GEMM_HALF_WIDTH = 256;
/** No efficiency, however scaled, exceeds this share of peak. */
const MAX_EFFICIENCY = 0.95;

export function validateTrainRequest(req: TrainRequest): void {
  positiveInt('cards', req.cards);
  positiveInt('seq', req.seqLen);
  positiveInt('global batch tokens', req.globalBatchTokens, true);
  positiveInt('tp', req.tp, true);
  positiveInt('pp', req.pp, true);
  positiveInt('cp', req.cp, true);
  positiveInt('ep', req.ep, true);
  positiveInt('micro-batch sequences', req.microBatchSeqs, true);
  positiveInt('virtual stages', req.virtualStages, true);
  positiveInt('LoRA rank', req.loraRank, true);
  positiveNumber('tokens', req.tokens, true);
  if (req.zero !== undefined && ![0, 1, 2, 3].includes(req.zero)) throw invalid(`zero must be 0, 1, 2 or 3 (got ${String(req.zero)}).`);
}

/** Why a layout cannot work for this model and card count, or null when it can. */
export function trainLayoutProblem(req: TrainRequest, tp: number, pp: number, cp: number): string | null {
  const m = req.model;
  if (tp * pp * cp > req.cards) return `tp x pp x cp = ${tp * pp * cp} needs more cards than the ${req.cards} given`;
  if (req.cards % (tp * pp * cp) !== 0) return `cards (${req.cards}) must be a multiple of tp x pp x cp (${tp * pp * cp})`;
  if (m.heads % tp !== 0) return `tp (${tp}) must divide the ${m.heads} attention heads of ${m.id}`;
  if (!m.mla && m.kvHeads % tp !== 0 && tp % m.kvHeads !== 0) return `tp (${tp}) and the ${m.kvHeads} KV heads of ${m.id} must divide one another`;
  if (pp > m.layers) return `pp (${pp}) exceeds the ${m.layers} layers of ${m.id}`;
  if (req.seqLen % cp !== 0) return `cp (${cp}) must divide the sequence length (${req.seqLen})`;
  return null;
}

/**
 * Estimates one training layout. Knobs the caller leaves open are chosen by the model: the least
 * activation recomputation that fits, and (with pp > 1) the number of interleaved virtual
 * pipeline stages that gives the shortest step.
 */
export function estimateTrain(req: TrainRequest, opts: EstimateOptions = {}): TrainResult {
  validateTrainRequest(req);
  const pp = req.pp ?? 1;
  if (pp <= 1 || req.virtualStages !== undefined) return estimateTrainOnce(req, opts.explain === false);
  const layersPerStage = Math.floor(req.model.layers / pp);
  let best: TrainResult | undefined;
  for (let v = 1; v <= Math.min(layersPerStage, 16); v++) {
    if (layersPerStage % v !== 0) continue;
    const r = estimateTrainOnce({ ...req, virtualStages: v }, true);
    if (!best || (r.kind === 'train' && (best.kind !== 'train' || r.tokensPerSec > best.tokensPerSec))) best = r;
  }
  const v = best?.kind === 'train' ? best.layout.virtualStages : 1;
  return estimateTrainOnce({ ...req, virtualStages: v }, opts.explain === false);
}

function estimateTrainOnce(req: TrainRequest, lean: boolean): TrainResult {
  const tp = req.tp ?? 1;
  const pp = req.pp ?? 1;
  const cp = req.cp ?? 1;
  const f = chipFigures(req.chip, req.declared);
  const prof = f.profile;
  const precision = req.precision ?? 'bf16';
  const method = req.method ?? 'full';
  const assumptions: Assumption[] = [];
  const explain = explainer(assumptions, lean);
  const conf = new ConfidenceTracker();
  const peak = computePeak(f, precision);
  const missing: string[] = [];
  if (peak.value === null) missing.push(precision === 'fp8' ? 'densePeak.fp8Tflops' : 'densePeak.bf16Tflops');
  if (f.memoryGiB.value === null) missing.push('memoryGiB');
  if (missing.length > 0) return cannot(req, missing, precision === 'fp8' && f.peak16Tflops.value !== null ? `${req.chip.id} has no known FP8 peak (no FP8 units, or not published); use bf16` : undefined);
  const peakTflops = peak.value as number;
  const memGiB = f.memoryGiB.value as number;
  explain(() => figureAssumption(`${precision === 'fp8' ? 'fp8' : '16-bit'} dense peak`, peak, 'TFLOPS'), () => figureAssumption('memory', f.memoryGiB, 'GiB'));
  conf.figure('peak compute', peak);
  conf.figure('memory capacity', f.memoryGiB);
  if (req.model.synthesized) conf.note('low', `model shape of ${req.model.id} is synthesised from its parameter count, not a published configuration`);

  const layoutProblem = trainLayoutProblem(req, tp, pp, cp);
  if (layoutProblem) return infeasible(layoutProblem, assumptions, conf);
  const dp = req.cards / (tp * pp * cp);
  const shape = modelShape(req.model);
  const moe = req.model.moe;
  const ep = moe ? (req.ep ?? largestDivisorAtMost(dp * tp, moe.routedExperts)) : 1;
  if (moe && (moe.routedExperts % ep !== 0 || (dp * tp) % ep !== 0)) return infeasible(`ep (${ep}) must divide both the ${moe.routedExperts} experts and dp x tp (${dp * tp})`, assumptions, conf);
  const zero = req.zero ?? 1;
  const mbs = req.microBatchSeqs ?? 1;
  const vpp = req.virtualStages ?? 1;
  const mbTokens = mbs * req.seqLen;
  const perStepUnit = dp * mbTokens;
  const requestedG = req.globalBatchTokens ?? DEFAULT_GLOBAL_BATCH_TOKENS;
  const microBatches = Math.max(1, Math.ceil(requestedG / perStepUnit));
  const G = microBatches * perStepUnit;
  if (req.globalBatchTokens === undefined) explain(() => ({ name: 'global batch', value: G, unit: 'tokens', origin: 'assumed', note: 'default 4Mi tokens (Llama 2/3 pretraining), rounded to whole micro-batches' }));
  else if (G !== requestedG) explain(() => ({ name: 'global batch', value: G, unit: 'tokens', origin: 'derived', note: `rounded up from ${requestedG} to ${microBatches} micro-batches of ${mbTokens} tokens per replica` }));

  // ---- memory per card
  const L = req.model.layers;
  const nonExpertParams = shape.totalParams - shape.routedExpertParams;
  const paramsPerCard = nonExpertParams / (tp * pp) + shape.routedExpertParams / (pp * ep);
  const expertDp = Math.max(1, (dp * tp) / ep);
  const shardOpt = (params: number, dpGroup: number): number => (zero >= 1 ? params / dpGroup : params);
  let weightsB: number;
  let gradsB: number;
  let optB: number;
  let trainable: number;
  if (method === 'lora') {
    const rank = req.loraRank ?? 16;
    const basePrecision = req.loraBasePrecision ?? precision;
    const baseBytes = WEIGHT_BYTES[basePrecision] ?? 2;
    trainable = rank * shape.loraInOutPerLayer * L;
    const trainablePerCard = trainable / (tp * pp);
    weightsB = paramsPerCard * baseBytes + trainablePerCard * BYTES.weight16;
    gradsB = trainablePerCard * BYTES.grad;
    optB = shardOpt(trainablePerCard, dp) * BYTES.optimizer;
    explain(() => ({ name: 'LoRA', value: `rank ${rank} on every linear layer; ${round(trainable / 1e6, 4)}M trainable parameters; base weights ${basePrecision}`, origin: 'assumed' }));
  } else {
    trainable = shape.totalParams;
    const nePerCard = nonExpertParams / (tp * pp);
    const exPerCard = shape.routedExpertParams / (pp * ep);
    const w = (x: number, g: number): number => (zero >= 3 ? x / g : x);
    const gr = (x: number, g: number): number => (zero >= 2 ? x / g : x);
    weightsB = (w(nePerCard, dp) + w(exPerCard, expertDp)) * BYTES.weight16;
    gradsB = (gr(nePerCard, dp) + gr(exPerCard, expertDp)) * BYTES.grad;
    optB = (shardOpt(nePerCard, dp) + shardOpt(exPerCard, expertDp)) * BYTES.optimizer;
  }
  explain(() => ({ name: 'optimizer', value: `Adam, ZeRO stage ${zero}`, origin: 'assumed', note: 'bf16 weights, bf16 gradients, fp32 master weights and Adam moments (16 bytes per trainable parameter before sharding)' }));
  const actBytesPerTokenLayer = shape.actElemsPerTokenPerLayer * 2;
  const inflight = Math.min(microBatches, pp) / pp;
  const logitsB = (mbTokens * req.model.vocabSize * 6) / tp / cp;
  const overheadGiB = prof.trainOverheadGiB.value;
  // Training frameworks use the whole card; the profile's fixed overhead covers context and buffers.
  const usableGiB = memGiB;
  const memFor = (rc: Recompute): MemoryBreakdownGiB => {
    const full = (actBytesPerTokenLayer * mbTokens * L * inflight) / (tp * cp);
    const act = rc === 'none' ? full : rc === 'selective' ? full * SELECTIVE_ACTIVATION_SHARE : (req.model.hiddenSize * 2 * mbTokens * L * inflight) / (tp * cp) + (actBytesPerTokenLayer * mbTokens) / (tp * cp);
    const total = weightsB / GiB + gradsB / GiB + optB / GiB + (act + logitsB) / GiB + overheadGiB;
    return { weights: weightsB / GiB, gradients: gradsB / GiB, optimizer: optB / GiB, activations: (act + logitsB) / GiB, kvCache: 0, overhead: overheadGiB, total };
  };
  const order: Recompute[] = req.recompute ? [req.recompute] : ['none', 'selective', 'full'];
  let recompute: Recompute = order[order.length - 1] as Recompute;
  let mem = memFor(recompute);
  for (const rc of order) {
    const m = memFor(rc);
    if (m.total <= usableGiB) {
      recompute = rc;
      mem = m;
      break;
    }
  }
  explain(() => profileAssumption('framework overhead per card', prof.trainOverheadGiB, 'GiB', prof.id));
  if (recompute === 'selective') explain(() => ({ name: 'selective recomputation keeps', value: SELECTIVE_ACTIVATION_SHARE, unit: 'of stored activations', origin: 'assumed', note: 'flash attention already avoids the s^2 scores' }));
  if (mem.total > usableGiB) {
    const r = infeasible(
      `does not fit: needs ${round(mem.total, 3)} GiB per card (weights ${round(mem.weights, 3)}, gradients ${round(mem.gradients, 3)}, optimizer ${round(mem.optimizer, 3)}, activations ${round(mem.activations, 3)}) with ${recompute} recomputation, ${round(usableGiB, 3)} GiB usable; use more cards, a higher ZeRO stage, tp/pp, or LoRA`,
      assumptions,
      conf,
    );
    return { ...r, fits: false, memoryPerCardGiB: round(mem.total, 4), memoryAvailableGiB: round(usableGiB, 4) };
  }

  // ---- step time
  const N = shape.matmulParamsPerToken;
  const attnFwdFull = shape.attnFlopsPerTokenPerCtx * req.seqLen;
  const attnFwdCausal = attnFwdFull / 2;
  const matmulFactor = method === 'lora' ? 4 : 6;
  const modelFlopsPerToken = matmulFactor * N + 3 * attnFwdFull;
  const recomputeFlops = recompute === 'full' ? 2 * N + attnFwdCausal : recompute === 'selective' ? attnFwdCausal : 0;
  const hwFlopsPerToken = matmulFactor * N + 3 * attnFwdCausal + recomputeFlops;
  const effV = precision === 'fp8' && prof.trainComputeFp8 ? prof.trainComputeFp8 : prof.trainCompute16;
  conf.efficiency('training compute efficiency', effV, prof);
  if (precision === 'fp8' && !prof.trainComputeFp8) conf.note('low', `no FP8 training measurement for ${prof.id}: 16-bit efficiency applied to the FP8 peak`);
  const gemmWidth = req.model.hiddenSize / tp;
  const sizeFactor = gemmWidth / (gemmWidth + GEMM_HALF_WIDTH) / (4096 / (4096 + GEMM_HALF_WIDTH));
  const eff = Math.min(MAX_EFFICIENCY, effV.value * sizeFactor);
  explain(() => profileAssumption('training compute efficiency', effV, 'fraction of peak', prof.id));
  if (sizeFactor < 0.98 || sizeFactor > 1.02) explain(() => ({ name: 'GEMM size factor', value: round(sizeFactor, 3), origin: 'assumed', note: `per-card GEMM width ${gemmWidth}: w/(w+${GEMM_HALF_WIDTH}), normalised at 4096` }));
  // Attention (flash-attention kernels) runs at the 16-bit peak even in FP8 training.
  const attnHwFlopsPerToken = 3 * attnFwdCausal + (recompute === 'none' ? 0 : attnFwdCausal);
  const gemmHwFlopsPerToken = hwFlopsPerToken - attnHwFlopsPerToken;
  const peak16 = f.peak16Tflops.value ?? peakTflops;
  const computeSec = ((gemmHwFlopsPerToken / (peakTflops * 1e12 * eff) + attnHwFlopsPerToken / (Math.min(peak16, peakTflops) * 1e12 * eff)) * G) / req.cards;

  const cardsPerServer = f.cardsPerServer.value ?? 8;
  const link = f.cardLinkGBps.value;
  const net = f.networkGBpsPerCard.value ?? prof.networkGBpsPerCard.value;
  const linkUni = link !== null ? (link / 2) * prof.cardLink.value : null;
  const needsLink = tp > 1 || (req.cards <= cardsPerServer && req.cards > 1);
  if (needsLink) {
    if (link === null) {
      conf.note('low', 'card-to-card link bandwidth unknown: collectives inside a server costed at the network rate');
      explain(() => ({ name: 'card-to-card link', value: null, unit: 'GB/s', origin: 'unknown', note: 'costed at the per-card network rate' }));
    } else {
      explain(() => figureAssumption('card-to-card link (bidirectional; half used per direction)', f.cardLinkGBps, 'GB/s'), () => profileAssumption('collective bus-bandwidth efficiency', prof.cardLink, 'fraction', prof.id));
      conf.figure('card-to-card link', f.cardLinkGBps);
    }
  }
  const intraBw = (linkUni ?? net) * 1e9;
  const netBw = net * 1e9;
  const latency = prof.collectiveLatencyUs.value * 1e-6;
  const actBytes = precision === 'fp8' ? 2 : 2;
  const tpBw = tp <= cardsPerServer ? intraBw : netBw;
  const tpOps = (recompute === 'full' ? 6 : 4) * (L / pp) * microBatches;
  const tpMsg = (mbTokens / cp) * req.model.hiddenSize * actBytes;
  const tpCommSec = tp > 1 ? tpOps * ((2 * (tp - 1)) / tp * tpMsg / tpBw + latency) * prof.tpCommExposed.value : 0;
  if (tp > 1) explain(() => profileAssumption('exposed share of tensor-parallel communication', prof.tpCommExposed, 'fraction', prof.id));
  const crossesServers = req.cards > cardsPerServer;
  const dpBw = crossesServers ? netBw : intraBw;
  const gradBytesPerCard = (method === 'lora' ? trainable / (tp * pp) : paramsPerCard) * 2;
  const dpVolume = zero >= 3 ? 3 : 2;
  const dpCommFull = dp > 1 ? (dpVolume * (dp - 1)) / dp * gradBytesPerCard / dpBw : 0;
  const dpCommSec = dpCommFull * prof.dpCommExposed.value;
  if (dp > 1) explain(() => profileAssumption('exposed share of data-parallel communication', prof.dpCommExposed, 'fraction', prof.id));
  let epCommSec = 0;
  if (moe && ep > 1) {
    const moeLayersPerStage = shape.moeLayers / pp;
    const bytesPerA2a = (mbTokens / cp) * moe.activeExperts * req.model.hiddenSize * (precision === 'fp8' ? 1 : 2) * ((ep - 1) / ep) / tp;
    const epBw = ep * tp > cardsPerServer ? netBw : intraBw;
    epCommSec = 4 * moeLayersPerStage * microBatches * (bytesPerA2a / epBw + latency) * prof.moeCommExposed.value;
    explain(() => profileAssumption('exposed share of MoE all-to-all', prof.moeCommExposed, 'fraction', prof.id));
  }
  // Context parallelism passes K/V blocks around a ring (forward once, backward twice), mostly
  // hidden behind attention; the exposed share follows the TP overlap.
  const cpBw = tp * cp > cardsPerServer ? netBw : intraBw;
  const cpCommSec = cp > 1 ? ((L / pp) * microBatches * 3 * (cp - 1) * (mbTokens / cp) * (shape.kvElemsPerToken / L) * 2) / tp / cpBw * prof.tpCommExposed.value : 0;
  const ppBw = pp * tp > cardsPerServer ? netBw : intraBw;
  const ppCommSec = pp > 1 ? (2 * vpp * microBatches * tpMsg) / tp / ppBw : 0;
  const bubbleSec = pp > 1 ? ((pp - 1) / (microBatches * vpp)) * (computeSec + tpCommSec) : 0;
  let optimizerSec = 0;
  const bw = f.memBandwidthGBps.value;
  if (bw !== null) {
    const optBytes = (method === 'lora' ? trainable / (tp * pp) : paramsPerCard) * (BYTES.optimizer + BYTES.grad + BYTES.weight16) * 2;
    optimizerSec = (zero >= 1 ? optBytes / dp : optBytes) / (bw * 1e9 * prof.memBandwidth.value);
  }
  const stepTimeSec = computeSec + tpCommSec + cpCommSec + dpCommSec + epCommSec + ppCommSec + bubbleSec + optimizerSec;
  const parts: [TrainEstimate['bottleneck'], number][] = [
    ['compute', computeSec],
    ['communication', tpCommSec + cpCommSec + dpCommSec + epCommSec + ppCommSec],
    ['pipeline-bubble', bubbleSec],
    ['memory', optimizerSec],
  ];
  const bottleneck = parts.reduce((best, x) => (x[1] > best[1] ? x : best))[0];
  const tokensPerSec = G / stepTimeSec;
  const tokensPerSecPerCard = tokensPerSec / req.cards;
  const tflopsPerCard = (modelFlopsPerToken * tokensPerSecPerCard) / 1e12;
  const tokens = req.tokens ?? DEFAULT_TOKENS;
  const timeSec = tokens / tokensPerSec;
  const power = f.powerW.value;
  const energyKWh = power !== null ? (req.cards * power * timeSec) / 3.6e6 : null;
  if (power !== null) explain(() => ({ ...figureAssumption('power per card (TDP; an upper bound on draw)', f.powerW, 'W') }));
  const price = f.cnyPerHour.value;
  const costCny = price !== null ? req.cards * price * (timeSec / 3600) : null;
  if (price !== null) explain(() => figureAssumption('price per card-hour', f.cnyPerHour, 'CNY'));
  else explain(() => ({ name: 'price per card-hour', value: null, origin: 'unknown', note: 'no price in the catalog or declaration: cost unknown' }));
  explain(() => ({ name: 'model FLOPs per token', value: round(modelFlopsPerToken, 4), unit: 'FLOP', origin: 'derived', note: `${matmulFactor}N + 12·L·d·s (non-causal attention), N = ${round(N / 1e9, 4)}B matmul parameters per token` }));

  return {
    kind: 'train',
    model: req.model.id,
    chip: req.chip.id,
    cards: req.cards,
    layout: { tp, pp, dp, cp, ep, zero, microBatchSeqs: mbs, microBatches, virtualStages: vpp, recompute },
    precision,
    method,
    fits: true,
    memoryPerCardGiB: round(mem.total, 4),
    memoryAvailableGiB: round(usableGiB, 4),
    memory: roundMem(mem),
    globalBatchTokens: G,
    stepTimeSec: round(stepTimeSec, 4),
    stepBreakdownSec: {
      compute: round(computeSec, 4),
      tpComm: round(tpCommSec, 4),
      cpComm: round(cpCommSec, 4),
      dpComm: round(dpCommSec, 4),
      epComm: round(epCommSec, 4),
      ppComm: round(ppCommSec, 4),
      bubble: round(bubbleSec, 4),
      memoryBound: round(optimizerSec, 4),
    },
    bottleneck,
    tokensPerSec: round(tokensPerSec, 5),
    tokensPerSecPerCard: round(tokensPerSecPerCard, 5),
    modelFlopsPerToken: round(modelFlopsPerToken, 5),
    tflopsPerCard: round(tflopsPerCard, 4),
    mfu: round(tflopsPerCard / peakTflops, 4),
    peakTflopsPerCard: peakTflops,
    tokens,
    timeSec: round(timeSec, 5),
    energyKWh: energyKWh === null ? null : round(energyKWh, 4),
    costCny: costCny === null ? null : round(costCny, 4),
    confidence: conf.level,
    confidenceReasons: conf.reasons,
    assumptions,
  };
}

export function roundMem(m: MemoryBreakdownGiB): MemoryBreakdownGiB {
  return {
    weights: round(m.weights, 4),
    gradients: round(m.gradients, 4),
    optimizer: round(m.optimizer, 4),
    activations: round(m.activations, 4),
    kvCache: round(m.kvCache, 4),
    overhead: round(m.overhead, 4),
    total: round(m.total, 4),
  };
}

function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d >= 1; d--) if (n % d === 0 && limit % d === 0) return d;
  return 1;
}

function cannot(req: TrainRequest, missing: string[], reason?: string): CannotEstimate {
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
