import type { ModelSpec } from './types.js';

/**
 * Numbers derived from a model's configuration: parameter counts, FLOPs per token and KV-cache
 * elements per token. Computed once per spec (memoized) because the performance model calls this
 * in hot loops.
 */
export interface ModelShape {
  totalParams: number;
  /** Parameters one token passes through (MoE: shared plus the active routed experts). */
  activeParams: number;
  /** Input embedding table (a lookup, no matmul FLOPs). */
  embeddingParams: number;
  /** Output projection (counted in FLOPs; shares the embedding when tied). */
  lmHeadParams: number;
  /** Routed-expert parameters over all layers (sharded by expert parallelism); 0 for dense. */
  routedExpertParams: number;
  /** Parameters of one routed expert in one layer. */
  paramsPerExpert: number;
  /** MoE layers (routed); 0 for dense models. */
  moeLayers: number;
  /** Matmul parameters per token, forward: active minus the input embedding (plus the lm head when tied). */
  matmulParamsPerToken: number;
  /** Forward attention FLOPs per token per position of context: 2 * layers * heads * (qk + v head dims). */
  attnFlopsPerTokenPerCtx: number;
  /** KV-cache elements per token over all layers (GQA: 2 * kvHeads * headDim per layer; MLA: the latent). */
  kvElemsPerToken: number;
  /** True when the KV cache is a latent shared by every head (MLA), so TP does not split it. */
  kvReplicatedAcrossTp: boolean;
  /** Activation elements stored per token per layer for backward (bf16), without recomputation. */
  actElemsPerTokenPerLayer: number;
  /** Width of the attention output (heads * v head dim), for the LoRA and activation sums. */
  attnOutDim: number;
  /** Active FFN width per token (dense: intermediate; MoE: active + shared experts). */
  activeFfnWidth: number;
  /** Sum over adapted linear layers of (in + out) features per layer, for LoRA parameter counts. */
  loraInOutPerLayer: number;
}

const cache = new WeakMap<ModelSpec, ModelShape>();

export function modelShape(m: ModelSpec): ModelShape {
  const hit = cache.get(m);
  if (hit) return hit;
  const shape = computeShape(m);
  cache.set(m, shape);
  return shape;
}

function computeShape(m: ModelSpec): ModelShape {
  const h = m.hiddenSize;
  let attnParams: number;
  let qkHeadDim: number;
  let vHeadDim: number;
  let kvPerLayer: number;
  let loraAttn: number;
  if (m.mla) {
    const a = m.mla;
    qkHeadDim = a.qkNopeHeadDim + a.qkRopeHeadDim;
    vHeadDim = a.vHeadDim;
    const qParams = a.qLoraRank > 0 ? h * a.qLoraRank + a.qLoraRank * m.heads * qkHeadDim : h * m.heads * qkHeadDim;
    const kvDown = h * (a.kvLoraRank + a.qkRopeHeadDim);
    const kvUp = a.kvLoraRank * m.heads * (a.qkNopeHeadDim + a.vHeadDim);
    const out = m.heads * a.vHeadDim * h;
    attnParams = qParams + kvDown + kvUp + out + a.qLoraRank + a.kvLoraRank;
    kvPerLayer = a.kvLoraRank + a.qkRopeHeadDim;
    loraAttn = (a.qLoraRank > 0 ? h + a.qLoraRank + a.qLoraRank + m.heads * qkHeadDim : h + m.heads * qkHeadDim) + (h + a.kvLoraRank + a.qkRopeHeadDim) + (a.kvLoraRank + m.heads * (a.qkNopeHeadDim + a.vHeadDim)) + (m.heads * a.vHeadDim + h);
  } else {
    qkHeadDim = m.headDim;
    vHeadDim = m.headDim;
    const q = m.heads * m.headDim;
    const kv = m.kvHeads * m.headDim;
    attnParams = h * q + 2 * h * kv + q * h + (m.qkvBias ? q + 2 * kv : 0);
    kvPerLayer = 2 * kv;
    loraAttn = h + q + 2 * (h + kv) + (q + h);
  }
  const norms = 2 * h;
  const denseFfn = 3 * h * m.intermediateSize;
  const loraDenseFfn = 3 * (h + m.intermediateSize);
  const vocabParams = m.vocabSize * h;
  const embeddingParams = vocabParams;
  const lmHeadParams = m.tiedEmbeddings ? 0 : vocabParams;

  let total = embeddingParams + lmHeadParams + h;
  let active = total;
  let routedExpertParams = 0;
  let paramsPerExpert = 0;
  let moeLayers = 0;
  let activeFfnWidth = m.intermediateSize;
  let loraFfnSum = m.layers * loraDenseFfn;
  if (m.moe) {
    const e = m.moe;
    moeLayers = m.layers - e.denseLayers;
    paramsPerExpert = 3 * h * e.expertIntermediateSize;
    const router = h * e.routedExperts;
    const shared = e.sharedExperts * paramsPerExpert;
    const denseLayersParams = e.denseLayers * (attnParams + norms + denseFfn);
    const moeLayerFixed = attnParams + norms + router + shared;
    routedExpertParams = moeLayers * e.routedExperts * paramsPerExpert;
    total += denseLayersParams + moeLayers * moeLayerFixed + routedExpertParams;
    active += denseLayersParams + moeLayers * (moeLayerFixed + e.activeExperts * paramsPerExpert);
    activeFfnWidth = (e.activeExperts + e.sharedExperts) * e.expertIntermediateSize;
    loraFfnSum = e.denseLayers * loraDenseFfn + moeLayers * (e.activeExperts + e.sharedExperts) * 3 * (h + e.expertIntermediateSize);
  } else {
    const perLayer = attnParams + norms + denseFfn;
    total += m.layers * perLayer;
    active = total;
  }
  const attnOutDim = m.heads * vHeadDim;
  const qDim = m.heads * qkHeadDim;
  // Stored for backward per token per layer (bf16 elements), after Korthikanti et al. 2022 with
  // flash attention (no s^2 term): two norm inputs and outputs, q/k/v, the attention output,
  // the FFN up/gate outputs and the activation fed to the down projection.
  const kvDimForAct = m.mla ? m.mla.kvLoraRank + m.mla.qkRopeHeadDim : 2 * m.kvHeads * m.headDim;
  const actElemsPerTokenPerLayer = 4 * h + qDim + kvDimForAct + attnOutDim + 3 * activeFfnWidth;
  return {
    totalParams: total,
    activeParams: active,
    embeddingParams,
    lmHeadParams,
    routedExpertParams,
    paramsPerExpert,
    moeLayers,
    matmulParamsPerToken: active - embeddingParams + (m.tiedEmbeddings ? vocabParams : 0),
    attnFlopsPerTokenPerCtx: 2 * m.layers * m.heads * (qkHeadDim + vHeadDim),
    kvElemsPerToken: m.layers * kvPerLayer,
    kvReplicatedAcrossTp: m.mla !== undefined,
    actElemsPerTokenPerLayer,
    attnOutDim,
    activeFfnWidth,
    loraInOutPerLayer: loraAttn + loraFfnSum / m.layers,
  };
}
