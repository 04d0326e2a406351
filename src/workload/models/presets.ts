import type { ModelSpec } from './types.js';

/**
 * Built-in model presets. Every number is the publisher's `config.json` on Hugging Face (linked in
 * `source.url`); `published` keeps the parameter count the publisher states. `shape.test.ts`
 * checks that the counts derived from the shape land within a few percent of the published ones.
 */
type Dense = Omit<ModelSpec, 'family' | 'tiedEmbeddings' | 'qkvBias'> & Partial<Pick<ModelSpec, 'tiedEmbeddings' | 'qkvBias'>>;

function llama(p: Dense): ModelSpec {
  return { family: 'llama', tiedEmbeddings: false, qkvBias: false, ...p };
}

function qwen(p: Dense): ModelSpec {
  return { family: 'qwen', tiedEmbeddings: false, qkvBias: true, ...p };
}

const hf = (repo: string): string => `https://huggingface.co/${repo}/blob/main/config.json`;

const llama31_70b = {
  layers: 80,
  hiddenSize: 8192,
  heads: 64,
  kvHeads: 8,
  headDim: 128,
  intermediateSize: 28672,
  vocabSize: 128256,
  maxContextTokens: 131072,
  published: { totalParamsB: 70.6, activeParamsB: 70.6 },
};

