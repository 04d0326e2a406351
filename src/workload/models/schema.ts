import { Type, type Static } from '@sinclair/typebox';

/**
 * The model-description file format (YAML or JSON) for any model that is not a preset. Field names
 * follow `ModelSpec`; a Hugging Face `config.json` is accepted as well (see `parse.ts`).
 *
 * ```yaml
 * id: my-13b
 * layers: 40
 * hiddenSize: 5120
 * heads: 40
 * kvHeads: 8            # optional, defaults to heads
 * intermediateSize: 13824
 * vocabSize: 32000
 * moe: { routedExperts: 64, activeExperts: 6, sharedExperts: 2, expertIntermediateSize: 1408, denseLayers: 1 }  # optional
 * ```
 */
const PositiveInt = (description: string, maximum = 10_000_000) => Type.Integer({ minimum: 1, maximum, description });
const NonNegativeInt = (description: string, maximum = 10_000_000) => Type.Integer({ minimum: 0, maximum, description });

export const MlaSchema = Type.Object(
  {
    qLoraRank: NonNegativeInt('q_lora_rank; 0 when queries are not compressed'),
    kvLoraRank: PositiveInt('kv_lora_rank'),
    qkNopeHeadDim: PositiveInt('qk_nope_head_dim'),
    qkRopeHeadDim: PositiveInt('qk_rope_head_dim'),
    vHeadDim: PositiveInt('v_head_dim'),
  },
  { additionalProperties: false },
);

export const MoeSchema = Type.Object(
  {
    routedExperts: PositiveInt('routed experts per MoE layer', 100_000),
    activeExperts: PositiveInt('routed experts each token visits', 100_000),
    sharedExperts: Type.Optional(NonNegativeInt('always-active shared experts', 1_000)),
    expertIntermediateSize: PositiveInt('FFN width of one expert'),
    denseLayers: Type.Optional(NonNegativeInt('leading layers with a dense FFN', 10_000)),
  },
  { additionalProperties: false },
);

export const ModelFileSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'kebab-case id' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    family: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    layers: PositiveInt('transformer layers', 10_000),
    hiddenSize: PositiveInt('hidden size', 1_000_000),
    heads: PositiveInt('attention heads', 100_000),
    kvHeads: Type.Optional(PositiveInt('key/value heads', 100_000)),
    headDim: Type.Optional(PositiveInt('head dimension', 100_000)),
    intermediateSize: PositiveInt('dense FFN width', 10_000_000),
    vocabSize: PositiveInt('vocabulary size', 100_000_000),
    tiedEmbeddings: Type.Optional(Type.Boolean()),
    qkvBias: Type.Optional(Type.Boolean()),
    maxContextTokens: Type.Optional(PositiveInt('longest context', 100_000_000)),
    mla: Type.Optional(MlaSchema),
    moe: Type.Optional(MoeSchema),
    published: Type.Optional(
      Type.Object(
        {
          totalParamsB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
          activeParamsB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    source: Type.Optional(Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048 }), note: Type.Optional(Type.String({ maxLength: 2048 })) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type ModelFile = Static<typeof ModelFileSchema>;
