/**
 * The shape of a transformer language model, as its public configuration states it (Hugging Face
 * `config.json` field names in comments). This is what the performance model needs: parameter
 * counts, FLOPs per token and KV-cache bytes per token all follow from these numbers.
 */

/** Multi-head latent attention (DeepSeek-V2/V3): the KV cache holds one compressed latent per token. */
export interface MlaShape {
  /** `q_lora_rank`; 0 when queries are not compressed. */
  qLoraRank: number;
  /** `kv_lora_rank`: width of the cached latent. */
  kvLoraRank: number;
  /** `qk_nope_head_dim` */
  qkNopeHeadDim: number;
  /** `qk_rope_head_dim`: the decoupled rotary key, also cached. */
  qkRopeHeadDim: number;
  /** `v_head_dim` */
  vHeadDim: number;
}

/** Mixture of experts: which layers route, and how many experts a token visits. */
export interface MoeShape {
  /** `n_routed_experts` / `num_experts` */
  routedExperts: number;
  /** `num_experts_per_tok` */
  activeExperts: number;
  /** `n_shared_experts` (always active); 0 when none. */
  sharedExperts: number;
  /** `moe_intermediate_size`: the FFN width of one expert. */
  expertIntermediateSize: number;
  /** `first_k_dense_replace`: leading layers that use the dense FFN (`intermediate_size`). */
  denseLayers: number;
}

export interface ModelSpec {
  /** Stable kebab-case id, e.g. `llama-3.1-70b`. */
  id: string;
  name: string;
  family: string;
  /** `num_hidden_layers` */
  layers: number;
  /** `hidden_size` */
  hiddenSize: number;
  /** `num_attention_heads` */
  heads: number;
  /** `num_key_value_heads` (GQA); equal to `heads` for plain multi-head attention. */
  kvHeads: number;
  /** `head_dim`; usually hiddenSize / heads. */
  headDim: number;
  /** `intermediate_size`: the dense (SwiGLU) FFN width. */
  intermediateSize: number;
  /** `vocab_size` */
  vocabSize: number;
  /** `tie_word_embeddings` */
  tiedEmbeddings: boolean;
  /** Bias on the q/k/v projections (Qwen2, GLM-4). */
  qkvBias: boolean;
  /** `max_position_embeddings` (or the documented context length). */
  maxContextTokens: number;
  mla?: MlaShape;
  moe?: MoeShape;
  /** Parameter counts the publisher states, in billions; null when they state none. */
  published: { totalParamsB: number | null; activeParamsB: number | null };
  /** Where the configuration comes from. */
  source: { url: string; note?: string };
  /** True when the shape was synthesised from a parameter count rather than read from a configuration. */
  synthesized?: boolean;
}