const deepseekV3Shape = {
  family: 'deepseek',
  layers: 61,
  hiddenSize: 7168,
  heads: 128,
  kvHeads: 128,
  headDim: 128,
  intermediateSize: 18432,
  vocabSize: 129280,
  tiedEmbeddings: false,
  qkvBias: false,
  maxContextTokens: 163840,
  mla: { qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
  moe: { routedExperts: 256, activeExperts: 8, sharedExperts: 1, expertIntermediateSize: 2048, denseLayers: 3 },
  published: { totalParamsB: 671, activeParamsB: 37 },
} as const;

export const modelPresets: readonly ModelSpec[] = [
  llama({
    id: 'llama-2-7b',
    name: 'Llama-2-7B',
    layers: 32,
    hiddenSize: 4096,
    heads: 32,
    kvHeads: 32,
    headDim: 128,
    intermediateSize: 11008,
    vocabSize: 32000,
    maxContextTokens: 4096,
    published: { totalParamsB: 6.74, activeParamsB: 6.74 },
    source: { url: hf('meta-llama/Llama-2-7b-hf'), note: 'Llama 2 paper (arXiv 2307.09288) states 7B; 6.74B counted from the config.' },
  }),
  llama({
    id: 'llama-2-13b',
    name: 'Llama-2-13B',
    layers: 40,
    hiddenSize: 5120,
    heads: 40,
    kvHeads: 40,
    headDim: 128,
    intermediateSize: 13824,
    vocabSize: 32000,
    maxContextTokens: 4096,
    published: { totalParamsB: 13.0, activeParamsB: 13.0 },
    source: { url: hf('meta-llama/Llama-2-13b-hf') },
  }),
  llama({
    id: 'llama-2-70b',
    name: 'Llama-2-70B',
    layers: 80,
    hiddenSize: 8192,
    heads: 64,
    kvHeads: 8,
    headDim: 128,
    intermediateSize: 28672,
    vocabSize: 32000,
    maxContextTokens: 4096,
    published: { totalParamsB: 69.0, activeParamsB: 69.0 },
    source: { url: hf('meta-llama/Llama-2-70b-hf') },
  }),
  llama({
    id: 'llama-3.1-8b',
    name: 'Llama-3.1-8B',
    layers: 32,
    hiddenSize: 4096,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    intermediateSize: 14336,
    vocabSize: 128256,
    maxContextTokens: 131072,
    published: { totalParamsB: 8.03, activeParamsB: 8.03 },
    source: { url: hf('meta-llama/Llama-3.1-8B') },
  }),
  llama({ id: 'llama-3.1-70b', name: 'Llama-3.1-70B', ...llama31_70b, source: { url: hf('meta-llama/Llama-3.1-70B') } }),
  llama({
    id: 'llama-3.1-405b',
    name: 'Llama-3.1-405B',
    layers: 126,
    hiddenSize: 16384,
    heads: 128,
    kvHeads: 8,
    headDim: 128,
    intermediateSize: 53248,
    vocabSize: 128256,
    maxContextTokens: 131072,
    published: { totalParamsB: 405.8, activeParamsB: 405.8 },
    source: { url: hf('meta-llama/Llama-3.1-405B') },
  }),
  llama({ id: 'llama-3.3-70b', name: 'Llama-3.3-70B-Instruct', ...llama31_70b, source: { url: hf('meta-llama/Llama-3.3-70B-Instruct'), note: 'Same architecture as Llama-3.1-70B.' } }),
  qwen({
    id: 'qwen2.5-7b',
    name: 'Qwen2.5-7B',
    layers: 28,
    hiddenSize: 3584,
    heads: 28,
    kvHeads: 4,
    headDim: 128,
    intermediateSize: 18944,
    vocabSize: 152064,
    maxContextTokens: 131072,
    published: { totalParamsB: 7.61, activeParamsB: 7.61 },
    source: { url: hf('Qwen/Qwen2.5-7B'), note: 'Context 131072 with YaRN per the model card; the config lists 32768 without it.' },
  }),
  qwen({
    id: 'qwen2.5-32b',
    name: 'Qwen2.5-32B',
    layers: 64,
    hiddenSize: 5120,
    heads: 40,
    kvHeads: 8,
    headDim: 128,
    intermediateSize: 27648,
    vocabSize: 152064,
    maxContextTokens: 131072,
    published: { totalParamsB: 32.5, activeParamsB: 32.5 },
    source: { url: hf('Qwen/Qwen2.5-32B') },
  }),
  qwen({
    id: 'qwen2.5-72b',
    name: 'Qwen2.5-72B',
    layers: 80,
    hiddenSize: 8192,
    heads: 64,
    kvHeads: 8,
    headDim: 128,
    intermediateSize: 29568,
    vocabSize: 152064,
    maxContextTokens: 131072,
    published: { totalParamsB: 72.7, activeParamsB: 72.7 },
    source: { url: hf('Qwen/Qwen2.5-72B') },
  }),
  qwen({
    id: 'qwen3-32b',
    name: 'Qwen3-32B',
    layers: 64,
    hiddenSize: 5120,
    heads: 64,
    kvHeads: 8,
    headDim: 128,
    intermediateSize: 25600,
    vocabSize: 151936,
    qkvBias: false,
    maxContextTokens: 40960,
    published: { totalParamsB: 32.8, activeParamsB: 32.8 },
    source: { url: hf('Qwen/Qwen3-32B'), note: 'head_dim 128 with 64 heads: the query width (8192) exceeds hidden_size.' },
  }),
  {
    id: 'deepseek-v3',
    name: 'DeepSeek-V3',
    ...deepseekV3Shape,
    source: { url: hf('deepseek-ai/DeepSeek-V3'), note: '671B total / 37B active per the DeepSeek-V3 technical report (arXiv 2412.19437); the 14B multi-token-prediction module is excluded.' },
  },
  {
    id: 'deepseek-r1',
    name: 'DeepSeek-R1',
    ...deepseekV3Shape,
    source: { url: hf('deepseek-ai/DeepSeek-R1'), note: 'Same architecture as DeepSeek-V3.' },
  },
  {
    id: 'glm-4-9b',
    name: 'GLM-4-9B-Chat',
    family: 'glm',
    layers: 40,
    hiddenSize: 4096,
    heads: 32,
    kvHeads: 2,
    headDim: 128,
    intermediateSize: 13696,
    vocabSize: 151552,
    tiedEmbeddings: false,
    qkvBias: true,
    maxContextTokens: 131072,
    published: { totalParamsB: 9.4, activeParamsB: 9.4 },
    source: { url: hf('THUDM/glm-4-9b-chat'), note: 'ChatGLM config names: num_layers, ffn_hidden_size, multi_query_group_num (2 KV groups), padded_vocab_size.' },
  },
];

const byId = new Map(modelPresets.map((m) => [m.id, m]));

/** Lower-cases, drops an `org/` prefix and common suffixes (`-hf`, `-instruct`, `-chat`). */
export function normalizeModelName(name: string): string {
  let key = name.trim().toLowerCase();
  const slash = key.lastIndexOf('/');
  if (slash >= 0) key = key.slice(slash + 1);
  key = key.replace(/[_ ]/g, '-').replace(/(-hf|-instruct|-chat)+$/g, '');
  key = key.replace(/^llama(\d)/, 'llama-$1').replace(/^qwen-(\d)/, 'qwen$1').replace(/^glm4/, 'glm-4');
  return key;
}

/** The preset for an id or a common spelling (`meta-llama/Llama-3.1-70B-Instruct`, `llama2-7b`), or undefined. */
export function findModelPreset(name: string): ModelSpec | undefined {
  return byId.get(name) ?? byId.get(normalizeModelName(name));
}
