/** Deterministic filler text and vectors: the emulator's output is about timing and shape, not meaning. */
const WORDS = ['the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', '.', ' Tessera', ' serves', ' tokens', ' on', ' mixed', ' chips'];

/** `count` tokens starting at token index `from`, one word per token. */
export function completionText(from: number, count: number): string {
  let s = '';
  for (let i = from; i < from + count; i++) s += WORDS[i % WORDS.length] ?? '';
  return s;
}

/** An 8-dimensional unit vector that depends only on the input's index. */
export function embeddingVector(index: number): number[] {
  const v = Array.from({ length: 8 }, (_, k) => Math.sin((index + 1) * (k + 1)));
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Number((x / norm).toFixed(6)));
}
