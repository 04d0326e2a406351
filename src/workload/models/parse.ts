import { Value } from '@sinclair/typebox/value';
import { LineCounter, parseDocument } from 'yaml';
import { ValidationError, type ValidationIssue } from '../../lib/errors.js';
import { ModelFileSchema, type ModelFile } from './schema.js';
import type { ModelSpec } from './types.js';

/**
 * Parses a model description (YAML or JSON text) into a validated `ModelSpec`. Two forms are
 * accepted: the Tessera form (`ModelFileSchema`) and a Hugging Face `config.json` (recognised by
 * `num_hidden_layers` or `num_layers`). Every problem is reported with its field and line.
 */
export function parseModelText(text: string, file = '<model>'): ModelSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e?.linePos?.[0]?.line;
    throw new ValidationError('Model file does not parse', [{ file, ...(line ? { line } : {}), path: '', message: `not valid YAML/JSON: ${e?.message.split('\n')[0] ?? 'unknown error'}` }]);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError('Model file is not an object', [{ file, path: '', message: 'expected a mapping of model fields (layers, hiddenSize, heads, ...)' }]);
  }
  const lineOf = (path: string): number | undefined => {
    const segments = path.split('/').slice(1);
    for (let n = segments.length; n >= 1; n--) {
      const node = doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const obj = raw as Record<string, unknown>;
  const candidate = 'num_hidden_layers' in obj || 'num_layers' in obj ? fromHfConfig(obj, file) : obj;
  return modelFromFile(candidate, file, lineOf);
}

/** Validates an already-parsed object in the Tessera form. */
export function modelFromFile(value: unknown, file = '<model>', lineOf: (path: string) => number | undefined = () => undefined): ModelSpec {
  const issues: ValidationIssue[] = [];
  for (const err of Value.Errors(ModelFileSchema, value)) {
    const path = err.path || '';
    const line = lineOf(path);
    issues.push({ file, ...(line ? { line } : {}), path: path || '/', message: err.message });
    if (issues.length >= 20) break;
  }
  if (issues.length > 0) throw new ValidationError('Invalid model file', issues);
  const m = value as ModelFile;
  const kvHeads = m.kvHeads ?? m.heads;
  const headDim = m.headDim ?? m.hiddenSize / m.heads;
  const semantic: ValidationIssue[] = [];
  const at = (path: string, message: string): void => {
    const line = lineOf(path);
    semantic.push({ file, ...(line ? { line } : {}), path, message });
  };
  if (!Number.isInteger(headDim)) at('/headDim', `hiddenSize ${m.hiddenSize} is not a multiple of heads ${m.heads}; give headDim explicitly`);
  if (m.heads % kvHeads !== 0) at('/kvHeads', `heads (${m.heads}) must be a multiple of kvHeads (${kvHeads})`);
  if (m.moe && m.moe.activeExperts > m.moe.routedExperts) at('/moe/activeExperts', `activeExperts (${m.moe.activeExperts}) exceeds routedExperts (${m.moe.routedExperts})`);
  if (m.moe && (m.moe.denseLayers ?? 0) >= m.layers) at('/moe/denseLayers', `denseLayers (${m.moe.denseLayers ?? 0}) must be fewer than layers (${m.layers})`);
  if (semantic.length > 0) throw new ValidationError('Invalid model file', semantic);
  return {
    id: m.id,
    name: m.name ?? m.id,
    family: m.family ?? 'custom',
    layers: m.layers,
    hiddenSize: m.hiddenSize,
    heads: m.heads,
    kvHeads,
    headDim,
    intermediateSize: m.intermediateSize,
    vocabSize: m.vocabSize,
    tiedEmbeddings: m.tiedEmbeddings ?? false,
    qkvBias: m.qkvBias ?? false,
    maxContextTokens: m.maxContextTokens ?? 4096,
    ...(m.mla ? { mla: m.mla } : {}),
    ...(m.moe ? { moe: { sharedExperts: 0, denseLayers: 0, ...m.moe } } : {}),
    published: { totalParamsB: m.published?.totalParamsB ?? null, activeParamsB: m.published?.activeParamsB ?? null },
    source: m.source ?? { url: file, note: 'operator-supplied model file' },
  };
}

/** Maps Hugging Face config names (Llama/Qwen/Mistral, DeepSeek, ChatGLM) onto the Tessera form. */
function fromHfConfig(c: Record<string, unknown>, file: string): Record<string, unknown> {
  const pick = (...keys: string[]): unknown => {
    for (const k of keys) if (c[k] !== undefined && c[k] !== null) return c[k];
    return undefined;
  };
  const base = file.replace(/^.*[\\/]/, '').replace(/\.(json|ya?ml)$/i, '');
  const rawId = typeof c._name_or_path === 'string' ? c._name_or_path : base === 'config' ? 'hf-model' : base;
  const out: Record<string, unknown> = {
    id: rawId.toLowerCase().replace(/^.*\//, '').replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+/, '') || 'hf-model',
    layers: pick('num_hidden_layers', 'num_layers'),
    hiddenSize: pick('hidden_size'),
    heads: pick('num_attention_heads'),
    kvHeads: pick('num_key_value_heads', 'multi_query_group_num'),
    headDim: pick('head_dim', 'kv_channels'),
    intermediateSize: pick('intermediate_size', 'ffn_hidden_size'),
    vocabSize: pick('vocab_size', 'padded_vocab_size'),
    tiedEmbeddings: pick('tie_word_embeddings'),
    qkvBias: pick('attention_bias', 'add_qkv_bias') ?? (typeof c.model_type === 'string' && c.model_type.startsWith('qwen2') ? true : undefined),
    maxContextTokens: pick('max_position_embeddings', 'seq_length'),
    source: { url: file, note: 'Hugging Face config.json' },
  };
  if (c.kv_lora_rank !== undefined) {
    out.mla = {
      qLoraRank: pick('q_lora_rank') ?? 0,
      kvLoraRank: c.kv_lora_rank,
      qkNopeHeadDim: pick('qk_nope_head_dim'),
      qkRopeHeadDim: pick('qk_rope_head_dim'),
      vHeadDim: pick('v_head_dim'),
    };
  }
  const experts = pick('n_routed_experts', 'num_experts', 'num_local_experts');
  if (typeof experts === 'number' && experts > 1) {
    out.moe = {
      routedExperts: experts,
      activeExperts: pick('num_experts_per_tok'),
      sharedExperts: pick('n_shared_experts') ?? 0,
      expertIntermediateSize: pick('moe_intermediate_size', 'intermediate_size'),
      denseLayers: pick('first_k_dense_replace') ?? 0,
    };
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
