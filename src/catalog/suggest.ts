/**
 * "Did you mean ...?" for mistyped ids: candidates ranked by edit distance, plus those that
 * contain the input or are contained in it (`910` finds `ascend-910b`).
 */

/** Levenshtein distance; small strings only (ids, aliases). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Up to `limit` candidates close to `input`, best first; none when nothing is plausibly meant. */
export function closest(input: string, candidates: readonly string[], limit = 3): string[] {
  const key = input.toLowerCase();
  if (key === '') return [];
  const scored = candidates.map((c) => {
    const lc = c.toLowerCase();
    const contains = lc.includes(key) || (key.length >= 3 && key.includes(lc) && lc.length >= 3);
    const distance = editDistance(key, lc);
    return { c, score: contains ? Math.min(distance, 1) : distance };
  });
  const threshold = Math.max(2, Math.floor(key.length / 3));
  return scored
    .filter((s) => s.score <= threshold)
    .sort((a, b) => a.score - b.score || a.c.localeCompare(b.c))
    .map((s) => s.c)
    .filter((c, i, all) => all.indexOf(c) === i)
    .slice(0, limit);
}
