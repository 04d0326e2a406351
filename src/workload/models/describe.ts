import { invalid } from '../../lib/errors.js';
import { findModelPreset } from './presets.js';
import type { ModelSpec } from './types.js';

/** What a job or service may say about its model (see `ModelDescriptionSchema` in `../job-spec.ts`). */
export interface ModelDescription {
  name?: string;
  paramsB?: number;
  contextTokens?: number;
}

/**
 * A model shape for a job's description: the preset its name resolves to, else a dense
 * Llama-style shape synthesised from `paramsB` (hidden = 128 x layers, SwiGLU FFN of 8/3 hidden,
 * GQA with 8 KV heads, 128k vocabulary), flagged `synthesized` so estimates built on it say so.
 * Returns undefined when neither is given.
 */
export function modelFromDescription(d: ModelDescription): ModelSpec | undefined {
  if (d.name) {
    const preset = findModelPreset(d.name);
    if (preset) return preset;
  }
  if (d.paramsB === undefined) return undefined;
  if (!(d.paramsB > 0) || !Number.isFinite(d.paramsB)) throw invalid(`paramsB must be a positive number (got ${String(d.paramsB)}).`);
  // Non-embedding parameters ~ 12 x layers x hidden^2 with layers = hidden / 128.
  const vocab = 128256;
  const target = d.paramsB * 1e9;
  let hidden = 1024;
  for (let h = 1024; h <= 32768; h += 128) {
    const layers = Math.max(2, Math.round(h / 128));
    const params = 12 * layers * h * h + 2 * vocab * h;
    hidden = h;
    if (params >= target) break;
  }
  const layers = Math.max(2, Math.round(hidden / 128));
  const heads = hidden / 128;
  const kvHeads = heads % 8 === 0 ? 8 : heads;
  const ffn = Math.round((8 / 3) * hidden / 256) * 256;
  return {
    id: `synthetic-${d.paramsB}b`,
    name: d.name ?? `synthetic ${d.paramsB}B`,
    family: 'synthetic',
    layers,
    hiddenSize: hidden,
    heads,
    kvHeads,
    headDim: 128,
    intermediateSize: ffn,
    vocabSize: vocab,
    tiedEmbeddings: false,
    qkvBias: false,
    maxContextTokens: d.contextTokens ?? 8192,
    published: { totalParamsB: d.paramsB, activeParamsB: d.paramsB },
    source: { url: 'synthesised', note: `Llama-style shape synthesised from ${d.paramsB}B parameters; no published configuration` },
    synthesized: true,
  };
}
