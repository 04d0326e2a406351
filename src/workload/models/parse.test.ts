import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { parseModelText } from './parse.js';
import { modelShape } from './shape.js';

describe('model files', () => {
  it('parses the Tessera form with defaults (kvHeads = heads, headDim = hidden / heads)', () => {
    const m = parseModelText(['id: my-13b', 'layers: 40', 'hiddenSize: 5120', 'heads: 40', 'intermediateSize: 13824', 'vocabSize: 32000'].join('\n'), 'my.yaml');
    expect(m).toMatchObject({ id: 'my-13b', kvHeads: 40, headDim: 128, family: 'custom', tiedEmbeddings: false });
    expect(modelShape(m).totalParams / 1e9).toBeCloseTo(13.0, 1);
  });

  it('parses a MoE model', () => {
    const m = parseModelText('{"id":"moe","layers":24,"hiddenSize":2048,"heads":16,"intermediateSize":5632,"vocabSize":102400,"moe":{"routedExperts":64,"activeExperts":6,"sharedExperts":2,"expertIntermediateSize":1408,"denseLayers":1}}');
    const s = modelShape(m);
    expect(s.activeParams).toBeLessThan(s.totalParams / 3);
    expect(s.moeLayers).toBe(23);
  });

  it('accepts a Hugging Face config.json (DeepSeek names included)', () => {
    const cfg = { _name_or_path: 'org/Tiny-MoE', num_hidden_layers: 4, hidden_size: 1024, num_attention_heads: 8, num_key_value_heads: 8, intermediate_size: 2816, vocab_size: 32000, kv_lora_rank: 128, q_lora_rank: 0, qk_nope_head_dim: 64, qk_rope_head_dim: 32, v_head_dim: 64, n_routed_experts: 8, num_experts_per_tok: 2, n_shared_experts: 1, moe_intermediate_size: 512, first_k_dense_replace: 1 };
    const m = parseModelText(JSON.stringify(cfg), 'config.json');
    expect(m.id).toBe('tiny-moe');
    expect(m.mla?.kvLoraRank).toBe(128);
    expect(m.moe).toMatchObject({ routedExperts: 8, activeExperts: 2, sharedExperts: 1, denseLayers: 1 });
    expect(modelShape(m).kvElemsPerToken).toBe(4 * (128 + 32));
  });

  it('names the field and line of every problem', () => {
    const text = ['id: bad', 'layers: 0', 'hiddenSize: 4096', 'heads: 32', 'intermediateSize: 11008', 'vocabSize: 32000', 'colour: blue'].join('\n');
    try {
      parseModelText(text, 'bad.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const issues = (e as ValidationError).issues;
      expect(issues.find((i) => i.path === '/layers')).toMatchObject({ file: 'bad.yaml', line: 2 });
      expect(issues.some((i) => /colour|additional/i.test(`${i.path} ${i.message}`))).toBe(true);
    }
  });

  it('rejects shapes that cannot exist', () => {
    expect(() => parseModelText('{"id":"x","layers":2,"hiddenSize":4096,"heads":32,"kvHeads":5,"intermediateSize":1,"vocabSize":1}')).toThrow(/heads \(32\) must be a multiple of kvHeads \(5\)/);
    expect(() => parseModelText('{"id":"x","layers":2,"hiddenSize":4000,"heads":48,"intermediateSize":1,"vocabSize":1}')).toThrow(/give headDim explicitly/);
    expect(() => parseModelText('layers: [1, 2')).toThrow(/not valid YAML/);
    expect(() => parseModelText('- 1\n- 2')).toThrow(/expected a mapping/);
  });
});
