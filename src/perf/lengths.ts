import type { LengthBucket } from './types.js';

/**
 * Turns observed (input, output) token pairs, e.g. a request trace, into weighted buckets for
 * `InferRequest.lengths`: one bucket per half-octave of input length (so a bucket never mixes very
 * short and very long prompts), carrying its requests' mean lengths and their count as weight.
 */
export function bucketLengths(pairs: readonly { inputTokens: number; outputTokens: number }[]): LengthBucket[] {
  const bins = new Map<number, { n: number; inSum: number; outSum: number }>();
  for (const p of pairs) {
    if (!(p.inputTokens > 0 && p.outputTokens > 0) || !Number.isFinite(p.inputTokens) || !Number.isFinite(p.outputTokens)) continue;
    const key = Math.round(Math.log2(p.inputTokens) * 2);
    const bin = bins.get(key) ?? { n: 0, inSum: 0, outSum: 0 };
    bin.n += 1;
    bin.inSum += p.inputTokens;
    bin.outSum += p.outputTokens;
    bins.set(key, bin);
  }
  return [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, b]) => ({ inputTokens: Math.max(1, Math.round(b.inSum / b.n)), outputTokens: Math.max(1, Math.round(b.outSum / b.n)), weight: b.n }));
}
