import { describe, expect, it } from 'vitest';
import { lengthsOf } from './infer.js';
import { bucketLengths } from './lengths.js';
import { testChips } from './test-chips.js';
import { findModelPreset } from '../workload/models/presets.js';

describe('length distributions', () => {
  it('buckets keep the request count and the mean lengths', () => {
    const pairs = Array.from({ length: 1000 }, (_, i) => ({ inputTokens: 100 + i, outputTokens: 50 + (i % 10) }));
    const b = bucketLengths(pairs);
    // inputs 100..1099 span log2 6.6..10.1: half-octave bins 13..20
    expect(b).toHaveLength(8);
    expect(b.reduce((s, x) => s + (x.weight ?? 0), 0)).toBe(1000);
    const meanIn = b.reduce((s, x) => s + x.inputTokens * (x.weight ?? 0), 0) / 1000;
    expect(Math.abs(meanIn - 599.5)).toBeLessThan(0.5); // bucket means are rounded to whole tokens
    expect(bucketLengths([{ inputTokens: 0, outputTokens: 5 }])).toEqual([]);
  });

  it('TTFT refers to the weighted 90th-percentile prompt', () => {
    const len = lengthsOf({ model: findModelPreset('llama-3.1-8b')!, chip: testChips.h100, cards: 1, lengths: [{ inputTokens: 100, outputTokens: 10, weight: 95 }, { inputTokens: 9000, outputTokens: 10, weight: 5 }] });
    expect(len.ttftInput).toBe(100);
    // decode context: input + half the output, weighted by output tokens
    expect(len.decodeCtx).toBeCloseTo((95 * 10 * 105 + 5 * 10 * 9005) / (100 * 10), 6);
  });
});
