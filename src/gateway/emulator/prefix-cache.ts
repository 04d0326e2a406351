/**
 * Prompt prefixes an engine keeps in its KV cache between requests (automatic prefix caching, as
 * vLLM and SGLang do), by session: a conversation's next turn resends the previous turn's prompt and
 * answer, which are still cached unless evicted. Least recently used out first, within a token budget.
 */
export class PrefixCache {
  /** Insertion order is recency: a hit moves the entry to the end. */
  private readonly entries = new Map<string, number>();
  private total = 0;

  constructor(private readonly capacityTokens: number) {}

  /** Tokens of a prompt of this session already cached (at most the prompt's length). */
  hit(key: string | null | undefined, promptTokens: number): number {
    if (!key) return 0;
    const tokens = this.entries.get(key);
    if (tokens === undefined) return 0;
    this.entries.delete(key);
    this.entries.set(key, tokens);
    return Math.min(tokens, promptTokens);
  }

  /** The session's sequence (prompt and answer) stays cached for its next turn. */
  store(key: string | null | undefined, tokens: number): void {
    if (!key || this.capacityTokens <= 0) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.total -= old;
      this.entries.delete(key);
    }
    const kept = Math.min(tokens, this.capacityTokens);
    this.entries.set(key, kept);
    this.total += kept;
    for (const [k, t] of this.entries) {
      if (this.total <= this.capacityTokens) break;
      this.entries.delete(k);
      this.total -= t;
    }
  }
}
