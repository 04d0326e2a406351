/**
 * Workload classes for H20-equivalents and the throughput matrix. Each is defined precisely (model,
 * precision, lengths or sequence, card count, SLO) so that "one card of X is worth k H20s for
 * class C" means one reproducible thing. Throughput is per card: tokens/s for training classes,
 * output tokens/s for inference classes, each at the best layout the model finds on `cards` cards.
 */
export interface TrainClass {
  id: string;
  task: 'train';
  description: string;
  model: string;
  precision: 'bf16';
  method: 'full' | 'lora';
  loraRank?: number;
  seqLen: number;
  globalBatchTokens: number;
  cards: number;
}

export interface InferClass {
  id: string;
  task: 'inference';
  description: string;
  model: string;
  precision: 'bf16' | 'int8' | 'int4';
  inputTokens: number;
  outputTokens: number;
  ttftMs?: number;
  tpotMs?: number;
  cards: number;
}

export type WorkloadClass = TrainClass | InferClass;

export const workloadClasses: readonly WorkloadClass[] = [
  {
    id: 'llm-pretrain-70b',
    task: 'train',
    description: 'Pretraining Llama-3.1-70B, bf16, 8k-token sequences, 4Mi-token global batch, on 64 cards',
    model: 'llama-3.1-70b',
    precision: 'bf16',
    method: 'full',
    seqLen: 8192,
    globalBatchTokens: 4 * 1024 * 1024,
    cards: 64,
  },
  {
    id: 'llm-pretrain-8b',
    task: 'train',
    description: 'Pretraining Llama-3.1-8B, bf16, 8k-token sequences, 4Mi-token global batch, on 8 cards',
    model: 'llama-3.1-8b',
    precision: 'bf16',
    method: 'full',
    seqLen: 8192,
    globalBatchTokens: 4 * 1024 * 1024,
    cards: 8,
  },
  {
    id: 'llm-finetune-7b-lora',
    task: 'train',
    description: 'LoRA fine-tuning (rank 16, all linear layers) of Llama-2-7B, bf16 base, 4k-token sequences, 128-sequence batch, on 8 cards',
    model: 'llama-2-7b',
    precision: 'bf16',
    method: 'lora',
    loraRank: 16,
    seqLen: 4096,
    globalBatchTokens: 128 * 4096,
    cards: 8,
  },
  {
    id: 'llm-finetune-70b-lora',
    task: 'train',
    description: 'LoRA fine-tuning (rank 16) of Llama-3.1-70B, bf16 base, 4k-token sequences, 128-sequence batch, on 16 cards',
    model: 'llama-3.1-70b',
    precision: 'bf16',
    method: 'lora',
    loraRank: 16,
    seqLen: 4096,
    globalBatchTokens: 128 * 4096,
    cards: 16,
  },
  {
    id: 'llm-decode-70b',
    task: 'inference',
    description: 'Decode-heavy serving of Llama-3.1-70B, bf16, 256 in / 2048 out, TPOT <= 50 ms, on 8 cards',
    model: 'llama-3.1-70b',
    precision: 'bf16',
    inputTokens: 256,
    outputTokens: 2048,
    tpotMs: 50,
    cards: 8,
  },
  {
    id: 'llm-prefill-heavy',
    task: 'inference',
    description: 'Prefill-heavy serving (RAG, summarisation) of Llama-3.1-70B, bf16, 8192 in / 256 out, TTFT <= 5 s, on 8 cards',
    model: 'llama-3.1-70b',
    precision: 'bf16',
    inputTokens: 8192,
    outputTokens: 256,
    ttftMs: 5000,
    cards: 8,
  },
  {
    id: 'llm-serve-8b',
    task: 'inference',
    description: 'Chat serving of Llama-3.1-8B, bf16, 1024 in / 512 out, TTFT <= 2 s and TPOT <= 50 ms, on 1 card',
    model: 'llama-3.1-8b',
    precision: 'bf16',
    inputTokens: 1024,
    outputTokens: 512,
    ttftMs: 2000,
    tpotMs: 50,
    cards: 1,
  },
  {
    id: 'llm-serve-32b',
    task: 'inference',
    description: 'Chat serving of Qwen2.5-32B, bf16, 1024 in / 512 out, TTFT <= 2 s and TPOT <= 50 ms, on 4 cards',
    model: 'qwen2.5-32b',
    precision: 'bf16',
    inputTokens: 1024,
    outputTokens: 512,
    ttftMs: 2000,
    tpotMs: 50,
    cards: 4,
  },
  {
    id: 'llm-serve-glm4-9b',
    task: 'inference',
    description: 'Chat serving of GLM-4-9B, bf16, 2048 in / 512 out, TTFT <= 2 s and TPOT <= 50 ms, on 1 card',
    model: 'glm-4-9b',
    precision: 'bf16',
    inputTokens: 2048,
    outputTokens: 512,
    ttftMs: 2000,
    tpotMs: 50,
    cards: 1,
  },
  {
    id: 'llm-serve-deepseek-v3-int4',
    task: 'inference',
    description: 'Serving DeepSeek-V3 (671B MoE, MLA) with int4 weight-only quantisation, 1024 in / 1024 out, TPOT <= 100 ms, on 16 cards',
    model: 'deepseek-v3',
    precision: 'int4',
    inputTokens: 1024,
    outputTokens: 1024,
    tpotMs: 100,
    cards: 16,
  },
];

const byId = new Map(workloadClasses.map((c) => [c.id, c]));

export function findWorkloadClass(id: string): WorkloadClass | undefined {
  return byId.get(id);
}
