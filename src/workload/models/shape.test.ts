import { describe, expect, it } from 'vitest';
import { modelPresets, findModelPreset } from './presets.js';
import { modelShape } from './shape.js';

describe('model shapes', () => {
  it.each(modelPresets.map((m) => [m.id, m] as const))('%s: derived parameter count is within 3% of the published one', (_id, m) => {
    const s = modelShape(m);
    const published = m.published.totalParamsB;
    expect(published).not.toBeNull();
    expect(Math.abs(s.totalParams / 1e9 - (published ?? 0)) / (published ?? 1)).toBeLessThan(0.03);
    const active = m.published.activeParamsB ?? published ?? 0;
    expect(Math.abs(s.activeParams / 1e9 - active) / active).toBeLessThan(0.05);
  });

  it('Llama-2-7B: 6.74e9 parameters, so bf16 weights are 13.5e9 bytes', () => {
    const s = modelShape(findModelPreset('llama-2-7b')!);
    // 32 layers x (4 x 4096^2 attention + 3 x 4096 x 11008 FFN + 2 x 4096 norms) + 2 x 32000 x 4096 + 4096
    const expected = 32 * (4 * 4096 ** 2 + 3 * 4096 * 11008 + 2 * 4096) + 2 * 32000 * 4096 + 4096;
    expect(s.totalParams).toBe(expected);
    expect(s.totalParams * 2).toBeCloseTo(13.48e9, -8);
  });

  it('KV cache per token: Llama-3.1-70B GQA is 80 x 2 x 8 x 128 elements; DeepSeek-V3 MLA is 61 x 576', () => {
    expect(modelShape(findModelPreset('llama-3.1-70b')!).kvElemsPerToken).toBe(80 * 2 * 8 * 128);
    const ds = modelShape(findModelPreset('deepseek-v3')!);
    expect(ds.kvElemsPerToken).toBe(61 * (512 + 64));
    expect(ds.kvReplicatedAcrossTp).toBe(true);
  });

  it('resolves common spellings', () => {
    expect(findModelPreset('meta-llama/Llama-3.1-70B-Instruct')?.id).toBe('llama-3.1-70b');
    expect(findModelPreset('Llama-2-7b-hf')?.id).toBe('llama-2-7b');
    expect(findModelPreset('Qwen/Qwen2.5-72B-Instruct')?.id).toBe('qwen2.5-72b');
    expect(findModelPreset('no-such-model')).toBeUndefined();
  });
});

describe('model from a job description', () => {
  it('resolves a preset by name, or synthesises a dense shape of the stated size', async () => {
    const { modelFromDescription } = await import('./describe.js');
    expect(modelFromDescription({ name: 'Qwen/Qwen2.5-72B-Instruct' })?.id).toBe('qwen2.5-72b');
    const m = modelFromDescription({ name: 'in-house-30b', paramsB: 30 })!;
    expect(m.synthesized).toBe(true);
    const billions = modelShape(m).totalParams / 1e9;
    expect(billions).toBeGreaterThan(27);
    expect(billions).toBeLessThan(36);
    expect(modelFromDescription({})).toBeUndefined();
    expect(() => modelFromDescription({ paramsB: -1 })).toThrow(/paramsB must be a positive number/);
  });
});
